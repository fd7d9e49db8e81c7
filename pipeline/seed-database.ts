import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Client, InArgs } from '@libsql/client';
import { eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { tags as cacheTags } from '../schema/cache-tags.ts';
import type { ArticleDoc, Block } from '../schema/document.ts';
import { slugify } from '../schema/slug.ts';
import { articles, participants, shareCounts, siteBlocks, siteMeta, socialCards } from '../schema/tables.ts';
import { formatDate } from '../worker/lib/dates.ts';
import type { ParsedFile } from './parse-document.ts';
import { renderArticleCards } from './social-card.ts';

export interface SeedSummary {
  inserted: string[];
  updated: string[];
  unchanged: number;
  /** Articles whose document is gone: deleted with --prune, otherwise kept. */
  pruned: string[];
  kept: string[];
  /** Social cards rendered: for new and changed articles, and for any article without one. */
  cards: number;
  /** Site-wide parts that changed: 'about', 'featured', 'participants'. */
  site: string[];
  contentVersion: string;
  changed: boolean;
}

export type Progress = (phase: 'read' | 'cards' | 'write', done: number, total: number) => void;

/**
 * Reads every `*.txt` in a folder, sorted by name, as `{file, bytes}` with paths as given. Bytes, not
 * text: Node's 'utf8' decoding would turn every invalid byte into U+FFFD without a word, and the
 * document contract must see them to refuse the file (schema/document.ts, DocumentText).
 */
export async function readDocuments(
  dir: string,
  progress?: Progress,
): Promise<{ file: string; bytes: Uint8Array }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  const out: { file: string; bytes: Uint8Array }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    out.push({ file, bytes: await readFile(file) });
    progress?.('read', out.length, names.length);
  }
  return out;
}

const sha256 = (value: string | Uint8Array) => createHash('sha256').update(value).digest('hex');

/** Content hash of a social card PNG: 16 hex digits, part of its URL /og/{slug}.{hash}.png. */
export const cardHash = (png: Uint8Array) => sha256(png).slice(0, 16);

/**
 * Social cards for many articles, rendered on the Node side (the Worker never carries a renderer),
 * in chunks so that thousands of documents show progress.
 */
async function renderCards(list: ArticleDoc[], progress?: Progress): Promise<Uint8Array[]> {
  const CHUNK = 200;
  const out: Uint8Array[] = [];
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    out.push(
      ...(await renderArticleCards(chunk.map((a) => ({ title: a.title, date: formatDate(a.publishedAt) })))),
    );
    progress?.('cards', out.length, list.length);
  }
  return out;
}

/** Plain text of the body blocks, for the full-text index. */
export function bodyText(body: Block[]): string {
  return body.map((block) => (block.type === 'list' ? block.items.join('\n') : block.text)).join('\n\n');
}

export class SeedConflict extends Error {}

/**
 * Writes parsed documents to the database in one transaction. Idempotent: every article carries a
 * hash of its parsed content, and only rows whose hash differs are written, so a second run writes
 * nothing; ids and created_at survive updates. An article is matched to its document by file name,
 * then by slug (a renamed file keeps its article).
 *
 * The site-wide blocks (about, featured, participants) come from the document of the newest
 * article: every document carries them, and the newest one is the most recent state of the site.
 */
