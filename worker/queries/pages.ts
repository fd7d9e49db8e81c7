import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { ancestorKeys } from '../../schema/addresses.ts';
import type { Block } from '../../schema/blocks.ts';
import { articles, pageAddresses, pages, redirects, siteBlocks } from '../../schema/tables.ts';
import type { Database } from '../database.ts';
import { aliasStatement, isPublic, newestFirst } from './articles.ts';
import {
  type Chrome,
  sectionsStatement,
  sidebarStatements,
  toChrome,
  toMenu,
  toVersion,
  type Versioned,
  versionStatement,
} from './chrome.ts';
import { type Builder, type Param, readBatch, statement } from './prepared.ts';

/**
 * The content pages (schema/tables.ts, pages) and the addresses of the whole site, as plain
 * functions taking `db` first. A page is one batch: its row, its children, its ancestors' titles
 * (the breadcrumbs) and the chrome.
 */

/** What the site map (worker/lib/site-map.ts) keeps per isolate: every address the site answers. */
export type SiteAddresses = {
  /** Article aliases: path → the article's URL parts. */
  aliases: { path: string; slug: string; section: string; publishedAt: string }[];
  /** Public pages, virtual ones too: the key, the path as served, the title. */
  pages: { key: string; path: string; title: string }[];
  /** The sections besides the default one, in their order. */
  sections: { path: string; title: string }[];
  /** Former addresses and aliases of public pages (key → the page's path) and redirects.yaml. */
  moved: { path: string; target: string }[];
} & Pick<Chrome, 'menu' | 'version'>;

const publicPages = statement('public pages', [], (db) =>
  db
    .select({ key: pages.key, path: pages.path, title: pages.title })
    .from(pages)
    .where(eq(pages.draft, false)),
);
const formerAddresses = statement('former page addresses', [], (db) =>
  db
    .select({ path: pageAddresses.path, target: pages.path })
    .from(pageAddresses)
    .innerJoin(pages, eq(pages.id, pageAddresses.pageId))
    .where(eq(pages.draft, false)),
);
const redirectList = statement('redirects', [], (db) =>
  db.select({ path: redirects.path, target: redirects.target }).from(redirects),
);

/** Every address of the site and the content version they belong to: one batch. */
export async function listSiteAddresses(db: Database, today: string): Promise<SiteAddresses> {
  const [aliases, pageRows, sectionRows, formerRows, redirectRows, meta] = await readBatch(db, [
    aliasStatement(today),
    publicPages.bind({}),
    sectionsStatement(),
    formerAddresses.bind({}),
    redirectList.bind({}),
    versionStatement(),
  ]);
  return {
    aliases,
    pages: pageRows,
    sections: sectionRows,
    // A page's own address wins over a redirect listed for it (the seed refuses both, but a page
    // must never be hidden by a stale redirect).
    moved: [...redirectRows, ...formerRows],
    menu: toMenu(meta),
    version: toVersion(meta, today),
  };
}

export type PageLink = { key: string; path: string; title: string; excerpt: string };
export type PageDetail = PageLink & {
  body: Block[];
  virtual: boolean;
  sidebar: boolean;
  draft: boolean;
  updatedAt: string;
};

const link = { key: pages.key, path: pages.path, title: pages.title, excerpt: pages.excerpt };
const pageOf = (db: Builder, where: SQL | undefined) =>
  db
    .select({
      ...link,
      body: pages.body,
      virtual: pages.virtual,
      sidebar: pages.sidebar,
      draft: pages.draft,
      updatedAt: pages.updatedAt,
    })
    .from(pages)
    .where(where)
    .limit(1);
type KeyParams = { key: Param<string> };
const page = statement('page', ['key'], (db, p: KeyParams) =>
  pageOf(db, and(eq(pages.key, p.key), eq(pages.draft, false))),
);
// A preview shows a draft page; its children and ancestors are always public ones.
const previewPage = statement('page (preview)', ['key'], (db, p: KeyParams) =>
  pageOf(db, eq(pages.key, p.key)),
);
const childPages = statement('child pages', ['key'], (db, p: KeyParams) =>
  db
    .select(link)
    .from(pages)
    .where(and(eq(pages.parent, p.key), eq(pages.draft, false)))
    .orderBy(sql`${pages.position} is null`, asc(pages.position), sql`${pages.title} collate nocase`),
);
// The keys above come as one JSON array, so that one statement serves every depth.
const ancestorPages = statement('ancestor pages', ['above'], (db, p: { above: Param<string> }) =>
  db
    .select(link)
    .from(pages)
    .where(and(sql`${pages.key} in (select value from json_each(${p.above}))`, eq(pages.draft, false))),
);

/**
 * A public page by its key, its public children (by position, then title), the pages above it (for
 * the breadcrumbs, outermost first) and the chrome: one batch, one round trip.
 */
export async function getPage(
  db: Database,
  key: string,
  today: string,
  options: { preview?: boolean } = {},
): Promise<{ page: PageDetail | null; children: PageLink[]; ancestors: PageLink[] } & Chrome> {
  const above = ancestorKeys(key);
  const [[found], children, ancestors, blocks, people, meta] = await readBatch(db, [
    (options.preview ? previewPage : page).bind({ key }),
    childPages.bind({ key }),
    ancestorPages.bind({ above: JSON.stringify(above) }),
    ...sidebarStatements(db),
  ]);
  const order = new Map(above.map((k, i) => [k, i]));
  return {
    page: found ?? null,
    children,
    ancestors: ancestors.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0)),
    ...toChrome(db, blocks, people, meta, today),
  };
}

const sitemapArticles = statement('sitemap articles', ['today'], (db, p: { today: Param<string> }) =>
  db
    .select({
      slug: articles.slug,
      section: articles.section,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .where(isPublic(p.today))
    .orderBy(...newestFirst),
);
const sitemapPages = statement('sitemap pages', [], (db) =>
  db
    .select({ path: pages.path, updatedAt: pages.updatedAt })
    .from(pages)
    .where(eq(pages.draft, false))
    .orderBy(asc(pages.key)),
);
const siteUpdated = statement('site blocks updated', [], (db) =>
  db.select({ updatedAt: sql<string | null>`max(${siteBlocks.updatedAt})` }).from(siteBlocks),
);

/**
 * Everything a crawl should find, for the sitemap: every public article's URL parts, every public
 * page (virtual indexes too: they are pages a visitor reaches through the breadcrumbs), the sections,
 * and when the site blocks last changed.
 */
export async function listSitemapEntries(
  db: Database,
  today: string,
): Promise<
  {
    articles: { slug: string; section: string; publishedAt: string; updatedAt: string }[];
    pages: { path: string; updatedAt: string }[];
    sections: { path: string; title: string }[];
    siteUpdatedAt: string | null;
  } & Versioned
> {
  const [rows, pageRows, sectionRows, [site], meta] = await readBatch(db, [
    sitemapArticles.bind({ today }),
    sitemapPages.bind({}),
    sectionsStatement(),
    siteUpdated.bind({}),
    versionStatement(),
  ]);
  return {
    articles: rows,
    pages: pageRows,
    sections: sectionRows,
    siteUpdatedAt: site?.updatedAt ?? null,
    version: toVersion(meta, today),
  };
}
