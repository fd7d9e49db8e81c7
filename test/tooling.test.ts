/**
 * Proves the browser, validator and Lighthouse tooling works on this machine, on two tiny pages
 * served from node:http: a clean one and a deliberately broken one.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../dev/lighthouse.ts';
import {
  type Browser,
  checkAccessibility,
  formatViolations,
  launchBrowser,
  openPage,
  type Page,
  screenshot,
} from './support/browser.ts';
import { formatHtmlErrors, type HtmlMessage, validateHtml } from './support/html-validator.ts';

const GOOD = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Een kleine, geldige testpagina.">
<link rel="icon" href="data:,">
<title>Goede pagina</title>
</head>
<body>
<header><p><a href="/good">VSO Werkgevers</a></p></header>
<main>
<h1>Nieuws voor werkgevers</h1>
<p>Deze pagina is geldig en toegankelijk.</p>
<img src="/pixel.png" alt="Een blauw vierkantje" width="40" height="40">
</main>
</body>
</html>
`;

const BROKEN = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
</head>
<body>
<p><div>Blok in een alinea</p>
<img src="/pixel.png">
<button></button>
<p style="color:#ccc;background:#fff">Te weinig contrast</p>
</body>
</html>
`;

/** A 1×1 blue PNG. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mNgaPgPAAKEAYD7Y8VCAAAAAElFTkSuQmCC',
  'base64',
);

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let validation: Promise<HtmlMessage[]>;

beforeAll(async () => {
  // The JVM starts while Chromium does: one vnu run for both documents.
  validation = validateHtml([GOOD, BROKEN]);
  validation.catch(() => {}); // reported by the test that awaits it
  server = createServer((request, response) => {
    const routes: Record<string, [string, string | Buffer]> = {
      '/good': ['text/html; charset=utf-8', GOOD],
      '/broken': ['text/html; charset=utf-8', BROKEN],
      '/pixel.png': ['image/png', PIXEL],
      '/robots.txt': ['text/plain; charset=utf-8', 'User-agent: *\nAllow: /\n'],
    };
    const route = routes[request.url ?? ''];
    response.writeHead(route ? 200 : 404, { 'content-type': route?.[0] ?? 'text/plain' });
    response.end(route?.[1] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

describe('HTML validator (vnu-jar)', () => {
  it('finds no errors in the good page and some in the broken one, in one run', async () => {
    const errors = await validation;
    const good = errors.filter((error) => error.document === 0);
    const broken = errors.filter((error) => error.document === 1);
    expect(good, formatHtmlErrors(good, ['good'])).toEqual([]);
    expect(broken.length).toBeGreaterThanOrEqual(1);
    expect(broken.map((error) => error.message).join('\n')).toMatch(
      /“img” element must have an “alt” attribute/,
    );
    expect(broken.every((error) => typeof error.line === 'number')).toBe(true);
    expect(formatHtmlErrors(broken, ['good', 'broken'])).toMatch(/^broken:\d+:\d+ /m);
  });
});

describe('Chromium + axe-core', () => {
  it('reports no accessibility violations on the good page', async () => {
    await page.goto(`${base}/good`);
    expect(await page.locator('h1').textContent()).toBe('Nieuws voor werkgevers');
    const violations = await checkAccessibility(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  });

  it('reports the image without alt (and more) on the broken page', async () => {
    await page.goto(`${base}/broken`);
    const violations = await checkAccessibility(page);
    const ids = violations.map((violation) => violation.id);
    expect(ids).toContain('image-alt');
    expect(ids).toContain('html-has-lang');
    expect(formatViolations(violations)).toMatch(/image-alt \(critical\)/);
  });

  it('writes a PNG screenshot under test-results/screenshots/', async () => {
    await page.goto(`${base}/good`);
    const file = await screenshot(page, 'tooling good page');
    expect(file).toMatch(/test-results\/screenshots\/tooling-good-page\.png$/);
    const png = await readFile(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(1000);
  });
});

describe('Lighthouse', () => {
  it('scores the good page higher on accessibility than the broken one', { timeout: 180_000 }, async () => {
    const [good, broken] = await runAudit([`${base}/good`, `${base}/broken`]);
    if (!good || !broken) throw new Error('expected two results');
    expect(good.runtimeError).toBeUndefined();
    expect(broken.runtimeError).toBeUndefined();
    for (const result of [good, broken]) {
      for (const score of Object.values(result.scores)) {
        expect(score).toBeTypeOf('number');
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
    expect(good.scores.accessibility, JSON.stringify(good.issues)).toBe(1);
    expect(broken.scores.accessibility).toBeLessThan(good.scores.accessibility ?? 0);
    expect(broken.issues.map((issue) => issue.id)).toContain('image-alt');
  });
});
