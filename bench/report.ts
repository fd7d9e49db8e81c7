/**
 * The benchmark's report: small markdown tables under one heading, every number from this run, and
 * the same results as JSON, written to bench/results/{name}.md and .json and printed on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import { goal, int, kib, mib, ms, secs, table } from './format.ts';
import { CARD_GOAL_BYTES, goalsOf, SEED_GOAL_DOCUMENTS, SEED_GOAL_S } from './goals.ts';
import { imagesSection } from './images.ts';
import { type PeersResults, peersSection } from './peers.ts';
import { PUBLISH_GOAL_S } from './publish.ts';
import { profileSection, throughputSection, ttfbSection } from './report-load.ts';
import type { BenchResults, RunInfo } from './results.ts';
import { type BenchSettings, CONNECTIONS, log, RESULTS, ROUND_TRIP_MS, SMALL_ARTICLES } from './settings.ts';
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
          `the same measure: a trivial Worker; the libraries alone (no app), median of ${startup.profileRuns}`,
          `${ms(startup.trivialMs)} (runs: ${startup.samples.trivial.map(ms).join(', ')}); ` +
            `${ms(startup.librariesMs)} (runs: ${startup.samples.libraries.map(ms).join(', ')})`,
          '—',
          '—',
        ],
        [
          `compile + evaluate in V8 (Node ${startup.v8.node}'s, no sampling, median of ${startup.v8.runs}): this Worker; the libraries alone`,
          `${ms(startup.v8.worker.compileMs + startup.v8.worker.evaluateMs)} (${ms(startup.v8.worker.compileMs)} + ${ms(startup.v8.worker.evaluateMs)}); ` +
            `${ms(startup.v8.libraries.compileMs + startup.v8.libraries.evaluateMs)} (${ms(startup.v8.libraries.compileMs)} + ${ms(startup.v8.libraries.evaluateMs)})`,
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
    `What the bundle is made of (minified bytes, esbuild's metafile): ${bundle.composition
      .map((part) => `${part.name} ${kib(part.bytes)} (${share(part.bytes)})`)
      .join(', ')}.`,
    '',
    `What each part costs in gzip bytes (the bundle's gzip less the bundle's without that part; not ` +
      `additive): ${bundle.gzipCosts.map((part) => `${part.name} ${kib(part.bytes)}`).join(', ')}.`,
    '',
    `Where the startup profile's samples ran (mean per profile; the profiler samples about once a ` +
      `millisecond, so this is coarse): ${startup.composition.map((part) => `${part.name} ${ms(part.ms)}`).join(', ')}.`,
    '',
    `The startup measure is the sum of the profile's samples that were not idle. Its first sample after ` +
      `the script starts often comes well over 10 ms late, and that whole gap counts for whatever it lands on: ` +
      `a trivial Worker (one line, 0.1 KiB) measures either 0 ms or the gap (its runs are above). "The libraries alone" is ` +
      `a Worker of only what the team chose to keep, used as this Worker uses them (Hono with hono/jsx and its ` +
      `middleware, drizzle-orm over @libsql/client/http with this schema, valibot, the Dutch stemmer: ` +
      `bench/harness-workers.ts): what startup costs before any of the site's own code.`,
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
