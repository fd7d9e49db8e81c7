// `npm start`: the site on http://127.0.0.1:$PORT (default 8787) under `wrangler dev`.
// Without LIBSQL_URL it uses a local database: migrates and seeds DB_FILE when it holds no articles
// and serves it with our local libSQL server on DB_PORT. With LIBSQL_URL it uses that database and
// starts no server. Ctrl-C or SIGTERM stops every child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type SupervisedServer, superviseHranaServer } from '../dev/hrana-process.ts';
import { DEFAULT_DB_PORT } from '../dev/hrana-server.ts';
import { DEFAULT_DB_FILE, migrateDatabase, openClient, ROOT } from '../pipeline/libsql.ts';
import { formatProblem, parseDocuments } from '../pipeline/parse-document.ts';
import { readDocuments, seedDatabase } from '../pipeline/seed-database.ts';

const port = Number(process.env.PORT || 8787);
const siteUrl = process.env.SITE_URL || `http://127.0.0.1:${port}`;
let libsqlUrl = process.env.LIBSQL_URL;
let server: SupervisedServer | undefined;
let child: ChildProcess | undefined;
let stopping = false;

async function prepareLocalDatabase(file: string): Promise<void> {
  const client = openClient(`file:${file}`);
  try {
    await migrateDatabase(client);
    const { rows } = await client.execute('select count(*) as n from articles');
    if (Number(rows[0]?.n ?? 0) > 0) return;
    const parsed = parseDocuments(await readDocuments(join(ROOT, 'content-seed')));
    if (!parsed.ok) {
      for (const problem of parsed.problems) console.error(formatProblem(problem));
      throw new Error('the documents in content-seed/ have problems; nothing was seeded');
    }
    const summary = await seedDatabase(client, parsed.parsed, { site: parsed.site });
    console.log(`seeded ${file}: ${summary.inserted.length} articles`);
    for (const notice of summary.notices) console.log(`notice: ${notice}`);
  } finally {
    client.close();
  }
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
  await server?.close();
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  if (!libsqlUrl) {
    const file = process.env.DB_FILE || DEFAULT_DB_FILE;
    await prepareLocalDatabase(file);
    server = await superviseHranaServer({ file, port: Number(process.env.DB_PORT || DEFAULT_DB_PORT) });
    libsqlUrl = server.url;
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
      '--var',
      `LIBSQL_URL:${libsqlUrl}`,
      '--var',
      `SITE_URL:${siteUrl}`,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  child.on('exit', (code) => void stop(code ?? 1));
  console.log(`site on http://127.0.0.1:${port} (database ${libsqlUrl})`);
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : error}`);
  await stop(1);
}
