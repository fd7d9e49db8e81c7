import type { InArgs } from '@libsql/client';
import { and, asc, count, desc, eq, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  articleIdSql,
  publicRowidFrom,
  type QueryPlan,
  queryPlan,
  queryWords,
  wordMatcher,
} from '../schema/search-terms.ts';
import {
  articleAliases,
  articles,
  formerSlugs,
  glossary,
  participants,
  shareCounts,
  siteBlocks,
  siteMeta,
  socialCards,
} from '../schema/tables.ts';
import type { ContentVersion } from './cache/content-version.ts';
import type { Database } from './database.ts';
import { startOfAmsterdamDate } from './lib/dates.ts';
import { isNetwork, NETWORKS, type Network } from './lib/share-networks.ts';
import { makeSnippet } from './lib/snippet.ts';
import {
  SUGGEST_CANDIDATES,
  SUGGEST_MIN_LENGTH,
  SUGGEST_WORDS,
  suggestQuery,
  trigramQuery,
  type VocabularyRow,
} from './lib/suggest.ts';

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
const isPublic = (today: string) => and(eq(articles.draft, false), lte(articles.publishedAt, today));

/** The article a slug names: the one that has it, or the one that had it before (a 301 then). */
const named = (db: Database, slug: string): SQL =>
  or(
    eq(articles.slug, slug),
    inArray(
      articles.id,
      db.select({ id: formerSlugs.articleId }).from(formerSlugs).where(eq(formerSlugs.slug, slug)),
    ),
  ) as SQL;

/** The content version the seed wrote (site_meta), read with every page. */
function versionStatement(db: Database) {
  return db
    .select({ key: siteMeta.key, value: siteMeta.value })
    .from(siteMeta)
    .where(inArray(siteMeta.key, ['content_version', 'content_updated_at', 'content_schedule']));
}

/**
 * The content version as of `today`. Each date in the seed's schedule that has begun is a change of
 * content no seed wrote (a scheduled article went live): it makes a new version id, and the version
 * dates from the start of that day, so that cached pages and validators move on that day.
 */
export function toVersion(rows: { key: string; value: string }[], today: string): ContentVersion | null {
  const id = rows.find((row) => row.key === 'content_version')?.value;
  const updatedAt = rows.find((row) => row.key === 'content_updated_at')?.value;
  if (!id || !updatedAt) return null;
  let schedule: unknown = [];
  try {
    schedule = JSON.parse(rows.find((row) => row.key === 'content_schedule')?.value ?? '[]');
  } catch {
    schedule = [];
  }
  const live = (Array.isArray(schedule) ? schedule : [])
    .filter((date): date is string => typeof date === 'string' && date <= today)
    .sort();
  const last = live[live.length - 1];
  if (!last) return { id, updatedAt };
  const wentLive = startOfAmsterdamDate(last);
  return { id: `${id}+${live.length}`, updatedAt: wentLive > updatedAt ? wentLive : updatedAt };
}

/** The current content version alone: the background check of the cache. */
export async function getContentVersion(db: Database, today: string): Promise<ContentVersion | null> {
  return toVersion(await versionStatement(db), today);
}

const summaryColumns = {
  slug: articles.slug,
  title: articles.title,
  excerpt: articles.excerpt,
  publishedAt: articles.publishedAt,
  updatedAt: articles.updatedAt,
};
export type ArticleSummary = {
  slug: string;
  title: string;
  excerpt: string;
  publishedAt: string;
  updatedAt: string;
};

const newestFirst = [desc(articles.publishedAt), desc(articles.id)] as const;

/** Sidebar of every page (the site blocks, the participants alphabetically) and the content version. */
function sidebarStatements(db: Database) {
  return [
    db.select().from(siteBlocks),
    db
      .select({ name: participants.name, slug: participants.slug })
      .from(participants)
      .orderBy(sql`${participants.name} collate nocase`),
    versionStatement(db),
  ] as const;
}

type SiteBlocks = {
  about: { text: string } | null;
  featured: { title: string; text: string } | null;
};
export type Sidebar = SiteBlocks & { participants: { name: string; slug: string }[] };

function toSidebar(
  blocks: { key: string; title: string | null; text: string }[],
  people: { name: string; slug: string }[],
): Sidebar {
  const about = blocks.find((b) => b.key === 'about');
  const featured = blocks.find((b) => b.key === 'featured');
  return {
    about: about ? { text: about.text } : null,
    featured: featured ? { title: featured.title ?? '', text: featured.text } : null,
    participants: people,
  };
}

