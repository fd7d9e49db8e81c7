/**
 * The report's sections measured under load (report.ts puts them in order): 1. throughput, 1b. where
 * the Worker's CPU goes, 2. time to first byte.
 */
import { cpus } from 'node:os';
import { goal, int, ms, secs, table, tallyText } from './format.ts';
import { throughputRatio } from './goals.ts';
import type { BenchResults } from './results.ts';
import { CONNECTIONS, ROUND_TRIP_MS, SEQUENTIAL, SMALL_ARTICLES } from './settings.ts';
import { RENDER_CPU_GOAL_MS, RENDER_PROFILE } from './worker-profile.ts';

/** The range of req/s × workerd CPU per response over workerd's rows (1.0: one core always busy). */
function workerdBusy(load: BenchResults['load']): string {
  const busy = load.flatMap((row) =>
    row.id !== 'nginx' && row.load && row.cpu
      ? [(row.load.requestsPerSecond * row.cpu.workerdMs) / 1000]
      : [],
  );
  if (busy.length === 0) return 'not measured';
  return `${Math.min(...busy).toFixed(2)}–${Math.max(...busy).toFixed(2)}`;
}

export function throughputSection({
  settings,
  load,
  ttfb,
  publishUnderLoad: publish,
}: BenchResults): string[] {
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
      `row's req/s can be at most ${cpus().length} × 1,000 ms over their sum. workerd serves every isolate ` +
      `on one thread, and it is the bound: req/s times its CPU per response is ${workerdBusy(load)} CPU ` +
      `seconds per second in these rows, so a row's "× static" is about the floor's workerd CPU over its own. ` +
      `"Without the hop" is the same ` +
      `Worker with its default entrypoint answering itself: in production that hop is where Workers Cache ` +
      `answers (a hit there never runs the Worker); Miniflare does not simulate it, so here it is a second dispatch. ` +
      `"The article's database part alone" is a Worker that only takes the same hop, sends the very pipeline ` +
      `the Worker sends for that page (recorded on its way to the libSQL server), reads its JSON and sends the ` +
      `page's bytes (bench/harness-workers.ts): no routing, mapping or HTML, the floor under any rendering of it here.`,
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

export function profileSection({ profiles }: BenchResults): string[] {
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

export function ttfbSection({ ttfb }: BenchResults): string[] {
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
