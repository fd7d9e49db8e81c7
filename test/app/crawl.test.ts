/**
 * A crawl from the home page by links alone: every public page, index, section and article of a whole
 * site must be reachable, as a visitor or a search engine finds them, and every link it follows
 * answers (no broken breadcrumb, menu item or child link).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePath } from '../../schema/addresses.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { siteDocuments } from '../support/site-documents.ts';

let app: TestApp;
beforeAll(async () => {
  // 25 generated articles: three pages of the default section's list.
  app = await startApp(siteDocuments(25), {}, { contentSeed: false });
});
afterAll(async () => {
  await app?.close();
});

/** The links of a page to other pages of the site (not assets, cards, feeds, share links). */
function links(html: string): string[] {
  const out: string[] = [];
  for (const [, raw = ''] of html.matchAll(/<a [^>]*href="([^"]+)"/g)) {
    const href = raw.replaceAll('&amp;', '&');
    const path = href.startsWith(SITE) ? href.slice(SITE.length) : href;
    if (!path.startsWith('/') || path.startsWith('//')) continue;
    if (/^\/(assets|og|deel|api)\/|\.xml$|^\/zoeken/.test(path)) continue;
    out.push(path.replace(/#.*$/, ''));
  }
  return out;
}

describe('a crawl from /', () => {
  it('reaches every public page, index, section and article by links alone, and every link answers', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const broken: string[] = [];
    while (queue.length > 0 && seen.size < 500) {
      const path = queue.shift() as string;
      const response = await app.fetch(path, { redirect: 'manual' });
      if (response.status !== 200) {
        broken.push(`${path} ${response.status}`);
        continue;
      }
      for (const link of links(await response.text())) {
        if (seen.has(link)) continue;
        seen.add(link);
        queue.push(link);
      }
    }
    expect(broken).toEqual([]);
    const pages = await app.client.execute('select path from pages where draft = 0');
    const articles = await app.client.execute(
      'select slug, section, published_at from articles where draft = 0',
    );
    const sections = await app.client.execute('select path from sections');
    const expected = [
      ...pages.rows.map((row) => String(row.path)),
      ...sections.rows.map((row) => String(row.path)),
      ...articles.rows.map((row) =>
        articlePath({
          slug: String(row.slug),
          section: String(row.section),
          publishedAt: String(row.published_at),
        }),
      ),
    ];
    expect(expected.length).toBeGreaterThan(30);
    expect(expected.filter((path) => !seen.has(path))).toEqual([]);
  });
});
