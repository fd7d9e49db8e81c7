// `npm start`: the site on http://127.0.0.1:$PORT (default 8787) under `wrangler dev`.
// Without LIBSQL_URL it uses a local database: migrates DB_FILE, seeds it from CONTENT_DIR (default
// content-seed/), serves it with our local libSQL server on DB_PORT and seeds every change saved in
// CONTENT_DIR (dev/live-content.ts). With LIBSQL_URL it uses that database, starts no server and
// watches nothing. Images and downloads are kept in wrangler dev's simulated R2 under LOCAL_STATE_DIR
// (dev/local-media.ts). Ctrl-C or SIGTERM stops every child process.
//
// The local server requires a token made for the run, so that other programs on this machine cannot
// use it; this script's seeds and the Worker hold it. Tokens never go on a command line, where every
// user sees them (`ps`, /proc/PID/cmdline): the server's child gets its options through the
// environment (dev/hrana-process.ts), wrangler its secrets through a file only we may read.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ContentWatcher } from '../dev/content-watcher.ts';
import { type SupervisedServer, superviseHranaServer } from '../dev/hrana-process.ts';
import { DEFAULT_DB_PORT } from '../dev/hrana-server.ts';
import { displayDir, liveContent, seedAndReport } from '../dev/live-content.ts';
import { announceLocalWorker, localMediaTarget, localStateDir } from '../dev/local-media.ts';
import { DEFAULT_DB_FILE, migrateDatabase, openClient, ROOT } from '../pipeline/libsql.ts';
import { printable } from '../pipeline/printable.ts';

const port = Number(process.env.PORT || 8787);
const siteUrl = process.env.SITE_URL || `http://127.0.0.1:${port}`;
const contentDir = resolve(process.env.CONTENT_DIR || join(ROOT, 'content-seed'));
// The local Worker's purge route, for live editing (local database only): this run's secret.
const purgeToken = process.env.PURGE_TOKEN || randomBytes(24).toString('base64url');
// The local libSQL server's bearer token, this run's too.
const dbToken = randomBytes(24).toString('base64url');
// wrangler dev's state (`--persist-to`): the simulated R2 of the images and downloads.
const stateDir = localStateDir();
let unannounce: (() => void) | undefined;
let secretsDir: string | undefined;
let libsqlUrl = process.env.LIBSQL_URL;
let server: SupervisedServer | undefined;
let child: ChildProcess | undefined;
let watcher: ContentWatcher | undefined;
let stopping = false;

/**
 * Migrates DB_FILE and seeds it from CONTENT_DIR (idempotent: only what changed since the last run
 * is written). Documents with problems stop the start only when the database has no articles yet.
 */
async function prepareLocalDatabase(file: string): Promise<void> {
  const client = openClient(`file:${file}`);
  let articles: number;
  try {
    await migrateDatabase(client);
    const { rows } = await client.execute('select count(*) as n from articles');
    articles = Number(rows[0]?.n ?? 0);
  } finally {
    client.close();
  }
  // Before wrangler dev runs, the seed opens the simulated R2 itself and closes it again (or sends
  // to the Worker of another npm start on the same state, which owns it).
  const media = localMediaTarget(`file:${file}`, stateDir);
  let seeded: boolean;
  try {
    seeded = await seedAndReport(contentDir, `file:${file}`, {
      media: 'bucket' in media ? media.bucket : media,
    });
  } finally {
    if ('close' in media) await media.close?.();
  }
  if (seeded) return;
  const dir = printable(displayDir(contentDir));
  if (articles === 0) throw new Error(`the documents in ${dir} have problems; nothing was seeded`);
  console.error(`serving the last good content of ${dir} (${articles} articles)`);
}

/**
 * `--env-file` arguments that hand `secrets` to `wrangler dev` as the Worker's vars, through a file
 * of mode 0600 in a folder of mode 0700 (removed at the stop). Given env files, wrangler 4 reads no
 * `.dev.vars` of its own (getVarsForDev), so the project's is passed first and ours override it.
 * Not CLOUDFLARE_INCLUDE_PROCESS_ENV: it would make every variable of this process a Worker var, and
 * a `.dev.vars` turns it off.
 */
function workerSecretsArgs(secrets: Record<string, string>): string[] {
  secretsDir = mkdtempSync(join(tmpdir(), 'vso-start-'));
  const file = join(secretsDir, 'worker.env');
  const lines = Object.entries(secrets).map(([name, value]) => `${name}=${value}\n`);
  writeFileSync(file, lines.join(''), { mode: 0o600 });
  const devVars = join(ROOT, '.dev.vars');
  return [...(existsSync(devVars) ? ['--env-file', devVars] : []), '--env-file', file];
}

async function stop(code: number): Promise<void> {
  // Only the first reason to stop counts: wrangler exiting because we stopped it is not a failure.
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  watcher?.close();
  unannounce?.();
  await server?.close();
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  if (!libsqlUrl) {
    const file = process.env.DB_FILE || DEFAULT_DB_FILE;
    await prepareLocalDatabase(file);
    server = await superviseHranaServer({
      file,
      port: Number(process.env.DB_PORT || DEFAULT_DB_PORT),
      authToken: dbToken,
    });
    libsqlUrl = server.url;
    // The seeds of live editing open their client with it (pipeline/libsql.ts).
    process.env.LIBSQL_AUTH_TOKEN = dbToken;
    console.log(`local libSQL server on ${server.url} (${file})`);
  }
  // Run wrangler with the Node that runs this script (Node 24 from node_modules under npm).
  child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--show-interactive-dev-session=false',
      '--persist-to',
      stateDir,
      '--var',
      `LIBSQL_URL:${libsqlUrl}`,
      '--var',
      `SITE_URL:${siteUrl}`,
      ...(server ? workerSecretsArgs({ PURGE_TOKEN: purgeToken, LIBSQL_AUTH_TOKEN: dbToken }) : []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  child.on('exit', (code) => void stop(code ?? 1));
  // A `npm run seed` meanwhile sends its media to this Worker rather than open its storage too.
  unannounce = announceLocalWorker(stateDir, {
    origin: `http://127.0.0.1:${port}`,
    token: server ? purgeToken : undefined,
  });
  console.log(`site on http://127.0.0.1:${port} (database ${libsqlUrl})`);
  if (server) {
    watcher = liveContent(contentDir, server.url, { origin: `http://127.0.0.1:${port}`, purgeToken });
    console.log(`watching ${printable(displayDir(contentDir))}: every saved change is seeded`);
  } else {
    console.log(
      `not watching ${printable(displayDir(contentDir))}: LIBSQL_URL is set (publish with npm run publish)`,
    );
  }
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : error}`);
  await stop(1);
}
