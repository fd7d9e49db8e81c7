/**
 * 1. req/s and p50/p99 latency at 64 connections: a static asset of the article page's size from
 * workerd (the floor) and from nginx (when installed), home, article (L1 cache hit and cache off),
 * API article, search; with the X-Cache values seen and libSQL requests per HTTP request.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet, type LoadResult, runLoad, startWatchedLoad, warmUp } from '../dev/load.ts';
import { openClient, ROOT } from '../pipeline/libsql.ts';
import { cpuPerResponse, cpuSnapshot } from './cpu.ts';
import type { BenchDatabase } from './databases.ts';
import { int, ms, xCacheOf } from './format.ts';
import {
  type CapturedPipeline,
  databaseFloorWorkerScript,
  directWorkerScript,
  pipelineRecorder,
} from './harness-workers.ts';
import { startNginx } from './nginx.ts';
import { database, own, worker } from './owned.ts';
import { type BenchSettings, CONNECTIONS, FLOOR_PATH, log, SEARCH_PATH, SEQUENTIAL } from './settings.ts';

/** Which row it is, for the goals (bench/goals.ts). */
export type LoadRowId =
  | 'floor'
  | 'nginx'
  | 'home'
  | 'hit'
  | 'hit-direct'
  | 'database-floor'
  | 'off'
  | 'api'
  | 'search';

export interface LoadRow {
  id: LoadRowId;
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
  /** CPU ms per response during the load run, by process (bench/cpu.ts). */
  cpu?: ReturnType<typeof cpuPerResponse>;
}

type Database = Awaited<ReturnType<typeof database>>;

/** A new content version written while the cached article is under load, and when it was seen. */
export interface PublishUnderLoad {
  path: string;
  /** Seconds into the load run at which the version was written. */
  publishedAtS: number;
  /** From the write to the first response with the new version's ETag; null: not within the run. */
  seenAfterS: number | null;
  /** Responses in the run, and those still showing the old version after the write. */
  responses: number;
  oldAfterPublish: number;
  errors: number;
  /** The goal: seen within this many seconds. */
  goalS: number;
  met: boolean;
}

/** "Within seconds": a background check every VERSION_CHECK_MS (3 s), and its answer read. */
const PUBLISH_GOAL_S = 10;

/**
 * A publish while 64 connections load the cached article: a seed changes content_version (here
 * written directly, as the seed's last step does), and the loaded isolate, which serves every
 * request from its L1 cache and so reads nothing itself, must learn of it from its background
 * check. Every response's ETag carries the content version it shows. The old version is written
 * back afterwards, so that the database stays as seeded.
 */
