import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDocuments } from '../../pipeline/generated-documents.ts';
import { MET, POSTBUS } from '../support/addresses.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { attributes, textOf } from '../support/html.ts';

let app: TestApp;

// The two real documents plus 21 generated ones (dated 2020, so newer): 23 articles, 3 news pages.
// In-process, so without the L1 cache (test/cache.test.ts covers it in workerd).
beforeAll(async () => {
  app = await startApp(generatedDocuments(21));
});
afterAll(async () => {
  await app?.close();
});

/** GET a page, and count the requests the app sent to libSQL while producing it. */
async function get(path: string, init?: RequestInit) {
  app.resetStats();
  const response = await app.fetch(path, { redirect: 'manual', ...init });
  const html = await response.text();
  return { response, html, text: textOf(html), roundTrips: app.roundTrips };
}

describe('every page', () => {
  it.each([
    '/',
    '/banenafspraak/nieuws',
    MET,
    '/participanten',
    '/over-vso',
    '/zelfstandige-publieke-werkgevers',
    '/zoeken',
  ])(
    '%s has the frame: header, navigation, sidebar, footer, feed link; one database round trip',
    async (path) => {
      const { response, html, text, roundTrips } = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(html.startsWith('<!DOCTYPE html><html lang="nl">')).toBe(true);
      expect(html).toContain('<meta charset="utf-8"/>');
      expect(html).toMatch(/<a class="skip-link" href="#inhoud">/);
      expect(html).toContain('<main id="inhoud"');
      // Navigation, in both the wide list and the narrow <details> menu.
      expect(html).toContain('<summary>Ga naar...</summary>');
      for (const label of [
        'Home',
        'Nieuws',
        'Participanten',
        'Over VSO Werkgevers',
        'Zelfstandige Publieke Werkgevers',
        'Zoeken',
      ]) {
        expect(html).toContain(`>${label}</a>`);
      }
      // Sidebar: about + Lees verder, 13 participants alphabetically, Uitgelicht + Lees verder ».
      expect(text).toContain('Het VSO vertegenwoordigt de gezamenlijke belangen');
      // "Lees verder" leads where content-seed/site.yaml says (about.url, featured.url).
      expect(html).toMatch(/<a href="\/organisatie\/waar-staan-wij-voor\/">Lees verder/);
      const participants = [...html.matchAll(/<a href="\/participanten#[a-z0-9-]+">([^<]+)<\/a>/g)].map(
        (m) => m[1] ?? '',
      );
      expect(participants).toHaveLength(13);
      expect(participants).toEqual(
        [...participants].sort((a, b) => a.localeCompare(b, 'nl', { sensitivity: 'base' })),
      );
      expect(text).toMatch(
        /Uitgelicht Zelfstandige Publieke Werkgevers In 2008 namen de ‘niet-kabinetssectoren’/,
      );
      expect(html).toMatch(/<a href="\/bestuur\/zelfstandige-publieke-werkgevers\/">Lees verder.*»<\/a>/);
      expect(html).toContain('<footer class="site-footer">');
      expect(html).toContain(
        `<link rel="alternate" type="application/rss+xml" title="VSO Werkgevers — Nieuws" href="${SITE}/feed.xml"/>`,
      );
      expect(roundTrips).toBe(1);
    },
  );
});

describe('home and news', () => {
  it('lists the newest articles first with title link, Dutch date and excerpt', async () => {
    const { html, text } = await get('/');
    const links = attributes(html, 'a', 'href').filter((href) => href.startsWith('/banenafspraak/nieuws/'));
    expect(links[0]).toBe('/banenafspraak/nieuws/2020-01-21/bericht-nummer-21');
    expect(links).toHaveLength(10);
    // Every item is labelled with its section (the home page lists every section).
    expect(text).toContain(
      'Bericht nummer 21 21 januari 2020 · Nieuws Samenvatting van bericht 21 over werkgevers.',
    );
    // content-seed/ has a second section: the home page leads to each section's list.
    expect(html).toContain('<nav class="more" aria-label="Meer nieuws">');
    expect(html).toContain('<a href="/nieuws/algemeen">Algemeen nieuws</a>');
  });

  it('pages the news by 10 with ?pagina and previous/next links; past the end is a 404', async () => {
    const first = await get('/banenafspraak/nieuws');
    expect(first.html).toContain('<a href="/banenafspraak/nieuws?pagina=2" rel="next">');
    expect(first.html).not.toContain('rel="prev"');
    const third = await get('/banenafspraak/nieuws?pagina=3');
    expect(third.response.status).toBe(200);
    const titles = [...third.html.matchAll(/<h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'Bericht nummer 1',
      'Met elkaar voor 125.000 banen',
      'Centrale postbus voor vragen over de banenafspraak',
    ]);
    expect(third.html).toContain('<a href="/banenafspraak/nieuws?pagina=2" rel="prev">');
    expect(third.html).not.toContain('rel="next"');
    expect(third.roundTrips).toBe(1);
    for (const bad of ['?pagina=4', '?pagina=0', '?pagina=abc', '?pagina=-1', '?pagina=1e3']) {
      const { response, text } = await get(`/banenafspraak/nieuws${bad}`);
      expect(response.status, bad).toBe(404);
      expect(text).toContain('Pagina niet gevonden');
    }
  });
});

