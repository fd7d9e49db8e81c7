import { hash } from 'node:crypto';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { DEFAULT_SECTION } from '../schema/addresses.ts';
import { startOfAmsterdamDate } from '../schema/dates.ts';
import type { ArticleDoc } from '../schema/document.ts';
import { articleAliases, articles, formerSlugs, participants, siteBlocks } from '../schema/tables.ts';
import type { ExistingAddresses } from './article-addresses.ts';
import { cardInputHash, cardInputOf } from './card-input.ts';
import type { ParsedArticle as ParsedFile } from './parse-result.ts';
import { bodyText, type SearchTexts } from './search-seed.ts';
import { type ArticlePlan, SeedConflict } from './seed-plan.ts';

// A seed's plan for the articles: the rows it compares the documents with, and what happens to each.

type Db = LibSQLDatabase;
export type ExistingRows = Awaited<ReturnType<typeof readExisting>>;
export type ExistingArticle = ExistingRows['articles'][number];

// One-shot hashing: a Hash object per call cost about as much again, 10,000 times a seed.
const sha256 = (value: string) => hash('sha256', value);

/**
 * SHA-256 of an article's content. Its section counts only when it is not the default one: the
 * articles hashed before sections existed keep their hash (and so their updated_at).
 */
function contentHashOf(article: ArticleDoc): string {
  const { section, ...rest } = article;
  return sha256(JSON.stringify(section === DEFAULT_SECTION ? rest : article));
}

/** The columns of an article row that a seed compares its document with. */
const compared = {
  id: articles.id,
  slug: articles.slug,
  sourceFile: articles.sourceFile,
  contentHash: articles.contentHash,
  searchHash: articles.searchHash,
  searchInput: articles.searchInput,
  cardHash: articles.cardHash,
  cardInput: articles.cardInput,
  draft: articles.draft,
  createdAt: articles.createdAt,
  updatedAt: articles.updatedAt,
};
type Compared = keyof typeof compared;
const comparedKeys = Object.keys(compared) as Compared[];

/**
 * Those columns of every article as one JSON text, each row an array: @libsql/client makes an
 * object of every row it returns with two defineProperty calls per column, which took 0.15–0.25 s
 * of CPU for 10,000 articles, against 0.04–0.06 s for one row that holds them all. Each value is
 * read as drizzle reads its column (draft: 0/1 → boolean).
 */
const comparedRows = sql<string>`json_group_array(json_array(${sql.join(
  comparedKeys.map((key) => compared[key]),
  sql`, `,
)}))`;

function fromComparedRows(json: string | undefined): Pick<typeof articles.$inferSelect, Compared>[] {
  return (JSON.parse(json ?? '[]') as unknown[][]).map(
    (values) =>
      Object.fromEntries(
        comparedKeys.map((key, i) => [key, compared[key].mapFromDriverValue(values[i] as never)]),
      ) as Pick<typeof articles.$inferSelect, Compared>,
  );
}

/** The rows a seed compares the documents with, in one batch. */
export async function readExisting(db: Db) {
  const [all, blocks, people, former, aliases] = await db.batch([
    db.select({ rows: comparedRows }).from(articles),
    db.select().from(siteBlocks),
    db.select({ name: participants.name }).from(participants),
    db.select().from(formerSlugs),
    db.select().from(articleAliases),
  ]);
  const rows = fromComparedRows(all[0]?.rows);
  const addresses: ExistingAddresses = { formerSlugs: former, aliases, articles: rows };
  return { articles: rows, blocks, participants: people, addresses };
}

/**
 * Matches every document to its row (by file name, then by slug) and says what to do with it. An
 * index text is made only for a row that is written or whose index text's inputs changed (`search`).
 */
