import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../dev/load.ts';
import { ROOT } from './support/cli.ts';
import { tempDir } from './support/documents.ts';
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

describe('npm start', () => {
  it('seeds an empty DB_FILE, serves the site on PORT from the local server on DB_PORT, and stops everything on SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const [port, dbPort] = [await freePort(), await freePort()];
    const run = start({ PORT: String(port), DB_PORT: String(dbPort), DB_FILE: join(dir, 'vso.db') });
    cleanups.push(() => stop(run));

    expect(await waitForHealth(`http://127.0.0.1:${port}/healthz`, run.child, run.log)).toEqual({
      ok: true,
      articles: 2,
    });
    expect(await listening(dbPort)).toBe(true);
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(await home.text()).toContain('Met elkaar voor 125.000 banen');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await listening(port)).toBe(false);
    expect(await listening(dbPort)).toBe(false);
  }, 120_000);

  it('uses LIBSQL_URL when it is set, and starts no local server', async () => {
    const db = await startDatabase();
    cleanups.push(() => db.close());
    const [port, dbPort] = [await freePort(), await freePort()];
    const run = start({ PORT: String(port), DB_PORT: String(dbPort), LIBSQL_URL: db.server.url });
    cleanups.push(() => stop(run));
    expect(await waitForHealth(`http://127.0.0.1:${port}/healthz`, run.child, run.log)).toEqual({
      ok: true,
      articles: 2,
    });
    expect(await listening(dbPort)).toBe(false);
    expect(db.server.stats.pipelines).toBeGreaterThan(0);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await listening(port)).toBe(false);
  }, 120_000);
});
