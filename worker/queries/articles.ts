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
import { type Builder, type Param, readBatch, readOne, statement } from './prepared.ts';
import { type ShareCounts, toShareCounts } from './shares.ts';

/**
 * Every query the site makes, as plain functions taking `db` first. A page is one batch of the
 * statements it needs (its own, the sidebar's and the content version), each prepared once per
 * isolate (prepared.ts): one libSQL pipeline, one network round trip. The content version read in the same batch tells the cache exactly which
 * content a response shows.
 */

/**
 * What the public may see on `today` (YYYY-MM-DD, Europe/Amsterdam): no draft, and nothing dated
 * later. Every public query has it; only the preview reads without it.
 */
export const isPublic = (today: Param<string>) =>
  and(eq(articles.draft, false), lte(articles.publishedAt, today));

/** The article a slug names: the one that has it, or the one that had it before (a 301 then). */
const named = (db: Builder, slug: Param<string>): SQL =>
  or(
    eq(articles.slug, slug),
    inArray(
      articles.id,
      db.select({ id: formerSlugs.articleId }).from(formerSlugs).where(eq(formerSlugs.slug, slug)),
    ),
  ) as SQL;

const summaryColumns = {
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

type ListParams = { today: Param<string>; limit: Param<number>; offset: Param<number> };
type SectionParams = { section: Param<string>; today: Param<string> };
const listed = (db: Builder, where: SQL | undefined, p: { limit: Param<number>; offset: Param<number> }) =>
  db
    .select(summaryColumns)
    .from(articles)
    .where(where)
    .orderBy(...newestFirst)
    .limit(p.limit)
    .offset(p.offset);
const inSection = (p: SectionParams) => and(eq(articles.section, p.section), isPublic(p.today));
const counted = (db: Builder, where: SQL | undefined) =>
  db.select({ n: count() }).from(articles).where(where);

const articleList = statement('article list', ['today', 'limit', 'offset'], (db, p: ListParams) =>
  listed(db, isPublic(p.today), p),
);
const sectionList = statement(
  'section article list',
  ['section', 'today', 'limit', 'offset'],
  (db, p: ListParams & SectionParams) => listed(db, inSection(p), p),
);
const articleCount = statement('article count', ['today'], (db, p: { today: Param<string> }) =>
  counted(db, isPublic(p.today)),
);
const sectionCount = statement('section article count', ['section', 'today'], (db, p: SectionParams) =>
  counted(db, inSection(p)),
);

/** A page of summaries and their total, of one section or (undefined) of all: the site's and the API's. */
export function listStatements(section: string | undefined, today: string, limit: number, offset: number) {
  return [
    section === undefined
      ? articleList.bind({ today, limit, offset })
      : sectionList.bind({ section, today, limit, offset }),
    section === undefined ? articleCount.bind({ today }) : sectionCount.bind({ section, today }),
  ] as const;
}

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
  const offset = (page - 1) * limit;
  const [rows, [total], sectionRows, blocks, people, meta] = await readBatch(db, [
    ...listStatements(section, today, limit, offset),
    sectionsStatement(),
    ...sidebarStatements(db),
  ]);
  return {
    articles: rows,
    total: total?.n ?? 0,
    sections: sectionRows,
    ...toChrome(db, blocks, people, meta, today),
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
const neighbour = {
  slug: articles.slug,
  section: articles.section,
  title: articles.title,
  publishedAt: articles.publishedAt,
};

type SlugParams = { slug: Param<string>; today: Param<string> };

/**
 * The statements of an article page, public or previewed: a preview shows a draft or scheduled
 * article; its neighbours are always public ones. The neighbours are found with row-value
 * comparisons against a subquery on the slug.
 */
function articlePage(preview: boolean) {
  const label = preview ? ' (preview)' : '';
  const visible = (db: Builder, p: SlugParams) =>
    preview ? named(db, p.slug) : and(named(db, p.slug), isPublic(p.today));
  const self = (db: Builder, p: SlugParams) =>
    db
      .select({ publishedAt: articles.publishedAt, id: articles.id })
      .from(articles)
      .where(visible(db, p))
      .orderBy(sql`${articles.slug} = ${p.slug} desc`)
      .limit(1);
  const names = ['slug', 'today'] as const;
  return {
    article: statement(`article${label}`, names, (db, p: SlugParams) =>
      db
        .select(articleDetail)
        .from(articles)
        .where(visible(db, p))
        .orderBy(sql`${articles.slug} = ${p.slug} desc`)
        .limit(1),
    ),
    previous: statement(`previous article${label}`, names, (db, p: SlugParams) =>
      db
        .select(neighbour)
        .from(articles)
        .where(and(isPublic(p.today), sql`(${articles.publishedAt}, ${articles.id}) < (${self(db, p)})`))
        .orderBy(...newestFirst)
        .limit(1),
    ),
    next: statement(`next article${label}`, names, (db, p: SlugParams) =>
      db
        .select(neighbour)
        .from(articles)
        .where(and(isPublic(p.today), sql`(${articles.publishedAt}, ${articles.id}) > (${self(db, p)})`))
        .orderBy(asc(articles.publishedAt), asc(articles.id))
        .limit(1),
    ),
    shares: statement(`share counts${label}`, names, (db, p: SlugParams) =>
      sharesOf(db, and(visible(db, p), sql`1`)),
    ),
  };
}
const sharesOf = (db: Builder, where: SQL | undefined) =>
  db
    .select({ network: shareCounts.network, count: shareCounts.count })
    .from(shareCounts)
    .innerJoin(articles, eq(articles.id, shareCounts.articleId))
    .where(where);
const publicArticle = articlePage(false);
const previewArticle = articlePage(true);
// Without `shares` the statement selects nothing: the batch keeps one shape (and one type).
const noShares = statement('no share counts', [], (db) => sharesOf(db, sql`0`));

/**
 * One article by slug, its neighbours in time (previous = older, next = newer) and the sidebar, in
 * one batch. With `shares`, the batch also reads the article's share counts per network.
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
  const page = options.preview ? previewArticle : publicArticle;
  const values = { slug, today };
  const [[article], [previous], [next], blocks, people, meta, shareRows] = await readBatch(db, [
    page.article.bind(values),
    page.previous.bind(values),
    page.next.bind(values),
    ...sidebarStatements(db),
    options.shares ? page.shares.bind(values) : noShares.bind({}),
  ]);
  return {
    article: article ?? null,
    previous: previous ?? null,
    next: next ?? null,
    shares: toShareCounts(shareRows),
    ...toChrome(db, blocks, people, meta, today),
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

const articleRef = statement('article reference', ['slug', 'today'], (db, p: SlugParams) =>
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
    .where(and(named(db, p.slug), isPublic(p.today)))
    .orderBy(sql`${articles.slug} = ${p.slug} desc`)
    .limit(1),
);

/** What a share redirect and the oEmbed answer need of an article, and the content version. */
export async function getArticleRef(
  db: Database,
  slug: string,
  today: string,
): Promise<{ article: ArticleRef | null } & Versioned> {
  const [[article], meta] = await readBatch(db, [articleRef.bind({ slug, today }), versionStatement()]);
  return { article: article ?? null, version: toVersion(meta, today) };
}

const socialCard = statement('social card', ['slug', 'today'], (db, p: SlugParams) =>
  db
    .select({ hash: articles.cardHash, png: socialCards.png, slug: articles.slug })
    .from(socialCards)
    .innerJoin(articles, eq(articles.id, socialCards.articleId))
    .where(and(named(db, p.slug), isPublic(p.today)))
    .orderBy(sql`${articles.slug} = ${p.slug} desc`)
    .limit(1),
);

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
  const { sql: text, args } = socialCard.bind({ slug, today });
  const { rows } = await db.$client.execute({ sql: text, args });
  const row = rows[0];
  const [hash, png, current] = row ? [row[0], row[1], row[2]] : [];
  return typeof hash === 'string' && typeof current === 'string' && png instanceof ArrayBuffer
    ? { slug: current, hash, png: new Uint8Array(png) }
    : null;
}

/** Number of published articles: one `select count(*)`. */
export async function countArticles(db: Database, today: string): Promise<number> {
  const [row] = await readOne(db, articleCount.bind({ today }));
  return row?.n ?? 0;
}

type FeedParams = { today: Param<string>; limit: Param<number> };
const feedOf = (db: Builder, where: SQL | undefined, limit: Param<number>) =>
  db
    .select(articleDetail)
    .from(articles)
    .where(where)
    .orderBy(...newestFirst)
    .limit(limit);
const feed = statement('feed', ['today', 'limit'], (db, p: FeedParams) =>
  feedOf(db, isPublic(p.today), p.limit),
);
const sectionFeed = statement(
  'section feed',
  ['section', 'today', 'limit'],
  (db, p: FeedParams & SectionParams) => feedOf(db, inSection(p), p.limit),
);

/** Newest articles with their full body and the sections (their titles), for a feed; with
 * `section`, only that section's. */
export async function listFeedArticles(
  db: Database,
  limit: number,
  today: string,
  section?: string,
): Promise<{ articles: ArticleDetail[]; sections: SectionRef[] } & Versioned> {
  const [rows, sectionRows, meta] = await readBatch(db, [
    section === undefined ? feed.bind({ today, limit }) : sectionFeed.bind({ section, today, limit }),
    sectionsStatement(),
    versionStatement(),
  ]);
  return { articles: rows, sections: sectionRows, version: toVersion(meta, today) };
}

const aliases = statement('article aliases', ['today'], (db, p: { today: Param<string> }) =>
  db
    .select({
      path: articleAliases.path,
      slug: articles.slug,
      section: articles.section,
      publishedAt: articles.publishedAt,
    })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(isPublic(p.today)),
);

/**
 * The aliases of public articles (path → the article's URL parts): part of the site map the Worker
 * keeps per isolate and version (worker/lib/site-map.ts, queries/pages.ts listSiteAddresses).
 */
export const aliasStatement = (today: string) => aliases.bind({ today });

/** The public articles dated `today`: those a scheduled go-live makes public (the cron handler). */
export async function listGoingLive(db: Database, today: string): Promise<string[]> {
  const rows = await db
    .select({ slug: articles.slug })
    .from(articles)
    .where(and(eq(articles.draft, false), eq(articles.publishedAt, today)));
  return rows.map((row) => row.slug);
}