export async function seedDatabase(
  client: Client,
  parsed: ParsedFile[],
  options: { prune?: boolean; now?: string; progress?: Progress } = {},
): Promise<SeedSummary> {
  const db = drizzle(client);
  const now = options.now ?? new Date().toISOString();

  const [existing, existingBlocks, existingParticipants] = await db.batch([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        sourceFile: articles.sourceFile,
        contentHash: articles.contentHash,
        cardHash: articles.cardHash,
      })
      .from(articles),
    db.select().from(siteBlocks),
    db.select({ name: participants.name }).from(participants),
  ]);
  const byFile = new Map(existing.map((row) => [row.sourceFile, row]));
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const matched = new Set<number>();

  const statements: { sql: string; params: unknown[] }[] = [];
  const summary: SeedSummary = {
    inserted: [],
    updated: [],
    unchanged: 0,
    pruned: [],
    kept: [],
    cards: 0,
    site: [],
    contentVersion: '',
    changed: false,
  };
  const hashes: string[] = [];

  // First the plan: what happens to each article. A card is rendered for every new or changed
  // article, and for an unchanged one that has none (a database seeded before cards existed).
  type Plan = {
    article: ArticleDoc;
    values: Omit<typeof articles.$inferInsert, 'createdAt'>;
    rowId: number | null;
    action: 'insert' | 'update' | 'card' | 'none';
  };
  const plans: Plan[] = [];
  for (const item of parsed) {
    const article = item.document.article;
    const sourceFile = basename(item.file);
    const contentHash = sha256(JSON.stringify(article));
    const row = byFile.get(sourceFile) ?? bySlug.get(article.slug);
    const values = {
      slug: article.slug,
      title: article.title,
      excerpt: article.excerpt,
      body: article.body,
      bodyText: bodyText(article.body),
      source: article.source,
      publishedAt: article.publishedAt,
      contentHash,
      sourceFile,
      cardHash: row?.cardHash ?? null,
      updatedAt: now,
    };
    if (row && !matched.has(row.id)) {
      matched.add(row.id);
      const same = row.contentHash === contentHash && row.sourceFile === sourceFile;
      plans.push({
        article,
        values,
        rowId: row.id,
        action: !same ? 'update' : row.cardHash ? 'none' : 'card',
      });
    } else {
      plans.push({ article, values, rowId: null, action: 'insert' });
    }
  }

  const gone = existing.filter((row) => !matched.has(row.id));
  for (const row of gone) {
    const takenBy = parsed.find((item) => item.document.article.slug === row.slug);
    if (takenBy && !options.prune) {
      throw new SeedConflict(
        `${takenBy.file}:${takenBy.titleLine}: slug "${row.slug}" belongs to an article whose document ` +
          `(${row.sourceFile}) is gone; run the seed with --prune to replace it`,
      );
    }
  }
  if (options.prune && gone.length > 0) {
    const ids = gone.map((row) => row.id);
    // Deleted before the inserts, so that a slug can move from a removed document to a new one.
    statements.unshift(
      db.delete(shareCounts).where(inArray(shareCounts.articleId, ids)).toSQL(),
      db.delete(socialCards).where(inArray(socialCards.articleId, ids)).toSQL(),
      db.delete(articles).where(inArray(articles.id, ids)).toSQL(),
    );
    summary.pruned = gone.map((row) => row.slug);
  } else {
    summary.kept = gone.map((row) => row.slug);
  }

  const needCards = plans.filter((plan) => plan.action !== 'none');
  const pngs = await renderCards(
    needCards.map((plan) => plan.article),
    options.progress,
  );
  summary.cards = pngs.length;
  needCards.forEach((plan, i) => {
    const png = pngs[i] as Uint8Array;
    plan.values.cardHash = cardHash(png);
    if (plan.action === 'insert') {
      statements.push(
        db
          .insert(articles)
          .values({ ...plan.values, createdAt: now })
          .toSQL(),
      );
      summary.inserted.push(plan.article.slug);
    } else if (plan.action === 'update') {
      statements.push(
        db
          .update(articles)
          .set(plan.values)
          .where(eq(articles.id, plan.rowId ?? -1))
          .toSQL(),
      );
      summary.updated.push(plan.article.slug);
    } else {
      // Only the card is new: the article itself (and its updated_at) stays as it was.
      statements.push(
        db
          .update(articles)
          .set({ cardHash: plan.values.cardHash })
          .where(eq(articles.id, plan.rowId ?? -1))
          .toSQL(),
      );
    }
    // By slug, so that the card of an article inserted in this same transaction finds its id.
    statements.push({
      sql: `insert into social_cards (article_id, png) select id, ? from articles where slug = ? on conflict (article_id) do update set png = excluded.png`,
      params: [png, plan.article.slug],
    });
  });
  summary.unchanged = plans.filter((plan) => plan.action === 'none' || plan.action === 'card').length;
  for (const plan of plans)
    hashes.push(`${plan.article.slug}:${plan.values.contentHash}:${plan.values.cardHash}`);

  // Site-wide blocks from the newest document (ties: the later file name).
  const newest = [...parsed].sort(
    (a, b) =>
      a.document.article.publishedAt.localeCompare(b.document.article.publishedAt) ||
      a.file.localeCompare(b.file),
  )[parsed.length - 1];
  if (newest) {
    const site = newest.document.site;
    const blocks = [
      { key: 'about', title: null, text: site.about },
      { key: 'featured', title: site.featured.title, text: site.featured.text },
    ];
    for (const block of blocks) {
      const current = existingBlocks.find((row) => row.key === block.key);
      if (current?.title === block.title && current.text === block.text) continue;
      statements.push(
        db
          .insert(siteBlocks)
          .values({ ...block, updatedAt: now })
          .onConflictDoUpdate({
            target: siteBlocks.key,
            set: { title: block.title, text: block.text, updatedAt: now },
          })
          .toSQL(),
      );
      summary.site.push(block.key);
    }
    const wanted = site.participants;
    const have = existingParticipants.map((row) => row.name);
    const removed = have.filter((name) => !wanted.includes(name));
    const added = wanted.filter((name) => !have.includes(name));
    if (removed.length > 0) {
      statements.push(db.delete(participants).where(inArray(participants.name, removed)).toSQL());
    }
    for (const name of added) {
      statements.push(
        db
          .insert(participants)
          .values({ name, slug: slugify(name) })
          .toSQL(),
      );
    }
    if (removed.length > 0 || added.length > 0) summary.site.push('participants');
    hashes.push(`site:${sha256(JSON.stringify(site))}`);
  }

  summary.contentVersion = sha256(hashes.sort().join('\n')).slice(0, 16);
  summary.changed = statements.length > 0;
  if (!summary.changed) return summary;

  // The Worker's caches compare this version (and date their pages by it): it changes with every
  // seed that writes anything.
  for (const [key, value] of [
    ['content_version', summary.contentVersion],
    ['content_updated_at', now],
  ] as const) {
    statements.push(
      db
        .insert(siteMeta)
        .values({ key, value })
        .onConflictDoUpdate({ target: siteMeta.key, set: { value } })
        .toSQL(),
    );
  }

  // One write transaction, sent in chunks so that thousands of documents do not make one huge request.
  const toStatement = (s: { sql: string; params: unknown[] }) => ({ sql: s.sql, args: s.params as InArgs });
  const tx = await client.transaction('write');
  try {
    const CHUNK = 250;
    for (let i = 0; i < statements.length; i += CHUNK) {
      await tx.batch(statements.slice(i, i + CHUNK).map(toStatement));
      options.progress?.('write', Math.min(i + CHUNK, statements.length), statements.length);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    tx.close();
  }
  return summary;
}

/**
 * What a seed changed, as Workers Cache purge target (the Worker's Cache-Tag values, from
 * schema/cache-tags.ts): each changed article and every list of articles; the site blocks.
 * Null when nothing changed; everything when the tags would exceed Cloudflare's 1000 per purge.
 */
export function purgeTargetOf(summary: SeedSummary): { tags: string[] } | { everything: true } | null {
  if (!summary.changed) return null;
  const slugs = [...summary.inserted, ...summary.updated, ...summary.pruned];
  const tags: string[] = slugs.map(cacheTags.article);
  // New cards alone (a backfill) change the og:image of article pages, which all carry 'articles'.
  if (slugs.length > 0 || summary.cards > 0) tags.push(cacheTags.articles);
  if (summary.site.length > 0) tags.push(cacheTags.site);
  if (tags.length === 0) tags.push(cacheTags.site, cacheTags.articles);
  return tags.length > 1000 ? { everything: true } : { tags };
}
