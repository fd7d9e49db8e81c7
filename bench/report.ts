/**
 * The benchmark's report: small markdown tables under one heading, every number from this run, and
 * the same results as JSON, written to bench/results/{name}.md and .json and printed on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, relative } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import { goal, int, kib, mib, ms, secs, table, tallyText } from './format.ts';
import { CARD_GOAL_BYTES, goalsOf, SEED_GOAL_DOCUMENTS, SEED_GOAL_S, throughputRatio } from './goals.ts';
import { imagesSection } from './images.ts';
import { type PeersResults, peersSection } from './peers.ts';
import { PUBLISH_GOAL_S } from './publish.ts';
import type { BenchResults, RunInfo } from './results.ts';
import {
  type BenchSettings,
  CONNECTIONS,
  log,
  RESULTS,
  ROUND_TRIP_MS,
  SEQUENTIAL,
  SMALL_ARTICLES,
} from './settings.ts';
import { RENDER_CPU_GOAL_MS, RENDER_PROFILE } from './worker-profile.ts';
import { WORST_DOCUMENT_GOAL, worstDocumentRatios } from './worst-documents.ts';

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

function goalsSection(results: BenchResults): string[] {
  const goals = goalsOf(results);
  const met = goals.filter((g) => g.met === true).length;
  const judged = goals.filter((g) => g.met !== null).length;
  return [
    `### Goals: ${met} of ${judged} met${judged < goals.length ? ` (${goals.length - judged} not judged in a ${results.settings.mode} run)` : ''}`,
    '',
    table(
      ['goal', 'measured', 'met'],
      goals.map((g) => [g.goal, g.value, g.met === null ? '— (not judged)' : goal(g.met)]),
    ),
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
        '× static',
        'p50',
        'p99',
        `libSQL req per request: ${SEQUENTIAL} sequential (under load)`,
        'X-Cache seen under load',
        'non-2xx, errors',
        'CPU per response: workerd, libSQL server, load',
      ],
      load.map((row) => {
        if (!row.load)
          return [row.name, `\`${row.path}\``, '', row.skipped ?? '', '', '', '', '', '', '', ''];
        const ratio = throughputRatio(load, row.id);
        const non2xx = Object.entries(row.load.statuses)
          .filter(([status]) => !status.startsWith('2'))
          .reduce((n, [, count]) => n + count, 0);
        return [
          row.name,
          `\`${row.path.length > 48 ? `${row.path.slice(0, 45)}…` : row.path}\``,
          int(row.bytes ?? 0),
          int(row.load.requestsPerSecond),
          ratio === null ? '—' : `${ratio.toFixed(2)}×`,
          ms(row.load.p50Ms),
          ms(row.load.p99Ms),
          `${(row.libsqlPerRequest ?? 0).toFixed(2)} (${(row.libsqlPerRequestUnderLoad ?? 0).toFixed(3)})`,
          tallyText(row.load.xCache),
          `${int(non2xx)}, ${int(row.load.errors)}`,
          row.cpu ? [row.cpu.workerdMs, row.cpu.databaseMs, row.cpu.loadMs].map(ms).join(', ') : '—',
        ];
      }),
    ),
    '',
    `CPU per response: workerd is every isolate of the runtime (the Worker's, and Miniflare's Cache API ` +
      `and asset router), read from /proc; the libSQL server is this process less the load thread (the ` +
      `local server runs in a thread of the bench); load is autocannon's thread. On ${cpus().length} cores a ` +
      `row's req/s can be at most ${cpus().length} × 1,000 ms over their sum. "Without the hop" is the same ` +
      `Worker with its default entrypoint answering itself: in production that hop is where Workers Cache ` +
      `answers (a hit there never runs the Worker); Miniflare does not simulate it, so here it is a second dispatch.`,
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

function profileSection({ profiles }: BenchResults): string[] {
  return [
    `### 1b. Where the Worker's CPU goes per request (its isolate's CPU profile under the same load)`,
    '',
    table(
      ['request', 'req/s while profiled', 'CPU per request', 'biggest parts (ms per request)'],
      profiles.map((p) => [
        p.name,
        int(p.requestsPerSecond),
        ms(p.cpuMsPerRequest),
        p.parts.map((part) => `${part.name} ${part.ms.toFixed(3)}`).join(', '),
      ]),
    ),
    '',
    "The profile holds the JavaScript of the Worker's own isolate: its calls into the runtime count as " +
      '`the runtime: …` (`fetch` on a hit is the Cache API lookup, which Miniflare answers from another ' +
      "isolate, and the default entrypoint's call to `Site` is worker/index.ts); Miniflare's cache and " +
      "asset isolates and workerd's HTTP are not in it. drizzle-orm prepares each statement once per " +
      'isolate (worker/queries/prepared.ts), so a request only fills and maps them; @libsql/hrana-client ' +
      'encodes the pipeline and decodes its rows. The goal of the ' +
      `"${RENDER_PROFILE}" row's CPU per request is ≤ ${RENDER_CPU_GOAL_MS.toFixed(1)} ms (in the goals above).`,
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
          ['miss, without the hop to the Site entrypoint', ttfb.directMiss],
          ['hit (the same article again)', ttfb.hit],
          ['floor: a trivial Worker, same harness (no app, cache or database)', ttfb.floor],
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
      `through both entrypoints to the client). The row without the hop is the same Worker with its default ` +
      `entrypoint answering itself: in production that hop is where Workers Cache answers, Miniflare does ` +
      `not simulate it, and here it is a second dispatch. The floor row is a Worker that only answers "ok" ` +
      `in the same harness (Miniflare, workerd, loopback HTTP).`,
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
    `What each part costs in gzip bytes (the bundle's gzip less the bundle's without that part; not ` +
      `additive): ${bundle.gzipCosts.map((part) => `${part.name} ${kib(part.bytes)}`).join(', ')}.`,
    '',
    `Where the startup profile's samples ran (mean per profile; the profiler samples about once a ` +
      `millisecond, so this is coarse): ${startup.composition.map((part) => `${part.name} ${ms(part.ms)}`).join(', ')}.`,
  ];
}

function seedSection({ large, publish, worstDocuments }: BenchResults): string[] {
  const seed = large.seed;
  const judged = seed.documents >= SEED_GOAL_DOCUMENTS;
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
    '',
    'One document of the largest size (256 KiB) in the worst shapes for the search index, each seeded alone ' +
      'into a database that holds one small article, against ordinary Dutch text of the same size ' +
      `(bench/search/'s articles, repeated): the seed (read, parse, index text, card, write) and how much the database grew.`,
    '',
    table(
      ['document', 'bytes', 'seed', 'database growth', 'over the ordinary one', 'goal', 'met'],
      worstDocuments.map((row, i) => {
        const ratio = worstDocumentRatios(worstDocuments)[i - 1];
        return [
          row.shape,
          int(row.bytes),
          ms(row.seedS * 1000),
          kib(row.growthBytes),
          ratio ? `${ratio.time.toFixed(1)}× the time, ${ratio.growth.toFixed(1)}× the growth` : '—',
          ratio ? `≤ ${WORST_DOCUMENT_GOAL.time}×, ≤ ${WORST_DOCUMENT_GOAL.growth}×` : '—',
          ratio ? goal(ratio.met) : '—',
        ];
      }),
    ),
  ];
}

function reportMarkdown(results: BenchResults): string {
  const sections = [
    header,
    goalsSection,
    throughputSection,
    profileSection,
    ttfbSection,
    scaleSection,
    startupSection,
    seedSection,
    ({ images }: BenchResults) => imagesSection(images),
  ];
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
    workerProfiles: results.profiles,
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
    goals: goalsOf(results),
    bundle: results.bundle,
    startup: results.startup,
    publish: results.publish,
    worstDocuments: results.worstDocuments,
    images: results.images,
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
