/**
 * What a visitor sees, in a real Chromium against the built Worker served over HTTP: axe-core on
 * the main page types, following an article link from the home page, the navigation at phone and
 * desktop widths, and screenshots of an article (kept in test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutchDate } from '../pipeline/generated-documents.ts';
import { MET } from './support/addresses.ts';
import {
  type Browser,
  checkAccessibility,
  formatViolations,
  launchBrowser,
  openPage,
  type Page,
  screenshot,
} from './support/browser.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;
let browser: Browser;

beforeAll(async () => {
  const [database, launched] = await Promise.all([startDatabase(), launchBrowser()]);
  db = database;
  browser = launched;
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: 'served' });
});
afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
  await db?.close();
});

/** A fresh page (own context) at the given viewport; closed with its context after `use`. */
async function withPage<T>(
  options: { width?: number; height?: number; javaScriptEnabled?: boolean },
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await openPage(browser, {
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  try {
    return await use(page);
  } finally {
    await page.context().close();
  }
}

describe('axe-core', () => {
  it.each([
    ['home', '/', 200],
    ['article', MET, 200],
    ['search with results', '/zoeken?q=banen', 200],
    ['content page', '/organisatie/waar-staan-wij-voor/', 200],
    ['content page without sidebar', '/organisatie/achtergrond/', 200],
    ['index of pages', '/banenafspraak/', 200],
    ['second news section', '/nieuws/algemeen', 200],
    ['404', '/deze-pagina-bestaat-niet', 404],
  ])('reports 0 violations on the %s page (%s)', async (_, path, status) => {
    await withPage({}, async (page) => {
      const response = await page.goto(`${worker.url}${path}`);
      expect(response?.status()).toBe(status);
      if (path.startsWith('/zoeken'))
        expect(await page.locator('.search-results li').count()).toBeGreaterThan(0);
      const violations = await checkAccessibility(page);
      expect(violations, formatViolations(violations)).toEqual([]);
    });
  });
});

describe('reading the news', () => {
  it('follows an article link from the home page and shows title, Dutch date and body', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${worker.url}/`);
      const link = page.locator('main .article-list h2 a').first();
      const title = (await link.textContent())?.trim() ?? '';
      expect(title).not.toBe('');
      await Promise.all([
        page.waitForURL(/\/banenafspraak\/nieuws\/\d{4}-\d{2}-\d{2}\/[a-z0-9-]+$/),
        link.click(),
      ]);

      expect((await page.locator('h1').textContent())?.trim()).toBe(title);
      expect(await page.title()).toBe(`${title} | VSO Werkgevers`);
      const time = page.locator('main header time');
      const datetime = (await time.getAttribute('datetime')) ?? '';
      expect(datetime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(page.url()).toContain(`/${datetime}/`);
      expect((await time.textContent())?.trim()).toBe(`Geplaatst op ${dutchDate(datetime)}`);
      const paragraphs = await page.locator('.article-body p').allTextContents();
      expect(paragraphs.length).toBeGreaterThan(0);
      expect(paragraphs.join(' ').length).toBeGreaterThan(100);
      // The canonical link is SITE_URL-based and SITE_URL is the served origin here.
      expect(await page.locator('link[rel=canonical]').getAttribute('href')).toBe(page.url());
    });
  });
});

describe('an article at phone and desktop widths', () => {
  it('shows the "Ga naar..." menu at 390 px, not the plain navigation, and fits 390 and 320 px', async () => {
    await withPage({ width: 390, height: 844 }, async (page) => {
      await page.goto(`${worker.url}${MET}`);
      const file = await screenshot(page, 'article-390');
      expect(file).toMatch(/test-results\/screenshots\/article-390\.png$/);

      const menu = page.locator('details.nav-narrow');
      expect(await menu.isVisible()).toBe(true);
      expect((await menu.locator('summary').textContent())?.trim()).toBe('Ga naar...');
      // Both menus are in the HTML; CSS shows one.
      expect(await page.locator('nav.nav-wide').count()).toBe(1);
      expect(await page.locator('nav.nav-wide').isVisible()).toBe(false);
      const overflow = () =>
        page.evaluate<number>(
          // A string: the tests are type-checked without the DOM library.
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
      expect(await overflow(), 'horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
      const violations = await checkAccessibility(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      // Readable from 320 px: still no horizontal scrolling.
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await overflow(), 'horizontal scrolling at 320 px').toBeLessThanOrEqual(0);
    });
  });

  it('opens the "Ga naar..." menu without JavaScript', async () => {
    await withPage({ width: 390, height: 844, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${worker.url}${MET}`);
      const menu = page.locator('details.nav-narrow');
      const nieuws = menu.getByRole('link', { name: 'Nieuws', exact: true });
      expect(await nieuws.isVisible()).toBe(false);
      await menu.locator('summary').click();
      expect(await nieuws.isVisible()).toBe(true);
      await Promise.all([page.waitForURL(`${worker.url}/banenafspraak/nieuws`), nieuws.click()]);
      expect((await page.locator('h1').textContent())?.trim()).toBe('Nieuws');
    });
  });

  it('shows the plain navigation at 1280 px', async () => {
    await withPage({ width: 1280, height: 900 }, async (page) => {
      await page.goto(`${worker.url}${MET}`);
      const file = await screenshot(page, 'article-1280');
      expect(file).toMatch(/test-results\/screenshots\/article-1280\.png$/);

      const nav = page.locator('nav.nav-wide');
      expect(await nav.isVisible()).toBe(true);
      expect(await page.locator('details.nav-narrow').count()).toBe(1);
      expect(await page.locator('details.nav-narrow').isVisible()).toBe(false);
      for (const label of ['Home', 'Nieuws', 'Participanten', 'Zoeken']) {
        expect(await nav.getByRole('link', { name: label, exact: true }).isVisible(), label).toBe(true);
      }
      expect(await nav.getByRole('link', { name: 'Nieuws', exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
    });
  });
});

describe('"Deel dit artikel" in the browser', () => {
  it('adds "Kopieer link" with a script that breaks no Content-Security-Policy, and copies the URL', async () => {
    await withPage({}, async (page) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: worker.url });
      await page.goto(`${worker.url}${MET}`);
      const share = page.locator('section.share');
      // The plain links are there without the script; the script adds its button.
      await expect(share.getByRole('link', { name: 'Deel via LinkedIn' }).getAttribute('href')).resolves.toBe(
        '/deel/met-elkaar-voor-125000-banen/linkedin',
      );
      const copy = share.getByRole('button', { name: 'Kopieer link' });
      await copy.click();
      await share.locator('.share-status:not(:empty)').waitFor();
      await expect(share.locator('.share-status').textContent()).resolves.toBe('De link is gekopieerd.');
      const copied = await page.evaluate('navigator.clipboard.readText()');
      expect(copied).toBe(`${worker.url}${MET}`);
      expect(problems).toEqual([]);
    });
  });

  it('remembers the Mastodon instance for the next share', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${worker.url}/deel/met-elkaar-voor-125000-banen/mastodon`);
      await page.getByLabel('Uw Mastodon-server').fill('mastodon.example');
      // The form's answer redirects to the instance, which does not exist here: the request is enough.
      const [request] = await Promise.all([
        page.waitForRequest(/^https:\/\/mastodon\.example\//),
        page.getByRole('button', { name: 'Delen op Mastodon' }).click(),
      ]);
      const target = new URL(request.url());
      expect(target.pathname).toBe('/share');
      expect(target.searchParams.get('text')).toBe(`Met elkaar voor 125.000 banen ${worker.url}${MET}`);
      // Let the failed navigation to the unreachable instance settle before the next one.
      await page.waitForURL(/^chrome-error:/);
      await page.goto(`${worker.url}/deel/centrale-postbus-voor-vragen-over-de-banenafspraak/mastodon`);
      await expect(page.getByLabel('Uw Mastodon-server').inputValue()).resolves.toBe('mastodon.example');
    });
  });
});
