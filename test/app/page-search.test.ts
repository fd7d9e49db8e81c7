/**
 * Search finds content pages too: in their own index (the same words, stems, compound parts and
 * glossary forms as the articles'), shown above the articles on /zoeken and as `pages` in the API;
 * drafts and the seed's indexes are never found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE } from '../support/addresses.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { textOf } from '../support/html.ts';
import { ONLY_THESE, pageDocuments } from '../support/page-documents.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startApp(pageDocuments, {}, ONLY_THESE);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

interface SearchBody {
  results: { slug: string; section: string; url: string }[];
  pages: { url: string; path: string; title: string; excerpt: string; snippet: string }[];
}
const search = async (q: string) =>
  (await (await app.fetch(`/api/search?q=${encodeURIComponent(q)}`)).json()) as SearchBody;

describe('pages in search', () => {
  it('finds a page by a word of its body, with its exact path, URL and a marked snippet', async () => {
    const body = await search('walrusvergadering');
    expect(body.pages).toEqual([
      {
        url: `${SITE}/organisatie/contact`,
        path: '/organisatie/contact',
        title: 'Contact met het secretariaat',
        excerpt: 'Bel het secretariaat over de walrusvergadering.',
        snippet: 'Bel het secretariaat over de <mark>walrusvergadering</mark>.',
      },
    ]);
    expect(body.results).toEqual([]);
  });

  it('finds a page of page text by a compound part and by a stem', async () => {
    // "regeling" inside "arbeidsvoorwaardenregeling"; "gemeente" is the stem of "gemeenten".
    for (const q of ['regeling', 'gemeente', 'Pinguïnkolonie']) {
      expect(
        (await search(q)).pages.map((p) => p.path),
        q,
      ).toEqual(['/organisatie/achtergrond/']);
    }
    expect((await search('regeling')).pages[0]?.snippet).toContain('arbeidsvoorwaarden<mark>regeling</mark>');
  });

  it('finds a page by the glossary form of a name it holds', async () => {
    const body = await search('BZK');
    expect(body.pages.map((p) => p.path)).toEqual(['/organisatie/achtergrond/']);
    expect(body.pages[0]?.snippet).toContain('<mark>Binnenlandse</mark>');
  });

  it('ranks a page whose title holds the words above one whose body does', async () => {
    // By title alone "Achtergrond …" would come first; the title match ranks "Contact …" above it.
    const body = await search('secretariaat');
    expect(body.pages.map((p) => p.path)).toEqual(['/organisatie/contact', '/organisatie/achtergrond/']);
  });

  it('never finds a draft page, by a word of its own or by its title', async () => {
    for (const q of ['flamingoberaad', 'flamingo', 'Geheime notulen']) {
      const body = await search(q);
      expect(body.pages, q).toEqual([]);
      expect(body.results, q).toEqual([]);
    }
    // A word the draft shares with a public page finds only the public one.
    expect((await search('pinguinkolonie')).pages.map((p) => p.path)).toEqual(['/organisatie/achtergrond/']);
  });

  it('never finds the index the seed made (it has no text of its own)', async () => {
    expect((await search('organisatie')).pages).toEqual([]);
  });

  it('keeps the article results as they were, each with its section and URL', async () => {
    const body = await search('kolibrie');
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({
      slug: 'een-bericht-over-de-kolibrie',
      section: '/nieuws/algemeen',
      url: `${SITE}/nieuws/algemeen/2020-03-03/een-bericht-over-de-kolibrie`,
    });
    expect(Object.keys(body.results[0] ?? {}).sort()).toEqual(
      ['excerpt', 'publishedAt', 'section', 'slug', 'snippet', 'title', 'updatedAt', 'url'].sort(),
    );
  });

  it('shows the pages above the articles on /zoeken, in one round trip', async () => {
    app.resetStats();
    const response = await app.fetch('/zoeken?q=pinguinkolonie');
    const html = await response.text();
    expect(app.roundTrips).toBe(1);
    const text = textOf(html);
    expect(text).toContain("Pagina's");
    expect(text).toContain('Achtergrond van het verbond');
    expect(text).not.toContain('Geheime notulen');
    expect(html).toContain('href="/organisatie/achtergrond/"');
    expect(html).toMatch(/<mark>pinguinkolonie<\/mark>/);
    expect(html.indexOf("Pagina's")).toBeLessThan(html.indexOf('id="resultaten"'));
  });

  it('answers the API search in one round trip', async () => {
    app.resetStats();
    await search('walrusvergadering');
    expect(app.roundTrips).toBe(1);
  });

  it('shows no pages section when no page matches', async () => {
    const html = await (await app.fetch('/zoeken?q=kolibrie')).text();
    expect(textOf(html)).not.toContain("Pagina's");
  });
});