describe('article pages', () => {
  it('shows title, Dutch date in <time>, body blocks, source, share block and neighbours', async () => {
    const { response, html, text, roundTrips } = await get(MET);
    expect(response.status).toBe(200);
    expect(html).toContain('<h1 id="artikel-titel">Met elkaar voor 125.000 banen</h1>');
    expect(html).toContain('<time datetime="2019-02-12">Geplaatst op dinsdag 12 februari 2019</time>');
    expect(text).toContain('Hoe kunnen overheidssectoren, samen met de markt');
    expect(html.match(/<div class="article-body">([\s\S]*?)<\/div>/)?.[1]?.match(/<p>/g)).toHaveLength(6);
    expect(text).toContain('Bron: Op naar de 100.000 banen');
    expect(html).toContain('<h2 id="deel-titel">Deel dit artikel</h2>');
    // Neighbours: the older article is "previous", the newer one "next".
    expect(html).toContain(`<a href="${POSTBUS}" rel="prev">`);
    expect(html).toContain('<a href="/banenafspraak/nieuws/2020-01-01/bericht-nummer-1" rel="next">');
    expect(html).toContain(`<link rel="canonical" href="${SITE}${MET}"/>`);
    expect(roundTrips).toBe(1);
  });

  it('renders headings as <h2>, e-mail addresses as mailto links, and no source line without Bron', async () => {
    const { html, text } = await get(POSTBUS);
    expect(html).toContain('<h2>Kennisalliantie</h2>');
    expect(html).toContain(
      '<a href="mailto:kennisalliantiebanenafspraak@minbzk.nl">kennisalliantiebanenafspraak@minbzk.nl</a>.',
    );
    expect(text).not.toContain('Bron:');
    expect(html).toContain('<time datetime="2019-01-22">Geplaatst op dinsdag 22 januari 2019</time>');
  });

  it('redirects the right slug with a wrong date to the canonical URL (301)', async () => {
    const { response } = await get('/banenafspraak/nieuws/2020-01-01/met-elkaar-voor-125000-banen?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(MET);
  });

  it.each([
    '/banenafspraak/nieuws/2019-02-12/bestaat-niet',
    '/banenafspraak/nieuws/2019-02-12/Met-Elkaar',
    '/banenafspraak/nieuws/12-02-2019/met-elkaar-voor-125000-banen',
    '/banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen/extra',
    '/banenafspraak/nieuws/2019-02-12/%3Cscript%3E',
    '/nergens',
  ])('%s → the Dutch 404 page with a search box, a real 404 status', async (path) => {
    const { response, html, text } = await get(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(text).toContain('Pagina niet gevonden');
    expect(html).toContain('<input type="search" id="q-404" name="q"');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).not.toContain('<script');
  });
});

describe('site pages', () => {
  it('/participanten lists the 13 participants', async () => {
    const { html } = await get('/participanten');
    expect([...html.matchAll(/<li id="[a-z0-9-]+">/g)]).toHaveLength(13);
    expect(html).toContain('<li id="ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties">');
  });

  it('/over-vso and /zelfstandige-publieke-werkgevers show their texts', async () => {
    const about = await get('/over-vso');
    expect(about.html).toContain('<h1>Over VSO Werkgevers</h1>');
    expect(about.text).toContain('bijna één miljoen werknemers in dienst.');
    const featured = await get('/zelfstandige-publieke-werkgevers');
    expect(featured.html).toContain('<h1>Zelfstandige Publieke Werkgevers</h1>');
    expect(featured.text).toContain(
      'Deze groep werkgevers heeft immers een iets andere relatie met het kabinet.',
    );
  });
});

describe('search', () => {
  it('shows only the form for an empty query', async () => {
    const { html, roundTrips } = await get('/zoeken');
    expect(html).toContain('<input type="search" id="q" name="q" value=""');
    expect(html).not.toContain('id="resultaten"');
    expect(roundTrips).toBe(1);
  });

  it('ignores diacritics and highlights the match in a snippet', async () => {
    const { html, roundTrips } = await get('/zoeken?q=creeren');
    expect(html).toContain('1 resultaat voor “creeren”');
    expect(html).toContain(`<a href="${MET}">Met elkaar voor 125.000 banen</a>`);
    expect(html).toContain('<mark>creëren</mark>');
    expect(roundTrips).toBe(1);
  });

  it('matches prefixes', async () => {
    const { html } = await get('/zoeken?q=Kennisall');
    expect(html).toContain(`<a href="${POSTBUS}">`);
    expect(html).toMatch(/<mark>Kennisalliantie/);
  });

  it('says so when nothing matches, and survives FTS syntax in the query', async () => {
    for (const q of ['zzzyyyxxx', '"', 'NEAR(banen', 'banen AND OR NOT', '*', '{}:^', ')(']) {
      const { response, text } = await get(`/zoeken?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(200);
      expect(text, q).toMatch(/Geen resultaten voor|resulta(at|ten) voor/);
    }
  });

  it('pages the results by 10: "samenvatting" is in the 21 generated articles only', async () => {
    const first = await get('/zoeken?q=samenvatting');
    expect(first.text).toContain('21 resultaten voor “samenvatting”');
    expect(first.html.match(/<li><article><h3>/g)).toHaveLength(10);
    expect(first.html).toContain('Pagina 1 van 3');
    expect(first.html).toContain(
      '<a href="/zoeken?q=samenvatting&amp;pagina=2" rel="next">Volgende resultaten »</a>',
    );
    expect(first.roundTrips).toBe(1);
    const last = await get('/zoeken?q=samenvatting&pagina=3');
    expect(last.html.match(/<li><article><h3>/g)).toHaveLength(1);
    expect(last.html).toContain(
      '<a href="/zoeken?q=samenvatting&amp;pagina=2" rel="prev">« Vorige resultaten</a>',
    );
    const titles = (html: string) => [...html.matchAll(/<h3><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    const all = [
      ...titles(first.html),
      ...titles((await get('/zoeken?q=samenvatting&pagina=2')).html),
      ...titles(last.html),
    ];
    expect(new Set(all).size).toBe(21);
    for (const path of [
      '/zoeken?q=samenvatting&pagina=4',
      '/zoeken?q=samenvatting&pagina=0',
      '/zoeken?q=x&pagina=abc',
    ]) {
      expect((await get(path)).response.status, path).toBe(404);
    }
  });

  it('answers a query over 200 characters with a friendly message', async () => {
    const { response, text } = await get(`/zoeken?q=${'a'.repeat(201)}`);
    expect(response.status).toBe(200);
    expect(text).toContain('Uw zoekopdracht is te lang. Gebruik maximaal 200 tekens.');
  });

  it('counts the query as the API does: as sent, in code points', async () => {
    const emoji = await get(`/zoeken?q=${encodeURIComponent('😀'.repeat(200))}`);
    expect(emoji.text).not.toContain('Uw zoekopdracht is te lang.');
    const padded = await get(`/zoeken?q=${encodeURIComponent(` ${'a'.repeat(199)} `)}`);
    expect(padded.text).toContain('Uw zoekopdracht is te lang.');
    const api = await get(`/api/search?q=${encodeURIComponent(` ${'a'.repeat(199)} `)}`);
    expect(api.response.status).toBe(400);
  });
});

describe('feed, sitemap, robots', () => {
  it('/feed.xml is RSS 2.0 with full content, newest first', async () => {
    const { response, html: xml } = await get('/feed.xml');
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    const items = xml.split('<item>').slice(1);
    expect(items).toHaveLength(20);
    expect(items[0]).toContain(
      '<link>https://www.vso-werkgevers.nl/banenafspraak/nieuws/2020-01-21/bericht-nummer-21</link>',
    );
    expect(items[0]).toContain(
      '<content:encoded>&lt;p&gt;Samenvatting van bericht 21 over werkgevers.&lt;/p&gt;',
    );
  });

  it('/sitemap.xml lists every page and every article with lastmod', async () => {
    const { html: xml } = await get('/sitemap.xml');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc><lastmod>[^<]+<\/lastmod>/g)].map((m) => m[1]);
    // The 5 fixed pages, the 23 articles, content-seed's 8 pages, the 4 indexes above them and the
    // second section.
    expect(locs).toHaveLength(5 + 23 + 8 + 4 + 1);
    expect(locs).toContain(`${SITE}${MET}`);
    expect(locs).toContain(`${SITE}/participanten`);
  });

  it('/robots.txt points at the sitemap', async () => {
    const { text } = await get('/robots.txt');
    expect(text).toContain(`Sitemap: ${SITE}/sitemap.xml`);
  });
});
