/** 2. Time to first byte of an article, miss and hit, with an 80 ms simulated database round trip. */
import { type Fetched, httpGet, median, type Tally, tally } from '../dev/load.ts';
import { articlePath } from '../worker/site.ts';
import type { BenchDatabase } from './databases.ts';
import { xCacheOf } from './format.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, log, ROUND_TRIP_MS } from './settings.ts';

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

export type TtfbResults = { miss: TtfbResult; hit: TtfbResult; floor: TtfbResult };

export async function timeToFirstByte(settings: BenchSettings, small: BenchDatabase): Promise<TtfbResults> {
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