export type Versioned = { version: ContentVersion | null };

/** Pages without their own data (participants, about, featured): just the sidebar. */
export async function getSidebar(db: Database, today: string): Promise<{ sidebar: Sidebar } & Versioned> {
  const [blocks, people, meta] = await db.batch(sidebarStatements(db));
  return { sidebar: toSidebar(blocks, people), version: toVersion(meta, today) };
}

/** A page of article summaries, newest first, with the total, and the sidebar. */
export async function listArticles(
  db: Database,
  page: number,
  limit: number,
  today: string,
): Promise<{ articles: ArticleSummary[]; total: number; sidebar: Sidebar } & Versioned> {
  const [rows, [total], blocks, people, meta] = await db.batch([
    db
      .select(summaryColumns)
      .from(articles)
      .where(isPublic(today))
      .orderBy(...newestFirst)
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ n: count() }).from(articles).where(isPublic(today)),
    ...sidebarStatements(db),
  ]);
  return {
    articles: rows,
    total: total?.n ?? 0,
    sidebar: toSidebar(blocks, people),
    version: toVersion(meta, today),
  };
}

/**
 * What a page, the API and the feed show of an article: not the seed's own columns (the search
 * index's text, the hashes, the card's input), which are most of a row's bytes.
 */
const articleDetail = {
  id: articles.id,
  slug: articles.slug,
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
export type Neighbour = { slug: string; title: string; publishedAt: string };
export type ShareCounts = Record<Network, number> & { total: number };

function toShareCounts(rows: { network: string; count: number }[]): ShareCounts {
  const counts = Object.fromEntries(NETWORKS.map((network) => [network, 0])) as ShareCounts;
  counts.total = 0;
  for (const row of rows) {
    if (!isNetwork(row.network)) continue;
    counts[row.network] = row.count;
    counts.total += row.count;
  }
  return counts;
}

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
    sidebar: Sidebar;
  } & Versioned
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
  const neighbour = { slug: articles.slug, title: articles.title, publishedAt: articles.publishedAt };
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
    sidebar: toSidebar(blocks, people),
    version: toVersion(meta, today),
  };
}

