import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../dev/load.ts';
import { POSTBUS } from './support/addresses.ts';
import { ROOT, runScript } from './support/cli.ts';
import { lineOf, tempDir } from './support/documents.ts';
import { startDatabase } from './support/worker.ts';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return (await response.json()) as { ok: boolean; articles: number };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no /healthz within 90 s:\n${log()}`);
}

/**
 * Polls until `check` holds, with a generous deadline (a slow machine is no failure: there is no
 * timing assertion, only that it happens); the last value in the error.
 */
async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  log: () => string,
) {
  const deadline = Date.now() + 60_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within 60 s; last: ${String(last).slice(0, 300)}\n${log()}`);
}

/** Every process below `pid`, with its command line and environment (Linux /proc). */
function descendants(pid: number): { pid: number; cmdline: string; environ: string }[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return ''; // exited meanwhile
    }
  };
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: { pid: number; cmdline: string; environ: string }[] = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    found.push({
      pid: next,
      cmdline: read(`/proc/${next}/cmdline`).replaceAll('\0', ' '),
      environ: read(`/proc/${next}/environ`),
    });
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** A POST whose body comes in 64 KiB parts 20 ms apart: its status, or the error code. */
function slowPost(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    let parts = 0;
    const timer = setInterval(() => {
      if (parts++ >= 6 || req.destroyed) {
        clearInterval(timer);
        req.end();
        return;
      }
      req.write('x'.repeat(65536));
    }, 20);
  });
}

/** `npm start` as a user runs it (the start script under the same Node), stopped with SIGTERM. */
function start(env: Record<string, string>) {
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, LIBSQL_URL: env.LIBSQL_URL ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, log: () => output };
}

/**
 * Stops `npm start` the way a user does (SIGTERM), so that it stops wrangler and the database server;
 * SIGKILL only if it does not exit, since a killed start script would leave wrangler running.
 */
async function stop(run: ReturnType<typeof start>): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
  await run.exited;
  clearTimeout(timer);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `npm start` with `env` on two free ports (PORT, DB_PORT), stopped after the test; up once /healthz answers. */
async function startOnFreePorts(env: Record<string, string>) {
  const [port, dbPort] = [await freePort(), await freePort()];
  const run = start({ ...env, PORT: String(port), DB_PORT: String(dbPort) });
  cleanups.push(() => stop(run));
  const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, run.child, run.log);
  return { ...run, port, dbPort, health };
}