async function publishUnderLoad(
  settings: BenchSettings,
  db: Database,
  origin: string,
  path: string,
): Promise<PublishUnderLoad> {
  const client = openClient(db.url);
  try {
    const meta = await client.execute(
      "select key, value from site_meta where key in ('content_version', 'content_updated_at')",
    );
    const before = Object.fromEntries(meta.rows.map((row) => [String(row.key), String(row.value)]));
    const newId = `${before.content_version}-bench-${Date.now()}`;
    await warmUp(`${origin}${path}`, { connections: CONNECTIONS, durationS: settings.warmupS });
    // The run goes on until the version is seen (and a second more), or past the goal.
    const publishedAtS = 2;
    log(`load: publish under load: ${path}, a new content version after ${publishedAtS} s`);
    const started = performance.now();
    const run = startWatchedLoad(`${origin}${path}`, {
      connections: CONNECTIONS,
      durationS: publishedAtS + PUBLISH_GOAL_S + 2,
      watch: { header: 'etag', includes: newId, stopAfterMs: 1000 },
    });
    let publishedAt = Number.POSITIVE_INFINITY;
    const publish = sleep(publishedAtS * 1000).then(async () => {
      await client.execute({
        sql: "update site_meta set value = case key when 'content_version' then ? else ? end where key in ('content_version', 'content_updated_at')",
        args: [newId, new Date().toISOString()],
      });
      publishedAt = performance.timeOrigin + performance.now();
      run.mark(publishedAt);
    });
    const result = await run.done;
    await publish;
    const seenAt = result.watch?.firstSeenAt ?? null;
    const seenAfterS = seenAt === null ? null : (seenAt - publishedAt) / 1000;
    log(
      `  ${seenAfterS === null ? 'not seen' : `seen after ${seenAfterS.toFixed(2)} s`} (run of ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
    await client.execute({
      sql: "update site_meta set value = case key when 'content_version' then ? else ? end where key in ('content_version', 'content_updated_at')",
      args: [before.content_version ?? '', before.content_updated_at ?? ''],
    });
    return {
      path,
      publishedAtS,
      seenAfterS,
      responses: result.responses,
      oldAfterPublish: result.watch?.othersAfterMark ?? 0,
      errors: result.errors,
      goalS: PUBLISH_GOAL_S,
      met: seenAfterS !== null && seenAfterS <= PUBLISH_GOAL_S,
    };
  } finally {
    client.close();
  }
}

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
  const cpuBefore = cpuSnapshot();
  const load = await runLoad(url, { connections: CONNECTIONS, durationS: settings.durationS });
  const cpu = cpuPerResponse(cpuBefore, cpuSnapshot(), load);
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
    cpu,
  };
}

/** The pipeline the Worker (L1 off) sends for `path`, once its isolate is warm (the last of three). */
async function pagePipeline(databaseUrl: string, path: string): Promise<CapturedPipeline> {
  const recorder = await pipelineRecorder(databaseUrl);
  const w = await worker({ libsqlUrl: recorder.url, bindings: { L1_CACHE: 'off' } });
  try {
    for (let i = 0; i < 3; i++) {
      const page = await httpGet(`${w.url}${path}`);
      if (page.status !== 200) throw new Error(`${path} answered ${page.status} through the recorder`);
    }
    const last = recorder.pipelines.at(-1);
    if (!last) throw new Error(`${path} sent no pipeline`);
    return last;
  } finally {
    await w.stop();
    await recorder.stop();
  }
}

export async function throughput(
  settings: BenchSettings,
  small: BenchDatabase,
  article: { slug: string; path: string },
): Promise<{ rows: LoadRow[]; publish: PublishUnderLoad }> {
  const db = await database(small.file);
  const off = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
  const page = await httpGet(`${off.url}${article.path}`);
  if (page.status !== 200) throw new Error(`${article.path} answered ${page.status}`);

  // The floor: the article's very bytes as a static asset of the same runtime (and of nginx).
  const assets = floorAssets(page.body);
  const on = await worker({ libsqlUrl: db.url, assetsDirectory: assets });
  // The same Worker with the default entrypoint answering itself (bench/harness-workers.ts).
  const direct = await worker({
    libsqlUrl: db.url,
    assetsDirectory: assets,
    scriptPath: directWorkerScript(),
  });
  // The same page's database part alone: its pipeline, and its bytes, with no app around them.
  const databaseFloor = await worker({
    libsqlUrl: db.url,
    scriptPath: databaseFloorWorkerScript(await pagePipeline(db.url, article.path), page.body),
  });
  const nginx = await startNginx(assets);
  if (nginx) own(nginx.stop, nginx.kill);
  log(nginx ? `nginx ${nginx.version} on ${nginx.url}` : 'nginx is not installed: its row is skipped');

  const plan: (Omit<LoadRow, 'load'> & { origin: string | undefined })[] = [
    {
      id: 'floor',
      name: 'static asset, same bytes (workerd)',
      origin: on.url,
      path: FLOOR_PATH,
      server: 'workerd',
    },
    {
      id: 'nginx',
      name: 'static asset, same bytes (nginx, 1 worker)',
      origin: nginx?.url,
      path: FLOOR_PATH,
      server: nginx ? `nginx ${nginx.version}` : 'nginx',
    },
    { id: 'home', name: 'home', origin: on.url, path: '/', server: 'workerd' },
    { id: 'hit', name: 'article (cache hit)', origin: on.url, path: article.path, server: 'workerd' },
    {
      id: 'hit-direct',
      name: 'article (cache hit), without the hop to the Site entrypoint',
      origin: direct.url,
      path: article.path,
      server: 'workerd, bench/harness-workers.ts',
    },
    {
      id: 'database-floor',
      name: "the article's database part alone: its pipeline sent and read, its bytes sent (no app)",
      origin: databaseFloor.url,
      path: article.path,
      server: 'workerd, bench/harness-workers.ts',
    },
    {
      id: 'off',
      name: 'article (cache off)',
      origin: off.url,
      path: article.path,
      server: 'workerd, L1_CACHE=off',
    },
    {
      id: 'api',
      name: 'API article',
      origin: on.url,
      path: `/api/articles/${article.slug}`,
      server: 'workerd',
    },
    { id: 'search', name: 'search', origin: on.url, path: SEARCH_PATH, server: 'workerd' },
  ];
  const rows: LoadRow[] = [];
  for (const { origin, ...row } of plan) {
    rows.push(origin ? await loadRow(settings, db, origin, row) : { ...row, skipped: 'not installed' });
  }
  // Last: it leaves the isolate with a version it has to leave again.
  const publish = await publishUnderLoad(settings, db, on.url, article.path);
  await nginx?.stop();
  await direct.stop();
  await databaseFloor.stop();
  await on.stop();
  await off.stop();
  await db.stop();
  return { rows, publish };
}
