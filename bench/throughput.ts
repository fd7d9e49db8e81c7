/**
 * 1. req/s and p50/p99 latency at 64 connections: a static asset of the article page's size from
 * workerd (the floor) and from nginx (when installed), home, article (L1 cache hit and cache off),
 * API article, search; with the X-Cache values seen and libSQL requests per HTTP request.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet, type LoadResult, runLoad, warmUp } from '../dev/load.ts';
import { ROOT } from '../pipeline/libsql.ts';
import type { BenchDatabase } from './databases.ts';
import { int, ms, xCacheOf } from './format.ts';
import { startNginx } from './nginx.ts';
import { database, own, worker } from './owned.ts';
import { type BenchSettings, CONNECTIONS, FLOOR_PATH, log, SEARCH_PATH, SEQUENTIAL } from './settings.ts';

export interface LoadRow {
  name: string;
  path: string;
  server: string;
  /** Why the row has no numbers (nginx not installed). */
  skipped?: string;
  status?: number;
  bytes?: number;
  load?: LoadResult;
  /** libSQL requests during the load run (and shortly after, for the requests still in flight), per request sent. */
  libsqlPerRequestUnderLoad?: number;
  /** libSQL requests per request over a few sequential requests after the load, counted exactly. */
  libsqlPerRequest?: number;
}

type Database = Awaited<ReturnType<typeof database>>;

/** Waits until the database has seen no new request for a moment (work still in flight, waitUntil). */
async function settle(db: { stats(): Promise<{ pipelines: number }> }): Promise<number> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 50 && still < 3; i++) {
    const { pipelines } = await db.stats();
    still = pipelines === last ? still + 1 : 0;
    last = pipelines;
    await sleep(100);
  }
  return last;
}

/** A copy of public/ with `page` as the floor asset, removed with everything else. */
function floorAssets(page: Uint8Array): string {
  const assets = mkdtempSync(join(tmpdir(), 'vso-bench-assets-'));
  const removeAssets = () => rmSync(assets, { recursive: true, force: true });
  own(removeAssets, removeAssets);
  cpSync(join(ROOT, 'public'), assets, { recursive: true });
  mkdirSync(join(assets, FLOOR_PATH));
  writeFileSync(join(assets, FLOOR_PATH, 'index.html'), page);
  chmodSync(assets, 0o755); // nginx's worker runs unprivileged
  return assets;
}

/** One row: warm-up, the load run, then libSQL requests per request under load and sequentially. */
async function loadRow(
  settings: BenchSettings,
  db: Database,
  origin: string,
  row: Omit<LoadRow, 'load'>,
): Promise<LoadRow> {
  const url = `${origin}${row.path}`;
  const probe = await httpGet(url);
  log(
    `load: ${row.name}: ${row.path} (${probe.status}, ${probe.body.length} bytes, X-Cache ${xCacheOf(probe)})`,
  );
  await warmUp(url, { connections: CONNECTIONS, durationS: settings.warmupS });
  await db.resetStats();
  const load = await runLoad(url, { connections: CONNECTIONS, durationS: settings.durationS });
  const underLoad = await settle(db);
  await db.resetStats();
  for (let i = 0; i < SEQUENTIAL; i++) await httpGet(url);
  const sequential = await settle(db);
  log(`  ${int(load.requestsPerSecond)} req/s, p50 ${ms(load.p50Ms)}, p99 ${ms(load.p99Ms)}`);
  return {
    ...row,
    status: probe.status,
    bytes: probe.body.length,
    load,
    libsqlPerRequestUnderLoad: underLoad / Math.max(1, load.sent),
    libsqlPerRequest: sequential / SEQUENTIAL,
  };
}

export async function throughput(
  settings: BenchSettings,
  small: BenchDatabase,
  article: { slug: string; path: string },
): Promise<LoadRow[]> {
  const db = await database(small.file);
  const off = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
  const page = await httpGet(`${off.url}${article.path}`);
  if (page.status !== 200) throw new Error(`${article.path} answered ${page.status}`);

  // The floor: the article's very bytes as a static asset of the same runtime (and of nginx).
  const assets = floorAssets(page.body);
  const on = await worker({ libsqlUrl: db.url, assetsDirectory: assets });
  const nginx = await startNginx(assets);
  if (nginx) own(nginx.stop, nginx.kill);
  log(nginx ? `nginx ${nginx.version} on ${nginx.url}` : 'nginx is not installed: its row is skipped');

  const plan = [
    { name: 'static asset, same bytes (workerd)', origin: on.url, path: FLOOR_PATH, server: 'workerd' },
    {
      name: 'static asset, same bytes (nginx, 1 worker)',
      origin: nginx?.url,
      path: FLOOR_PATH,
      server: nginx ? `nginx ${nginx.version}` : 'nginx',
    },
    { name: 'home', origin: on.url, path: '/', server: 'workerd' },
    { name: 'article (cache hit)', origin: on.url, path: article.path, server: 'workerd' },
    { name: 'article (cache off)', origin: off.url, path: article.path, server: 'workerd, L1_CACHE=off' },
    { name: 'API article', origin: on.url, path: `/api/articles/${article.slug}`, server: 'workerd' },
    { name: 'search', origin: on.url, path: SEARCH_PATH, server: 'workerd' },
  ];
  const rows: LoadRow[] = [];
  for (const { origin, ...row } of plan) {
    rows.push(origin ? await loadRow(settings, db, origin, row) : { ...row, skipped: 'not installed' });
  }
  await nginx?.stop();
  await on.stop();
  await off.stop();
  await db.stop();
  return rows;
}
