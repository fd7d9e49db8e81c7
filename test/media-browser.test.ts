/**
 * An article with pictures and a download in a real Chromium, against the built Worker serving them
 * from its R2 bucket: the browser decodes the variant it picks, axe finds 0 violations, the Nu Html
 * Checker 0 errors, and Lighthouse scores 100 on accessibility, best practices and SEO.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../dev/lighthouse.ts';
import {
  type Browser,
  checkAccessibility,
  formatViolations,
  launchBrowser,
  openPage,
  screenshot,
} from './support/browser.ts';
import { formatHtmlErrors, validateHtml } from './support/html-validator.ts';
import { MEDIA_ARTICLE, type MediaSite, startMediaSite } from './support/media-site.ts';

let site: MediaSite;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([startMediaSite(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('an article with images in the browser', () => {
  it('loads and decodes the pictures it chose (AVIF), with 0 axe violations', async () => {
    const page = await openPage(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    try {
      const response = await page.goto(`${site.worker.url}${MEDIA_ARTICLE.path}`);
      expect(response?.status()).toBe(200);
      const images = page.locator('.article-body picture img');
      await images.last().scrollIntoViewIfNeeded();
      // In the page (a string, as the Node types know no DOM): every picture loaded and decoded.
      await page.waitForFunction(
        "[...document.querySelectorAll('.article-body picture img')].every((img) => img.complete && img.naturalWidth > 0)",
      );
      const loaded = await images.evaluateAll((all) =>
        all.map((img) => ({
          src: (img as unknown as { currentSrc: string }).currentSrc,
          shown: Math.round(img.getBoundingClientRect().width),
        })),
      );
      const avif =
        (await page
          .locator('.article-body picture source[type="image/avif"]')
          .first()
          .getAttribute('srcset')) ?? '';
      const byWidth = new Map(avif.split(', ').map((entry) => [entry.split(' ')[1], entry.split(' ')[0]]));
      // 390 px at 2× wants 716 device pixels of the 358 px column: the 800 px AVIF, not the largest.
      expect(loaded[0]?.src).toBe(`${site.worker.url}${byWidth.get('800w')}`);
      expect(loaded[0]?.shown).toBeLessThanOrEqual(390);
      expect(loaded[1]?.src).toMatch(/\/media\/[0-9a-f]{32}\.avif$/);
      await screenshot(page, 'article-with-images-390');
      const violations = await checkAccessibility(page);
      expect(violations, formatViolations(violations)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('finds 0 errors with the Nu Html Checker', async () => {
    const html = await (await site.worker.fetch(MEDIA_ARTICLE.path)).text();
    expect(html).toContain('<picture>');
    const errors = await validateHtml(html);
    expect(errors, formatHtmlErrors(errors, [MEDIA_ARTICLE.path])).toEqual([]);
  });

  it('scores 100 on accessibility, best practices and SEO in Lighthouse', { timeout: 240_000 }, async () => {
    const [result] = await runAudit([`${site.worker.url}${MEDIA_ARTICLE.path}`]);
    const failing = JSON.stringify({ issues: result?.issues, warnings: result?.warnings });
    expect(result?.runtimeError).toBeUndefined();
    expect(result?.scores.accessibility, failing).toBe(1);
    expect(result?.scores['best-practices'], failing).toBe(1);
    expect(result?.scores.seo, failing).toBe(1);
  });
});