export type ArticleRef = {
  id: number;
  slug: string;
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

/** Shares of one article on one network, to add to its count. */
export interface ShareTally {
  slug: string;
  network: Network;
  count: number;
}

/**
 * Adds a batch of shares in one statement: one multi-row upsert, so concurrent batches never lose a
 * count (SQLite runs each statement atomically and the increment reads the stored value, not one
 * read earlier). By slug, joined to articles: a share of an article that is gone by now is left out
 * instead of failing the whole batch on the foreign key. `where true` is SQLite's documented way to
 * keep the upsert's ON from reading as the join's.
 */
export async function addShares(db: Database, tallies: ShareTally[]): Promise<void> {
  if (tallies.length === 0) return;
  const rows = sql.join(
    tallies.map((t) => sql`(${t.slug}, ${t.network}, ${t.count})`),
    sql`, `,
  );
  await db.run(sql`insert into share_counts (article_id, network, count)
    select articles.id, tally.column2, tally.column3
    from (values ${rows}) as tally join articles on articles.slug = tally.column1
    where true
    on conflict (article_id, network) do update set count = share_counts.count + excluded.count`);
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

// Snippet markers: control characters that cannot occur in document text (the parser keeps only
// printable text), so views can split on them and render <mark> without any raw HTML.
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

export type SearchResult = ArticleSummary & { snippet: string };

/**
 * Results are ranked among the newest SEARCH_CANDIDATES matches by publication date (the index's
 * rowid order, schema/search-terms.ts): ranking every match of a word in every article would grow
 * with the archive. 200 is 20 pages of results; the page says when there are more.
 */
export const SEARCH_CANDIDATES = 200;

/**
 * Points of the ranking: the title holds every word, every word as written, or as written or stem;
 * and, for a query no article holds all words of, each word an article holds.
 */
const POINTS = { title: 4, exact: 2, stemmed: 1, word: 8 } as const;

/**
 * The ranked page of results: the newest SEARCH_CANDIDATES matches, then for each the tiers it meets,
 * each tier one more FTS5 query over the same rowid range (all its matches there are candidates, as
 * every tier is narrower than the match itself). Score: title 4 + as written 2 + as written or
 * stem 1, so title matches come first, then exact words, stems, compound parts; then the newest.
 *
 * When no article holds every word, the newest articles holding any of them are ranked instead, most
 * words first (`krapte op de arbeidsmarkt` finds the articles about the arbeidsmarkt). Those queries
 * carry `not exists (select 1 from candidates)`, a constant SQLite tests once before their scan, so a
 * query that does match all its words never runs them.
 */
function rankedStatement(db: Database, plan: QueryPlan, limit: number, offset: number, today: string) {
  const inRange = sql`rowid between (select lo from bounds) and (select hi from bounds)`;
  // Only public articles: a scheduled one's rowid is below this until its date (drafts are not indexed).
  const isPublicHit = sql`rowid >= ${publicRowidFrom(today)}`;
  const tier = (expression: string, points: number) =>
    sql`select rowid as hit, ${sql.raw(String(points))} as points from articles_search
      where articles_search match ${expression} and ${inRange}`;
  const fallback = plan.words.length > 1;
  const perWord = fallback
    ? plan.each.map(
        (expression) => sql` union all select rowid, ${sql.raw(String(POINTS.word))} from articles_search
          where articles_search match ${expression} and ${inRange} and not exists (select 1 from candidates)`,
      )
    : [];
  const someWords = fallback
    ? sql`union all select * from (select rowid from articles_search
        where articles_search match ${plan.each.join(' OR ')} and ${isPublicHit}
        and not exists (select 1 from candidates)
        order by rowid limit ${SEARCH_CANDIDATES})`
    : sql``;
  return db.all<{
    slug: string;
    title: string;
    excerpt: string;
    publishedAt: string;
    updatedAt: string;
    bodyText: string;
  }>(sql`with candidates as (
      select rowid as hit from articles_search where articles_search match ${plan.any} and ${isPublicHit}
      order by rowid limit ${SEARCH_CANDIDATES}
    ),
    pool as (select hit from candidates ${someWords}),
    bounds as (select min(hit) as lo, max(hit) as hi from pool),
    tiers as (${tier(plan.title, POINTS.title)} union all ${tier(plan.exact, POINTS.exact)}
      union all ${tier(plan.stemmed, POINTS.stemmed)}${sql.join(perWord, sql``)}),
    scored as (
      select pool.hit, coalesce(sum(tiers.points), 0) as score
      from pool left join tiers on tiers.hit = pool.hit group by pool.hit
    )
    select a.slug, a.title, a.excerpt, a.published_at as publishedAt, a.updated_at as updatedAt,
      a.body_text as bodyText
    from scored join articles a on a.id = ${sql.raw(articleIdSql('scored.hit'))}
    order by scored.score desc, scored.hit
    limit ${limit} offset ${offset}`);
}

/** Articles holding every word, and (only when none does) those holding any of them. */
function countStatement(db: Database, plan: QueryPlan, today: string) {
  const isPublicHit = sql`rowid >= ${publicRowidFrom(today)}`;
  const some =
    plan.words.length > 1
      ? sql`(select count(*) from articles_search where articles_search match ${plan.each.join(' OR ')} and ${isPublicHit})`
      : sql`0`;
  return db.all<{ all: number; some: number }>(sql`with counted as (
      select count(*) as n from articles_search where articles_search match ${plan.any} and ${isPublicHit}
    )
    select n as "all", case when n = 0 then ${some} else 0 end as some from counted`);
}

/**
 * Candidates for "Bedoelde u …?": for each of the first query words, the vocabulary terms sharing
 * the most trigrams with it, and a row with docs -1 when the word itself is a word of the index.
 */
function vocabularyStatement(db: Database, plan: QueryPlan) {
  const parts = plan.words.slice(0, SUGGEST_WORDS).flatMap(({ word }, i) =>
    word.length < SUGGEST_MIN_LENGTH
      ? []
      : [
          sql`select * from (select ${i} as word, term, docs from search_vocabulary
            where search_vocabulary match ${trigramQuery(word)} order by rank limit ${SUGGEST_CANDIDATES})`,
          sql`select ${i}, term, -1 from articles_search_terms where term = ${word} and col in ('title', 'body')`,
        ],
  );
  return db.all<VocabularyRow>(
    parts.length > 0
      ? sql.join(parts, sql` union all `)
      : sql`select 0 as word, '' as term, 0 as docs where 0`,
  );
}

/**
 * Search (schema/search-terms.ts): a page of results with highlighted snippets, how many articles
 * match in all (those with every word; when there are none, those with some), suggestions when it
 * found nothing or little, and the sidebar: one batch.
 */
export async function searchArticles(
  db: Database,
  query: string,
  { page = 1, limit = 10, today }: { page?: number; limit?: number; today: string },
): Promise<
  {
    results: SearchResult[];
    total: number;
    /** False when no article holds every word and the results hold some of them. */
    allWords: boolean;
    suggestions: string[];
    sidebar: Sidebar;
  } & Versioned
> {
  const plan = queryPlan(query);
  if (plan === null) {
    return { results: [], total: 0, allWords: true, suggestions: [], ...(await getSidebar(db, today)) };
  }
  const [rows, [count], entries, vocabulary, blocks, people, meta] = await db.batch([
    rankedStatement(db, plan, limit, (page - 1) * limit, today),
    countStatement(db, plan, today),
    db.select().from(glossary),
    vocabularyStatement(db, plan),
    ...sidebarStatements(db),
  ]);
  const match = wordMatcher(plan, entries);
  const results = rows.map(({ bodyText, ...summary }) => ({
    ...summary,
    snippet: makeSnippet(bodyText, match, { start: MARK_START, end: MARK_END }),
  }));
  const all = Number(count?.all ?? 0);
  const suggestions = suggestQuery(plan, queryWords(query), vocabulary, all);
  return {
    results,
    total: all > 0 ? all : Number(count?.some ?? 0),
    allWords: all > 0 || results.length === 0,
    suggestions,
    sidebar: toSidebar(blocks, people),
    version: toVersion(meta, today),
  };
}

/** Newest articles with their full body, for the feed. */
export async function listFeedArticles(
  db: Database,
  limit: number,
  today: string,
): Promise<{ articles: ArticleDetail[] } & Versioned> {
  const [rows, meta] = await db.batch([
    db
      .select(articleDetail)
      .from(articles)
      .where(isPublic(today))
      .orderBy(...newestFirst)
      .limit(limit),
    versionStatement(db),
  ]);
  return { articles: rows, version: toVersion(meta, today) };
}

/** Every article's URL parts and dates, and when the site blocks last changed, for the sitemap. */
export async function listSitemapEntries(
  db: Database,
  today: string,
): Promise<
  {
    articles: { slug: string; publishedAt: string; updatedAt: string }[];
    siteUpdatedAt: string | null;
  } & Versioned
> {
  const [rows, [site], meta] = await db.batch([
    db
      .select({ slug: articles.slug, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
      .from(articles)
      .where(isPublic(today))
      .orderBy(...newestFirst),
    db.select({ updatedAt: sql<string | null>`max(${siteBlocks.updatedAt})` }).from(siteBlocks),
    versionStatement(db),
  ]);
  return { articles: rows, siteUpdatedAt: site?.updatedAt ?? null, version: toVersion(meta, today) };
}

/**
 * The aliases of public articles (path → the article's URL parts) and the content version they
 * belong to: the Worker keeps them per isolate and version (worker/lib/aliases.ts), so that an
 * unknown path costs a database round trip once per version, not once per request.
 */
export async function listAliases(
  db: Database,
  today: string,
): Promise<{ aliases: { path: string; slug: string; publishedAt: string }[] } & Versioned> {
  const [rows, meta] = await db.batch([
    db
      .select({ path: articleAliases.path, slug: articles.slug, publishedAt: articles.publishedAt })
      .from(articleAliases)
      .innerJoin(articles, eq(articles.id, articleAliases.articleId))
      .where(isPublic(today)),
    versionStatement(db),
  ]);
  return { aliases: rows, version: toVersion(meta, today) };
}

/** The public articles dated `today`: those a scheduled go-live makes public (the cron handler). */
export async function listGoingLive(db: Database, today: string): Promise<string[]> {
  const rows = await db
    .select({ slug: articles.slug })
    .from(articles)
    .where(and(eq(articles.draft, false), eq(articles.publishedAt, today)));
  return rows.map((row) => row.slug);
}