export function planArticles(
  parsed: ParsedFile[],
  existing: ExistingArticle[],
  now: string,
  search: SearchTexts,
): { plans: ArticlePlan[]; gone: ExistingArticle[] } {
  const byFile = new Map(existing.map((row) => [row.sourceFile, row]));
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const matched = new Set<number>();
  const plans: ArticlePlan[] = [];
  for (const item of parsed) {
    const article = item.document.article;
    const { publishing } = item.document;
    const sourceFile = basename(item.file);
    // The article's content only: its draft flag, aliases and index text are not content, and
    // changing them changes no date. (The same fields, in the same order, as before they existed.)
    const contentHash = contentHashOf(article);
    // A draft is not in the search index (its words must not surface, not even as a suggestion).
    const searchInput = search.inputOf(contentHash, !publishing.draft);
    const text = () => {
      const body = bodyText(article.body);
      return { bodyText: body, searchText: publishing.draft ? '{}' : search.make(article.title, body) };
    };
    const cardInput = cardInputHash(cardInputOf(article));
    const row = byFile.get(sourceFile) ?? bySlug.get(article.slug);
    // The index text has a hash of its own: a glossary change rewrites the articles it touches.
    // While what it is made from is the same, the row's text is what it would be.
    let made: ReturnType<typeof text> | null = null;
    let searchHash: string;
    if (row?.searchInput === searchInput && row.searchHash !== null) {
      searchHash = row.searchHash;
    } else {
      made = text();
      searchHash = sha256(made.searchText).slice(0, 16);
    }
    const published = startOfAmsterdamDate(article.publishedAt);
    // When the content last changed: its publication until a seed changes it, then that seed's
    // time (never before the publication: a scheduled article edited ahead of its date). A row
    // written before dates were honest has updated_at = created_at; it gets its publication date.
    const sameContent = row?.contentHash === contentHash;
    const updatedAt = !row
      ? published
      : !sameContent
        ? ([published, now].sort()[1] ?? now)
        : row.updatedAt === row.createdAt
          ? published
          : row.updatedAt;
    const values = {
      slug: article.slug,
      section: article.section,
      title: article.title,
      excerpt: article.excerpt,
      body: article.body,
      source: article.source,
      publishedAt: article.publishedAt,
      contentHash,
      searchHash,
      searchInput,
      sourceFile,
      cardHash: row?.cardHash ?? null,
      cardInput: row?.cardInput ?? null,
      draft: publishing.draft,
      updatedAt,
    };
    const aliasLines = item.aliasLines ?? [];
    const common = { article, file: item.file, titleLine: item.titleLine, aliasLines, publishing };
    if (row && !matched.has(row.id)) {
      matched.add(row.id);
      const same =
        sameContent &&
        row.searchHash === searchHash &&
        row.sourceFile === sourceFile &&
        row.draft === publishing.draft &&
        row.updatedAt === updatedAt;
      const card = row.cardHash && row.cardInput === cardInput ? null : cardInput;
      const matchedRow = {
        ...common,
        rowId: row.id,
        previousSlug: row.slug === article.slug ? null : row.slug,
        card,
      };
      if (!same) {
        plans.push({ ...matchedRow, values: { ...values, ...(made ?? text()) }, action: 'update' });
      } else {
        const action = card ? 'card' : row.searchInput !== searchInput ? 'search-input' : 'none';
        plans.push({ ...matchedRow, values, action });
      }
    } else {
      plans.push({
        ...common,
        values: { ...values, ...(made ?? text()) },
        rowId: null,
        previousSlug: null,
        action: 'insert',
        card: cardInput,
      });
    }
  }
  return { plans, gone: existing.filter((row) => !matched.has(row.id)) };
}

/** A document may take the slug of an article whose document is gone only when that article is pruned. */
export function refuseTakenSlugs(parsed: ParsedFile[], gone: ExistingArticle[], prune: boolean) {
  if (prune) return;
  for (const row of gone) {
    const takenBy = parsed.find((item) => item.document.article.slug === row.slug);
    if (takenBy) {
      throw new SeedConflict(
        `${takenBy.file}:${takenBy.titleLine}: slug "${row.slug}" belongs to an article whose document ` +
          `(${row.sourceFile}) is gone; run the seed with --prune to replace it`,
      );
    }
  }
}
