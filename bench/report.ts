/**
 * The benchmark's report: small markdown tables under one heading, every number from this run, and
 * the same results as JSON, written to bench/results/{name}.md and .json and printed on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, relative } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import type { BenchDatabase } from './databases.ts';
import { goal, int, kib, mib, ms, secs, table, tallyText } from './format.ts';
import { type PeersResults, peersSection } from './peers.ts';
import { PUBLISH_GOAL_S, type PublishResult } from './publish.ts';
import type { ScaleResult } from './scale.ts';
import {
  type BenchSettings,
  CONNECTIONS,
  log,
  RESULTS,
  ROUND_TRIP_MS,
  SEQUENTIAL,
  SMALL_ARTICLES,
  started,
} from './settings.ts';
import type { BundleSize, StartupTimes } from './startup.ts';
import type { LoadRow, PublishUnderLoad } from './throughput.ts';
import type { TtfbResults } from './ttfb.ts';

export interface BenchResults {
  settings: BenchSettings;
  run: RunInfo;
  bundle: BundleSize;
  load: LoadRow[];
  publishUnderLoad: PublishUnderLoad;
  ttfb: TtfbResults;
  small: BenchDatabase;
  large: BenchDatabase;
  scale: ScaleResult;
  startup: StartupTimes;
  publish: PublishResult;
  /** Only with --peers. */
  peers?: PeersResults;
}

type RunInfo = ReturnType<typeof runInfo>;

const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

