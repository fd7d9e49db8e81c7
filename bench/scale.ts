/**
 * 3. Scale: home, a deep news page, two searches (a common word, a compound part), a second section's
 * list and a content page deep in the tree at 10 vs 10,000 articles (cache off); the seed time
 * and database size come with the large database (bench/databases.ts).
 */

import { httpGet, percentile, type Tally, tally } from '../dev/load.ts';
import { DEFAULT_SECTION } from '../schema/addresses.ts';
import type { BenchDatabase } from './databases.ts';
import { database, worker } from './owned.ts';
import {
  BENCH_SECTION,
  type BenchSettings,
  COMPOUND_SEARCH_PATH,
  DEEP_PAGE_PATH,
  log,
  SEARCH_PATH,
  SMALL_ARTICLES,
} from './settings.ts';

interface PageLatency {
  path: string;
  p50Ms: number;
  p90Ms: number;
  statuses: Tally;
}

interface SizeLatencies {
  libsqlPerRequest: number;
  pages: PageLatency[];
}

export interface ScaleResult {
  atSmall: SizeLatencies;
  atLarge: SizeLatencies;
  /** One row per page: its p50 at both sizes and their ratio. */
  pages: { label: string; small: PageLatency; large: PageLatency; ratio: number; met: boolean }[];
}

/**
 * Sequential requests for `pages` of each database, each through its own Worker with the cache off,
 * taken in turns (round by round, every page of every size) so that a change in the machine's other
 * load touches both sizes alike. Also counts libSQL requests per page request, per size.
 */
async function pageLatencies(
  settings: BenchSettings,
  sizes: { file: string; pages: string[] }[],
): Promise<SizeLatencies[]> {
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

/** The same three pages at both sizes; the news page is a deep one at the large size. */
export async function scale(
  settings: BenchSettings,
  small: BenchDatabase,
  large: BenchDatabase,
): Promise<ScaleResult> {
  // Each section's list pages through its own articles (a tenth are in the second section).
  const inSection = (path: string) => large.articles.filter((article) => article.section === path).length;
  const deepPage = Math.min(500, Math.ceil(inSection(DEFAULT_SECTION) / 10));
  const sectionPage = Math.min(50, Math.ceil(inSection(BENCH_SECTION) / 10));
  const smallPages = [
    '/',
    '/banenafspraak/nieuws?pagina=1',
    SEARCH_PATH,
    COMPOUND_SEARCH_PATH,
    `${BENCH_SECTION}?pagina=1`,
    DEEP_PAGE_PATH,
  ];
  const largePages = [
    '/',
    `/banenafspraak/nieuws?pagina=${deepPage}`,
    SEARCH_PATH,
    COMPOUND_SEARCH_PATH,
    `${BENCH_SECTION}?pagina=${sectionPage}`,
    DEEP_PAGE_PATH,
  ];
  log(`scale: ${smallPages.length} pages × ${settings.scaleSamples} sequential requests at each size`);
  const [atSmall, atLarge] = await pageLatencies(settings, [
    { file: small.file, pages: smallPages },
    { file: large.file, pages: largePages },
  ]);
  if (!atSmall || !atLarge) throw new Error('scale: no measurements');
  const labels = [
    'home',
    `news ?pagina=${deepPage} (at ${SMALL_ARTICLES}: ?pagina=1, the last page)`,
    `search \`${SEARCH_PATH.split('=')[1]}\` (every article matches)`,
    `search \`${COMPOUND_SEARCH_PATH.split('=')[1]}\` (a compound part and stem of every article's \`werkgevers\`)`,
    `section ${BENCH_SECTION} ?pagina=${sectionPage} (at ${SMALL_ARTICLES}: ?pagina=1)`,
    `content page ${DEEP_PAGE_PATH} (three levels deep)`,
  ];
  const pages = labels.map((label, i) => {
    const a = atSmall.pages[i] as PageLatency;
    const b = atLarge.pages[i] as PageLatency;
    const ratio = b.p50Ms / a.p50Ms;
    return { label, small: a, large: b, ratio, met: ratio <= 1.5 };
  });
  return { atSmall, atLarge, pages };
}
