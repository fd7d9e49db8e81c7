import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Client, InArgs } from '@libsql/client';
import { eq, inArray } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { tags as cacheTags } from '../schema/cache-tags.ts';
import type { ArticleDoc, Block } from '../schema/document.ts';
import type { GlossaryEntry } from '../schema/search-terms.ts';
import { slugify } from '../schema/slug.ts';
import { articles, participants, shareCounts, siteBlocks, siteMeta, socialCards } from '../schema/tables.ts';
import { formatDate } from '../worker/lib/dates.ts';
import type { ParsedFile } from './parse-document.ts';
import { glossaryStatements, readGlossaryRows, searchText, vocabularyStatements } from './search-seed.ts';
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
const cardHash = (png: Uint8Array) => sha256(png).slice(0, 16);

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
function bodyText(body: Block[]): string {
  return body.map((block) => (block.type === 'list' ? block.items.join('\n') : block.text)).join('\n\n');
}

export class SeedConflict extends Error {}

type Db = LibSQLDatabase;
type Statement = { sql: string; params: unknown[] };
type ExistingRows = Awaited<ReturnType<typeof readExisting>>;
type ExistingArticle = ExistingRows['articles'][number];

/**
 * What happens to one article. A card is rendered for every new or changed article, and for an
 * unchanged one that has none (a database seeded before cards existed).
 */
interface ArticlePlan {
  article: ArticleDoc;
  values: Omit<typeof articles.$inferInsert, 'createdAt'>;
  rowId: number | null;
  action: 'insert' | 'update' | 'card' | 'none';
}

/**
 * Writes parsed documents to the database in one transaction. Idempotent: every article carries a
 * hash of its parsed content, and only rows whose hash differs are written, so a second run writes
 * nothing; ids and created_at survive updates. An article is matched to its document by file name,
 * then by slug (a renamed file keeps its article).
 *
 * The site-wide blocks (about, featured, participants) come, each, from the newest document that has
 * it: the newest one is the most recent state of the site (see siteParts).
 *
 * All or nothing: every step before the write only reads and plans (a conflict throws before any
 * card is rendered), and the write is one transaction.
 */
export async function seedDatabase(
  client: Client,
  parsed: ParsedFile[],
  options: { prune?: boolean; now?: string; progress?: Progress; glossary?: GlossaryEntry[] } = {},
): Promise<SeedSummary> {
  const db = drizzle(client);
  const now = options.now ?? new Date().toISOString();

  const existing = await readExisting(db);
  // The glossary (glossary.yaml, pipeline/glossary.ts) shapes every article's index text; without
  // one, the seed keeps the glossary the database holds.
  const stored = await readGlossaryRows(db);
  const glossary = glossaryStatements(db, options.glossary ?? stored, stored);
  const { plans, gone } = planArticles(parsed, existing.articles, now, options.glossary ?? stored);
  refuseTakenSlugs(parsed, gone, options.prune ?? false);
  // Deleted before the inserts, so that a slug can move from a removed document to a new one.
  const deletes = options.prune ? pruneStatements(db, gone) : [];

  const needCards = plans.filter((plan) => plan.action !== 'none');
  const pngs = await renderCards(
    needCards.map((plan) => plan.article),
    options.progress,
  );
  const writes = articleStatements(db, needCards, pngs, now);
  const site = siteStatements(db, siteParts(parsed), existing, now);

  const hashes = plans.map(
    (plan) => `${plan.article.slug}:${plan.values.contentHash}:${plan.values.cardHash}`,
  );
  if (site.hash) hashes.push(site.hash);
  hashes.push(glossary.hash);
  const statements = [...deletes, ...writes.statements, ...site.statements, ...glossary.statements];
  const summary: SeedSummary = {
    inserted: writes.inserted,
    updated: writes.updated,
    unchanged: plans.filter((plan) => plan.action === 'none' || plan.action === 'card').length,
    pruned: options.prune ? gone.map((row) => row.slug) : [],
    kept: options.prune ? [] : gone.map((row) => row.slug),
    cards: pngs.length,
    site: site.changed,
    contentVersion: sha256(hashes.sort().join('\n')).slice(0, 16),
    changed: statements.length > 0,
  };
  if (!summary.changed) return summary;

  statements.push(...vocabularyStatements(), ...contentVersionStatements(db, summary.contentVersion, now));
  await writeInOneTransaction(client, statements, options.progress);
  return summary;
}

