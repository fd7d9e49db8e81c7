/**
 * 2. Time to first byte of an article, miss and hit, with an 80 ms simulated database round trip, and
 * where a miss's time goes: the local libSQL server stamps when each pipeline came, was done and was
 * answered (dev/hrana-server.ts `timings`), which splits the client's time to first byte into the
 * part before the database, the database's own work, the round trip as applied, and the part after.
 */
import type { PipelineTiming } from '../dev/hrana-server.ts';
import { type Fetched, httpGet, median, type Tally, tally } from '../dev/load.ts';
import { SITE_URL } from '../dev/site-origin.ts';
import { articlePath } from '../worker/site.ts';
import type { BenchDatabase } from './databases.ts';
import { xCacheOf } from './format.ts';
import { directWorkerScript, trivialWorkerScript } from './harness-workers.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, log, ROUND_TRIP_MS } from './settings.ts';

/** Medians over the misses, ms. */
interface MissBreakdown {
  /** From sending the request to the pipeline's arrival: the harness's HTTP, the Worker's routing and L1 lookup, the query sent. */
  beforeMs: number;
  /** The local libSQL server's work on the pipeline (Turso's in production). */
  databaseMs: number;
  /** The simulated round trip as the server applied it (ROUND_TRIP_MS asked). */
  roundTripMs: number;
  /** From the answer leaving the server to the first byte at the client: decoded, rendered, sent back. */
  afterMs: number;
}

interface TtfbResult {
  samples: number;
  medianMs: number;
  maxMs: number;
  /** Median of each response's time to first byte less the round trip applied to its pipeline. */
  aboveRoundTripMs: number | null;
  xCache: Tally;
  statuses: Tally;
  libsqlPerRequest: number;
  goalMs: number | null;
  met: boolean | null;
}

export type TtfbResults = {
  miss: TtfbResult;
  /** The misses again, the default entrypoint answering itself (bench/harness-workers.ts). */
  directMiss: TtfbResult;
  hit: TtfbResult;
  floor: TtfbResult;
  breakdown: MissBreakdown;
};

/** Rounds of misses: every article once a round, its L1 entry deleted first. */
const missRounds = (settings: BenchSettings) => (settings.mode === 'quick' ? 2 : 5);
/** The miss goal: a first byte at most this long after the round trip. */
const MISS_ABOVE_ROUND_TRIP_MS = 10;

export async function timeToFirstByte(settings: BenchSettings, small: BenchDatabase): Promise<TtfbResults> {
  const db = await database(small.file, ROUND_TRIP_MS);
  const on = await worker({ libsqlUrl: db.url });
  const l1 = await on.defaultCache();
  // The isolate and its connection to the database warm up on a page that is never cached.
  for (let i = 0; i < 3; i++) await httpGet(`${on.url}/healthz`);

  type Sample = { response: Fetched; sentAt: number; pipelines: PipelineTiming[] };
  const sample = async (path: string, origin = on.url): Promise<Sample> => {
    await db.resetStats();
    const sentAt = performance.timeOrigin + performance.now();
    const response = await httpGet(`${origin}${path}`);
    return { response, sentAt, pipelines: await db.timings() };
  };
  const summarize = (samples: Sample[], goalMs: number | null): TtfbResult => {
    const times = samples.map((s) => s.response.ttfbMs);
    const medianMs = median(times);
    const above = samples.flatMap(({ response, pipelines: [p] }) =>
      p ? [response.ttfbMs - (p.sentAt - p.doneAt)] : [],
    );
    const aboveRoundTripMs = above.length > 0 ? median(above) : null;
    return {
      samples: samples.length,
      medianMs,
      maxMs: Math.max(...times),
      aboveRoundTripMs,
      xCache: tally(samples.map((s) => xCacheOf(s.response))),
      statuses: tally(samples.map((s) => String(s.response.status))),
      libsqlPerRequest: samples.reduce((n, s) => n + s.pipelines.length, 0) / samples.length,
      goalMs,
      met: goalMs === null ? null : (aboveRoundTripMs ?? medianMs) <= goalMs,
    };
  };

  // A miss is an article's first request since its L1 entry was deleted (as in a data centre that
  // has not stored it); the hits repeat the first article.
  const paths = small.articles.map(articlePath);
  const rounds = missRounds(settings);
  log(
    `time to first byte: ${rounds} × ${paths.length} misses, ${settings.ttfbHits} hits, round trip ${ROUND_TRIP_MS} ms`,
  );
  const misses: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      await l1.delete(`${SITE_URL}${path}`);
      misses.push(await sample(path));
    }
  }
  const hits: Sample[] = [];
  for (let i = 0; i < settings.ttfbHits; i++) hits.push(await sample(paths[0] as string));
  await on.stop();
  // The same misses without the hop from the default entrypoint to Site (Workers Cache's place).
  const direct = await worker({ libsqlUrl: db.url, scriptPath: directWorkerScript() });
  for (let i = 0; i < 3; i++) await httpGet(`${direct.url}/healthz`);
  const directL1 = await direct.defaultCache();
  const directMisses: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      await directL1.delete(`${SITE_URL}${path}`);
      directMisses.push(await sample(path, direct.url));
    }
  }
  await direct.stop();
  // What this harness takes (Miniflare, workerd, loopback HTTP) with no app at all.
  const trivial = await worker({ libsqlUrl: db.url, scriptPath: trivialWorkerScript() });
  for (let i = 0; i < 3; i++) await httpGet(`${trivial.url}/`);
  const floors: Sample[] = [];
  for (let i = 0; i < settings.ttfbHits; i++) floors.push(await sample('/', trivial.url));
  await trivial.stop();
  await db.stop();

  const timed = misses.flatMap(({ response, sentAt, pipelines: [p] }) =>
    p ? [{ response, sentAt, p }] : [],
  );
  const part = (of: (s: (typeof timed)[number]) => number) => median(timed.map(of));
  return {
    miss: summarize(misses, MISS_ABOVE_ROUND_TRIP_MS),
    directMiss: summarize(directMisses, null),
    hit: summarize(hits, 10),
    floor: summarize(floors, null),
    breakdown: {
      beforeMs: part((s) => s.p.receivedAt - s.sentAt),
      databaseMs: part((s) => s.p.doneAt - s.p.receivedAt),
      roundTripMs: part((s) => s.p.sentAt - s.p.doneAt),
      afterMs: part((s) => s.sentAt + s.response.ttfbMs - s.p.sentAt),
    },
  };
}
