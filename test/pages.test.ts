/**
 * Pages through the built Worker in workerd: what needs the runtime, here the static assets
 * (public/) they link. The pages themselves (frame, articles, search, feeds) and their link
 * previews are tested in-process in test/app/pages.test.ts and test/app/link-previews.test.ts.
 */
import ogs from 'open-graph-scraper';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL } from '../worker/cache/cache-policy.ts';
import { buildOpenApi } from '../worker/routes/openapi.ts';
import { MET, SITE } from './support/addresses.ts';
import { attributes, textOf } from './support/html.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: SITE, bindings: { L1_CACHE: 'off' } });
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

describe('static assets', () => {
  it('serves the fingerprinted stylesheet and logo with a year of immutable caching', async () => {
    const html = await (await worker.fetch('/')).text();
    const css = attributes(html, 'link', 'href').find((href) => href.endsWith('.css')) ?? '';
    const logo = attributes(html, 'img', 'src')[0] ?? '';
    expect(css).toMatch(/^\/assets\/site\.[0-9a-f]{10}\.css$/);
    for (const path of [css, logo]) {
      const response = await worker.fetch(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await response.arrayBuffer();
    }
  });

  it("serves the OpenAPI document at /api/openapi.json with the API's headers", async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await worker.fetch('/api/openapi.json', {
        method,
        headers: { Origin: 'https://example.org' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL.page);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(method === 'GET' ? JSON.stringify(buildOpenApi(SITE)) : '');
    }
  });
});

/** The first 32 KB of a page, as Slack reads it. */
async function first32k(path: string): Promise<string> {
  const bytes = new Uint8Array(await (await worker.fetch(path)).arrayBuffer());
  return new TextDecoder().decode(bytes.subarray(0, 32 * 1024));
}

async function png(url: string): Promise<{ response: Response; image: PNG }> {
  const response = await worker.fetch(new URL(url).pathname);
  return { response, image: PNG.sync.read(Buffer.from(await response.arrayBuffer())) };
}

describe('other pages', () => {
  it.each(['/', '/banenafspraak/nieuws', '/participanten', '/over-vso', '/zelfstandige-publieke-werkgevers'])(
    '%s is og:type website with the default card',
    async (page) => {
      const head = await first32k(page);
      const { result } = await ogs({ html: head });
      expect(result.ogType).toBe('website');
      expect(result.ogUrl).toBe(`${SITE}${page}`);
      expect(result.twitterCard).toBe('summary_large_image');
      expect(head).not.toContain('application/ld+json');
      expect(head).not.toContain('json+oembed');
      const url = result.ogImage?.[0]?.url ?? '';
      expect(url).toMatch(new RegExp(`^${SITE}/assets/card\\.[0-9a-f]+\\.png$`));
      const { response, image } = await png(url);
      expect(response.status).toBe(200);
      expect([image.width, image.height]).toEqual([1200, 630]);
    },
  );
});

describe('when the database is away', () => {
  it('answers pages with a calm Dutch 503 page with Retry-After, and the API with the envelope', async () => {
    const orphan = await startWorker({ libsqlUrl: 'http://127.0.0.1:9', siteUrl: SITE });
    try {
      const page = await orphan.fetch(MET);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('30');
      expect(textOf(await page.text())).toContain('Er ging even iets mis');
      const api = await orphan.fetch('/api/articles');
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({
        error: { code: 'service_unavailable', message: 'De database is tijdelijk niet bereikbaar.' },
      });
    } finally {
      await orphan.dispose();
    }
  });
});
