import { and, asc, eq, inArray, sql } from 'drizzle-orm';
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

/** Every address of the site and the content version they belong to: one batch. */
export async function listSiteAddresses(db: Database, today: string): Promise<SiteAddresses> {
  const [aliases, pageRows, sectionRows, formerRows, redirectRows, meta] = await db.batch([
    aliasStatement(db, today),
    db
      .select({ key: pages.key, path: pages.path, title: pages.title })
      .from(pages)
      .where(eq(pages.draft, false)),
    sectionsStatement(db),
    db
      .select({ path: pageAddresses.path, target: pages.path })
      .from(pageAddresses)
      .innerJoin(pages, eq(pages.id, pageAddresses.pageId))
      .where(eq(pages.draft, false)),
    db.select({ path: redirects.path, target: redirects.target }).from(redirects),
    versionStatement(db),
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
  const link = { key: pages.key, path: pages.path, title: pages.title, excerpt: pages.excerpt };
  const above = ancestorKeys(key);
  const [[page], children, ancestors, blocks, people, meta] = await db.batch([
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
      // A preview shows a draft page; its children and ancestors are always public ones.
      .where(options.preview ? eq(pages.key, key) : and(eq(pages.key, key), eq(pages.draft, false)))
      .limit(1),
    db
      .select(link)
      .from(pages)
      .where(and(eq(pages.parent, key), eq(pages.draft, false)))
      .orderBy(sql`${pages.position} is null`, asc(pages.position), sql`${pages.title} collate nocase`),
    db
      .select(link)
      .from(pages)
      // `where 0` when there is nothing above: the batch keeps one shape.
      .where(above.length > 0 ? and(inArray(pages.key, above), eq(pages.draft, false)) : sql`0`),
    ...sidebarStatements(db),
  ]);
  const order = new Map(above.map((k, i) => [k, i]));
  return {
    page: page ?? null,
    children,
    ancestors: ancestors.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0)),
    ...toChrome(blocks, people, meta, today),
  };
}

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
  const [rows, pageRows, sectionRows, [site], meta] = await db.batch([
    db
      .select({
        slug: articles.slug,
        section: articles.section,
        publishedAt: articles.publishedAt,
        updatedAt: articles.updatedAt,
      })
      .from(articles)
      .where(isPublic(today))
      .orderBy(...newestFirst),
    db
      .select({ path: pages.path, updatedAt: pages.updatedAt })
      .from(pages)
      .where(eq(pages.draft, false))
      .orderBy(asc(pages.key)),
    sectionsStatement(db),
    db.select({ updatedAt: sql<string | null>`max(${siteBlocks.updatedAt})` }).from(siteBlocks),
    versionStatement(db),
  ]);
  return {
    articles: rows,
    pages: pageRows,
    sections: sectionRows,
    siteUpdatedAt: site?.updatedAt ?? null,
    version: toVersion(meta, today),
  };
}
