/**
 * Pages through the built Worker in workerd: what needs the runtime. The pages themselves (frame,
 * articles, search, feeds) are tested in-process in test/app/pages.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributes, textOf } from './support/html.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const MET = '/banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen';
const SITE = 'https://www.vso-werkgevers.nl';

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
