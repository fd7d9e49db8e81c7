import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { articleAliases } from '../schema/tables.ts';
import { type ArticlePlan, SeedConflict } from './seed-plan.ts';

/**
 * The addresses an article answers besides its own: its former slugs (kept by the seed when a slug
 * changes) and the aliases its document lists. Both answer 301 to the article's current URL.
 */

type Db = LibSQLDatabase;
type Statement = { sql: string; params: unknown[] };

export interface ExistingAddresses {
  formerSlugs: { slug: string; articleId: number }[];
  aliases: { path: string; articleId: number }[];
  articles: { id: number; slug: string; sourceFile: string }[];
}

/**
 * Refuses, before anything is written, a document that would take an address another article
 * answers: a slug that is a former slug of another article (or that another article gives up in this
 * same seed), or an alias of an article whose document is gone and that is kept (without --prune).
 * The message is at the document's line.
 */
export function refuseTakenAddresses(
  plans: ArticlePlan[],
  existing: ExistingAddresses,
  gone: { id: number }[],
  prune: boolean,
): void {
  const removed = new Set(prune ? gone.map((row) => row.id) : []);
  const fileOf = (id: number) =>
    existing.articles.find((row) => row.id === id)?.sourceFile ?? `article ${id}`;
  // Looked up for every document: by key, so that thousands of documents stay linear.
  const { formerBySlug, aliasByPath, plannedIds } = lookups(plans, existing);
  const givers = new Map<string, ArticlePlan>();
  for (const plan of plans) if (plan.previousSlug !== null) givers.set(plan.previousSlug, plan);
  for (const plan of plans) {
    const slug = plan.article.slug;
    const former = formerBySlug.get(slug);
    if (former && former.articleId !== plan.rowId && !removed.has(former.articleId)) {
      throw new SeedConflict(
        `${plan.file}:${plan.titleLine}: slug "${slug}" is an earlier URL of the article of ` +
          `${fileOf(former.articleId)}, which it redirects to; give this article another title or slug`,
      );
    }
    const giver = givers.get(slug);
    if (giver && giver !== plan) {
      throw new SeedConflict(
        `${plan.file}:${plan.titleLine}: slug "${slug}" is the URL ${basename(giver.file)} had until now, ` +
          'and it will redirect to that article; give this article another title or slug',
      );
    }
    plan.publishing.aliases.forEach((path, index) => {
      const owner = aliasByPath.get(path);
      const ownerPlanned = owner && plannedIds.has(owner.articleId);
      if (owner && !ownerPlanned && !removed.has(owner.articleId)) {
        throw new SeedConflict(
          `${plan.file}:${plan.aliasLines[index] ?? plan.titleLine}: the earlier URL ${path} belongs to the ` +
            `article of ${fileOf(owner.articleId)}, whose document is gone; run the seed with --prune to move it`,
        );
      }
    });
  }
}

/** The former slugs and aliases by their address (each is a primary key), and the planned rows. */
function lookups(plans: ArticlePlan[], existing: ExistingAddresses) {
  return {
    formerBySlug: new Map(existing.formerSlugs.map((row) => [row.slug, row])),
    aliasByPath: new Map(existing.aliases.map((row) => [row.path, row])),
    plannedIds: new Set(plans.map((plan) => plan.rowId)),
  };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The writes that bring former slugs and aliases to what the documents say, and a hash of the
 * aliases for the content version. After the article writes: an alias of a new article finds it by
 * slug. The former slugs and aliases of pruned articles are deleted with them.
 */
export function addressStatements(
  db: Db,
  plans: ArticlePlan[],
  existing: ExistingAddresses,
  pruned: { id: number }[],
): { statements: Statement[]; hash: string } {
  const statements: Statement[] = [];
  const prunedIds = new Set(pruned.map((row) => row.id));
  const { formerBySlug, aliasByPath, plannedIds } = lookups(plans, existing);
  for (const plan of plans) {
    if (plan.previousSlug && plan.rowId !== null) {
      statements.push({
        sql: 'insert into former_slugs (slug, article_id) values (?, ?) on conflict (slug) do update set article_id = excluded.article_id',
        params: [plan.previousSlug, plan.rowId],
      });
    }
    // An article that gets an earlier slug back: it is its URL again, not a redirect.
    if (plan.rowId !== null && formerBySlug.get(plan.article.slug)?.articleId === plan.rowId) {
      statements.push({ sql: 'delete from former_slugs where slug = ?', params: [plan.article.slug] });
    }
  }

  const wanted = new Map<string, ArticlePlan>();
  for (const plan of plans) for (const path of plan.publishing.aliases) wanted.set(path, plan);
  const stale = existing.aliases.filter((row) => {
    if (prunedIds.has(row.articleId)) return false;
    const planned = plannedIds.has(row.articleId);
    // An alias of a kept article (document gone, no --prune) stays; a planned one follows its document.
    return planned && wanted.get(row.path)?.rowId !== row.articleId;
  });
  if (stale.length > 0) {
    statements.push(
      db
        .delete(articleAliases)
        .where(
          inArray(
            articleAliases.path,
            stale.map((row) => row.path),
          ),
        )
        .toSQL(),
    );
  }
  for (const [path, plan] of wanted) {
    if (plan.rowId !== null && aliasByPath.get(path)?.articleId === plan.rowId) continue;
    statements.push({
      sql: 'insert into article_aliases (path, article_id) select ?, id from articles where slug = ? on conflict (path) do update set article_id = excluded.article_id',
      params: [path, plan.article.slug],
    });
  }
  const lines = [...wanted].map(([path, plan]) => `${path} ${plan.article.slug}`).sort();
  return { statements, hash: `aliases:${sha256(lines.join('\n'))}` };
}
