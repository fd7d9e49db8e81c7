// `npm run bench [-- --quick] [--fresh]`: the benchmark of the caching. Runs the built Worker
// (dist/index.js) in workerd through Miniflare against the local libSQL server and prints one report
// (small markdown tables under one heading, every number from this run) on stdout; progress goes to
// stderr. Writes the report as bench/results/latest.md and latest.json (--quick: quick.md, quick.json).
//
//   1. req/s and p50/p99 latency at 64 connections: a static asset of the article page's size from
//      workerd (the floor) and from nginx (when installed), home, article (L1 cache hit and cache off),
//      API article, search; with the X-Cache values seen and libSQL requests per HTTP request.
//   2. Time to first byte of an article, miss and hit, with an 80 ms simulated database round trip.
//   3. Scale: home, a deep news page and a search at 10 vs 10,000 articles (cache off), seed time and
//      database size. The seeded database is kept in bench/tmp/ and reused while the documents, the
//      migrations, the seed and the parser are unchanged; --fresh seeds it anew.
//   4. The bundle's gzip size and the Worker's startup time.
//
// --quick: 1,000 articles instead of 10,000, shorter load runs and fewer samples.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BenchDatabase, benchDatabase } from '../bench/databases.ts';
import { startNginx } from '../bench/nginx.ts';
import { startHranaThread } from '../dev/hrana-thread.ts';
import {
  closeConnections,
  type Fetched,
  httpGet,
  type LoadResult,
  median,
  percentile,
  runLoad,
  type Tally,
  tally,
  warmUp,
} from '../dev/load.ts';
import { buildWorker, type LocalWorker, startWorker, WRANGLER_ENV } from '../dev/local-worker.ts';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-document.ts';
import { readDocuments } from '../pipeline/seed-database.ts';
import { articlePath } from '../worker/site.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, fresh: { type: 'boolean', default: false } },
  strict: true,
});

const CONNECTIONS = 64;
/** Sequential requests after each load run that count libSQL requests per request exactly. */
const SEQUENTIAL = 20;
const ROUND_TRIP_MS = 80;
const SMALL_ARTICLES = 10;
const SEARCH_PATH = '/zoeken?q=banen';
// A folder's index.html: workerd's asset router redirects `/x.html` to `/x`, nginx would not serve `/x`.
const FLOOR_PATH = '/bench-floor/';
const settings = values.quick
  ? {
      mode: 'quick',
      scaleArticles: 1_000,
      warmupS: 1,
      durationS: 3,
      scaleSamples: 15,
      ttfbHits: 10,
      startups: 3,
      profiles: 1,
    }
  : {
      mode: 'full',
      scaleArticles: 10_000,
      warmupS: 3,
      durationS: 8,
      scaleSamples: 40,
      ttfbHits: 20,
      startups: 5,
      profiles: 3,
    };
const TMP = join(ROOT, 'bench', 'tmp');
const RESULTS = join(ROOT, 'bench', 'results');

const started = performance.now();
function log(line: string) {
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Everything started is stopped at the end, on error and on Ctrl-C, newest first. Miniflare's own
// SIGINT/SIGTERM hook stops its workerd processes and exits at once, so whatever else must not outlive
// the process also has a synchronous last resort, run on 'exit'.

interface Owned {
  stop: () => Promise<void>;
  atExit?: () => void;
}
const owned: Owned[] = [];

/** Registers how to stop something; the returned function stops it now (once) and forgets it. */
function own(stop: () => unknown, atExit?: () => void): () => Promise<void> {
  let done: Promise<void> | null = null;
  const entry: Owned = {
    stop: () => {
      done ??= (async () => {
        await stop();
        owned.splice(owned.indexOf(entry) >>> 0, 1);
      })();
      return done;
    },
    atExit,
  };
  owned.push(entry);
  return entry.stop;
}

let stopping: Promise<void> | null = null;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const entry of [...owned].reverse()) {
      await entry.stop().catch((error: unknown) => log(`stopping failed: ${error}`));
    }
    closeConnections();
  })();
  return stopping;
}

