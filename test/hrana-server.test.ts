import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HranaServer, type HranaServerOptions, startHranaServer } from '../dev/hrana-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'hrana-test-'));
let fileCounter = 0;
const servers: HranaServer[] = [];
const clients: Client[] = [];

let server: HranaServer;
let db: Client;

async function start(opts: Partial<HranaServerOptions> = {}): Promise<HranaServer> {
  fileCounter++;
  const s = await startHranaServer({ file: join(dir, `db-${fileCounter}.db`), port: 0, ...opts });
  servers.push(s);
  return s;
}

function connect(url: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  const c = createClient({ url, ...extra });
  clients.push(c);
  return c;
}

interface RawResponse {
  status: number;
  contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: raw protocol JSON, asserted field by field
  json: any;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(`${url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), json: await res.json() };
}

async function count(client: Client, table: string): Promise<number> {
  const rs = await client.execute(`select count(*) as n from ${table}`);
  return Number(rs.rows[0]?.n);
}

/** Resolves to 'pending' if `p` has not settled after `ms`. */
async function settledWithin<T>(p: Promise<T>, ms: number): Promise<'settled' | 'pending'> {
  return Promise.race([
    p.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    sleep(ms).then(() => 'pending' as const),
  ]);
}

beforeAll(async () => {
  server = await start();
  db = connect(server.url);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('execute', () => {
  it('round-trips every value type with positional args', async () => {
    await db.execute('create table vals (i integer, f real, s text, b blob, n)');
    const blob = new Uint8Array([0, 1, 2, 250, 255]);
    const ins = await db.execute({
      sql: 'insert into vals values (?, ?, ?, ?, ?)',
      args: [42n, 1.5, 'héllo ✓', blob, null],
    });
    expect(ins.rowsAffected).toBe(1);
    expect(ins.lastInsertRowid).toBe(1n);
    const rs = await db.execute('select i, f, s, b, n, typeof(i) as ti, typeof(f) as tf from vals');
    expect(rs.columns).toEqual(['i', 'f', 's', 'b', 'n', 'ti', 'tf']);
    expect(rs.columnTypes.slice(0, 4)).toEqual(['INTEGER', 'REAL', 'TEXT', 'BLOB']);
    const row = rs.rows[0];
    expect(row?.i).toBe(42);
    expect(row?.f).toBe(1.5);
    expect(row?.s).toBe('héllo ✓');
    expect(new Uint8Array(row?.b as ArrayBuffer)).toEqual(blob);
    expect(row?.n).toBeNull();
    expect(row?.ti).toBe('integer');
    expect(row?.tf).toBe('real');
    expect(rs.rowsAffected).toBe(0);
  });

  it('binds JS numbers as REAL and keeps 64-bit integers exact', async () => {
    const big = createClient({ url: server.url, intMode: 'bigint' });
    clients.push(big);
    const rs = await big.execute({
      sql: 'select ? as a, typeof(?) as t, ? as max, ? as min',
      args: [9007199254740993n, 3, 9223372036854775807n, -9223372036854775808n],
    });
    expect(rs.rows[0]?.a).toBe(9007199254740993n);
    expect(rs.rows[0]?.t).toBe('real');
    expect(rs.rows[0]?.max).toBe(9223372036854775807n);
    expect(rs.rows[0]?.min).toBe(-9223372036854775808n);
  });

  it('binds named args with and without prefix', async () => {
    const rs = await db.execute({
      sql: 'select :a as a, @b as b, $c as c, :a || @b as ab',
      args: { a: 'x', '@b': 'y', c: 3n },
    });
    expect(rs.rows[0]).toMatchObject({ a: 'x', b: 'y', c: 3, ab: 'xy' });
    const mixed = await db.execute({ sql: 'select ?2 as two, ?1 as one', args: ['first', 'second'] });
    expect(mixed.rows[0]).toMatchObject({ two: 'second', one: 'first' });
  });

  it('reports affected rows for INSERT … RETURNING, UPDATE and DELETE', async () => {
    await db.execute('create table ret (id integer primary key, v text)');
    const rs = await db.execute("insert into ret (v) values ('a'), ('b'), ('c') returning id");
    expect(rs.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rs.rowsAffected).toBe(3);
    expect(rs.lastInsertRowid).toBe(3n);
    const upd = await db.execute("update ret set v = 'z' where id < 3");
    expect(upd.rowsAffected).toBe(2);
    expect(upd.lastInsertRowid).toBe(3n);
    const del = await db.execute('delete from ret where id = 99');
    expect(del.rowsAffected).toBe(0);
    expect(del.lastInsertRowid).toBeUndefined();
    const ddl = await db.execute('create table ret2 (x)');
    expect(ddl.rowsAffected).toBe(0);
  });

  it('surfaces constraint errors with the base code', async () => {
    await db.execute('create table uniq (id integer primary key)');
    await db.execute('insert into uniq values (1)');
    await expect(db.execute('insert into uniq values (1)')).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      message: expect.stringContaining('UNIQUE constraint failed'),
    });
    await expect(db.execute('select * from no_such_table')).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
  });

  it('rejects more than one statement but accepts one with tricky punctuation', async () => {
    await expect(db.execute('select 1; select 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });
    await expect(db.execute('select 1; -- c\n select 2;')).rejects.toMatchObject({
      code: 'SQL_MANY_STATEMENTS',
    });
    const rs = await db.execute(
      "select ';?' as \"a;b\", 1 as [c;?], 2 as `d;`, x'3b' as blob -- trailing ; comment ?\n /* ; ? */ ;; ",
    );
    expect(rs.columns).toEqual(['a;b', 'c;?', 'd;', 'blob']);
    await db.execute('create table trig_src (v)');
    await db.execute('create table trig_log (v)');
    await db.execute(`create trigger trig after insert on trig_src begin
        insert into trig_log values (new.v);
        insert into trig_log values (case when new.v > 1 then 'big' else 'small' end);
      end;`);
    await db.execute('insert into trig_src values (5)');
    expect(await count(db, 'trig_log')).toBe(2);
    await expect(db.execute('  ')).rejects.toMatchObject({ code: 'SQL_NO_STATEMENT' });
  });

  it('does not pin stale snapshots after EXPLAIN or describe', async () => {
    await db.execute('create table snap (v integer)');
    for (let i = 1; i <= 3; i++) {
      const plan = await db.execute('explain query plan select * from snap where v > 0');
      expect(plan.rows.length).toBeGreaterThan(0);
      await db.execute('explain select * from snap');
      await db.execute({ sql: 'insert into snap values (?)', args: [i] });
      expect(await count(db, 'snap')).toBe(i);
    }
    // one stream describes, another writes, the first one must see the write
    const first = await post(server.url, {
      requests: [
        { type: 'describe', sql: 'select * from snap' },
        { type: 'execute', stmt: { sql: 'explain query plan select count(*) from snap' } },
        { type: 'execute', stmt: { sql: 'select count(*) from snap' } },
      ],
    });
    expect(first.json.results[2].response.result.rows).toEqual([[{ type: 'integer', value: '3' }]]);
    await db.execute('insert into snap values (4)');
    const again = await post(server.url, {
      baton: first.json.baton,
      requests: [{ type: 'execute', stmt: { sql: 'select count(*) from snap' } }, { type: 'close' }],
    });
    expect(again.json.results[0].response.result.rows).toEqual([[{ type: 'integer', value: '4' }]]);
  });

  it('rejects argument count mismatches', async () => {
    await expect(db.execute({ sql: 'select ?, ?', args: [1] })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    await expect(db.execute({ sql: 'select ?', args: [1, 2] })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    await expect(db.execute({ sql: 'select 1', args: [1] })).rejects.toMatchObject({ code: 'ARGS_INVALID' });
    await expect(db.execute({ sql: 'select :a', args: { b: 1 } })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    await expect(db.execute({ sql: 'select :a, :b', args: { a: 1 } })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    // a question mark inside a string is not a parameter
    const rs = await db.execute({ sql: "select '?' as q, ? as p", args: [7] });
    expect(rs.rows[0]).toMatchObject({ q: '?', p: 7 });
  });
});

describe('batch', () => {
  it('runs a write batch atomically and rolls back everything on failure', async () => {
    const results = await db.batch(
      [
        'create table items (id integer primary key, name text not null)',
        { sql: 'insert into items (name) values (?)', args: ['a'] },
        { sql: 'insert into items (name) values (?)', args: ['b'] },
        'select name from items order by id',
      ],
      'write',
    );
    expect(results).toHaveLength(4);
    expect(results[3]?.rows.map((r) => r.name)).toEqual(['a', 'b']);

    await expect(
      db.batch(
        [
          { sql: 'insert into items (name) values (?)', args: ['c'] },
          { sql: 'insert into items (id, name) values (1, ?)', args: ['dup'] },
          { sql: 'insert into items (name) values (?)', args: ['d'] },
        ],
        'write',
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(await count(db, 'items')).toBe(2);
  });

  it('supports read and deferred modes', async () => {
    const read = await db.batch(
      ['select count(*) as n from items', 'select max(id) as m from items'],
      'read',
    );
    expect(read.map((r) => r.rows[0])).toEqual([
      expect.objectContaining({ n: 2 }),
      expect.objectContaining({ m: 2 }),
    ]);
    const deferred = await db.batch(
      [{ sql: 'insert into items (name) values (?)', args: ['e'] }, 'select count(*) as n from items'],
      'deferred',
    );
    expect(deferred[0]?.rowsAffected).toBe(1);
    expect(deferred[1]?.rows[0]?.n).toBe(3);
  });

  it('runs a 1000-step batch', async () => {
    await db.execute('create table many (i integer)');
    const stmts = Array.from({ length: 1000 }, (_, i) => ({
      sql: 'insert into many values (?)',
      args: [BigInt(i)],
    }));
    const results = await db.batch(stmts, 'write');
    expect(results).toHaveLength(1000);
    expect(results.every((r) => r.rowsAffected === 1)).toBe(true);
    const rs = await db.execute('select count(*) as n, sum(i) as s from many');
    expect(rs.rows[0]).toMatchObject({ n: 1000, s: (999 * 1000) / 2 });
  });

  it('lands 100 concurrent write batches', async () => {
    await db.execute('create table conc (id integer primary key, k integer, j integer)');
    const wide = connect(server.url, { concurrency: 100 });
    const other = connect(server.url);
    const jobs = Array.from({ length: 100 }, (_, k) =>
      (k % 2 === 0 ? wide : other).batch(
        [
          { sql: 'insert into conc (k, j) values (?, 0)', args: [k] },
          { sql: 'insert into conc (k, j) values (?, 1)', args: [k] },
          { sql: 'select count(*) as n from conc where k = ?', args: [k] },
        ],
        'write',
      ),
    );
    const results = await Promise.all(jobs);
    expect(results.every((r) => r[2]?.rows[0]?.n === 2)).toBe(true);
    expect(await count(db, 'conc')).toBe(200);
  });
});

describe('interactive transactions', () => {
  it('commits, and other clients wait instead of seeing uncommitted rows', async () => {
    await db.execute('create table acct (id integer primary key, v integer)');
    const reader = connect(server.url);
    const tx = await db.transaction('write');
    await tx.execute({ sql: 'insert into acct (v) values (?)', args: [10] });
    const inside = await tx.execute('select count(*) as n from acct');
    expect(inside.rows[0]?.n).toBe(1);
    const outside = reader.execute('select count(*) as n from acct');
    expect(await settledWithin(outside, 150)).toBe('pending');
    await tx.commit();
    expect((await outside).rows[0]?.n).toBe(1);
  });

  it('rolls back, and a waiting reader never sees the rolled-back row', async () => {
    const reader = connect(server.url);
    const tx = await db.transaction('write');
    await tx.batch([
      { sql: 'insert into acct (v) values (?)', args: [20] },
      { sql: 'insert into acct (v) values (?)', args: [30] },
    ]);
    const outside = reader.execute('select count(*) as n from acct');
    expect(await settledWithin(outside, 150)).toBe('pending');
    await tx.rollback();
    expect((await outside).rows[0]?.n).toBe(1);
    expect(await count(db, 'acct')).toBe(1);
  });

  it('keeps executeMultiple and migrate working', async () => {
    await db.executeMultiple(`
      create table multi_a (x);
      insert into multi_a values (1);
      insert into multi_a values ('two;three');
    `);
    expect(await count(db, 'multi_a')).toBe(2);
    await expect(
      db.executeMultiple(
        'insert into multi_a values (3); insert into nope values (1); insert into multi_a values (4);',
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    // the statement before the error ran, the one after did not
    expect(await count(db, 'multi_a')).toBe(3);

    await db.migrate([
      'create table parent (id integer primary key)',
      'create table child (id integer primary key, parent_id integer references parent(id))',
      'insert into parent values (1)',
      'insert into child values (1, 1)',
    ]);
    expect(await count(db, 'child')).toBe(1);
  });
});

describe('streams and queueing', () => {
  it('expires idle streams, rolling back their transaction', async () => {
    const s = await start({ streamExpiryMs: 300 });
    const a = connect(s.url);
    const b = connect(s.url);
    await a.execute('create table exp (v text)');
    const tx = await a.transaction('write');
    await tx.execute("insert into exp values ('abandoned')");
    await sleep(700);
    // a new writer is not blocked by the abandoned transaction
    const started = Date.now();
    await b.execute("insert into exp values ('fresh')");
    expect(Date.now() - started).toBeLessThan(250);
    const rs = await b.execute('select v from exp');
    expect(rs.rows.map((r) => r.v)).toEqual(['fresh']);
    await expect(tx.execute('select 1')).rejects.toMatchObject({ code: 'STREAM_EXPIRED' });
  });

  it('times out an idle transaction that others wait for, and answers it with TRANSACTION_TIMEOUT', async () => {
    const s = await start({ txTimeoutMs: 300, streamExpiryMs: 10_000 });
    const a = connect(s.url);
    const b = connect(s.url);
    await a.execute('create table tto (v text)');

    // Idle beyond the timeout with nobody waiting: the transaction survives.
    const calm = await a.transaction('write');
    await calm.execute("insert into tto values ('calm')");
    await sleep(450);
    await calm.commit();

    const tx = await a.transaction('write');
    await tx.execute("insert into tto values ('slow')");
    const started = Date.now();
    await b.execute("insert into tto values ('waiter')");
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    await expect(tx.commit()).rejects.toMatchObject({ code: 'TRANSACTION_TIMEOUT' });
    const rs = await b.execute('select v from tto order by rowid');
    expect(rs.rows.map((r) => r.v)).toEqual(['calm', 'waiter']);
  });

  it('runs queued pipelines in arrival order once the owner commits', async () => {
    const s = await start();
    const a = connect(s.url);
    const others = Array.from({ length: 5 }, () => connect(s.url));
    await a.execute('create table fifo (v integer)');
    const tx = await a.transaction('write');
    await tx.execute('insert into fifo values (0)');
    const waiting: Promise<unknown>[] = [];
    for (const [i, c] of others.entries()) {
      waiting.push(c.execute({ sql: 'insert into fifo values (?)', args: [i + 1] }));
      await sleep(20);
    }
    expect(await settledWithin(Promise.all(waiting), 100)).toBe('pending');
    await tx.commit();
    await Promise.all(waiting);
    const rs = await a.execute('select v from fifo order by rowid');
    expect(rs.rows.map((r) => r.v)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('close() rolls back open transactions and releases the file', async () => {
    const file = join(dir, 'close-test.db');
    const s1 = await startHranaServer({ file, port: 0 });
    const c1 = createClient({ url: s1.url });
    await c1.execute('create table cl (v)');
    const tx = await c1.transaction('write');
    await tx.execute("insert into cl values ('open')");
    await s1.close();
    c1.close();
    const s2 = await start({ file });
    const c2 = connect(s2.url);
    await c2.execute("insert into cl values ('after')");
    const rs = await c2.execute('select v from cl');
    expect(rs.rows.map((r) => r.v)).toEqual(['after']);
    await expect(fetch(`${s1.url}/health`)).rejects.toThrow();
  });
});

describe('HTTP surface', () => {
  it('requires the bearer token when configured', async () => {
    const s = await start({ authToken: 's3cret' });
    await expect(connect(s.url).execute('select 1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(connect(s.url, { authToken: 'wrong' }).execute('select 1')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const ok = await connect(s.url, { authToken: 's3cret' }).execute('select 1 as one');
    expect(ok.rows[0]?.one).toBe(1);
    const raw = await post(s.url, { requests: [] }, { authorization: 'Bearer s3cret-and-more' });
    expect(raw.status).toBe(401);
    expect(raw.contentType).toBe('application/json');
  });

  it('answers the version probes and unknown routes', async () => {
    const v2 = await fetch(`${server.url}/v2`);
    expect(v2.status).toBe(200);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    for (const path of ['/v3-protobuf', '/v3', '/v3/pipeline', '/db/v3-protobuf', '/nope']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/json');
      expect(await res.json(), path).toMatchObject({ code: 'NOT_FOUND', message: expect.any(String) });
    }
    const get = await fetch(`${server.url}/v2/pipeline`);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const put = await fetch(`${server.url}/v2`, { method: 'PUT' });
    expect(put.status).toBe(405);
    // any prefix before /v2/pipeline (a client URL with a path)
    const prefixed = await fetch(`${server.url}/some/db/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select 1' } }, { type: 'close' }] }),
    });
    expect(prefixed.status).toBe(200);
    const viaPath = await connect(`${server.url}/some/db/`).execute('select 2 as two');
    expect(viaPath.rows[0]?.two).toBe(2);
  });

  it('executes every request of a pipeline in order and reports errors per request', async () => {
    const res = await post(server.url, {
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'select ? as v' },
        { type: 'execute', stmt: { sql: 'select nope_fn()' } },
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'integer', value: '-9223372036854775808' }] } },
        { type: 'execute', stmt: { sql_id: 7 } },
        { type: 'close_sql', sql_id: 1 },
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'null' }] } },
        { type: 'sequence', sql: 'create table seq1 (x); insert into seq1 values (1);' },
        { type: 'execute', stmt: { sql: 'insert into seq1 values (2)', want_rows: false } },
        { type: 'describe', sql: 'select x, ? as p, :named from seq1' },
        { type: 'describe', sql: 'insert into seq1 values (1)' },
        { type: 'get_autocommit' },
      ],
    });
    expect(res.status).toBe(200);
    const r = res.json.results;
    expect(r).toHaveLength(11);
    expect(typeof res.json.baton).toBe('string');
    expect(r.map((x: { type: string }) => x.type)).toEqual([
      'ok',
      'error',
      'ok',
      'error',
      'ok',
      'error',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(r[1].error.code).toBe('SQLITE_ERROR');
    expect(r[2].response.result.rows).toEqual([[{ type: 'integer', value: '-9223372036854775808' }]]);
    expect(r[3].error.code).toBe('SQL_NOT_FOUND');
    expect(r[7].response.result).toMatchObject({ affected_row_count: 1, last_insert_rowid: '2', rows: [] });
    expect(r[8].response.result).toEqual({
      params: [{ name: null }, { name: ':named' }],
      cols: [
        { name: 'x', decltype: null },
        { name: 'p', decltype: null },
        { name: ':named', decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(r[9].response.result.is_readonly).toBe(false);
    expect(r[10].response).toEqual({ type: 'get_autocommit', is_autocommit: true });

    // the baton continues the stream (and its stored SQL ids), then is spent
    const next = await post(server.url, {
      baton: res.json.baton,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'select 5 as five' },
        { type: 'execute', stmt: { sql_id: 1 } },
      ],
    });
    expect(next.json.results[1].response.result.rows).toEqual([[{ type: 'integer', value: '5' }]]);
    expect(next.json.baton).not.toBe(res.json.baton);
    const reused = await post(server.url, { baton: res.json.baton, requests: [] });
    expect(reused.status).toBe(400);
    expect(reused.json.code).toBe('BATON_INVALID');
    const closing = await post(server.url, { baton: next.json.baton, requests: [{ type: 'close' }] });
    expect(closing.json).toEqual({
      baton: null,
      base_url: null,
      results: [{ type: 'ok', response: { type: 'close' } }],
    });
  });

  it('evaluates batch conditions', async () => {
    const ok = (step: number) => ({ type: 'ok', step });
    const error = (step: number) => ({ type: 'error', step });
    const res = await post(server.url, {
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              { stmt: { sql: 'select 1' } },
              { stmt: { sql: 'select bad syntax here' } },
              { condition: ok(0), stmt: { sql: "select 'ran-ok'" } },
              { condition: ok(1), stmt: { sql: "select 'skipped'" } },
              { condition: error(1), stmt: { sql: "select 'ran-error'" } },
              { condition: { type: 'not', cond: ok(3) }, stmt: { sql: "select 'ran-not-skipped'" } },
              { condition: { type: 'and', conds: [ok(0), error(1)] }, stmt: { sql: "select 'ran-and'" } },
              { condition: { type: 'or', conds: [ok(1), error(3)] }, stmt: { sql: "select 'skipped-or'" } },
              { condition: { type: 'and', conds: [] }, stmt: { sql: "select 'ran-empty-and'" } },
            ],
          },
        },
        { type: 'batch', batch: { steps: [{ condition: ok(0), stmt: { sql: 'select 1' } }] } },
        { type: 'close' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.baton).toBeNull();
    const [first, second] = res.json.results;
    const { step_results: results, step_errors: errors } = first.response.result;
    const ran = results.map((x: { rows: { value: string }[][] } | null) => x?.rows[0]?.[0]?.value ?? null);
    expect(ran).toEqual([
      '1',
      null,
      'ran-ok',
      null,
      'ran-error',
      'ran-not-skipped',
      'ran-and',
      null,
      'ran-empty-and',
    ]);
    expect(errors.map((e: unknown) => e !== null)).toEqual([
      false,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(results[3]).toBeNull();
    expect(errors[3]).toBeNull();
    // a condition on the step itself or a later one is refused before anything runs
    expect(second.type).toBe('error');
    expect(second.error.code).toBe('BATCH_COND_INVALID');
  });

  it('answers malformed input with 4xx JSON and keeps serving', async () => {
    const small = await start({ maxBodyBytes: 64 * 1024 });
    const cases: [string, string | object, number][] = [
      ['bad JSON', '{"requests": [', 400],
      ['not an object', '42', 400],
      ['missing requests', {}, 400],
      ['unknown request type', { requests: [{ type: 'explode' }] }, 400],
      ['non-string sql', { requests: [{ type: 'execute', stmt: { sql: 5 } }] }, 400],
      ['stmt without sql', { requests: [{ type: 'execute', stmt: {} }] }, 400],
      ['sql and sql_id', { requests: [{ type: 'execute', stmt: { sql: 'select 1', sql_id: 1 } }] }, 400],
      [
        'integer not a number',
        {
          requests: [
            { type: 'execute', stmt: { sql: 'select ?', args: [{ type: 'integer', value: 'abc' }] } },
          ],
        },
        400,
      ],
      [
        'integer too large',
        {
          requests: [
            {
              type: 'execute',
              stmt: { sql: 'select ?', args: [{ type: 'integer', value: '9223372036854775808' }] },
            },
          ],
        },
        400,
      ],
      [
        'huge float literal',
        {
          requests: [
            { type: 'execute', stmt: { sql: 'select ?', args: [{ type: 'float', value: '1e999' }] } },
          ],
        },
        400,
      ],
      [
        'base64 garbage',
        {
          requests: [
            {
              type: 'execute',
              stmt: { sql: 'select ?', args: [{ type: 'blob', base64: '!!not base64!!' }] },
            },
          ],
        },
        400,
      ],
      [
        'unknown value type',
        {
          requests: [
            { type: 'execute', stmt: { sql: 'select ?', args: [{ type: 'boolean', value: true }] } },
          ],
        },
        400,
      ],
      ['bad sql_id', { requests: [{ type: 'close_sql', sql_id: 1.5 }] }, 400],
      ['unknown baton', { baton: 'made-up', requests: [] }, 400],
      [
        'oversized body',
        { requests: [{ type: 'execute', stmt: { sql: `select '${'x'.repeat(100_000)}'` } }] },
        413,
      ],
    ];
    for (const [name, body, status] of cases) {
      const res = await post(small.url, body);
      expect(res.status, name).toBe(status);
      expect(res.contentType, name).toBe('application/json');
      expect(res.json, name).toMatchObject({ message: expect.any(String), code: expect.any(String) });
    }

    // deeply nested conditions do not crash the process
    // Deeply nested conditions: an even number of `not`s is `ok(0)`; absurd nesting is refused, not a crash.
    for (const depth of [500, 100_000]) {
      const cond = `${'{"type":"not","cond":'.repeat(depth)}{"type":"ok","step":0}${'}'.repeat(depth)}`;
      const deep = await post(
        server.url,
        `{"requests":[{"type":"batch","batch":{"steps":[{"stmt":{"sql":"select 1"}},{"condition":${cond},"stmt":{"sql":"select 2"}}]}},{"type":"close"}]}`,
      );
      if (depth === 500) expect(deep.json.results[0].response.result.step_results[1].rows).toHaveLength(1);
      else expect(deep.status).toBe(400);
    }

    const after = await connect(small.url).execute('select 1 as alive');
    expect(after.rows[0]?.alive).toBe(1);
  });

  it('counts requests and pipelines', async () => {
    await db.execute('create table if not exists st (v)');
    server.resetStats();
    expect(server.stats).toEqual({ requests: 0, pipelines: 0 });
    await db.execute('select 1');
    expect(server.stats).toEqual({ requests: 1, pipelines: 1 });
    await db.batch(['insert into st values (1)', 'insert into st values (2)'], 'write');
    expect(server.stats.pipelines).toBe(2);
    const tx = await db.transaction('write');
    await tx.execute('insert into st values (3)');
    await tx.execute('select count(*) from st');
    await tx.commit();
    expect(server.stats.pipelines).toBe(5);
    await fetch(`${server.url}/health`);
    expect(server.stats).toEqual({ requests: 6, pipelines: 5 });
  });

  it('stamps each pipeline in order (came, done, answered), on a clock other threads share', async () => {
    server.resetStats();
    expect(server.timings).toEqual([]);
    const before = performance.timeOrigin + performance.now();
    await db.execute('select 1');
    await db.batch(['select 1', 'select 2'], 'read');
    const after = performance.timeOrigin + performance.now();
    expect(server.timings).toHaveLength(2);
    for (const t of server.timings) {
      expect(before).toBeLessThanOrEqual(t.receivedAt);
      expect(t.receivedAt).toBeLessThanOrEqual(t.doneAt);
      expect(t.doneAt).toBeLessThanOrEqual(t.sentAt);
      expect(t.sentAt).toBeLessThanOrEqual(after);
    }
    await fetch(`${server.url}/health`);
    expect(server.timings).toHaveLength(2); // only pipelines
    server.resetStats();
    expect(server.timings).toEqual([]);
  });

  it('delays responses by latencyMs without serializing requests', async () => {
    const s = await start({ latencyMs: 150 });
    const c = connect(s.url);
    const one = Date.now();
    await c.execute('select 1');
    expect(Date.now() - one).toBeGreaterThanOrEqual(140);
    const many = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.execute({ sql: 'select ?', args: [i] })));
    const elapsed = Date.now() - many;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(8 * 150);
  });
});