/** The rows a seed compares the documents with, in one batch. */
async function readExisting(db: Db) {
  const [rows, blocks, people] = await db.batch([
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
  return { articles: rows, blocks, participants: people };
}

/** Matches every document to its row (by file name, then by slug) and says what to do with it. */
function planArticles(
  parsed: ParsedFile[],
  existing: ExistingArticle[],
  now: string,
  glossary: GlossaryEntry[],
): { plans: ArticlePlan[]; gone: ExistingArticle[] } {
  const byFile = new Map(existing.map((row) => [row.sourceFile, row]));
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const matched = new Set<number>();
  const plans: ArticlePlan[] = [];
  for (const item of parsed) {
    const article = item.document.article;
    const sourceFile = basename(item.file);
    const text = bodyText(article.body);
    const search = searchText(article.title, text, glossary);
    // The index text is part of the hash: a glossary change rewrites the articles it touches.
    const contentHash = sha256(`${JSON.stringify(article)}\0${search}`);
    const row = byFile.get(sourceFile) ?? bySlug.get(article.slug);
    const values = {
      slug: article.slug,
      title: article.title,
      excerpt: article.excerpt,
      body: article.body,
      bodyText: text,
      searchText: search,
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
  return { plans, gone: existing.filter((row) => !matched.has(row.id)) };
}

/** A document may take the slug of an article whose document is gone only when that article is pruned. */
function refuseTakenSlugs(parsed: ParsedFile[], gone: ExistingArticle[], prune: boolean) {
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

/** Deletes the articles whose document is gone, with their share counts and cards. */
function pruneStatements(db: Db, gone: ExistingArticle[]): Statement[] {
  if (gone.length === 0) return [];
  const ids = gone.map((row) => row.id);
  return [
    db.delete(shareCounts).where(inArray(shareCounts.articleId, ids)).toSQL(),
    db.delete(socialCards).where(inArray(socialCards.articleId, ids)).toSQL(),
    db.delete(articles).where(inArray(articles.id, ids)).toSQL(),
  ];
}

/** Inserts and updates of the planned articles, each with its new card (`pngs[i]` of `plans[i]`). */
function articleStatements(db: Db, plans: ArticlePlan[], pngs: Uint8Array[], now: string) {
  const statements: Statement[] = [];
  const inserted: string[] = [];
  const updated: string[] = [];
  plans.forEach((plan, i) => {
    const png = pngs[i] as Uint8Array;
    plan.values.cardHash = cardHash(png);
    if (plan.action === 'insert') {
      statements.push(
        db
          .insert(articles)
          .values({ ...plan.values, createdAt: now })
          .toSQL(),
      );
      inserted.push(plan.article.slug);
    } else if (plan.action === 'update') {
      statements.push(
        db
          .update(articles)
          .set(plan.values)
          .where(eq(articles.id, plan.rowId ?? -1))
          .toSQL(),
      );
      updated.push(plan.article.slug);
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
  return { statements, inserted, updated };
}

type SiteParts = ParsedFile['document']['site'];

/**
 * The site-wide parts, each from the newest document that has it (by date, then file name): every
 * chrome section is optional in a document, so a document that is only an article, or one without
 * "Uitgelicht", leaves that part to the newest document that does have it. A part no document has
 * is null, and the database keeps what it holds.
 */
function siteParts(parsed: ParsedFile[]): SiteParts | null {
  if (parsed.length === 0) return null;
  const newestFirst = [...parsed].sort(
    (a, b) =>
      b.document.article.publishedAt.localeCompare(a.document.article.publishedAt) ||
      b.file.localeCompare(a.file),
  );
  const newest = <K extends keyof SiteParts>(key: K): SiteParts[K] =>
    newestFirst.find((item) => item.document.site[key] !== null)?.document.site[key] ?? null;
  return { about: newest('about'), featured: newest('featured'), participants: newest('participants') };
}

/**
 * Writes of the site-wide blocks and participants that differ from `site`'s, the names of the parts
 * that changed, and the hash of the site part for the content version (null without documents).
 */
function siteStatements(
  db: Db,
  site: SiteParts | null,
  existing: ExistingRows,
  now: string,
): { statements: Statement[]; changed: string[]; hash: string | null } {
  const statements: Statement[] = [];
  const changed: string[] = [];
  if (!site) return { statements, changed, hash: null };
  const blocks = [
    site.about === null ? null : { key: 'about', title: null, text: site.about },
    site.featured && { key: 'featured', title: site.featured.title, text: site.featured.text },
  ];
  for (const block of blocks) {
    if (!block) continue;
    const current = existing.blocks.find((row) => row.key === block.key);
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
    changed.push(block.key);
  }
  const wanted = site.participants;
  const have = existing.participants.map((row) => row.name);
  const removed = wanted === null ? [] : have.filter((name) => !wanted.includes(name));
  const added = wanted === null ? [] : wanted.filter((name) => !have.includes(name));
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
  if (removed.length > 0 || added.length > 0) changed.push('participants');
  return { statements, changed, hash: `site:${sha256(JSON.stringify(site))}` };
}

/**
 * The Worker's caches compare this version (and date their pages by it): it changes with every
 * seed that writes anything.
 */
function contentVersionStatements(db: Db, contentVersion: string, now: string): Statement[] {
  return (
    [
      ['content_version', contentVersion],
      ['content_updated_at', now],
    ] as const
  ).map(([key, value]) =>
    db
      .insert(siteMeta)
      .values({ key, value })
      .onConflictDoUpdate({ target: siteMeta.key, set: { value } })
      .toSQL(),
  );
}

/** One write transaction, sent in chunks so that thousands of documents do not make one huge request. */
async function writeInOneTransaction(client: Client, statements: Statement[], progress?: Progress) {
  const toStatement = (s: Statement) => ({ sql: s.sql, args: s.params as InArgs });
  const tx = await client.transaction('write');
  try {
    const CHUNK = 250;
    for (let i = 0; i < statements.length; i += CHUNK) {
      await tx.batch(statements.slice(i, i + CHUNK).map(toStatement));
      progress?.('write', Math.min(i + CHUNK, statements.length), statements.length);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    tx.close();
  }
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
