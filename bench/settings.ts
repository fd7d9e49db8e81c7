/** What `npm run bench` measures with, for a full run and for `--quick`, and its progress log. */
import { join } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';

export const CONNECTIONS = 64;
/** Sequential requests after each load run that count libSQL requests per request exactly. */
export const SEQUENTIAL = 20;
export const ROUND_TRIP_MS = 80;
export const SMALL_ARTICLES = 10;
export const SEARCH_PATH = '/zoeken?q=banen';
/** A compound part: `werkgever` stands inside `werkgevers` of every generated article (and `overheidswerkgevers`). */
export const COMPOUND_SEARCH_PATH = '/zoeken?q=werkgever';
// A folder's index.html: workerd's asset router redirects `/x.html` to `/x`, nginx would not serve `/x`.
export const FLOOR_PATH = '/bench-floor/';

export const TMP = join(ROOT, 'bench', 'tmp');
export const RESULTS = join(ROOT, 'bench', 'results');

/** --quick: 1,000 articles instead of 10,000, shorter load runs and fewer samples. */
export function benchSettings(quick: boolean) {
  return quick
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
        profiles: 5,
      };
}
export type BenchSettings = ReturnType<typeof benchSettings>;

/** When the run started (performance.now()): the log's clock and the report's duration. */
export const started = performance.now();

/** Progress on stderr, so that stdout carries only the report. */
export function log(line: string) {
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`,
  );
}

/** The second news section of content-seed/site.yaml: every tenth generated article is in it. */
export const BENCH_SECTION = '/nieuws/algemeen';
/** A content page three levels deep in content-seed/ (a sector page under the sector index). */
export const DEEP_PAGE_PATH = '/banenafspraak/sectorinformatie/gemeenten';
