// `npm run db` as a developer runs it: the server in a watched child process that a stuck statement
// cannot keep from stopping or from serving the next client.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../dev/load.ts';
import { ROOT } from './support/cli.ts';
import { tempDir } from './support/documents.ts';

/** Its first row comes at once; the second never does, and the engine steps it on the main thread. */
const STUCK =
  'select 1 union all select count(*) from (with recursive c(x) as (select 1 union all select x + 1 from c) select x from c)';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startDb(env: Record<string, string>) {
  const port = await freePort();
  const dir = tempDir();
  dirs.push(dir);
  const file = join(dir, 'db.db');
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'db.ts')], {
    cwd: ROOT,
    env: { ...process.env, DB_FILE: file, DB_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, () => output);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, url, file, exited, log: () => output };
}

async function waitUntilServing(url: string, log: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up (yet, or again)
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer within 30 s:\n${log()}`);
}

/** Resolves with 'exited' when the process ends before `ms`, else 'running'. */
function exitsWithin(exited: Promise<unknown>, ms: number) {
  return Promise.race([
    exited.then(() => 'exited' as const),
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms)),
  ]);
}

describe('npm run db', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal} while a statement is stuck, with the log checkpointed into the file`, async () => {
      const db = await startDb({});
      const client = createClient({ url: db.url });
      await client.execute('create table kept (x)');
      await client.execute("insert into kept values ('before the stop')");
      const stuck = client.execute(STUCK).then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      db.child.kill(signal);
      // Without the watching parent the process never ends: its only thread is inside the engine.
      expect(await exitsWithin(db.exited, 5_000)).toBe('exited');
      expect(await db.exited).toEqual({ code: 0, signal: null });
      expect(await stuck).toBe('failed');
      client.close();
      const wal = `${db.file}-wal`;
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      const copy = `${db.file}.alone`;
      copyFileSync(db.file, copy);
      const alone = new Database(copy);
      expect(alone.prepare('select x from kept').get()).toMatchObject({ x: 'before the stop' });
      alone.close();
    });
  }

  it('restarts a server stuck in one statement, and serves the next clients', async () => {
    const db = await startDb({ DB_STATEMENT_TIMEOUT_MS: '300' });
    const client = createClient({ url: db.url });
    await client.execute('create table kept (x)');
    await client.execute("insert into kept values ('survives the restart')");
    await expect(client.execute(STUCK)).rejects.toThrow();
    await waitUntilServing(db.url, db.log);
    const again = createClient({ url: db.url });
    expect((await again.execute('select x from kept')).rows[0]?.x).toBe('survives the restart');
    expect(db.log()).toMatch(/stuck in the engine\); restarting it/);
    expect(db.log()).not.toMatch(/\n\s+at /); // one line, no stack trace
    client.close();
    again.close();
    db.child.kill('SIGTERM');
    expect(await db.exited).toEqual({ code: 0, signal: null });
  });
});
