// The local libSQL server against what a hostile web page or a careless query sends: the file system,
// other hosts and origins, unbounded work, leaking connection state, NUL characters, dropped clients.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient } from '@libsql/client';
import Database from 'libsql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HranaServer, type HranaServerOptions, startHranaServer } from '../dev/hrana-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'hrana-hardening-'));
let fileCounter = 0;
const servers: HranaServer[] = [];
const clients: Client[] = [];

async function start(opts: Partial<HranaServerOptions> = {}): Promise<HranaServer> {
  fileCounter++;
  const s = await startHranaServer({ file: join(dir, `db-${fileCounter}.db`), port: 0, ...opts });
  servers.push(s);
  return s;
}

function connect(url: string): Client {
  const c = createClient({ url });
  clients.push(c);
  return c;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly the headers given (fetch would not let a test set `Host`). */
function raw(
  server: HranaServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers, setHost: !('host' in headers) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pipeline = (sql: string) =>
  JSON.stringify({ requests: [{ type: 'execute', stmt: { sql } }, { type: 'close' }] });

let server: HranaServer;
let db: Client;

beforeAll(async () => {
  server = await start();
  db = connect(server.url);
  await db.execute('create table notes (id integer primary key, body text check (length(body) < 100))');
  await db.execute("insert into notes (body) values ('kept')");
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('no SQL reaches past the database file', () => {
  const target = join(dir, 'written-by-sql.sh');
  const other = join(dir, 'other.db');
  const hostile: [string, string][] = [
    ['readfile', "select readfile('/etc/hostname')"],
    ['readfile, quoted', `select "readfile"('/etc/hostname')`],
    ['readfile, bracketed', "select [READFILE]('/etc/hostname')"],
    ['writefile', `select writefile('${target}', 'echo owned', 493)`],
    ['fsdir', `select name from fsdir('${dir}')`],
    ['fsdir as a string table name', `select name from 'fsdir'('${dir}')`],
    ['load_extension', "select load_extension('/tmp/evil.so')"],
    ['sha3_query, which runs the SQL it is given', `select sha3_query('select readfile(''/etc/hostname'')')`],
    ['ATTACH', `attach '${other}' as other`],
    ['DETACH', 'detach main'],
    ['VACUUM INTO', `vacuum into '${other}'`],
    ['EXPLAIN of ATTACH', `explain attach '${other}' as other`],
    ['writable_schema', 'pragma writable_schema=on'],
    ['writable_schema, read', 'pragma writable_schema'],
    // parse.y: `PRAGMA nm dbnm` with `nm ::= id | STRING | JOIN_KW`, so a string literal names a PRAGMA.
    ['writable_schema as a string', "pragma 'writable_schema'=1"],
    ['writable_schema as a string, read', "PRAGMA 'WRITABLE_SCHEMA'"],
    ['writable_schema as a string with a schema', "pragma main.'writable_schema' = 1"],
    ['writable_schema, schema and name as strings', "pragma 'main'.'writable_schema'=on"],
    [
      'writable_schema as a string, comments around the dot',
      "pragma main /* a */ . -- b\n 'writable_schema'=1",
    ],
    ['writable_schema under EXPLAIN', "explain pragma 'writable_schema'=1"],
    ['journal_mode, a string with a schema', "pragma main.'journal_mode'='delete'"],
    ['journal_mode, all strings', "pragma 'main'.'journal_mode'('delete')"],
    ['synchronous as a string', "pragma 'synchronous'=0"],
    ['the cipher key as a string', "pragma 'key'='attacker'"],
    ['re-keying', "pragma 'rekey'='attacker'"],
    ['re-keying, qualified', "pragma main.'rekey'='attacker'"],
    ['a hex key', "pragma 'hexkey'='00112233'"],
    ['a hex re-key', "pragma 'hexrekey'='00112233'"],
    ['the cipher', "pragma 'cipher'='chacha20'"],
    ['the cipher, read', "pragma 'cipher'"],
    ['legacy cipher settings', "pragma 'legacy'=1"],
    ['the key derivation', "pragma main.'kdf_iter'=1"],
    ['the heap limit', "pragma 'hard_heap_limit'=0"],
    ['the soft heap limit', "pragma 'soft_heap_limit'=0"],
    [
      'writes to sqlite_master',
      "insert into sqlite_master values ('table', 'x', 'x', 0, 'create table x (y)')",
    ],
    ['writes to sqlite_schema as a string', "update main.'sqlite_schema' set sql = sql where 0"],
    ['writes to the temp schema', 'delete from temp.sqlite_temp_master where 0'],
    [
      'writes to the temp schema, quoted',
      'insert or replace into "temp" . [sqlite_temp_schema] select * from sqlite_temp_master where 0',
    ],
    ['writes to sqlite_dbpage', 'update sqlite_dbpage set data = zeroblob(4096) where pgno = 1'],
    ['sqlite_dbpage as a string', "select * from main.'sqlite_dbpage'"],
    ['journal_mode', 'pragma journal_mode=delete'],
    ['journal_mode, schema-qualified', 'PRAGMA main.journal_mode = OFF'],
    ['synchronous', 'pragma synchronous(0)'],
    ['locking_mode', 'pragma locking_mode=exclusive'],
    ['temp_store_directory', "pragma temp_store_directory = '/tmp'"],
    [
      'a trigger that would write files',
      `create trigger t after insert on notes begin select writefile('${target}', new.body); end`,
    ],
  ];

  it.each(hostile)('refuses %s with an error the client shows', async (_name, sql) => {
    const error = await db.execute(sql).then(
      () => null,
      (err: unknown) => err as { code?: string; message?: string },
    );
    expect(error, sql).not.toBeNull();
    expect(error?.code, sql).toBe('SQLITE_AUTH');
    expect(error?.message, sql).toMatch(/not (available|allowed)|may be read but not changed/);
  });

  it('refuses a virtual table smuggled into the schema table, whose module no token names', async () => {
    // The module's name is built from two strings: no `fsdir` token reaches the guard.
    const smuggle = (module: string) => `pragma 'writable_schema'=1;
      insert into 'sqlite_master' values ('table', 'f', 'f', 0, 'create virtual table f using ${module}');
      pragma 'writable_schema'=0;`;
    for (const module of ["fs'||'dir", "sqlite_db'||'page"]) {
      const c = connect(server.url);
      await expect(c.executeMultiple(smuggle(module)), module).rejects.toMatchObject({ code: 'SQLITE_AUTH' });
      await expect(c.execute("select * from f where name = '/etc/hostname'"), module).rejects.toThrow(
        /no such table/,
      );
    }
    // Each statement alone, on one stream, as a client may send them.
    const tx = await db.transaction('write');
    await expect(tx.execute("pragma 'writable_schema'=1")).rejects.toMatchObject({ code: 'SQLITE_AUTH' });
    await expect(
      tx.execute(
        "insert into sqlite_master values ('table', 'f', 'f', 0, 'create virtual table f using fs'||'dir')",
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_AUTH' });
    await tx.rollback();
    expect((await db.execute("select count(*) as n from sqlite_master where name = 'f'")).rows[0]?.n).toBe(0);
  });

  it('refuses them inside executeMultiple and batch too', async () => {
    await expect(db.executeMultiple(`select 1; select writefile('${target}', 'x');`)).rejects.toMatchObject({
      code: 'SQLITE_AUTH',
    });
    await expect(db.batch([`select 1`, `vacuum into '${other}'`], 'write')).rejects.toMatchObject({
      code: 'SQLITE_AUTH',
    });
  });

  it('wrote, listed and attached nothing, and left the database whole', async () => {
    expect(existsSync(target)).toBe(false);
    expect(existsSync(other)).toBe(false);
    const check = await db.execute('pragma integrity_check');
    expect(check.rows[0]?.[0]).toBe('ok');
    expect((await db.execute('pragma journal_mode')).rows[0]?.[0]).toBe('wal');
    expect((await db.execute('select body from notes')).rows.map((r) => r.body)).toEqual(['kept']);
  });

  it('still runs what applications and migrations need', async () => {
    const c = connect(server.url);
    await c.migrate(['create table if not exists m (x)', 'insert into m values (1)']);
    expect((await c.execute('pragma table_info(m)')).rows.map((r) => r.name)).toEqual(['x']);
    // Words that merely contain a refused name, and the names as data, are not refused.
    await c.execute("insert into notes (body) values ('readfile and writefile are shell functions')");
    expect((await c.execute("select count(*) as n from notes where body like '%readfile%'")).rows[0]?.n).toBe(
      1,
    );
  });
});

describe('only requests a web page cannot forge', () => {
  const marker = join(dir, 'form-post-marker');
  const formBody = pipeline(`select writefile('${marker}', 'x')`);

  it('refuses a cross-site form post (text/plain) before reading it', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const answer = await raw(server, 'POST', '/v2/pipeline', { 'content-type': type }, formBody);
      expect(answer.status, type).toBe(415);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const untyped = await raw(server, 'POST', '/v2/pipeline', {}, pipeline('select 1'));
    expect(untyped.status).toBe(415);
    expect(existsSync(marker)).toBe(false);
  });

  it('answers only for its own host names (DNS rebinding)', async () => {
    const hosts: [string, number][] = [
      ['evil.example', 421],
      [`evil.example:${server.port}`, 421],
      ['127.0.0.1:1', 421],
      ['localhost', 421],
      [`127.0.0.1:${server.port}`, 200],
      [`localhost:${server.port}`, 200],
      [`LOCALHOST:${server.port}`, 200],
    ];
    for (const [host, status] of hosts) {
      const headers = { host, 'content-type': 'application/json' };
      const answer = await raw(server, 'POST', '/v2/pipeline', headers, pipeline('select 1'));
      expect(answer.status, host).toBe(status);
      if (status === 421) expect(JSON.parse(answer.body)).toMatchObject({ code: 'HOST_NOT_ALLOWED' });
    }
  });

  it('refuses a foreign Origin and cross-site fetches, and never sends CORS headers', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: Record<string, string>[] = [
      { ...json, origin: 'http://evil.example' },
      { ...json, origin: 'null' },
      { ...json, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const answer = await raw(server, 'POST', '/v2/pipeline', headers, pipeline('select 1'));
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await raw(server, 'OPTIONS', '/v2/pipeline', {
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });
});

describe('bounded work', () => {
  it('answers a result over the size limit with an error, and keeps serving', async () => {
    const small = await start({ maxResultBytes: 256 * 1024 });
    const c = connect(small.url);
    const huge =
      "with recursive c(x) as (select 1 union all select x + 1 from c limit 1000000) select x, 'padding' from c";
    await expect(c.execute(huge)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect((await c.execute('select 41 + 1 as n')).rows[0]?.n).toBe(42);
    const within = await c.execute(
      'with recursive c(x) as (select 1 union all select x + 1 from c limit 1000) select x from c',
    );
    expect(within.rows).toHaveLength(1000);
  });

  it('refuses a value too large to answer while it is being built, and keeps serving everyone else', async () => {
    const s = await start();
    const huge = [
      'select zeroblob(999999999)',
      'select randomblob(1e9)',
      "select printf('%.*c', 999999999, 'x')",
      "select replace(hex(zeroblob(1e8)), '0', '00')",
      `with recursive c(x) as (select 1 union all select x + 1 from c limit 4000000)
        select group_concat(hex(randomblob(100))) from c`,
    ];
    for (const sql of huge) {
      const others = [1, 2, 3].map((n) => connect(s.url).execute(`select ${n} as n`));
      await expect(connect(s.url).execute(sql), sql).rejects.toMatchObject({
        code: 'SQLITE_NOMEM',
        message: expect.stringMatching(/more memory than this server allows/),
      });
      // The pipelines around it were answered, and the next client is served at once.
      expect((await Promise.all(others)).map((rs) => rs.rows[0]?.n)).toEqual([1, 2, 3]);
      expect((await connect(s.url).execute('select 42 as n')).rows[0]?.n, sql).toBe(42);
    }
    // A value that fits the result limit is still built and answered.
    const large = await connect(s.url).execute('select randomblob(30000000) as b');
    expect((large.rows[0]?.b as ArrayBuffer | undefined)?.byteLength).toBe(30_000_000);
  }, 60_000);

  it('interrupts a statement over the time limit while the server keeps answering', async () => {
    const slow = await start({ statementTimeoutMs: 400 });
    const c = connect(slow.url);
    const endless = c.execute(
      'with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c',
    );
    // While it runs, the server still answers HTTP (the engine works off the main thread).
    await sleep(100);
    const health = await fetch(`${slow.url}/health`);
    expect(health.status).toBe(200);
    const other = connect(slow.url).execute('select 7 as n');
    await expect(endless).rejects.toMatchObject({
      code: 'SQLITE_INTERRUPT',
      message: expect.stringMatching(/400 ms/),
    });
    expect((await other).rows[0]?.n).toBe(7);
  });

  it('stops stepping rows past the time limit', async () => {
    const slow = await start({ statementTimeoutMs: 300 });
    const c = connect(slow.url);
    // Each row costs real work (randomblob is computed anew per row), so the rows come one by one.
    const sql = `with recursive c(x) as (select 1 union all select x + 1 from c limit 100000)
      select x, length(hex(randomblob(1000000))) from c`;
    await expect(c.execute(sql)).rejects.toMatchObject({ code: 'SQLITE_INTERRUPT' });
    expect((await c.execute('select 1 as n')).rows[0]?.n).toBe(1);
  });

  it('interrupts a running statement on close and answers it', async () => {
    const slow = await start({ statementTimeoutMs: 60_000 });
    const c = connect(slow.url);
    const endless = c.execute(
      'with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c',
    );
    const settled = endless.then(
      () => 'ok',
      () => 'error',
    );
    await sleep(100);
    await slow.close();
    expect(await settled).toBe('error');
  });
});

describe('a fair share of the streams', () => {
  /** Opens a stream and leaves it open, as a careless or hostile program does; its baton. */
  async function openAndLeave(s: HranaServer): Promise<string> {
    const body = JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select 1' } }] });
    const answer = await raw(s, 'POST', '/v2/pipeline', { 'content-type': 'application/json' }, body);
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.body) as { baton: string }).baton;
  }

  it('serves another client after one opened 1,000 streams and closed none', async () => {
    const s = await start();
    const batons: string[] = [];
    for (let round = 0; round < 50; round++) {
      batons.push(...(await Promise.all(Array.from({ length: 20 }, () => openAndLeave(s)))));
    }
    const worker = connect(s.url);
    expect((await worker.execute('select 42 as n')).rows[0]?.n).toBe(42);
    const tx = await worker.transaction('write');
    await tx.execute('create table t (x)');
    await tx.commit();
    // Again and again: each newcomer takes the place of an old idle stream, never of a newcomer.
    for (let i = 0; i < 30; i++) batons.push(await openAndLeave(s));
    expect((await worker.execute('select count(*) as n from t')).rows[0]?.n).toBe(0);
    // The stream given up first answers as an expired one.
    const first = JSON.stringify({ baton: batons[0], requests: [{ type: 'close' }] });
    const answer = await raw(s, 'POST', '/v2/pipeline', { 'content-type': 'application/json' }, first);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'STREAM_EXPIRED' });
  }, 60_000);
});

describe('each stream starts on a connection in the default state', () => {
  it('does not leak query_only, ignore_check_constraints or temp tables into later streams', async () => {
    await db.execute('pragma query_only = 1');
    await db.execute("insert into notes (body) values ('after query_only')");
    await db.execute('pragma ignore_check_constraints = 1');
    await expect(db.execute(`insert into notes (body) values ('${'x'.repeat(200)}')`)).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
    });
    await db.execute('create temp table scratch (x)');
    await expect(db.execute('select * from temp.scratch')).rejects.toThrow(/no such table/);
    await db.execute('pragma recursive_triggers = 1');
    expect((await db.execute('pragma recursive_triggers')).rows[0]?.[0]).toBe(0);
  });

  it('keeps a setting for the rest of its own stream', async () => {
    const tx = await db.transaction('write');
    await tx.execute('pragma recursive_triggers = 1');
    expect((await tx.execute('pragma recursive_triggers')).rows[0]?.[0]).toBe(1);
    await tx.rollback();
    expect((await db.execute('pragma recursive_triggers')).rows[0]?.[0]).toBe(0);
  });
});

describe('NUL characters', () => {
  it('refuses text it could not read back whole, and keeps blobs with NUL exact', async () => {
    await expect(
      db.execute({ sql: 'insert into notes (body) values (?)', args: ['a\u0000b'] }),
    ).rejects.toMatchObject({
      code: 'ARGS_INVALID',
      message: expect.stringMatching(/NUL/),
    });
    const blob = new Uint8Array([97, 0, 98]);
    const rs = await db.execute({ sql: 'select ? as b', args: [blob] });
    expect(new Uint8Array(rs.rows[0]?.b as ArrayBuffer)).toEqual(blob);
  });

  it('refuses SQL containing a NUL rather than running the part before it', async () => {
    await expect(db.execute('select 1; \u0000 delete from notes')).rejects.toMatchObject({
      code: 'SQL_PARSE_ERROR',
    });
    await expect(db.execute("select 'a\u0000'")).rejects.toMatchObject({ code: 'SQL_PARSE_ERROR' });
    expect(Number((await db.execute('select count(*) as n from notes')).rows[0]?.n)).toBeGreaterThan(0);
  });
});

describe('dropped clients and stopping', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('logs a client that drops mid-request as one line, without a stack trace', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await new Promise<void>((resolve) => {
      const socket = connectTcp(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /v2/pipeline HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"requests":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await sleep(100);
    expect(errors).not.toHaveBeenCalled();
    expect(warnings).toHaveBeenCalledTimes(1);
    const line = String(warnings.mock.calls[0]?.[0]);
    expect(line).toMatch(/client went away/);
    expect(warnings.mock.calls[0]).toHaveLength(1);
    expect((await db.execute('select 1 as n')).rows[0]?.n).toBe(1);
  });

  it('checkpoints the write-ahead log into the database file on a clean stop', async () => {
    const s = await start();
    const file = join(dir, `db-${fileCounter}.db`);
    const c = createClient({ url: s.url });
    await c.execute('create table kept (x)');
    await c.batch(["insert into kept values ('one')", "insert into kept values ('two')"], 'write');
    c.close();
    await s.close();
    const wal = `${file}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    // The database file alone, without its -wal and -shm, holds every row.
    const copy = join(dir, 'alone.db');
    copyFileSync(file, copy);
    const alone = new Database(copy);
    expect(alone.prepare('select count(*) as n from kept').get()).toMatchObject({ n: 2 });
    alone.close();
  });
});
