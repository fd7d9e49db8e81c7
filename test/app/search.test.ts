/**
 * Search over more matches than are ranked: relevance is ranked among the newest 200 matches, the
 * page says how many there are in all, and the pages end with the ranked ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDocuments } from '../../pipeline/generated-documents.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { textOf } from '../support/html.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startApp(generatedDocuments(205));
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('a word in more articles than are ranked', () => {
  it('counts every match, ranks the newest 200, and pages through those', async () => {
    const first = await app.fetch('/zoeken?q=samenvatting');
    const text = textOf(await first.text());
    expect(text).toContain('205 resultaten voor “samenvatting”');
    expect(text).toContain('De 200 nieuwste berichten met deze woorden staan op volgorde van relevantie.');
    expect(text).toContain('Pagina 1 van 20');
    expect((await app.fetch('/zoeken?q=samenvatting&pagina=20')).status).toBe(200);
    expect((await app.fetch('/zoeken?q=samenvatting&pagina=21')).status).toBe(404);

    const api = (await (await app.fetch('/api/search?q=samenvatting&limit=50&page=4')).json()) as {
      results: { slug: string }[];
      meta: { pagination: Record<string, unknown> };
    };
    expect(api.meta.pagination).toEqual({
      page: 4,
      limit: 50,
      pages: 4,
      total: 200,
      next: null,
      prev: 3,
      matches: 205,
    });
    expect(api.results).toHaveLength(50);
    // The five oldest matches are beyond the ranked ones: "Bericht nummer 1" to 5.
    const ranked = new Set<string>();
    for (let page = 1; page <= 4; page++) {
      const body = (await (await app.fetch(`/api/search?q=samenvatting&limit=50&page=${page}`)).json()) as {
        results: { slug: string }[];
      };
      for (const r of body.results) ranked.add(r.slug);
    }
    expect(ranked.size).toBe(200);
    for (let n = 1; n <= 5; n++) expect(ranked.has(`bericht-nummer-${n}`)).toBe(false);
  });

  it('ranks the newest by publication date, not the order the articles were added in', async () => {
    // The same 205 documents, the newest added first: the oldest rows are the newest articles.
    const reversed = await startApp(generatedDocuments(205).reverse());
    try {
      const ranked = new Set<string>();
      for (let page = 1; page <= 4; page++) {
        const response = await reversed.fetch(`/api/search?q=samenvatting&limit=50&page=${page}`);
        for (const r of ((await response.json()) as { results: { slug: string }[] }).results)
          ranked.add(r.slug);
      }
      expect(ranked.size).toBe(200);
      for (let n = 1; n <= 5; n++) expect(ranked.has(`bericht-nummer-${n}`)).toBe(false);
      const first = (await (await reversed.fetch('/api/search?q=samenvatting&limit=1')).json()) as {
        results: { slug: string }[];
      };
      expect(first.results[0]?.slug).toBe('bericht-nummer-205');
    } finally {
      await reversed.close();
    }
  });

  it('shows no note when every match is ranked', async () => {
    const text = textOf(await (await app.fetch('/zoeken?q=nummer%20205')).text());
    expect(text).toContain('1 resultaat voor “nummer 205”');
    expect(text).not.toContain('nieuwste berichten met deze woorden');
  });
});
