import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { articleAliases, articles, formerSlugs, shareCounts, socialCards } from '../schema/tables.ts';
import { searchInputStatements } from './search-seed.ts';
import type { ExistingArticle } from './seed-articles.ts';
import type { ArticlePlan, WrittenPlan } from './seed-plan.ts';
import { chunks, type Statement } from './seed-write.ts';

// The article rows of a seed: inserts, updates, new cards, and what --prune deletes.

type Db = LibSQLDatabase;
const sha256 = (value: Uint8Array) => createHash('sha256').update(value).digest('hex');

/** Content hash of a social card PNG: 16 hex digits, part of its URL /og/{slug}.{hash}.png. */
const cardHash = (png: Uint8Array) => sha256(png).slice(0, 16);

/** Deletes the articles whose document is gone, with their share counts and cards. */
export function pruneStatements(db: Db, gone: ExistingArticle[]): Statement[] {
  return chunks(
    gone.map((row) => row.id),
    () => 8,
  ).flatMap((ids) => [
    db.delete(shareCounts).where(inArray(shareCounts.articleId, ids)).toSQL(),
    db.delete(socialCards).where(inArray(socialCards.articleId, ids)).toSQL(),
    db.delete(formerSlugs).where(inArray(formerSlugs.articleId, ids)).toSQL(),
    db.delete(articleAliases).where(inArray(articleAliases.articleId, ids)).toSQL(),
    db.delete(articles).where(inArray(articles.id, ids)).toSQL(),
  ]);
}

const rowBytes = (plan: WrittenPlan) => JSON.stringify(plan.values).length;
const isInsert = (plan: ArticlePlan): plan is WrittenPlan => plan.action === 'insert';
const isUpdate = (plan: ArticlePlan): plan is WrittenPlan => plan.action === 'update';

/**
 * The writes of the planned articles, many rows a statement: inserts, updates (as an upsert on the
 * id, which runs the update triggers of the full-text index), the cards of articles that are
 * otherwise unchanged, and every new card (`cards` of its plan). The article statements come first,
 * so that a card finds the id of an article inserted in this same transaction by its slug. `quiet`:
 * the new search_input of articles that are otherwise unchanged, which change nothing a visitor sees.
 */
export function articleStatements(
  db: Db,
  plans: ArticlePlan[],
  cards: Map<ArticlePlan, Uint8Array>,
  now: string,
) {
  const statements: Statement[] = [];
  for (const [plan, png] of cards) {
    plan.values.cardHash = cardHash(png);
    plan.values.cardInput = plan.card;
  }
  const inserts = plans.filter(isInsert);
  const columns = Object.keys(inserts[0]?.values ?? {}).length + 1;
  for (const group of chunks(inserts, rowBytes, columns)) {
    statements.push(
      db
        .insert(articles)
        .values(group.map((plan) => ({ ...plan.values, createdAt: now })))
        .toSQL(),
    );
  }
  const updates = plans.filter(isUpdate);
  const first = updates[0];
  if (first) {
    // Every column the plan sets, from the row the upsert would have inserted; created_at stays.
    const set = Object.fromEntries(
      Object.keys(first.values).map((key) => {
        const column = articles[key as keyof typeof first.values];
        return [key, sql.raw(`excluded.${column.name}`)];
      }),
    );
    for (const group of chunks(updates, rowBytes, columns + 1)) {
      statements.push(
        db
          .insert(articles)
          .values(group.map((plan) => ({ ...plan.values, id: plan.rowId ?? -1, createdAt: now })))
          .onConflictDoUpdate({ target: articles.id, set })
          .toSQL(),
      );
    }
  }
  // Only the card is new: the article itself (and its updated_at) stays as it was.
  const cardOnly = plans.filter((plan) => plan.action === 'card');
  for (const group of chunks(cardOnly, () => 64, 4)) {
    statements.push({
      sql: `update articles set card_hash = v.column2, card_input = v.column3, search_input = v.column4 from (values ${group.map(() => '(?, ?, ?, ?)').join(', ')}) as v where articles.id = v.column1`,
      params: group.flatMap((plan) => [
        plan.rowId,
        plan.values.cardHash,
        plan.values.cardInput,
        plan.values.searchInput,
      ]),
    });
  }
  const quiet = searchInputStatements(
    'articles',
    plans.flatMap((plan) =>
      plan.action === 'search-input' && plan.rowId !== null
        ? [{ id: plan.rowId, searchInput: plan.values.searchInput }]
        : [],
    ),
  );
  // By slug, so that the card of an article inserted in this same transaction finds its id. (An
  // INSERT … SELECT with an upsert needs its WHERE clause, even `where true`: SQLite's lang_upsert.)
  for (const group of chunks([...cards], ([, png]) => png.byteLength, 2)) {
    statements.push({
      sql: `insert into social_cards (article_id, png) select a.id, v.column2 from (values ${group.map(() => '(?, ?)').join(', ')}) as v join articles a on a.slug = v.column1 where true on conflict (article_id) do update set png = excluded.png`,
      params: group.flatMap(([plan, png]) => [plan.article.slug, png]),
    });
  }
  return {
    statements,
    quiet,
    inserted: inserts.map((plan) => plan.article.slug),
    updated: updates.map((plan) => plan.article.slug),
  };
}
