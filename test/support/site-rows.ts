/**
 * The rows of "the whole site" (content pages, news sections, the menu, former addresses and
 * redirects) as the seed will write them, written straight into a test database until the pipeline
 * seeds them from documents. Every test of those parts reads its data through insertSiteRows and
 * the SITE_ROWS it returns, so that the documents can replace this one function.
 */

import type { Client } from '@libsql/client';

const paragraph = (text: string) => ({ type: 'paragraph', text });

/** A page row as the seed writes it (schema/tables.ts, pages). */
type PageRow = {
  path: string;
  title: string;
  excerpt?: string;
  body?: object[];
  virtual?: boolean;
  sidebar?: boolean;
  position?: number | null;
  draft?: boolean;
};

const key = (path: string) => path.replace(/\/+$/, '') || '/';
const parent = (path: string) => {
  const k = key(path);
  const cut = k.lastIndexOf('/');
  return cut <= 0 ? null : k.slice(0, cut);
};

/** What insertSiteRows wrote, for the tests to ask for. */
export const SITE_ROWS = {
  /** A virtual index (no document): its children are two pages; a draft among them is not listed. */
  organisation: { path: '/organisatie/', title: 'Organisatie' },
  /** A page with a trailing slash, the sidebar, and a former address and an alias. */
  background: {
    path: '/organisatie/achtergrond/',
    title: 'Achtergrond',
    excerpt: 'Waar het VSO voor staat.',
    heading: 'Onze geschiedenis',
    former: '/organisatie/historie',
    alias: '/over-ons/achtergrond',
  },
  /** A page without the sidebar. */
  mission: { path: '/organisatie/missie/', title: 'Missie' },
  /** A draft page: never public. */
  draft: { path: '/organisatie/concept/', title: 'Concept' },
  /** A page with a document, whose children are a page and a news section (the default one). */
  jobs: { path: '/banenafspraak/', title: 'Banenafspraak' },
  sectors: { path: '/banenafspraak/sectorinformatie/', title: 'Sectorinformatie' },
  /** A sector page: no trailing slash, as on the original site. */
  sector: {
    path: '/banenafspraak/sectorinformatie/sector-rijk',
    title: 'Sector Rijk',
    excerpt: 'De banenafspraak bij het Rijk.',
  },
  /** A virtual index above a section only. */
  news: { path: '/nieuws/', title: 'Nieuws en berichten' },
  /** A section besides the default one, with one article, and an empty one. */
  section: { path: '/nieuws/algemeen', title: 'Algemeen nieuws' },
  emptySection: { path: '/nieuws/bestuur', title: 'Bestuursnieuws' },
  /** The generated article moved into `section`, and its URL there. */
  sectionArticle: { slug: 'bericht-nummer-2', path: '/nieuws/algemeen/2020-01-02/bericht-nummer-2' },
  /** redirects.yaml: to a page without a slash, and to a section. */
  redirects: [
    { path: '/oud/vacatures', target: '/banenafspraak/sectorinformatie/sector-rijk' },
    { path: '/oud/nieuws', target: '/nieuws/algemeen' },
  ],
  /** site_blocks.url of the about block; the featured block keeps none (its stand-in page). */
  aboutUrl: '/organisatie/achtergrond/',
  menu: [
    { label: 'Home', path: '/' },
    {
      label: 'Organisatie',
      path: '/organisatie/',
      children: [
        { label: 'Achtergrond', path: '/organisatie/achtergrond/' },
        { label: 'Missie', path: '/organisatie/missie/' },
      ],
    },
    {
      label: 'Banenafspraak',
      path: '/banenafspraak/',
      children: [
        { label: 'Nieuws', path: '/banenafspraak/nieuws' },
        { label: 'Sectorinformatie', path: '/banenafspraak/sectorinformatie/' },
      ],
    },
    { label: 'Algemeen nieuws', path: '/nieuws/algemeen' },
    { label: 'Zoeken', path: '/zoeken' },
  ],
} as const;

/**
 * Writes the pages, sections, addresses, redirects, menu and block URL of SITE_ROWS into a seeded
 * database, moves one generated article (`bericht-nummer-2`, so seed at least 2) into a section,
 * and gives the content a new version, as a seed that wrote them would.
 */
export async function insertSiteRows(client: Client): Promise<typeof SITE_ROWS> {
  const r = SITE_ROWS;
  const pages: PageRow[] = [
    { path: r.organisation.path, title: r.organisation.title, virtual: true },
    {
      path: r.background.path,
      title: r.background.title,
      excerpt: r.background.excerpt,
      body: [
        paragraph(r.background.excerpt),
        { type: 'heading', text: r.background.heading },
        paragraph('Sinds 1997 werken de werkgevers samen. Zie www.vso-werkgevers.nl.'),
      ],
      position: 1,
    },
    { path: r.mission.path, title: r.mission.title, sidebar: false, position: 2 },
    { path: r.draft.path, title: r.draft.title, draft: true, position: 0 },
    { path: r.jobs.path, title: r.jobs.title, excerpt: 'Over de banenafspraak.' },
    { path: r.sectors.path, title: r.sectors.title, excerpt: 'Per sector.' },
    { path: r.sector.path, title: r.sector.title, excerpt: r.sector.excerpt },
    { path: r.news.path, title: r.news.title, virtual: true },
  ];
  const statements = pages.map((page) => {
    const excerpt = page.virtual ? '' : (page.excerpt ?? `Over ${page.title.toLowerCase()}.`);
    const body = page.virtual ? [] : (page.body ?? [paragraph(excerpt)]);
    return {
      sql: `insert into pages (path, key, parent, title, excerpt, body, body_text, virtual, sidebar, position,
              draft, content_hash, source_file, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        page.path,
        key(page.path),
        parent(page.path),
        page.title,
        excerpt,
        JSON.stringify(body),
        excerpt,
        page.virtual ? 1 : 0,
        page.sidebar === false ? 0 : 1,
        page.position ?? null,
        page.draft ? 1 : 0,
        `hash-${key(page.path)}`,
        page.virtual ? '' : `pages${key(page.path)}.md`,
        '2021-03-04T10:00:00.000Z',
      ],
    };
  });
  const pageId = `(select id from pages where path = '${r.background.path}')`;
  await client.batch(
    [
      ...statements,
      {
        sql: 'insert into sections (path, title, position) values (?, ?, 0), (?, ?, 1)',
        args: [r.section.path, r.section.title, r.emptySection.path, r.emptySection.title],
      },
      {
        sql: `insert into page_addresses (path, page_id, kind) values (?, ${pageId}, 'former'), (?, ${pageId}, 'alias')`,
        args: [r.background.former, r.background.alias],
      },
      ...r.redirects.map((redirect) => ({
        sql: 'insert into redirects (path, target) values (?, ?)',
        args: [redirect.path, redirect.target],
      })),
      {
        sql: "insert or replace into site_meta (key, value) values ('menu', ?)",
        args: [JSON.stringify(r.menu)],
      },
      { sql: "update site_blocks set url = ? where key = 'about'", args: [r.aboutUrl] },
      {
        sql: 'update articles set section = ? where slug = ?',
        args: [r.section.path, r.sectionArticle.slug],
      },
      "update site_meta set value = value || '-site' where key = 'content_version'",
    ],
    'write',
  );
  return r;
}
