/**
 * Search as a Dutch reader uses it, on the page and in the API: compounds, stems, abbreviations,
 * "Bedoelde u …?", the ranking tiers and one database round trip each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.ts';
import { makeDocument } from '../support/documents.ts';
import { textOf } from '../support/html.ts';

const MET = 'met-elkaar-voor-125000-banen';
const POSTBUS = 'centrale-postbus-voor-vragen-over-de-banenafspraak';

/** An article-only document: it leaves the site parts to the real documents. */
const article = (name: string, title: string, date: string, body: string[]) => ({
  name,
  text: makeDocument({ about: null, participants: null, featured: false, title, date, body }),
});

// For "pensioen": a title as written, a title compound, the body as written (twice, an older and a
// newer), a stem in the body and a compound in the body, the newest last, so that date alone would
// put them in the wrong order.
const EXTRA = [
  article('p1.txt', 'Pensioen voor iedereen', 'maandag 5 januari 2015', ['Een bericht over de regeling.']),
  article('p2.txt', 'Pensioenakkoord gesloten', 'dinsdag 5 januari 2016', ['Een bericht over het akkoord.']),
  article('p3.txt', 'Een bericht uit het onderwijs', 'dinsdag 2 januari 2018', ['Het pensioen van leraren.']),
  article('p4.txt', 'Een bericht uit de zorg', 'vrijdag 1 juni 2018', ['Het pensioen van verpleegkundigen.']),
  article('p5.txt', 'Een bericht over de regio', 'donderdag 5 januari 2017', [
    'De pensioenen van ambtenaren.',
  ]),
  article('p6.txt', 'Een bericht over beleggen', 'zaterdag 5 januari 2019', ['Het pensioenfonds belegt.']),
  article('vng.txt', 'Gemeenten zoeken personeel', 'maandag 7 januari 2019', [
    'De Vereniging van Nederlandse Gemeenten ziet de vacatures oplopen.',
  ]),
];

let app: TestApp;

beforeAll(async () => {
  app = await startApp(EXTRA);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

type ApiSearch = {
  results: { slug: string; snippet: string }[];
  suggestions: { query: string; url: string }[];
  meta: { pagination: { matches: number } };
};

async function api(q: string) {
  app.resetStats();
  const response = await app.fetch(`/api/search?q=${encodeURIComponent(q)}&limit=50`);
  expect(response.status, q).toBe(200);
  const body = (await response.json()) as ApiSearch;
  expect(app.roundTrips, q).toBe(1);
  return body;
}

async function page(q: string) {
  app.resetStats();
  const response = await app.fetch(`/zoeken?q=${encodeURIComponent(q)}`);
  expect(response.status, q).toBe(200);
  const html = await response.text();
  expect(app.roundTrips, q).toBe(1);
  return { html, text: textOf(html) };
}

const slugs = (body: ApiSearch) => body.results.map((r) => r.slug);

describe('the examples of a Dutch reader', () => {
  it.each([
    ['afspraak', [MET, POSTBUS], 'Banen<mark>afspraak</mark>'],
    ['werkgever', [MET, POSTBUS], 'markt<mark>werkgever</mark>s'],
    ['baan', [MET, POSTBUS], '<mark>banen</mark>'],
    ['BZK', [MET, POSTBUS], '<mark>Binnenlandse</mark> <mark>zaken</mark>'],
    ['Binnenlandse Zaken', [MET, POSTBUS], '<mark>BZK</mark>'],
    ['SZW', [MET, POSTBUS], '<mark>Sociale</mark> <mark>Zaken</mark> en <mark>Werkgelegenheid</mark>'],
    ['VNG', ['gemeenten-zoeken-personeel'], '<mark>Vereniging</mark> van <mark>Nederlandse</mark>'],
  ])('%s finds %j and marks what matched, on the page and in the API', async (q, expected, mark) => {
    const body = await api(q);
    expect(slugs(body).sort()).toEqual([...expected].sort());
    expect(body.results.map((r) => r.snippet).join(' ')).toContain(mark);
    const { html } = await page(q);
    expect(html).toContain(`${expected.length} ${expected.length === 1 ? 'resultaat' : 'resultaten'} voor`);
    expect(html).toContain(mark);
  });

  it('offers "Bedoelde u: banenafspraak?" for a typo, as a link, and in the API', async () => {
    const { html, text } = await page('banenafsrpaak');
    expect(text).toContain('Geen resultaten voor “banenafsrpaak”');
    expect(text).toContain('Bedoelde u: banenafspraak?');
    expect(html).toContain('<a href="/zoeken?q=banenafspraak">banenafspraak</a>');
    const body = await api('banenafsrpaak');
    expect(body.results).toEqual([]);
    expect(body.suggestions).toEqual([
      { query: 'banenafspraak', url: 'https://www.vso-werkgevers.nl/zoeken?q=banenafspraak' },
    ]);
    // A word that matches offers nothing.
    expect((await api('banenafspraak')).suggestions).toEqual([]);
    expect(await page('banenafspraak')).not.toHaveProperty('text', expect.stringContaining('Bedoelde u'));
  });
});

describe('ranking', () => {
  it('puts title matches first, then words as written, stems and compound parts, then the newest', async () => {
    expect(slugs(await api('pensioen'))).toEqual([
      'pensioen-voor-iedereen', // title, as written
      'pensioenakkoord-gesloten', // title, compound
      'een-bericht-uit-de-zorg', // body, as written, 2018-06
      'een-bericht-uit-het-onderwijs', // body, as written, 2018-01
      'een-bericht-over-de-regio', // body, stem
      'een-bericht-over-beleggen', // body, compound, the newest
    ]);
  });
});

describe('a query no article holds every word of', () => {
  it('ranks the articles with the most of its words, and says so', async () => {
    // "xylofoon" is in no article; "pensioen" and "regeling" are both only in "Pensioen voor iedereen".
    const body = (await api('xylofoon pensioen regeling')) as ApiSearch & { meta: { allWords: boolean } };
    expect(body.meta.allWords).toBe(false);
    expect(slugs(body)[0]).toBe('pensioen-voor-iedereen');
    expect(slugs(body)).toHaveLength(6);
    const { text } = await page('xylofoon pensioen regeling');
    expect(text).toContain('Geen bericht bevat al deze woorden. Hieronder de berichten met de meeste ervan.');
    // A query whose words all occur together does not say it.
    expect(
      ((await api('pensioen regeling')) as ApiSearch & { meta: { allWords: boolean } }).meta.allWords,
    ).toBe(true);
    expect((await page('pensioen regeling')).text).not.toContain('Geen bericht bevat al deze woorden');
  });
});

describe('any input', () => {
  it.each([
    '"banen" OR title:x',
    'NEAR(banen afspraak, 2)',
    '{title body}: banen',
    'banen* ^werk -afspraak',
    "'; drop table articles; --",
    'AND OR NOT',
    '"',
  ])('%s is searched as words, never as FTS5 syntax', async (q) => {
    const body = await api(q);
    expect(Array.isArray(body.results)).toBe(true);
    expect(typeof body.meta.pagination.matches).toBe('number');
  });
});
