/**
 * A real Chromium for tests, with no browser download: `@sparticuz/chromium` ships a headless
 * Chromium inside its npm package, `playwright-core` drives it, `@axe-core/playwright` checks pages
 * for accessibility problems.
 *
 * One browser per test file: `launchBrowser()` in `beforeAll`, `browser.close()` in `afterAll`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { type Browser, type BrowserContextOptions, type Page, chromium as playwright } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

/**
 * Flags that keep Chromium from talking to anything but the pages under test (no component or
 * safe-browsing updates, no sync, no translate, no optimization hints, no network-time queries,
 * no preconnect to the search engine). Playwright and chrome-launcher add most of these too; they
 * are repeated here so the set does not depend on either.
 */
export const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-component-extensions-with-background-pages',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--no-pings',
  '--no-service-autorun',
  '--password-store=basic',
  '--use-mock-keychain',
];

/**
 * Features to switch off. Chromium honours only the *last* `--disable-features=` on its command
 * line, and `chromium.args` carries its own, which would silently replace Playwright's list; so
 * the lists are merged into a single switch (sparticuz's, Playwright's network-related ones, and
 * chrome-launcher's).
 */
const DISABLED_FEATURES = [
  'Translate',
  'OptimizationHints',
  'MediaRouter',
  'DialMediaRouteProvider',
  'CertificateTransparencyComponentUpdater',
  'AutofillServerCommunication',
  'InterestFeedContentSuggestions',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'PrivacySandboxSettings4',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
];
const ENABLED_FEATURES = ['CDPScreenshotNewSurface', 'SkipListAccountsWithoutGaiaCookies'];

/**
 * `chromium.args` is tuned for AWS Lambda. Dropped here: `--single-process` (Lighthouse then gets
 * no screenshots and no performance score, and one renderer crash would take the browser down),
 * `--headless='shell'` (the launcher sets the headless mode), and the switches that turn off web
 * security (`--disable-web-security`, `--allow-running-insecure-content`,
 * `--disable-site-isolation-trials`), so tests see CSP, CORS and mixed-content rules as a visitor's
 * browser would. The feature lists are merged as explained above.
 */
const DROPPED_FLAGS = [
  '--single-process',
  '--headless',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

function featureList(args: readonly string[], name: string): string[] {
  return args
    .filter((arg) => arg.startsWith(`${name}=`))
    .flatMap((arg) => arg.slice(name.length + 1).split(','))
    .filter(Boolean);
}

/** The Chromium command-line flags used for Playwright (the launcher adds `--headless`). */
export function chromiumFlags(): string[] {
  const base = chromium.args;
  const kept = base.filter(
    (arg) =>
      !DROPPED_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)) &&
      !arg.startsWith('--disable-features=') &&
      !arg.startsWith('--enable-features='),
  );
  const disabled = new Set([...featureList(base, '--disable-features'), ...DISABLED_FEATURES]);
  const enabled = new Set([...featureList(base, '--enable-features'), ...ENABLED_FEATURES]);
  return [
    ...new Set([...kept, ...QUIET_FLAGS]),
    `--disable-features=${[...disabled].join(',')}`,
    `--enable-features=${[...enabled].join(',')}`,
  ];
}

let executable: Promise<string> | undefined;

/**
 * Path of the Chromium binary shipped in `@sparticuz/chromium`, unpacked on first use (~2 s, ~230 MB).
 *
 * `chromium.executablePath()` unpacks into `os.tmpdir()/chromium` and reuses whatever file is
 * there, even a half-written one from a parallel test file or one of another version. So it is
 * unpacked in a child process whose TMPDIR is a private staging folder, which is then renamed to
 * `<tmp>/sparticuz-chromium-<version>/` in one step: concurrent callers never see a partial binary.
 */
export function chromiumExecutablePath(): Promise<string> {
  executable ??= unpackChromium();
  return executable;
}

async function unpackChromium(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const packageJson = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const target = join(tmpdir(), `sparticuz-chromium-${packageJson.version}`);
  if (existsSync(join(target, 'chromium'))) return join(target, 'chromium');

  const staging = `${target}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  try {
    const script =
      'const { default: c } = await import(process.argv[1]); process.stdout.write(await c.executablePath());';
    const unpacked = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script, pathToFileURL(entry).href],
        { env: { ...process.env, TMPDIR: staging }, timeout: 120_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    if (dirname(unpacked) !== staging) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}`);
    try {
      await rename(staging, target);
    } catch (error) {
      // Another process got there first: its copy is complete (rename is atomic), use it.
      if (!existsSync(join(target, basename(unpacked)))) throw error;
    }
    return join(target, basename(unpacked));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Starts headless Chromium; close it with `browser.close()` when the test file is done. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromiumExecutablePath(),
    args: chromiumFlags(),
    headless: true,
    timeout: 60_000,
  });
}

/**
 * A page in a fresh browser context (its own cookies, storage and cache). Use this rather than
 * `browser.newPage()`: axe's `analyze()` opens a helper page in the page's context, which Playwright
 * refuses for the implicit context of `browser.newPage()`. Close it with `page.context().close()`.
 */
export async function openPage(browser: Browser, options?: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  return context.newPage();
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
export type AxeViolation = AxeResults['violations'][number];

/**
 * Runs axe-core on the page as it is now and returns its violations (an empty array for a clean
 * page). `configure` can narrow the run, e.g. `(axe) => axe.exclude('.embed').disableRules(['region'])`.
 * The page must come from a browser context (`openPage(browser)`), not from `browser.newPage()`.
 */
export async function checkAccessibility(
  page: Page,
  configure: (builder: AxeBuilder) => AxeBuilder = (builder) => builder,
): Promise<AxeViolation[]> {
  const results = await configure(new AxeBuilder({ page })).analyze();
  return results.violations;
}

/** One line per violation and per offending element, for an assertion message. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.html}`).join('\n');
      return `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Saves a full-page PNG as `test-results/screenshots/<name>.png` (git-ignored) and returns its path.
 * The name is reduced to letters, digits, `.`, `_` and `-`.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(
    SCREENSHOT_DIR,
    `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'page'}.png`,
  );
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
