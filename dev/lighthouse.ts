/**
 * Lighthouse audits with the Chromium shipped in `@sparticuz/chromium` (or $CHROME_PATH), offline:
 * Chromium is started by chrome-launcher with its network-quiet default flags, and Lighthouse
 * itself fetches nothing but the audited pages (no CrUX or other API calls).
 *
 * Lighthouse 13 needs Node >= 22.19: run this under the project's Node (npm scripts, npx).
 * One audit of a small page takes about 10 s on this machine (2 cores); audits run one at a time
 * in one Chromium.
 */
import { type LaunchedChrome, launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumExecutablePath } from '../test/support/browser.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];

/**
 * Headless mode of the full browser and no GPU. Not `--single-process` (then Lighthouse gets no
 * screenshots and no performance score). chrome-launcher adds its default flags, which switch off
 * background networking, component updates, sync, translate, first-run and default-apps.
 */
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu'];

interface AuditIssue {
  category: Category;
  id: string;
  title: string;
  score: number;
}

export interface AuditResult {
  url: string;
  /** 0..1 per category, as Lighthouse reports them; null when Lighthouse could not score it. */
  scores: Record<Category, number | null>;
  /** Audits scoring below 1 in the categories other than performance. */
  issues: AuditIssue[];
  /** Set when the page could not be audited (e.g. an HTTP error or no content painted). */
  runtimeError?: string;
  warnings: string[];
  durationMs: number;
}

export interface AuditOptions {
  categories?: readonly Category[];
  /** Chromium binary; defaults to $CHROME_PATH, then the one in `@sparticuz/chromium`. */
  chromePath?: string;
  /** Upper bound for one URL, after which Chromium is killed and the audit fails. */
  timeoutMs?: number;
  /** Called after each URL, e.g. to print progress. */
  onResult?: (result: AuditResult) => void;
}

async function stopChrome(chrome: LaunchedChrome): Promise<void> {
  const { process: child } = chrome;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  chrome.kill();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
}

async function auditOne(
  url: string,
  port: number,
  categories: readonly Category[],
  timeoutMs: number,
): Promise<AuditResult> {
  const started = performance.now();
  const run = lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...categories],
    disableFullPageScreenshot: true,
  });
  run.catch(() => {}); // it may still settle after a time-out; that rejection is not ours to report
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Lighthouse took over ${timeoutMs} ms on ${url}`)), timeoutMs);
  });
  try {
    const result = await Promise.race([run, timeout]);
    if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
    const { lhr } = result;
    const scores = Object.fromEntries(
      CATEGORIES.map((category) => [category, lhr.categories[category]?.score ?? null]),
    ) as Record<Category, number | null>;
    const issues: AuditIssue[] = [];
    for (const category of categories) {
      if (category === 'performance') continue;
      for (const ref of lhr.categories[category]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
          issues.push({ category, id: ref.id, title: audit.title, score: audit.score });
        }
      }
    }
    return {
      url,
      scores,
      issues,
      runtimeError: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : undefined,
      warnings: lhr.runWarnings.map(String),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Audits each URL with Lighthouse's default (mobile) settings, one after the other in one Chromium,
 * and returns the category scores. Chromium is always stopped before this returns or throws.
 */
export async function runAudit(urls: readonly string[], options: AuditOptions = {}): Promise<AuditResult[]> {
  const categories = options.categories ?? CATEGORIES;
  const chromePath = options.chromePath ?? process.env.CHROME_PATH ?? (await chromiumExecutablePath());
  const chrome = await launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
  try {
    const results: AuditResult[] = [];
    for (const url of urls) {
      const result = await auditOne(url, chrome.port, categories, options.timeoutMs ?? 120_000);
      options.onResult?.(result);
      results.push(result);
    }
    return results;
  } finally {
    await stopChrome(chrome);
  }
}

/**
 * What `npm run audit` audits when given no URLs: the home page and the newest article of the site
 * at `base`, found through its JSON API (`/api/articles?limit=1`). Only the home page when the site
 * has no articles yet.
 */
export async function defaultAuditUrls(base: string): Promise<string[]> {
  const home = new URL('/', base).href;
  const api = new URL('/api/articles?limit=1', base);
  const response = await fetch(api);
  if (!response.ok)
    throw new Error(`${api.href} answered ${response.status}: cannot find the newest article`);
  const { articles } = (await response.json()) as { articles: { url: string }[] };
  const newest = articles[0];
  // The API's URLs are built from SITE_URL, which need not be `base`: audit the article at `base`.
  return newest ? [home, new URL(new URL(newest.url).pathname, base).href] : [home];
}

/** The scores as a small text table (0–100, as Lighthouse shows them). */
export function formatAuditTable(results: readonly AuditResult[]): string {
  const header = ['url', ...CATEGORIES, 'time'];
  const rows = results.map((result) => [
    result.url,
    ...CATEGORIES.map((category) => {
      const score = result.scores[category];
      return score === null ? '-' : String(Math.round(score * 100));
    }),
    `${(result.durationMs / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
