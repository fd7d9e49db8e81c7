/**
 * The whole site, in-process: content pages at their exact addresses, the other slash form, former
 * addresses and redirects, news sections with their lists, feeds and articles, the home page's
 * labels, the sitemap, and what each costs in database round trips. The rows come from
 * test/support/site-documents.ts (real documents through the real seed).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MET } from '../support/addresses.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { textOf } from '../support/html.ts';
import { SITE_ROWS, siteDocuments } from '../support/site-documents.ts';

let app: TestApp;
let rows: typeof SITE_ROWS;

// The two real articles and 10 generated ones: bericht-nummer-2 moves to /nieuws/algemeen, so the
// default section keeps 11 (two pages of its list), and the home page's 10 include it.
beforeAll(async () => {
  app = await startApp(siteDocuments(10), {}, { contentSeed: false });
  rows = SITE_ROWS;
});
afterAll(async () => {
  await app?.close();
});

async function get(path: string, init?: RequestInit) {
  app.resetStats();
  const response = await app.fetch(path, { redirect: 'manual', ...init });
  const html = await response.text();
  return { response, html, text: textOf(html), roundTrips: app.roundTrips };
}
const location = (response: Response) => response.headers.get('location');
const breadcrumbs = (html: string) =>
  html.match(/<nav class="breadcrumbs" aria-label="Kruimelpad">([\s\S]*?)<\/nav>/)?.[1];

describe('content pages', () => {
  it('a page with a trailing slash answers 200 at its exact path, with breadcrumbs, body and sidebar', async () => {
    const { response, html, text } = await get(rows.background.path);
    expect(response.status).toBe(200);
    expect(html).toContain(`<h1 id="pagina-titel">${rows.background.title}</h1>`);
    expect(html).toContain(`<h2>${rows.background.heading}</h2>`);
    // The body is rendered as articles are: bare hosts become links.
    expect(html).toContain('<a href="https://www.vso-werkgevers.nl">www.vso-werkgevers.nl</a>');
    expect(breadcrumbs(html)).toBe(
      '<ol><li><a href="/">Home</a></li><li><a href="/organisatie/">Organisatie</a></li><li><a href="/organisatie/achtergrond/" aria-current="page">Achtergrond</a></li></ol>',
    );
    expect(html).toContain('<aside class="sidebar"');
    expect(text).toContain('Het VSO vertegenwoordigt');
    expect(html).toContain(`<link rel="canonical" href="${SITE}${rows.background.path}"/>`);
  });

  it('a page without a trailing slash (a sector page) answers at its path; its slash form 301s to it', async () => {
    const page = await get(rows.sector.path);
    expect(page.response.status).toBe(200);
    expect(breadcrumbs(page.html)).toContain(
      '<li><a href="/banenafspraak/sectorinformatie/">Sectorinformatie</a></li>',
    );
    const other = await get(`${rows.sector.path}/?utm_source=x`);
    expect(other.response.status).toBe(301);
    expect(location(other.response)).toBe(`${SITE}${rows.sector.path}?utm_source=x`);
  });

  it('the other slash form of a page answers one 301 to its exact path, on SITE_URL', async () => {
    const { response } = await get('/organisatie/achtergrond');
    expect(response.status).toBe(301);
    expect(location(response)).toBe(`${SITE}${rows.background.path}`);
    // And it is not a chain: the target answers 200.
    expect((await get(location(response)?.slice(SITE.length) ?? '')).response.status).toBe(200);
  });

  it('lists its child pages and child sections with title, link and excerpt, by position', async () => {
    const { html, text } = await get(rows.jobs.path);
    expect(html).toContain(
      '<h3><a href="/banenafspraak/sectorinformatie/">Sectorinformatie</a></h3><p>Per sector.</p>',
    );
    // The default section is a child of /banenafspraak/ too.
    expect(html).toContain('<h3><a href="/banenafspraak/nieuws">Nieuws</a></h3>');
    expect(text).toContain('In dit onderdeel');
  });

  it('a virtual index is its title and its children (no draft among them), served with its slash', async () => {
    const { response, html } = await get(rows.organisation.path);
    expect(response.status).toBe(200);
    expect(html).toContain(`<h1 id="pagina-titel">${rows.organisation.title}</h1>`);
    expect(html).not.toContain('<div class="article-body">');
    const children = [...html.matchAll(/<h3><a href="([^"]+)">/g)].map((m) => m[1]);
    expect(children).toEqual([rows.background.path, rows.mission.path]);
    expect((await get('/organisatie')).response.status).toBe(301);
    // No index is made above a section alone: no link would lead to it.
    expect((await get('/nieuws/')).response.status).toBe(301);
    expect((await get('/nieuws')).response.status).toBe(404);
  });

  it('a page without the sidebar shows none', async () => {
    const { response, html } = await get(rows.mission.path);
    expect(response.status).toBe(200);
    expect(html).not.toContain('<aside class="sidebar"');
  });

  it('a draft page is a 404 (its slash form goes the way of any unknown path), and in no list', async () => {
    const slashed = await get(rows.draft.path);
    expect(slashed.response.status).toBe(301);
    expect(location(slashed.response)).toBe(`${SITE}/organisatie/concept`);
    const { response, text } = await get('/organisatie/concept');
    expect(response.status).toBe(404);
    expect(text).toContain('Pagina niet gevonden');
    expect((await get('/sitemap.xml')).html).not.toContain('concept');
  });

  it('has Open Graph (website), a Twitter card, the site card and JSON-LD WebPage with its BreadcrumbList', async () => {
    const { html } = await get(rows.background.path);
    expect(html).toContain('<meta property="og:type" content="website"/>');
    expect(html).toContain(`<meta property="og:url" content="${SITE}${rows.background.path}"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toMatch(
      /<meta property="og:image" content="https:\/\/www\.vso-werkgevers\.nl\/assets\/card\.[^"]+\.png"\/>/,
    );
    const json = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1] ?? '';
    const data = JSON.parse(json) as {
      '@type': string;
      url: string;
      breadcrumb: { '@type': string; itemListElement: { position: number; name: string; item: string }[] };
    };
    expect(data['@type']).toBe('WebPage');
    expect(data.url).toBe(`${SITE}${rows.background.path}`);
    expect(data.breadcrumb['@type']).toBe('BreadcrumbList');
    expect(data.breadcrumb.itemListElement).toEqual([
      { '@type': 'ListItem', position: 1, name: 'Home', item: `${SITE}/` },
      { '@type': 'ListItem', position: 2, name: 'Organisatie', item: `${SITE}/organisatie/` },
      { '@type': 'ListItem', position: 3, name: 'Achtergrond', item: `${SITE}${rows.background.path}` },
    ]);
  });

  it('the menu marks the page aria-current="page" and the index above it aria-current="true"', async () => {
    const { html } = await get(rows.background.path);
    const menu = html.match(/<nav class="nav-wide"[^>]*>([\s\S]*?)<\/nav>/)?.[1] ?? '';
    expect(menu).toContain('<a href="/organisatie/achtergrond/" aria-current="page">Achtergrond</a>');
    expect(menu).toContain('<a href="/organisatie/" aria-current="true">Organisatie</a>');
    expect(menu.match(/aria-current/g)).toHaveLength(2);
  });

  it('answers ?pagina with a 301 to itself (the cache key keeps it for the sections)', async () => {
    const { response } = await get(`${rows.background.path}?pagina=2`);
    expect(response.status).toBe(301);
    expect(location(response)).toBe(`${SITE}${rows.background.path}`);
  });

  it('answers another method with 405 and Allow: GET, HEAD', async () => {
    await get(rows.background.path);
    const { response } = await get(rows.background.path, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('addresses that keep working', () => {
  it.each([
    ['a former address', SITE_ROWS.background.former, SITE_ROWS.background.path],
    ['an alias of a page', SITE_ROWS.background.alias, SITE_ROWS.background.path],
    ['a redirect to a page', SITE_ROWS.redirects[0].path, SITE_ROWS.redirects[0].target],
    ['a redirect to a section', SITE_ROWS.redirects[1].path, SITE_ROWS.redirects[1].target],
  ])('%s answers one 301 on SITE_URL, in both slash forms', async (_, from, to) => {
    for (const path of [from, `${from}/`]) {
      const { response } = await get(path);
      expect(response.status, path).toBe(301);
      expect(location(response), path).toBe(`${SITE}${to}`);
      const target = await get(to);
      expect(target.response.status, to).toBe(200);
    }
  });

  it('trailing slashes elsewhere still 301 to the form without, on SITE_URL only', async () => {
    const news = await get('/banenafspraak/nieuws/?pagina=2');
    expect(news.response.status).toBe(301);
    expect(location(news.response)).toBe(`${SITE}/banenafspraak/nieuws?pagina=2`);
    expect(news.response.headers.get('cache-control')).toBe('private, max-age=86400');
    // (`//evil.example/` as a request target: test/http-rules.test.ts, over raw HTTP.)
    const unknown = await get('/nergens/');
    expect(unknown.response.status).toBe(301);
    expect(location(unknown.response)).toBe(`${SITE}/nergens`);
  });
});

describe('news sections', () => {
  it('a section lists only its own articles at its path', async () => {
    const { response, html } = await get(rows.section.path);
    expect(response.status).toBe(200);
    expect(html).toContain(`<h1>${rows.section.title}</h1>`);
    const links = [...html.matchAll(/<h2><a href="([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual([rows.sectionArticle.path]);
    const empty = await get(rows.emptySection.path);
    expect(empty.text).toContain('Er zijn nog geen berichten.');
  });

  it('/banenafspraak/nieuws lists only the default section, by 10 a page', async () => {
    const first = await get('/banenafspraak/nieuws');
    expect(first.text).toContain('11 berichten, pagina 1 van 2');
    expect(first.html).not.toContain(rows.sectionArticle.slug);
    expect(first.html).toContain('<a href="/banenafspraak/nieuws?pagina=2" rel="next">');
    expect((await get('/banenafspraak/nieuws?pagina=3')).response.status).toBe(404);
    expect((await get(`${rows.section.path}?pagina=2`)).response.status).toBe(404);
    expect((await get(`${rows.section.path}?pagina=x`)).response.status).toBe(404);
  });

  it('serves a section’s article at its URL, with the section in the breadcrumb', async () => {
    const { response, html } = await get(rows.sectionArticle.path);
    expect(response.status).toBe(200);
    expect(html).toContain('<h1 id="artikel-titel">Bericht nummer 2</h1>');
    expect(html).toContain(
      `<p class="breadcrumb"><a href="${rows.section.path}">${rows.section.title}</a></p>`,
    );
    expect(html).toContain(`<link rel="canonical" href="${SITE}${rows.sectionArticle.path}"/>`);
  });

  it('an article asked under another section or date answers one 301 to its URL', async () => {
    for (const wrong of [
      '/banenafspraak/nieuws/2020-01-02/bericht-nummer-2',
      '/nieuws/bestuur/2020-01-02/bericht-nummer-2',
      '/nieuws/algemeen/2019-01-01/bericht-nummer-2',
      `/nieuws/algemeen/2019-02-12/${MET.split('/').pop()}`,
    ]) {
      const { response } = await get(wrong);
      expect(response.status, wrong).toBe(301);
      expect(location(response), wrong).toBe(
        wrong.includes('bericht-nummer-2') ? rows.sectionArticle.path : MET,
      );
    }
    expect((await get('/nergens/2020-01-02/bericht-nummer-2')).response.status).toBe(404);
    expect((await get('/nieuws/algemeen/2020-01-02/bestaat-niet')).response.status).toBe(404);
  });

  it('each section has its own feed; the main feed has every section, each item with its <category>', async () => {
    const own = await get(`${rows.section.path}/feed.xml`);
    expect(own.response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(own.html.split('<item>')).toHaveLength(2);
    expect(own.html).toContain(`<link>${SITE}${rows.sectionArticle.path}</link>`);
    expect(own.html).toContain(`<atom:link href="${SITE}${rows.section.path}/feed.xml" rel="self"`);
    const main = await get('/feed.xml');
    const items = main.html.split('<item>').slice(1);
    expect(items).toHaveLength(12);
    const algemeen = items.find((item) => item.includes(rows.sectionArticle.path));
    expect(algemeen).toContain(`<category>${rows.section.title}</category>`);
    expect(items.filter((item) => item.includes('<category>Nieuws</category>'))).toHaveLength(11);
    const news = await get('/banenafspraak/nieuws/feed.xml');
    expect(news.html.split('<item>')).toHaveLength(12);
  });

  it('the home page shows every section, each item labelled with its section title', async () => {
    const { html } = await get('/');
    expect(html).toContain(
      `<a href="${rows.sectionArticle.path}">Bericht nummer 2</a></h2><p class="meta"><time datetime="2020-01-02">`,
    );
    expect(html).toContain(
      `· <a class="section-label" href="${rows.section.path}">${rows.section.title}</a>`,
    );
    expect(html).toContain('· <a class="section-label" href="/banenafspraak/nieuws">Nieuws</a>');
  });
});

describe('caching', () => {
  it('a page carries its tags (its own, its ancestors’, the site’s), an ETag, and answers 304 to it', async () => {
    const { response } = await get(rows.background.path);
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=60, stale-while-revalidate=86400, stale-if-error=86400',
    );
    expect(response.headers.get('cache-tag')).toBe('site,page:/organisatie,page:/organisatie/achtergrond');
    const etag = response.headers.get('etag') ?? '';
    // The content version the seed wrote is in it.
    const [version] = (await app.client.execute("select value from site_meta where key = 'content_version'"))
      .rows;
    expect(etag).toContain(String(version?.value));
    const again = await get(rows.background.path, { headers: { 'If-None-Match': etag } });
    expect(again.response.status).toBe(304);
    // A page that lists sections is in the lists of pages too.
    expect((await get(rows.jobs.path)).response.headers.get('cache-tag')).toBe(
      'site,pages,page:/banenafspraak',
    );
  });

  it('a section list carries site and articles, its feed articles', async () => {
    expect((await get(rows.section.path)).response.headers.get('cache-tag')).toBe('site,articles');
    expect((await get(`${rows.section.path}/feed.xml`)).response.headers.get('cache-tag')).toBe('articles');
    expect((await get('/sitemap.xml')).response.headers.get('cache-tag')).toBe('site,pages,articles');
  });
});

describe('oEmbed', () => {
  it('answers for a section’s article at its URL, and not under a section that is not its own', async () => {
    const ask = (path: string) => get(`/oembed?url=${encodeURIComponent(`${SITE}${path}`)}&format=json`);
    const own = await ask(rows.sectionArticle.path);
    expect(own.response.status).toBe(200);
    expect((JSON.parse(own.html) as { title: string }).title).toBe('Bericht nummer 2');
    // Under the default section the article page 301s to it: the URL is the article's too.
    expect((await ask('/banenafspraak/nieuws/2020-01-02/bericht-nummer-2')).response.status).toBe(200);
    expect((await ask('/nergens/2020-01-02/bericht-nummer-2')).response.status).toBe(404);
  });
});

describe('the sitemap', () => {
  it('lists the pages (virtual indexes too), the sections and the articles at their URLs', async () => {
    const { html: xml } = await get('/sitemap.xml');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => (m[1] ?? '').slice(SITE.length));
    for (const path of [
      rows.background.path,
      rows.sector.path,
      rows.organisation.path,
      rows.section.path,
      rows.emptySection.path,
      '/banenafspraak/nieuws',
      rows.sectionArticle.path,
      MET,
    ]) {
      expect(locs, path).toContain(path);
    }
    expect(locs).not.toContain(rows.draft.path);
    expect(new Set(locs).size).toBe(locs.length);
  });
});

describe('database round trips', () => {
  it('a page costs one once the isolate has the site map; the first per isolate and version two', async () => {
    // A new isolate: the map (one batch) and then the page's own batch.
    const fresh = await startApp(siteDocuments(10), {}, { contentSeed: false });
    try {
      fresh.resetStats();
      expect((await fresh.fetch(rows.background.path)).status).toBe(200);
      expect(fresh.roundTrips).toBe(2);
      fresh.resetStats();
      expect((await fresh.fetch(rows.sector.path)).status).toBe(200);
      expect(fresh.roundTrips).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('a 404, a redirect and a trailing slash cost none once the map is known', async () => {
    await get(rows.background.path);
    for (const path of [
      '/bestaat/niet',
      '/wp-login.php',
      rows.background.former,
      `${rows.redirects[0].path}/`,
      '/banenafspraak/nieuws/',
      '/organisatie/achtergrond',
    ]) {
      const { roundTrips, response } = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(301);
      expect(roundTrips, path).toBe(0);
    }
  });

  it('a section list, a section article and a page are one batch each', async () => {
    await get(rows.background.path);
    for (const path of [
      rows.section.path,
      rows.sectionArticle.path,
      rows.organisation.path,
      rows.mission.path,
    ]) {
      expect((await get(path)).roundTrips, path).toBe(1);
    }
  });
});
