import type { InArgs } from '@libsql/client';
import { and, asc, count, desc, eq, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { articleAliases, articles, formerSlugs, shareCounts, socialCards } from '../../schema/tables.ts';
import type { Database } from '../database.ts';
import {
  type Chrome,
  type SectionRef,
  sectionsStatement,
  sidebarStatements,
  toChrome,
  toVersion,
  type Versioned,
  versionStatement,
} from './chrome.ts';
import { type ShareCounts, toShareCounts } from './shares.ts';

/**
 * Every query the site makes, as plain functions taking `db` first. A page is one `db.batch` of the
 * statements it needs (its own, the sidebar's and the content version): one libSQL pipeline, one
 * network round trip. The content version read in the same batch tells the cache exactly which
 * content a response shows.
 */

/**
 * What the public may see on `today` (YYYY-MM-DD, Europe/Amsterdam): no draft, and nothing dated
 * later. Every public query has it; only the preview reads without it.
 */
export const isPublic = (today: string) => and(eq(articles.draft, false), lte(articles.publishedAt, today));

/** The article a slug names: the one that has it, or the one that had it before (a 301 then). */
const named = (db: Database, slug: string): SQL =>
  or(
    eq(articles.slug, slug),
    inArray(
      articles.id,
      db.select({ id: formerSlugs.articleId }).from(formerSlugs).where(eq(formerSlugs.slug, slug)),
    ),
  ) as SQL;

export const summaryColumns = {
  slug: articles.slug,
  section: articles.section,
  title: articles.title,
  excerpt: articles.excerpt,
  publishedAt: articles.publishedAt,
  updatedAt: articles.updatedAt,
};
export type ArticleSummary = {
  slug: string;
  section: string;
  title: string;
  excerpt: string;
  publishedAt: string;
  updatedAt: string;
};

export const newestFirst = [desc(articles.publishedAt), desc(articles.id)] as const;

/**
 * A page of article summaries, newest first, with the total, the sections (for their labels) and the
 * chrome; with `section`, only that news section's articles.
 */
export async function listArticles(
  db: Database,
  page: number,
  limit: number,
  today: string,
  section?: string,
): Promise<{ articles: ArticleSummary[]; total: number; sections: SectionRef[] } & Chrome> {
  const shown = section === undefined ? isPublic(today) : and(eq(articles.section, section), isPublic(today));
  const [rows, [total], sectionRows, blocks, people, meta] = await db.batch([
    db
      .select(summaryColumns)
      .from(articles)
      .where(shown)
      .orderBy(...newestFirst)
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ n: count() }).from(articles).where(shown),
    sectionsStatement(db),
    ...sidebarStatements(db),
  ]);
  return {
    articles: rows,
    total: total?.n ?? 0,
    sections: sectionRows,
    ...toChrome(blocks, people, meta, today),
  };
}

/**
 * What a page, the API and the feed show of an article: not the seed's own columns (the search
 * index's text, the hashes, the card's input), which are most of a row's bytes.
 */
const articleDetail = {
  id: articles.id,
  slug: articles.slug,
  section: articles.section,
  title: articles.title,
  excerpt: articles.excerpt,
  body: articles.body,
  source: articles.source,
  publishedAt: articles.publishedAt,
  draft: articles.draft,
  cardHash: articles.cardHash,
  updatedAt: articles.updatedAt,
};
export type ArticleDetail = Pick<typeof articles.$inferSelect, keyof typeof articleDetail>;
export type Neighbour = { slug: string; section: string; title: string; publishedAt: string };
/**
 * One article by slug, its neighbours in time (previous = older, next = newer) and the sidebar, in
 * one batch: the neighbours are found with row-value comparisons against a subquery on the slug.
 * With `shares`, the batch also reads the article's share counts per network.
 */
export async function getArticle(
  db: Database,
  slug: string,
  options: { shares?: boolean; today: string; preview?: boolean },
): Promise<
  {
    article: ArticleDetail | null;
    previous: Neighbour | null;
    next: Neighbour | null;
    shares: ShareCounts;
  } & Chrome
