import { sql } from 'drizzle-orm';
import {
  articleIdSql,
  publicRowidFrom,
  type QueryPlan,
  queryPlan,
  queryWords,
  wordMatcher,
} from '../../schema/search-terms.ts';
import { glossary } from '../../schema/tables.ts';
import type { Database } from '../database.ts';
import { makeSnippet } from '../lib/snippet.ts';
import {
  SUGGEST_CANDIDATES,
  SUGGEST_MIN_LENGTH,
  SUGGEST_WORDS,
  suggestQuery,
  trigramQuery,
  type VocabularyRow,
} from '../lib/suggest.ts';
import type { ArticleSummary } from './articles.ts';
import { type Chrome, getSidebar, sidebarStatements, toChrome } from './chrome.ts';
import { bind, readBatch, statement } from './prepared.ts';

// Snippet markers: control characters that cannot occur in document text (the parser keeps only
// printable text), so views can split on them and render <mark> without any raw HTML.
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

export type SearchResult = ArticleSummary & { snippet: string };

/** A content page that matches, above the articles: its exact path, title, excerpt and snippet. */
export interface PageResult {
  path: string;
  title: string;
  excerpt: string;
  snippet: string;
}

/** At most this many pages are shown above the articles: the site has few, and they are not paged. */
const PAGE_RESULTS = 5;

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
  return db.all<ArticleSummary & { bodyText: string }>(sql`with candidates as (
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
    select a.slug, a.section, a.title, a.excerpt, a.published_at as publishedAt, a.updated_at as updatedAt,
      a.body_text as bodyText
    from scored join articles a on a.id = ${sql.raw(articleIdSql('scored.hit'))}
    order by scored.score desc, scored.hit
    limit ${limit} offset ${offset}`);
}

/**
 * The pages holding every word (pages_search, the same columns and expressions as the articles'),
 * best first: the title holds every word, then every word as written, then as stem, then parts;
 * then by title. Every match is scored: the site has tens of pages, not thousands. Drafts and the
 * seed's indexes have no index text; the filter says so again.
 */
function pagesStatement(db: Database, plan: QueryPlan) {
  const tier = (expression: string, points: number) =>
    sql`select rowid as hit, ${sql.raw(String(points))} as points from pages_search
      where pages_search match ${expression}`;
  return db.all<{ path: string; title: string; excerpt: string; bodyText: string }>(sql`with
    hits as (select rowid as hit from pages_search where pages_search match ${plan.any}),
    tiers as (${tier(plan.title, POINTS.title)} union all ${tier(plan.exact, POINTS.exact)}
      union all ${tier(plan.stemmed, POINTS.stemmed)}),
    scored as (
      select hits.hit, coalesce(sum(tiers.points), 0) as score
      from hits left join tiers on tiers.hit = hits.hit group by hits.hit
    )
    select p.path, p.title, p.excerpt, p.body_text as bodyText
    from scored join pages p on p.id = scored.hit
    where p.draft = 0 and p.virtual = 0
    order by scored.score desc, p.title, p.path
    limit ${PAGE_RESULTS}`);
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

const glossaryStatement = statement('glossary', [], (db) => db.select().from(glossary));

/**
 * Search (schema/search-terms.ts): a page of results with highlighted snippets, how many articles
 * match in all (those with every word; when there are none, those with some), the best content
 * pages holding every word, suggestions when it found nothing or little, and the sidebar: one batch.
 */
export async function searchArticles(
  db: Database,
  query: string,
  { page = 1, limit = 10, today }: { page?: number; limit?: number; today: string },
): Promise<
  {
    results: SearchResult[];
    /** Content pages holding every word, best first (at most PAGE_RESULTS; the same on every page). */
    pages: PageResult[];
    total: number;
    /** False when no article holds every word and the results hold some of them. */
    allWords: boolean;
    suggestions: string[];
  } & Chrome
> {
  const plan = queryPlan(query);
  if (plan === null) {
    return {
      results: [],
      pages: [],
      total: 0,
      allWords: true,
      suggestions: [],
      ...(await getSidebar(db, today)),
    };
  }
  // The search's own statements depend on the words (how many, which tiers): built per request.
  const [rows, [count], pageRows, entries, vocabulary, blocks, people, meta] = await readBatch(db, [
    bind(rankedStatement(db, plan, limit, (page - 1) * limit, today)),
    bind(countStatement(db, plan, today)),
    bind(pagesStatement(db, plan)),
    glossaryStatement.bind({}),
    bind(vocabularyStatement(db, plan)),
    ...sidebarStatements(db),
  ]);
  const match = wordMatcher(plan, entries);
  const results = rows.map(({ bodyText, ...summary }) => ({
    ...summary,
    snippet: makeSnippet(bodyText, match, { start: MARK_START, end: MARK_END }),
  }));
  const pages = pageRows.map(({ bodyText, ...summary }) => ({
    ...summary,
    snippet: makeSnippet(bodyText, match, { start: MARK_START, end: MARK_END }),
  }));
  const all = Number(count?.all ?? 0);
  const suggestions = suggestQuery(plan, queryWords(query), vocabulary, all);
  return {
    results,
    pages,
    total: all > 0 ? all : Number(count?.some ?? 0),
    allWords: all > 0 || results.length === 0,
    suggestions,
    ...toChrome(db, blocks, people, meta, today),
  };
}