process.on('exit', () => {
  for (const entry of [...owned].reverse()) entry.atExit?.();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping every server`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function worker(
  options: Parameters<typeof startWorker>[0],
): Promise<LocalWorker & { stop: () => Promise<void> }> {
  const started = await startWorker(options);
  return { ...started, stop: own(() => started.dispose()) };
}

async function database(file: string, latencyMs = 0) {
  const server = await startHranaThread({ file, port: 0, latencyMs });
  return { ...server, stop: own(() => server.close()) };
}

// ---------------------------------------------------------------------------------------------------
// Formatting

const ms = (value: number) =>
  Number.isFinite(value)
    ? `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
    : '—';
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const secs = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} s`;
const goal = (met: boolean) => (met ? 'yes' : '**no**');
const tallyText = (counts: Tally) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([value, n]) => `${value === 'none' ? '(none)' : value} ×${int(n)}`)
    .join(', ') || '—';
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const xCacheOf = (response: Fetched) => String(response.headers['x-cache'] ?? 'none');

// ---------------------------------------------------------------------------------------------------
// 1. Throughput at 64 connections

interface LoadRow {
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

async function throughput(small: BenchDatabase, article: { slug: string; path: string }): Promise<LoadRow[]> {
  const db = await database(small.file);
  const off = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
  const page = await httpGet(`${off.url}${article.path}`);
  if (page.status !== 200) throw new Error(`${article.path} answered ${page.status}`);

  // The floor: the article's very bytes as a static asset of the same runtime (and of nginx).
  const assets = mkdtempSync(join(tmpdir(), 'vso-bench-assets-'));
  const removeAssets = () => rmSync(assets, { recursive: true, force: true });
  own(removeAssets, removeAssets);
  cpSync(join(ROOT, 'public'), assets, { recursive: true });
  mkdirSync(join(assets, FLOOR_PATH));
  writeFileSync(join(assets, FLOOR_PATH, 'index.html'), page.body);
  chmodSync(assets, 0o755); // nginx's worker runs unprivileged
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
    if (!origin) {
      rows.push({ ...row, skipped: 'not installed' });
      continue;
    }
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
    rows.push({
      ...row,
      status: probe.status,
      bytes: probe.body.length,
      load,
      libsqlPerRequestUnderLoad: underLoad / Math.max(1, load.sent),
      libsqlPerRequest: sequential / SEQUENTIAL,
    });
    log(`  ${int(load.requestsPerSecond)} req/s, p50 ${ms(load.p50Ms)}, p99 ${ms(load.p99Ms)}`);
  }
  await nginx?.stop();
  await on.stop();
  await off.stop();
  await db.stop();
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// 2. Time to first byte with a simulated database round trip

interface TtfbResult {
  samples: number;
  medianMs: number;
  maxMs: number;
  xCache: Tally;
  statuses: Tally;
  libsqlPerRequest: number;
  goalMs: number | null;
  met: boolean | null;
}

async function timeToFirstByte(
  small: BenchDatabase,
): Promise<{ miss: TtfbResult; hit: TtfbResult; floor: TtfbResult }> {
  const db = await database(small.file, ROUND_TRIP_MS);
  const on = await worker({ libsqlUrl: db.url });
  // The isolate and its connection to the database warm up on a page that is never cached.
  for (let i = 0; i < 3; i++) await httpGet(`${on.url}/healthz`);

  const measure = async (paths: string[], goalMs: number | null): Promise<TtfbResult> => {
    await db.resetStats();
    const responses: Fetched[] = [];
    for (const path of paths) responses.push(await httpGet(`${on.url}${path}`));
    const { pipelines } = await db.stats();
    const times = responses.map((r) => r.ttfbMs);
    const medianMs = median(times);
    return {
      samples: responses.length,
      medianMs,
      maxMs: Math.max(...times),
      xCache: tally(responses.map(xCacheOf)),
      statuses: tally(responses.map((r) => String(r.status))),
      libsqlPerRequest: pipelines / responses.length,
      goalMs,
      met: goalMs === null ? null : medianMs <= goalMs,
    };
  };
  // A miss is the first request for each article; the hits repeat the first of them.
  const paths = small.articles.map(articlePath);
  log(
    `time to first byte: ${paths.length} misses, ${settings.ttfbHits} hits, round trip ${ROUND_TRIP_MS} ms`,
  );
  const miss = await measure(paths, ROUND_TRIP_MS + 10);
  const hit = await measure(Array(settings.ttfbHits).fill(paths[0]), 10);
  // What the runtime and this harness take for a route that neither caches nor reads the database.
  const floor = await measure(Array(settings.ttfbHits).fill('/robots.txt'), null);
  await on.stop();
  await db.stop();
  return { miss, hit, floor };
}

// ---------------------------------------------------------------------------------------------------
// 3. Scale

interface PageLatency {
  path: string;
  p50Ms: number;
  p90Ms: number;
  statuses: Tally;
}

/**
 * Sequential requests for `pages` of each database, each through its own Worker with the cache off,
 * taken in turns (round by round, every page of every size) so that a change in the machine's other
 * load touches both sizes alike. Also counts libSQL requests per page request, per size.
 */
async function pageLatencies(sizes: { file: string; pages: string[] }[]) {
  const setups = [] as {
    pages: string[];
    db: Awaited<ReturnType<typeof database>>;
    off: Awaited<ReturnType<typeof worker>>;
    times: number[][];
    statuses: string[][];
  }[];
  for (const size of sizes) {
    const db = await database(size.file);
    const off = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
    setups.push({
      ...size,
      db,
      off,
      times: size.pages.map(() => [] as number[]),
      statuses: size.pages.map(() => [] as string[]),
    });
  }
  const round = async (record: boolean) => {
    for (const setup of setups) {
      for (const [i, path] of setup.pages.entries()) {
        const response = await httpGet(`${setup.off.url}${path}`);
        if (!record) continue;
        setup.times[i]?.push(response.totalMs);
        setup.statuses[i]?.push(String(response.status));
      }
    }
  };
  for (let i = 0; i < 10; i++) await round(false);
  for (const setup of setups) await setup.db.resetStats();
  for (let i = 0; i < settings.scaleSamples; i++) await round(true);
  const out = [];
  for (const setup of setups) {
    const { pipelines } = await setup.db.stats();
    out.push({
      libsqlPerRequest: pipelines / (setup.pages.length * settings.scaleSamples),
      pages: setup.pages.map((path, i): PageLatency => {
        const sorted = (setup.times[i] ?? []).sort((a, b) => a - b);
        return {
          path,
          p50Ms: percentile(sorted, 0.5),
          p90Ms: percentile(sorted, 0.9),
          statuses: tally(setup.statuses[i] ?? []),
        };
      }),
    });
    await setup.off.stop();
    await setup.db.stop();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// 4. Startup

/** CPU time of the Worker's startup phase (module evaluation), from `wrangler check startup`'s profile. */
function startupProfileMs(): number {
  const outfile = join(TMP, 'startup.cpuprofile');
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'check', 'startup', '--outfile', outfile],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...WRANGLER_ENV } },
  );
  if (run.status !== 0) throw new Error(`wrangler check startup failed:\n${run.stdout}${run.stderr}`);
  const profile = JSON.parse(readFileSync(outfile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  // As wrangler sums it: the time of every sample that is not idle (µs).
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let active = 0;
  profile.samples.forEach((node, i) => {
    if (!idle.has(node)) active += profile.timeDeltas[i] ?? 0;
  });
  return active / 1000;
}

async function startupTimes(file: string) {
  const db = await database(file);
  const trivial = join(TMP, 'trivial-worker.js');
  writeFileSync(trivial, 'export default { fetch() { return new Response("ok"); } };\n');
  const timeStart = async (scriptPath?: string) => {
    const t0 = performance.now();
    const w = await worker({ libsqlUrl: db.url, scriptPath, bindings: { L1_CACHE: 'off' } });
    const response = await httpGet(`${w.url}/robots.txt`);
    const elapsed = performance.now() - t0;
    await w.stop();
    if (response.status !== 200) throw new Error(`/robots.txt answered ${response.status}`);
    return elapsed;
  };
  const bundle: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < settings.startups; i++) {
    bundle.push(await timeStart());
    baseline.push(await timeStart(trivial));
  }
  await db.stop();
  const profiles: number[] = [];
  for (let i = 0; i < settings.profiles; i++) {
    log(`startup profile ${i + 1}/${settings.profiles} (wrangler check startup)`);
    profiles.push(startupProfileMs());
  }
  return {
    miniflareMs: median(bundle),
    baselineMs: median(baseline),
    runs: settings.startups,
    profileActiveMs: median(profiles),
    profileRuns: settings.profiles,
    samples: { bundle, baseline, profiles },
  };
}

// ---------------------------------------------------------------------------------------------------

const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

async function main() {
  mkdirSync(TMP, { recursive: true });
  const loadBefore = loadavg()[0] ?? 0;
  log(`${settings.mode} run; building dist/ (wrangler deploy --dry-run)`);
  buildWorker();
  const bundleBytes = readFileSync(join(ROOT, 'dist', 'index.js'));
  const bundle = {
    bytes: bundleBytes.length,
    gzipBytes: gzipSync(bundleBytes).length,
    goalBytes: 100 * 1024,
  };

  const real = (await readDocuments(join(ROOT, 'content-seed'))).map((doc) => ({
    file: relative(ROOT, doc.file),
    bytes: doc.bytes,
  }));
  const parsedReal = parseDocuments(real);
  if (!parsedReal.ok) throw new Error('content-seed/ does not parse: run npm run seed for the problems');
  const newestReal = parsedReal.parsed
    .map((p) => p.document.article)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0];
  if (!newestReal) throw new Error('content-seed/ holds no documents');
  const article = { slug: newestReal.slug, path: articlePath(newestReal) };
  const withGenerated = (total: number) => [
    ...real,
    ...generatedDocuments(total - real.length).map((doc) => ({ file: doc.name, text: doc.text })),
  ];
  const dbOptions = { dir: TMP, fresh: values.fresh, log };
  const small = await benchDatabase(`articles-${SMALL_ARTICLES}`, withGenerated(SMALL_ARTICLES), dbOptions);

  const load = await throughput(small, article);
  const ttfb = await timeToFirstByte(small);

  const large = await benchDatabase(
    `articles-${settings.scaleArticles}`,
    withGenerated(settings.scaleArticles),
    dbOptions,
  );
  const deepPage = Math.min(500, Math.ceil(large.articles.length / 10));
  const smallPages = ['/', '/banenafspraak/nieuws?pagina=1', SEARCH_PATH];
  const largePages = ['/', `/banenafspraak/nieuws?pagina=${deepPage}`, SEARCH_PATH];
  log(`scale: ${smallPages.length} pages × ${settings.scaleSamples} sequential requests at each size`);
  const [atSmall, atLarge] = await pageLatencies([
    { file: small.file, pages: smallPages },
    { file: large.file, pages: largePages },
  ]);
  if (!atSmall || !atLarge) throw new Error('scale: no measurements');
  const labels = [
    'home',
    `news ?pagina=${deepPage} (at ${SMALL_ARTICLES}: ?pagina=1, the last page)`,
    `search \`${SEARCH_PATH.split('=')[1]}\` (every article matches)`,
  ];
  const scale = labels.map((label, i) => {
    const a = atSmall.pages[i] as PageLatency;
    const b = atLarge.pages[i] as PageLatency;
    const ratio = b.p50Ms / a.p50Ms;
    return { label, small: a, large: b, ratio, met: ratio <= 1.5 };
  });

  log('startup');
  const startup = await startupTimes(small.file);
  const loadAfter = loadavg()[0] ?? 0;

  // -------------------------------------------------------------------------------------------------
  // The report

  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.trim();
  const dirty = spawnSync(
    'git',
    ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  ).stdout.trim()
    ? ' with uncommitted changes'
    : '';
  const cpu = cpus();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const durationS = (performance.now() - started) / 1000;
  const largeN = int(large.articles.length);
  const seed = large.seed;
  const noCache = [...load.map((row) => row.load?.xCache ?? {}), ttfb.miss.xCache, ttfb.hit.xCache].every(
    (seen) => Object.keys(seen).every((value) => value === 'none'),
  );
  const lines = [
    `## Benchmark (${settings.mode} run, ${date})`,
    '',
    `Commit ${commit}${dirty}; Node ${process.versions.node}; ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}; ` +
      `load average ${loadBefore.toFixed(2)} at the start, ${loadAfter.toFixed(2)} at the end. ` +
      `The built Worker (dist/index.js) in workerd ${version('workerd')} through Miniflare ${version('miniflare')}; ` +
      `the local libSQL server (Hrana over HTTP, in its own thread) on a seeded database file; ` +
      `load by autocannon ${version('autocannon')} on the same machine. Took ${secs(durationS)}.`,
    '',
    `### 1. Throughput: ${CONNECTIONS} connections, ${settings.durationS} s per row after ${settings.warmupS} s of warm-up, ${SMALL_ARTICLES} articles`,
    '',
    table(
      [
        'request',
        'path',
        'bytes',
        'req/s',
        'p50',
        'p99',
        `libSQL req per request: ${SEQUENTIAL} sequential (under load)`,
        'X-Cache seen under load',
        'non-2xx, errors',
      ],
      load.map((row) => {
        if (!row.load) return [row.name, `\`${row.path}\``, '', row.skipped ?? '', '', '', '', '', ''];
        const non2xx = Object.entries(row.load.statuses)
          .filter(([status]) => !status.startsWith('2'))
          .reduce((n, [, count]) => n + count, 0);
        return [
          row.name,
          `\`${row.path.length > 48 ? `${row.path.slice(0, 45)}…` : row.path}\``,
          int(row.bytes ?? 0),
          int(row.load.requestsPerSecond),
          ms(row.load.p50Ms),
          ms(row.load.p99Ms),
          `${(row.libsqlPerRequest ?? 0).toFixed(2)} (${(row.libsqlPerRequestUnderLoad ?? 0).toFixed(3)})`,
          tallyText(row.load.xCache),
          `${int(non2xx)}, ${int(row.load.errors)}`,
        ];
      }),
    ),
    ...(noCache
      ? [
          '',
          'No response carried `X-Cache`: this Worker has no L1 cache, so the "cache hit" rows and the hits ' +
            'below render every time.',
        ]
      : []),
    '',
    `### 2. Time to first byte of an article, ${ROUND_TRIP_MS} ms database round trip`,
    '',
    table(
      ['request', 'median TTFB', 'max', 'samples', 'libSQL req per request', 'X-Cache seen', 'goal', 'met'],
      (
        [
          ['miss (first request of each article)', ttfb.miss],
          ['hit (the same article again)', ttfb.hit],
          ['floor: /robots.txt (no cache, no database)', ttfb.floor],
        ] as const
      ).map(([name, r]) => [
        name,
        ms(r.medianMs),
        ms(r.maxMs),
        String(r.samples),
        r.libsqlPerRequest.toFixed(2),
        tallyText(r.xCache),
        r.goalMs === null ? '—' : `≤ ${r.goalMs} ms`,
        r.met === null ? '—' : goal(r.met),
      ]),
    ),
    '',
    `### 3. Scale: ${SMALL_ARTICLES} vs ${largeN} articles (cache off, p50 of ${settings.scaleSamples} sequential requests)`,
    '',
    `Seeding ${int(seed.documents)} documents${large.reused ? ` (done by an earlier run on ${seed.at}; this run reused bench/tmp/${basename(large.file)})` : ''}: ` +
      `${secs(seed.totalS)} = parse ${secs(seed.parseS)} + migrate ${secs(seed.migrateS)} + social cards ${secs(seed.cardsS)} ` +
      `(${ms((seed.cardsS * 1000) / seed.documents)} each) + write ${secs(seed.writeS)}. ` +
      `Database file ${mib(large.sizeBytes)}, of which card PNGs ${mib(large.cardBytes)}.`,
    '',
    table(
      ['page', 'status', `${SMALL_ARTICLES} articles`, `${largeN} articles`, 'ratio', 'goal', 'met'],
      scale.map((row) => [
        row.label,
        [row.small, row.large].map((r) => Object.keys(r.statuses).join('+')).join(' / '),
        ms(row.small.p50Ms),
        ms(row.large.p50Ms),
        `${row.ratio.toFixed(2)}×`,
        '≤ 1.5×',
        goal(row.met),
      ]),
    ),
    '',
    '### 4. Bundle and startup',
    '',
    table(
      ['measure', 'value', 'goal', 'met'],
      [
        [
          'dist/index.js, gzip',
          `${kib(bundle.gzipBytes)} (${kib(bundle.bytes)} minified)`,
          '≤ 100 KiB',
          goal(bundle.gzipBytes <= bundle.goalBytes),
        ],
        [
          `startup CPU of the script (\`wrangler check startup\` profile, median of ${startup.profileRuns})`,
          ms(startup.profileActiveMs),
          '—',
          '—',
        ],
        [
          `Miniflare start to first response, median of ${startup.runs}`,
          `${ms(startup.miniflareMs)} (a trivial Worker: ${ms(startup.baselineMs)})`,
          '—',
          '—',
        ],
      ],
    ),
    '',
  ];
  const markdown = lines.join('\n');
  const json = {
    date,
    mode: settings.mode,
    commit: commit + dirty,
    durationS,
    machine: {
      node: process.versions.node,
      cpus: cpu.length,
      cpu: cpu[0]?.model.trim(),
      loadAverage: { start: loadBefore, end: loadAfter },
    },
    settings: {
      ...settings,
      connections: CONNECTIONS,
      roundTripMs: ROUND_TRIP_MS,
      smallArticles: SMALL_ARTICLES,
    },
    versions: {
      workerd: version('workerd'),
      miniflare: version('miniflare'),
      autocannon: version('autocannon'),
    },
    throughput: load,
    timeToFirstByte: ttfb,
    scale: {
      small: {
        articles: small.articles.length,
        sizeBytes: small.sizeBytes,
        libsqlPerRequest: atSmall.libsqlPerRequest,
      },
      large: {
        articles: large.articles.length,
        sizeBytes: large.sizeBytes,
        cardBytes: large.cardBytes,
        reused: large.reused,
        libsqlPerRequest: atLarge.libsqlPerRequest,
        seed: { ...large.seed, fingerprint: undefined },
      },
      pages: scale,
    },
    bundle,
    startup,
  };
  mkdirSync(RESULTS, { recursive: true });
  const name = values.quick ? 'quick' : 'latest';
  writeFileSync(join(RESULTS, `${name}.md`), markdown);
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(markdown);
  log(`wrote bench/results/${name}.md and ${name}.json`);
}

try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
process.exit();
