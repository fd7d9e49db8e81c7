/**
 * The frame of every page over a database with the whole site's rows (test/support/site-documents.ts):
 * the menu from site_meta 'menu', two levels, with aria-current; the sidebar's "Lees verder" links
 * from site_blocks.url; and the static navigation when a database has no menu.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { SITE_ROWS, siteDocuments } from '../support/site-documents.ts';

let app: TestApp;
let rows: typeof SITE_ROWS;

beforeAll(async () => {
  app = await startApp(siteDocuments(3), {}, { contentSeed: false });
  rows = SITE_ROWS;
});
afterAll(async () => {
  await app?.close();
});

const html = async (path: string) => (await app.fetch(path)).text();
/** The inner HTML of the wide menu. */
const wideMenu = (page: string) => page.match(/<nav class="nav-wide"[^>]*>([\s\S]*?)<\/nav>/)?.[1] ?? '';
const narrowMenu = (page: string) =>
  page.match(/<details class="nav-narrow">([\s\S]*?)<\/details>/)?.[1] ?? '';

describe('the menu from site_meta', () => {
  it('is the header menu and the "Ga naar..." menu, two levels as nested lists', async () => {
    const page = await html('/participanten');
    for (const menu of [wideMenu(page), narrowMenu(page)]) {
      for (const item of rows.menu) {
        expect(menu).toContain(`<a href="${item.path}">${item.label}</a>`);
      }
      expect(menu).toContain(
        '<li class="has-children"><a href="/organisatie/">Organisatie</a><ul><li><a href="/organisatie/achtergrond/">Achtergrond</a></li><li><a href="/organisatie/missie/">Missie</a></li></ul></li>',
      );
      // The static navigation's own items are gone.
      expect(menu).not.toContain('>Participanten</a>');
    }
    expect(page).not.toContain('<script');
  });

  it('marks the current page aria-current="page" and the item above it aria-current="true"', async () => {
    const menu = wideMenu(await html('/banenafspraak/nieuws'));
    expect(menu).toContain('<a href="/banenafspraak/nieuws" aria-current="page">Nieuws</a>');
    expect(menu).toContain('<a href="/banenafspraak/" aria-current="true">Banenafspraak</a>');
    expect(menu.match(/aria-current/g)).toHaveLength(2);
    const home = wideMenu(await html('/'));
    expect(home).toContain('<a href="/" aria-current="page">Home</a>');
    expect(home.match(/aria-current/g)).toHaveLength(1);
  });

  it('is the API’s navigation too', async () => {
    const site = (await (await app.fetch('/api/site')).json()) as {
      navigation: { label: string; url: string }[];
    };
    expect(site.navigation).toEqual(
      rows.menu.map((item) => ({ label: item.label, url: `${SITE}${item.path}` })),
    );
  });

  it('costs no statement of its own: a page is still one round trip', async () => {
    app.resetStats();
    await html('/participanten');
    expect(app.roundTrips).toBe(1);
  });
});

describe('the sidebar', () => {
  it('leads "Lees verder" to site_blocks.url, or to the stand-in page without one', async () => {
    const page = await html('/participanten');
    const sidebar = page.slice(page.indexOf('<aside class="sidebar"'));
    expect(sidebar).toContain(
      `<a href="${rows.aboutUrl}">Lees verder<span class="visually-hidden"> over VSO`,
    );
    expect(sidebar).toContain('<a href="/zelfstandige-publieke-werkgevers">Lees verder');
    const site = (await (await app.fetch('/api/site')).json()) as {
      about: { url: string };
      featured: { url: string };
    };
    expect(site.about.url).toBe(`${SITE}${rows.aboutUrl}`);
    expect(site.featured.url).toBe(`${SITE}/zelfstandige-publieke-werkgevers`);
  });
});

describe('the frame kept between requests (views/layout.tsx)', () => {
  it('keeps the sidebar per content version, and follows the menu rows and a new version at once', async () => {
    const other = await startApp(siteDocuments(3), {}, { contentSeed: false });
    try {
      const before = await other.fetch('/participanten').then((r) => r.text());
      expect(before).not.toContain('Nieuwe Deelnemer');
      expect(wideMenu(before)).not.toContain('Nieuw menu-item');
      await other.client.execute(
        "insert into participants (name, slug) values ('Nieuwe Deelnemer', 'nieuwe-deelnemer')",
      );
      await other.client.execute({
        sql: "update site_meta set value = ? where key = 'menu'",
        args: [JSON.stringify([{ label: 'Nieuw menu-item', path: '/nieuw' }])],
      });
      // The same content version: the sidebar's rows are not read again (the seed writes a new
      // version with every change of content); the menu is read with the version itself.
      const same = await other.fetch('/participanten').then((r) => r.text());
      expect(same.slice(same.indexOf('<aside class="sidebar"'))).not.toContain('Nieuwe Deelnemer');
      expect(wideMenu(same)).toBe('<ul><li><a href="/nieuw">Nieuw menu-item</a></li></ul>');
      await other.client.execute(
        "update site_meta set value = 'een-nieuwe-versie' where key = 'content_version'",
      );
      const after = await other.fetch('/participanten').then((r) => r.text());
      const sidebar = after.slice(after.indexOf('<aside class="sidebar"'));
      expect(sidebar).toContain('<a href="/participanten#nieuwe-deelnemer">Nieuwe Deelnemer</a>');
      // And back: the first app's pages, over the other rows, are its own.
      const own = await html('/participanten');
      expect(own).not.toContain('Nieuwe Deelnemer');
      expect(wideMenu(own)).toContain('>Organisatie</a>');
    } finally {
      await other.close();
    }
  });
});

describe('a database without a menu', () => {
  it('shows the static navigation', async () => {
    // A database seeded before menus existed: no menu row.
    const other = await startApp(siteDocuments(3), {}, { contentSeed: false });
    await other.client.execute("delete from site_meta where key = 'menu'");
    try {
      const page = await other.fetch('/participanten').then((r) => r.text());
      expect(wideMenu(page)).toContain('<a href="/participanten" aria-current="page">Participanten</a>');
      expect(wideMenu(page)).toContain('<a href="/over-vso">Over VSO Werkgevers</a>');
    } finally {
      await other.close();
    }
  });
});