/** The commit, machine and versions the numbers come from; taken at the end of the run. */
export function runInfo(loadBefore: number, loadAfter: number) {
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
  return {
    commit,
    dirty,
    cpu: cpus(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    durationS: (performance.now() - started) / 1000,
    loadBefore,
    loadAfter,
    versions: {
      workerd: version('workerd'),
      miniflare: version('miniflare'),
      autocannon: version('autocannon'),
    },
  };
}

function header({ settings, run }: BenchResults): string[] {
  return [
    `## Benchmark (${settings.mode} run, ${run.date})`,
    '',
    `Commit ${run.commit}${run.dirty}; Node ${process.versions.node}; ${run.cpu.length} × ${run.cpu[0]?.model.trim() ?? 'CPU'}; ` +
      `load average ${run.loadBefore.toFixed(2)} at the start, ${run.loadAfter.toFixed(2)} at the end. ` +
      `The built Worker (dist/index.js) in workerd ${run.versions.workerd} through Miniflare ${run.versions.miniflare}; ` +
      `the local libSQL server (Hrana over HTTP, in its own thread) on a seeded database file; ` +
      `load by autocannon ${run.versions.autocannon} on the same machine. Took ${secs(run.durationS)}.`,
  ];
}

function throughputSection({ settings, load, ttfb, publishUnderLoad: publish }: BenchResults): string[] {
  const noCache = [...load.map((row) => row.load?.xCache ?? {}), ttfb.miss.xCache, ttfb.hit.xCache].every(
    (seen) => Object.keys(seen).every((value) => value === 'none'),
  );
  return [
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
    '',
    `Publishing under load: with ${CONNECTIONS} connections on the cached article (\`${publish.path.length > 48 ? `${publish.path.slice(0, 45)}…` : publish.path}\`, ` +
      `every request an L1 hit that reads nothing), a new content version was written ${secs(publish.publishedAtS)} into the run: ` +
      (publish.seenAfterS === null
        ? 'no response showed it within the run'
        : `the first response with its ETag came ${ms(publish.seenAfterS * 1000)} later`) +
      ` (${int(publish.oldAfterPublish)} of ${int(publish.responses)} responses showed the old version after the write; ` +
      `${int(publish.errors)} errors). Goal ≤ ${publish.goalS} s: ${goal(publish.met)}.`,
    ...(noCache
      ? [
          '',
          'No response carried `X-Cache`: this Worker has no L1 cache, so the "cache hit" rows and the hits ' +
            'below render every time.',
        ]
      : []),
  ];
}

function ttfbSection({ ttfb }: BenchResults): string[] {
  const b = ttfb.breakdown;
  return [
    `### 2. Time to first byte of an article, ${ROUND_TRIP_MS} ms database round trip`,
    '',
    table(
      [
        'request',
        'median TTFB',
        'above the round trip',
        'max',
        'samples',
        'libSQL req per request',
        'X-Cache seen',
        'goal',
        'met',
      ],
      (
        [
          ['miss (an article not in the L1 cache)', ttfb.miss],
          ['hit (the same article again)', ttfb.hit],
          ['floor: /robots.txt (no database)', ttfb.floor],
        ] as const
      ).map(([name, r]) => [
        name,
        ms(r.medianMs),
        r.aboveRoundTripMs === null ? '—' : ms(r.aboveRoundTripMs),
        ms(r.maxMs),
        String(r.samples),
        r.libsqlPerRequest.toFixed(2),
        tallyText(r.xCache),
        r.goalMs === null
          ? '—'
          : r.aboveRoundTripMs === null
            ? `≤ ${r.goalMs} ms`
            : `≤ round trip + ${r.goalMs} ms`,
        r.met === null ? '—' : goal(r.met),
      ]),
    ),
    '',
    `Where a miss's time to first byte goes (medians, from the local libSQL server's own clock): ` +
      `${ms(b.beforeMs)} before the database (the harness's HTTP to workerd, the default entrypoint handing ` +
      `the request to the cached Site entrypoint, routing, the L1 lookup, the query sent), ` +
      `${ms(b.databaseMs)} in the local libSQL server (Turso's part in production), ` +
      `${ms(b.roundTripMs)} simulated round trip as applied (${ROUND_TRIP_MS} ms asked), ` +
      `${ms(b.afterMs)} after the answer (decoded, rendered, the L1 copy set aside, the first byte back ` +
      `through both entrypoints to the client). The floor row is what the same path costs without a ` +
      `database or an article: most of "before" and "after" is this harness, not the Worker.`,
  ];
}

function scaleSection({ settings, large, scale }: BenchResults): string[] {
  const largeN = int(large.articles.length);
  return [
    `### 3. Scale: ${SMALL_ARTICLES} vs ${largeN} articles (cache off, p50 of ${settings.scaleSamples} sequential requests)`,
    '',
    table(
      ['page', 'status', `${SMALL_ARTICLES} articles`, `${largeN} articles`, 'ratio', 'goal', 'met'],
      scale.pages.map((row) => [
        row.label,
        [row.small, row.large].map((r) => Object.keys(r.statuses).join('+')).join(' / '),
        ms(row.small.p50Ms),
        ms(row.large.p50Ms),
        `${row.ratio.toFixed(2)}×`,
        '≤ 1.5×',
        goal(row.met),
      ]),
    ),
  ];
}

function startupSection({ bundle, startup }: BenchResults): string[] {
  const share = (bytes: number) => `${((bytes / bundle.bytes) * 100).toFixed(0)} %`;
  return [
    '### 4. Bundle and startup',
    '',
    table(
      ['measure', 'value', 'goal', 'met'],
      [
        [
          'dist/index.js, gzip',
          `${kib(bundle.gzipBytes)} (${kib(bundle.bytes)} minified)`,
          `≤ ${kib(bundle.goalBytes)}`,
          goal(bundle.gzipBytes <= bundle.goalBytes),
        ],
        [
          `startup CPU of the script (\`wrangler check startup\` profile, median of ${startup.profileRuns})`,
          `${ms(startup.profileActiveMs)} (runs: ${startup.samples.profiles.map(ms).join(', ')})`,
          `≤ ${startup.goalMs} ms`,
          goal(startup.met),
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
    `What the bundle is made of (minified bytes, esbuild's metafile): ${bundle.composition
      .map((part) => `${part.name} ${kib(part.bytes)} (${share(part.bytes)})`)
      .join(', ')}.`,
    '',
    `Where the startup profile's samples ran (mean per profile; the profiler samples about once a ` +
      `millisecond, so this is coarse): ${startup.composition.map((part) => `${part.name} ${ms(part.ms)}`).join(', ')}.`,
  ];
}

/** The goals of the seed at scale; in a quick run (1,000 documents) they are shown, not judged. */
const SEED_GOAL_S = 60;
const CARD_GOAL_BYTES = 15 * 1024;

function seedSection({ large, publish }: BenchResults): string[] {
  const seed = large.seed;
  const judged = seed.documents >= 10_000;
  const judge = (met: boolean) => (judged ? goal(met) : '— (quick run)');
  return [
    `### 5. The seed at scale: ${int(seed.documents)} documents`,
    '',
    table(
      ['measure', 'value', 'goal', 'met'],
      [
        [
          `seeding ${int(seed.documents)} documents into an empty database${large.reused ? ` (by an earlier run on ${seed.at}; reused bench/tmp/${basename(large.file)})` : ''}`,
          `${secs(seed.totalS)} = parse ${secs(seed.parseS)} + migrate ${secs(seed.migrateS)} + social cards ${secs(seed.cardsS)} ` +
            `(${ms((seed.cardsS * 1000) / seed.documents)} per card) + write ${secs(seed.writeS)}`,
          `≤ ${SEED_GOAL_S} s`,
          judge(seed.totalS <= SEED_GOAL_S),
        ],
        [
          `social card PNGs (${int(large.cards)})`,
          `largest ${kib(large.cardMaxBytes)}, mean ${kib(large.cardBytes / Math.max(1, large.cards))}`,
          `≤ ${kib(CARD_GOAL_BYTES)} each`,
          judge(large.cardMaxBytes <= CARD_GOAL_BYTES),
        ],
        ['database file', `${mib(large.sizeBytes)}, of which card PNGs ${mib(large.cardBytes)}`, '—', '—'],
      ],
    ),
    '',
    `Publishing one change into the ${int(publish.documents)} documents (a copy of the database above): ` +
      'read every document from disk, parse, migrate, seed, then the purge target and the changed URLs, ' +
      'as `npm run publish` does before it reaches the network.',
    '',
    table(
      [
        'change',
        'seed',
        'purge list',
        'total',
        'inserted, updated',
        'cards rendered',
        'purge',
        'goal',
        'met',
      ],
      publish.rows.map((row) => [
        row.change,
        secs(row.seedS),
        ms(row.purgeListS * 1000),
        secs(row.totalS),
        `${row.inserted}, ${row.updated}`,
        String(row.cards),
        row.purge.length > 60 ? `${row.purge.slice(0, 57)}…` : row.purge,
        `≤ ${PUBLISH_GOAL_S} s`,
        judge(row.totalS <= PUBLISH_GOAL_S),
      ]),
    ),
  ];
}

function reportMarkdown(results: BenchResults): string {
  const sections = [header, throughputSection, ttfbSection, scaleSection, startupSection, seedSection];
  if (results.peers) {
    const peers = results.peers;
    sections.push(() => peersSection(results.settings, peers, results.load));
  }
  // Sections apart by an empty line, and the report ends with a line break.
  return sections.flatMap((section) => [...section(results), '']).join('\n');
}

function reportJson(results: BenchResults) {
  const { settings, run, small, large, scale } = results;
  return {
    date: run.date,
    mode: settings.mode,
    commit: run.commit + run.dirty,
    durationS: run.durationS,
    machine: {
      node: process.versions.node,
      cpus: run.cpu.length,
      cpu: run.cpu[0]?.model.trim(),
      loadAverage: { start: run.loadBefore, end: run.loadAfter },
    },
    settings: {
      ...settings,
      connections: CONNECTIONS,
      roundTripMs: ROUND_TRIP_MS,
      smallArticles: SMALL_ARTICLES,
    },
    versions: run.versions,
    throughput: results.load,
    publishUnderLoad: results.publishUnderLoad,
    timeToFirstByte: results.ttfb,
    scale: {
      small: {
        articles: small.articles.length,
        sizeBytes: small.sizeBytes,
        libsqlPerRequest: scale.atSmall.libsqlPerRequest,
      },
      large: {
        articles: large.articles.length,
        sizeBytes: large.sizeBytes,
        cardBytes: large.cardBytes,
        cards: large.cards,
        cardMaxBytes: large.cardMaxBytes,
        reused: large.reused,
        libsqlPerRequest: scale.atLarge.libsqlPerRequest,
        seed: { ...large.seed, fingerprint: undefined },
      },
      pages: scale.pages,
    },
    bundle: results.bundle,
    startup: results.startup,
    publish: results.publish,
    ...(results.peers && { peers: results.peers }),
  };
}

/** Writes bench/results/{name}.md and {name}.json and prints the markdown on stdout. */
export function writeReport(results: BenchResults, name: string) {
  const markdown = reportMarkdown(results);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.md`), markdown);
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(reportJson(results), null, 2)}\n`);
  process.stdout.write(markdown);
  log(`wrote bench/results/${name}.md and ${name}.json`);
}

/** `--peers-only`: the header's facts and section 6, to {dir}/{name}.md and .json and stdout. */
export function writePeersReport(
  settings: BenchSettings,
  peers: PeersResults,
  run: RunInfo,
  { dir, name }: { dir: string; name: string },
) {
  const markdown = [
    `## Peers (${settings.mode} run, ${run.date})`,
    '',
    `Commit ${run.commit}${run.dirty}; Node ${process.versions.node}; ${run.cpu.length} × ${run.cpu[0]?.model.trim() ?? 'CPU'}; ` +
      `load average ${run.loadBefore.toFixed(2)} at the start, ${run.loadAfter.toFixed(2)} at the end; ` +
      `load by autocannon ${run.versions.autocannon} on the same machine. Took ${secs(run.durationS)}. ` +
      "This site's own rows come from a full run (section 1 of `npm run bench -- --peers`).",
    '',
    ...peersSection(settings, peers),
    '',
  ].join('\n');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.md`), markdown);
  const json = {
    date: run.date,
    mode: settings.mode,
    commit: run.commit + run.dirty,
    durationS: run.durationS,
    connections: CONNECTIONS,
    settings,
    peers,
  };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(markdown);
  log(`wrote ${relative(ROOT, join(dir, name))}.md and ${name}.json`);
}