describe('npm start', () => {
  it('seeds an empty DB_FILE, serves the site on PORT from the local server on DB_PORT, and stops everything on SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const purgeToken = 'purge-token-of-this-test-run';
    const run = await startOnFreePorts({ DB_FILE: join(dir, 'vso.db'), PURGE_TOKEN: purgeToken });
    const { port, dbPort } = run;

    expect(run.health).toEqual({ ok: true, articles: 2 });
    expect(await listening(dbPort)).toBe(true);
    // The local server takes only this run's programs: without the token, 401.
    const anonymous = await fetch(`http://127.0.0.1:${dbPort}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select 1' } }, { type: 'close' }] }),
    });
    expect(anonymous.status).toBe(401);
    // No token on any command line (`ps` shows them to every user): the server's child has its token
    // in its environment, wrangler and workerd have neither on theirs.
    const processes = descendants(run.child.pid ?? 0);
    const dbToken = /"authToken":"([^"]+)"/.exec(processes.map((p) => p.environ).join('\n'))?.[1];
    expect(dbToken, 'the server child got its token through its environment').toBeDefined();
    expect(processes.length).toBeGreaterThanOrEqual(3);
    for (const { pid, cmdline } of processes) {
      expect(cmdline, `process ${pid}`).not.toContain(purgeToken);
      expect(cmdline, `process ${pid}`).not.toContain(dbToken);
    }
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(await home.text()).toContain('Met elkaar voor 125.000 banen');
    // Bodies the route never reads, still arriving when it answers: the answer, and no error in
    // wrangler's proxy or workerd (unread, they were 500s and reset connections).
    const before = run.log().length;
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        slowPost(`http://127.0.0.1:${port}${i % 2 ? '/admin/purge' : '/'}`),
      ),
    );
    expect(statuses).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 401 : 405)));
    expect(run.log().slice(before)).not.toMatch(/ERROR|Uncaught|request stream/i);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await listening(port)).toBe(false);
    expect(await listening(dbPort)).toBe(false);
  }, 120_000);

  it('uses LIBSQL_URL when it is set, and starts no local server', async () => {
    const db = await startDatabase();
    cleanups.push(() => db.close());
    const run = await startOnFreePorts({ LIBSQL_URL: db.server.url });
    const { port, dbPort } = run;
    expect(run.health).toEqual({ ok: true, articles: 2 });
    expect(await listening(dbPort)).toBe(false);
    expect(db.server.stats.pipelines).toBeGreaterThan(0);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await listening(port)).toBe(false);
  }, 120_000);

  it('seeds every change saved in CONTENT_DIR: the page shows it, a bad edit keeps the last good page and prints file:line', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const content = join(dir, 'content');
    cpSync(join(ROOT, 'content-seed'), content, { recursive: true });
    const file = join(content, '001_f3f85d6d71f8b7af.txt');
    const original = readFileSync(file, 'utf8');
    const run = await startOnFreePorts({ DB_FILE: join(dir, 'vso.db'), CONTENT_DIR: content });
    const { port } = run;
    const page = async () => {
      const response = await fetch(`http://127.0.0.1:${port}${POSTBUS}`);
      return `${response.status} ${await response.text()}`;
    };
    expect(await page()).toMatch(/^200 [\s\S]*Centrale postbus voor vragen/);
    expect(run.log()).toContain(`watching ${content}: every saved change is seeded`);

    // An edit as an editor saves it: the page is asked for (and cached) first, then changed.
    const edited = original.replace('De postbus is haar eerste product.', 'De postbus is haar live product.');
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    await eventually('the edit on the page', page, (text) => text.includes('haar live product'), run.log);

    // A bad edit: a vertical tab (Word's line break) in a paragraph. Nothing is written.
    const bad = edited.replace('De postbus is haar live product.', 'De postbus is\u000bhaar product.');
    writeFileSync(file, bad);
    const line = lineOf(bad, 'De postbus is\u000b');
    await eventually(
      'the problem in the log',
      async () => run.log(),
      (log) => log.includes(`${file}:${line}: `),
      run.log,
    );
    // Its lines arrive in more than one chunk of stderr: the last one may come a moment later.
    await eventually(
      'the notice that the last good content stays',
      async () => run.log(),
      (log) => log.includes('the site keeps serving the last good content'),
      run.log,
    );
    expect(await page()).toMatch(/^200 [\s\S]*De postbus is haar live product\./);

    // Fixed again: watching went on after the problem.
    writeFileSync(file, original);
    await eventually(
      'the fix on the page',
      page,
      (text) => text.includes('De postbus is haar eerste product.'),
      run.log,
    );
  }, 180_000);

  it('publishes images: the first seed before the Worker listens, a saved one live, and --prune beside it', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const content = join(dir, 'content');
    cpSync(join(ROOT, 'content-seed'), content, { recursive: true });
    const photo = (background: string) =>
      sharp({ create: { width: 320, height: 200, channels: 3, background } })
        .jpeg()
        .toBuffer();
    const article = (title: string, date: string, body: string) =>
      `---\ntitle: ${title}\ndate: ${date}\n---\n\nDe eerste alinea.\n\n${body}\n`;
    // There before `npm start`: stored by its first seed, through Miniflare, in the state wrangler dev reads.
    writeFileSync(join(content, 'zaal.jpg'), await photo('teal'));
    writeFileSync(join(content, 'zaal.md'), article('De zaal', '2019-03-01', '![De volle zaal](zaal.jpg)'));
    const env = { LOCAL_STATE_DIR: join(dir, 'state') };
    const run = await startOnFreePorts({ ...env, DB_FILE: join(dir, 'vso.db'), CONTENT_DIR: content });
    expect(run.health).toEqual({ ok: true, articles: 3 });
    const site = `http://127.0.0.1:${run.port}`;
    const page = async (path: string) => {
      const response = await fetch(`${site}${path}`);
      return `${response.status} ${await response.text()}`;
    };
    /** The first AVIF of the page's picture, and how /media/ answers it. */
    const avif = async (html: string) => {
      const url = /<source type="image\/avif" srcset="([^" ]+)/.exec(html)?.[1] ?? '';
      expect(url).toMatch(/^\/media\/[0-9a-f]{32}\.avif$/);
      const response = await fetch(`${site}${url}`);
      await response.arrayBuffer();
      return {
        url,
        answer: [
          response.status,
          response.headers.get('Content-Type'),
          response.headers.get('Cache-Control'),
        ],
      };
    };
    const immutable = [200, 'image/avif', 'public, max-age=31536000, immutable'];
    const zaal = await page('/banenafspraak/nieuws/2019-03-01/de-zaal');
    expect(zaal).toMatch(/^200 [\s\S]*<picture>/);
    const first = await avif(zaal);
    expect(first.answer).toEqual(immutable);

    // Saved while it runs: an image, then the article that shows it (live editing, through the Worker).
    writeFileSync(join(content, 'foto.jpg'), await photo('orange'));
    writeFileSync(
      join(content, 'foto.md'),
      article('Een foto', '2019-03-02', '![Het nieuwe gebouw](foto.jpg)'),
    );
    const foto = await eventually(
      'the picture on the new page',
      () => page('/banenafspraak/nieuws/2019-03-02/een-foto'),
      (text) => text.startsWith('200 ') && text.includes('<picture>'),
      run.log,
    );
    const live = await avif(foto);
    expect(live.answer).toEqual(immutable);

    // zaal.md no longer shows its picture; `npm run seed -- --prune` beside the running site goes
    // through its Worker (GET and DELETE /admin/media) and removes that image, and only that one.
    writeFileSync(join(content, 'zaal.md'), article('De zaal', '2019-03-01', 'Geen beeld meer.'));
    await eventually(
      'the page without its picture',
      () => page('/banenafspraak/nieuws/2019-03-01/de-zaal'),
      (text) => text.includes('Geen beeld meer.'),
      run.log,
    );
    const pruned = runScript('seed.ts', ['--source', content, '--prune'], {
      ...env,
      LIBSQL_URL: `file:${join(dir, 'vso.db')}`,
    });
    expect(pruned.stdout + pruned.stderr).toContain(
      `pruned 1 media row(s) no article or page names, 3 object(s) no row names from the bucket of npm start's Worker at ${site}`,
    );
    expect(pruned.code).toBe(0);
    expect((await fetch(`${site}${first.url}`)).status).toBe(404);
    expect((await avif(foto)).answer).toEqual(immutable);

    // Where the Worker listens, with its token: for this user only, and gone at the stop.
    const announced = join(env.LOCAL_STATE_DIR, 'npm-start.json');
    expect(statSync(announced).mode & 0o777).toBe(0o600);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(existsSync(announced)).toBe(false);
  }, 240_000);
});