> {
  const { today } = options;
  // A preview shows a draft or scheduled article; its neighbours are always public ones.
  const visible = options.preview ? named(db, slug) : and(named(db, slug), isPublic(today));
  const self = db
    .select({ publishedAt: articles.publishedAt, id: articles.id })
    .from(articles)
    .where(visible)
    .orderBy(sql`${articles.slug} = ${slug} desc`)
    .limit(1);
  const neighbour = {
    slug: articles.slug,
    section: articles.section,
    title: articles.title,
    publishedAt: articles.publishedAt,
  };
  // Without `shares` the statement selects nothing: the batch keeps one shape (and one type).
  const shares = db
    .select({ network: shareCounts.network, count: shareCounts.count })
    .from(shareCounts)
    .innerJoin(articles, eq(articles.id, shareCounts.articleId))
    .where(options.shares ? and(visible, sql`1`) : sql`0`);
  const [[article], [previous], [next], blocks, people, meta, shareRows] = await db.batch([
    db
      .select(articleDetail)
      .from(articles)
      .where(visible)
      .orderBy(sql`${articles.slug} = ${slug} desc`)
      .limit(1),
    db
      .select(neighbour)
      .from(articles)
      .where(and(isPublic(today), sql`(${articles.publishedAt}, ${articles.id}) < (${self})`))
      .orderBy(...newestFirst)
      .limit(1),
    db
      .select(neighbour)
      .from(articles)
      .where(and(isPublic(today), sql`(${articles.publishedAt}, ${articles.id}) > (${self})`))
      .orderBy(asc(articles.publishedAt), asc(articles.id))
      .limit(1),
    ...sidebarStatements(db),
    shares,
  ]);
  return {
    article: article ?? null,
    previous: previous ?? null,
    next: next ?? null,
    shares: toShareCounts(shareRows),
    ...toChrome(blocks, people, meta, today),
  };
}

export type ArticleRef = {
  id: number;
  slug: string;
  section: string;
  title: string;
  publishedAt: string;
  cardHash: string | null;
};

/** What a share redirect and the oEmbed answer need of an article, and the content version. */
export async function getArticleRef(
  db: Database,
  slug: string,
  today: string,
): Promise<{ article: ArticleRef | null } & Versioned> {
  const [[article], meta] = await db.batch([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        section: articles.section,
        title: articles.title,
        publishedAt: articles.publishedAt,
        cardHash: articles.cardHash,
      })
      .from(articles)
      .where(and(named(db, slug), isPublic(today)))
      .orderBy(sql`${articles.slug} = ${slug} desc`)
      .limit(1),
    versionStatement(db),
  ]);
  return { article: article ?? null, version: toVersion(meta, today) };
}

/**
 * The social card PNG of an article with its content hash, or null when it has none.
 *
 * Run on the libSQL client itself: without Node's Buffer (the Worker has none), drizzle's libsql
 * driver turns every BLOB into text with TextDecoder, which ruins a PNG. The SQL is still drizzle's.
 */
export async function getSocialCard(
  db: Database,
  slug: string,
  today: string,
): Promise<{ slug: string; hash: string; png: Uint8Array<ArrayBuffer> } | null> {
  const query = db
    .select({ hash: articles.cardHash, png: socialCards.png, slug: articles.slug })
    .from(socialCards)
    .innerJoin(articles, eq(articles.id, socialCards.articleId))
    .where(and(named(db, slug), isPublic(today)))
    .orderBy(sql`${articles.slug} = ${slug} desc`)
    .limit(1)
    .toSQL();
  const { rows } = await db.$client.execute({ sql: query.sql, args: query.params as InArgs });
  const row = rows[0];
  const [hash, png, current] = row ? [row[0], row[1], row[2]] : [];
  return typeof hash === 'string' && typeof current === 'string' && png instanceof ArrayBuffer
    ? { slug: current, hash, png: new Uint8Array(png) }
    : null;
}

/** Number of published articles: one `select count(*)`. */
export async function countArticles(db: Database, today: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(articles).where(isPublic(today));
  return row?.n ?? 0;
}

/** Newest articles with their full body and the sections (their titles), for a feed; with
 * `section`, only that section's. */
export async function listFeedArticles(
  db: Database,
  limit: number,
  today: string,
  section?: string,
): Promise<{ articles: ArticleDetail[]; sections: SectionRef[] } & Versioned> {
  const shown = section === undefined ? isPublic(today) : and(eq(articles.section, section), isPublic(today));
  const [rows, sectionRows, meta] = await db.batch([
    db
      .select(articleDetail)
      .from(articles)
      .where(shown)
      .orderBy(...newestFirst)
      .limit(limit),
    sectionsStatement(db),
    versionStatement(db),
  ]);
  return { articles: rows, sections: sectionRows, version: toVersion(meta, today) };
}

/**
 * The aliases of public articles (path → the article's URL parts): part of the site map the Worker
 * keeps per isolate and version (worker/lib/site-map.ts, queries/pages.ts listSiteAddresses).
 */
export function aliasStatement(db: Database, today: string) {
  return db
    .select({
      path: articleAliases.path,
      slug: articles.slug,
      section: articles.section,
      publishedAt: articles.publishedAt,
    })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(isPublic(today));
}

/** The public articles dated `today`: those a scheduled go-live makes public (the cron handler). */
export async function listGoingLive(db: Database, today: string): Promise<string[]> {
  const rows = await db
    .select({ slug: articles.slug })
    .from(articles)
    .where(and(eq(articles.draft, false), eq(articles.publishedAt, today)));
  return rows.map((row) => row.slug);
}
