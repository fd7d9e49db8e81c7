import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Client, InArgs } from '@libsql/client';
import { inArray, sql } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { DEFAULT_SECTION } from '../schema/addresses.ts';
import { tags as cacheTags } from '../schema/cache-tags.ts';
import { amsterdamDate, startOfAmsterdamDate } from '../schema/dates.ts';
import type { ArticleDoc } from '../schema/document.ts';
import type { GlossaryEntry } from '../schema/search-terms.ts';
import { slugify } from '../schema/slug.ts';
import {
  articleAliases,
  articles,
  formerSlugs,
  participants,
  shareCounts,
  siteBlocks,
  siteMeta,
  socialCards,
} from '../schema/tables.ts';
import { addressStatements, type ExistingAddresses, refuseTakenAddresses } from './article-addresses.ts';
import { cardInputHash, cardInputOf } from './card-input.ts';
import { renderCardsInParallel } from './card-pool.ts';
import type { ParsedArticle as ParsedFile, ParsedPage } from './parse-result.ts';
import { glossaryStatements, readGlossaryRows, searchText, vocabularyStatements } from './search-seed.ts';
import { bodyText, type PagesSummary, pageStatements, readExistingPages } from './seed-pages.ts';
import { type ArticlePlan, SeedConflict } from './seed-plan.ts';
import type { SiteStructure } from './site-addresses.ts';
import type { ParsedSite } from './site-document.ts';
import { chooseSiteParts } from './site-parts.ts';

export { SeedConflict } from './seed-plan.ts';

export interface SeedSummary {
  inserted: string[];
  updated: string[];
  unchanged: number;
  /** Articles whose document is gone: deleted with --prune, otherwise kept. */
  pruned: string[];
  kept: string[];
  /** Social cards rendered: for new articles, for those whose title or date changed, and for any
   * article without one or whose card an older renderer drew. */
  cards: number;
  /** Site-wide parts that changed: 'about', 'featured', 'participants'. */
  site: string[];
  /** What the seed has to say about the site parts: copies that disagree, participants removed. */
  notices: string[];
  /** Drafts (no public route shows them) and scheduled articles (public from their date on). */
  drafts: { slug: string; file: string }[];
  scheduled: { slug: string; publishedAt: string }[];
  contentVersion: string;
  changed: boolean;
  /** What happened to the content pages, sections, menu and redirects (null: not seeded). */
  pages: PagesSummary | null;
  /** The cache tags of what changed among them (schema/cache-tags.ts). */
  pageTags: string[];
}

export type Progress = (phase: 'read' | 'media' | 'cards' | 'write', done: number, total: number) => void;

const sha256 = (value: string | Uint8Array) => createHash('sha256').update(value).digest('hex');

/** Content hash of a social card PNG: 16 hex digits, part of its URL /og/{slug}.{hash}.png. */
const cardHash = (png: Uint8Array) => sha256(png).slice(0, 16);

/**
 * The new social cards of the plans that need one, rendered on the Node side (the Worker never
 * carries a renderer) on every core.
 */
async function renderCards(plans: ArticlePlan[], progress?: Progress): Promise<Uint8Array[]> {
  return renderCardsInParallel(
    plans.map((plan) => cardInputOf(plan.article)),
    { progress: (done) => progress?.('cards', done, plans.length) },
  );
}

/**
 * SHA-256 of an article's content. Its section counts only when it is not the default one: the
 * articles hashed before sections existed keep their hash (and so their updated_at).
 */
function contentHashOf(article: ArticleDoc): string {
  const { section, ...rest } = article;
  return sha256(JSON.stringify(section === DEFAULT_SECTION ? rest : article));
}

type Db = LibSQLDatabase;
type Statement = { sql: string; params: unknown[] };
type ExistingRows = Awaited<ReturnType<typeof readExisting>>;
type ExistingArticle = ExistingRows['articles'][number];

/**
 * Writes parsed documents to the database in one transaction. Idempotent: every article carries a
 * hash of its parsed content, and only rows whose hash differs are written, so a second run writes
 * nothing; ids and created_at survive updates. An article is matched to its document by file name,
 * then by slug (a renamed file keeps its article).
 *
 * The site-wide blocks (about, featured, participants) come from the site document, or from the
 * documents' copies of the page chrome (see chooseSiteParts); `notices` says where copies disagree.
 *
 * All or nothing: every step before the write only reads and plans (a conflict throws before any
 * card is rendered), and the write is one transaction.
 */
export async function seedDatabase(
  client: Client,
  parsed: ParsedFile[],
  options: {
    prune?: boolean;
    now?: string;
    progress?: Progress;
    site?: ParsedSite | null;
    glossary?: GlossaryEntry[];
    /** The content pages and the site's structure (parseDocuments); without them pages stay as they are. */
    pages?: ParsedPage[];
    structure?: SiteStructure;
  } = {},
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
  refuseTakenAddresses(plans, existing.addresses, gone, options.prune ?? false);
  // Deleted before the inserts, so that a slug can move from a removed document to a new one.
  const deletes = options.prune ? pruneStatements(db, gone) : [];

  const needCards = plans.filter((plan) => plan.card !== null);
  const pngs = await renderCards(needCards, options.progress);
  const writes = articleStatements(
    db,
    plans,
    new Map(needCards.map((plan, i) => [plan, pngs[i] as Uint8Array])),
    now,
  );
  const addresses = addressStatements(db, plans, existing.addresses, options.prune ? gone : []);
  const pageWrites = options.structure
    ? pageStatements(db, options.pages ?? [], options.structure, await readExistingPages(db), {
        now,
        prune: options.prune ?? false,
        glossary: options.glossary ?? stored,
      })
    : null;
  const chosen = chooseSiteParts(parsed, options.site ?? null);
  const site = siteStatements(db, chosen.parts, options.structure?.links ?? null, existing, now);
  const notices = [...chosen.notices];
  if (site.removed.length > 0) {
    notices.push(
      `participants removed from the site: ${site.removed.join(', ')} (not in ${chosen.sources.participants})`,
    );
  }

  const hashes = plans.map(
    (plan) =>
      `${plan.article.slug}:${plan.values.contentHash}:${plan.values.cardHash}:${plan.values.draft ? 'draft' : ''}`,
  );
  if (site.hash) hashes.push(site.hash);
  hashes.push(addresses.hash, glossary.hash);
  if (pageWrites) hashes.push(pageWrites.hash);
  const statements = [
    ...deletes,
    ...writes.statements,
    ...addresses.statements,
    ...site.statements,
    ...glossary.statements,
    ...(pageWrites?.statements ?? []),
  ];
  const today = amsterdamDate(Date.parse(now));
  const summary: SeedSummary = {
    inserted: writes.inserted,
    updated: writes.updated,
    unchanged: plans.filter((plan) => plan.action === 'none' || plan.action === 'card').length,
    pruned: options.prune ? gone.map((row) => row.slug) : [],
    kept: options.prune ? [] : gone.map((row) => row.slug),
    cards: pngs.length,
    site: site.changed,
    notices,
    drafts: plans
      .filter((plan) => plan.values.draft)
      .map((plan) => ({ slug: plan.article.slug, file: plan.file })),
    scheduled: plans
      .filter((plan) => !plan.values.draft && plan.article.publishedAt > today)
      .map((plan) => ({ slug: plan.article.slug, publishedAt: plan.article.publishedAt }))
      .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.slug.localeCompare(b.slug)),
    contentVersion: sha256(hashes.sort().join('\n')).slice(0, 16),
    changed: statements.length > 0,
    pages: pageWrites?.summary ?? null,
    pageTags: pageWrites?.tags ?? [],
  };
  if (!summary.changed) return summary;

  const schedule = [...new Set(summary.scheduled.map((item) => item.publishedAt))];
  statements.push(
    ...vocabularyStatements(),
    ...contentVersionStatements(db, summary.contentVersion, now, schedule),
  );
  await writeInOneTransaction(client, statements, options.progress);
  return summary;
}

/** The rows a seed compares the documents with, in one batch. */
async function readExisting(db: Db) {
  const [rows, blocks, people, former, aliases] = await db.batch([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        sourceFile: articles.sourceFile,
        contentHash: articles.contentHash,
        searchHash: articles.searchHash,
        cardHash: articles.cardHash,
        cardInput: articles.cardInput,
        draft: articles.draft,
        createdAt: articles.createdAt,
        updatedAt: articles.updatedAt,
      })
      .from(articles),
    db.select().from(siteBlocks),
    db.select({ name: participants.name }).from(participants),
    db.select().from(formerSlugs),
    db.select().from(articleAliases),
  ]);
  const addresses: ExistingAddresses = { formerSlugs: former, aliases, articles: rows };
  return { articles: rows, blocks, participants: people, addresses };
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
    const { publishing } = item.document;
    const sourceFile = basename(item.file);
    const text = bodyText(article.body);
    // A draft is not in the search index (its words must not surface, not even as a suggestion).
    const search = publishing.draft ? '{}' : searchText(article.title, text, glossary);
    // The article's content only: its draft flag, aliases and index text are not content, and
    // changing them changes no date. (The same fields, in the same order, as before they existed.)
    const contentHash = contentHashOf(article);
    // The index text has a hash of its own: a glossary change rewrites the articles it touches.
    const searchHash = sha256(search).slice(0, 16);
    const cardInput = cardInputHash(cardInputOf(article));
    const row = byFile.get(sourceFile) ?? bySlug.get(article.slug);
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
      bodyText: text,
      searchText: search,
      source: article.source,
      publishedAt: article.publishedAt,
      contentHash,
      searchHash,
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
      plans.push({
        ...common,
        values,
        rowId: row.id,
        previousSlug: row.slug === article.slug ? null : row.slug,
        action: !same ? 'update' : card ? 'card' : 'none',
        card,
      });
    } else {
      plans.push({ ...common, values, rowId: null, previousSlug: null, action: 'insert', card: cardInput });
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

/**
 * Statements take many rows each (multi-row VALUES): up to this many bound values (SQLite's
 * SQLITE_MAX_VARIABLE_NUMBER is 32,766 since 3.32) …
 */
const MAX_VALUES = 8000;
/** … and about this many bytes, so that one statement stays a small part of a request to the server. */
const MAX_STATEMENT_BYTES = 1024 * 1024;

/**
 * `items` in consecutive groups of at most MAX_STATEMENT_BYTES (by `bytes`, of at least one item
 * each) and MAX_VALUES / `values` items.
 */
function chunks<T>(items: T[], bytes: (item: T) => number, values = 1): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemBytes = bytes(item);
    if (
      group.length > 0 &&
      (size + itemBytes > MAX_STATEMENT_BYTES || (group.length + 1) * values > MAX_VALUES)
    ) {
      out.push(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += itemBytes;
  }
  if (group.length > 0) out.push(group);
  return out;
}

const rowBytes = (plan: ArticlePlan) => JSON.stringify(plan.values).length;

/**
 * The writes of the planned articles, many rows a statement: inserts, updates (as an upsert on the
 * id, which runs the update triggers of the full-text index), the cards of articles that are
 * otherwise unchanged, and every new card (`cards` of its plan). The article statements come first,
 * so that a card finds the id of an article inserted in this same transaction by its slug.
 */
function articleStatements(db: Db, plans: ArticlePlan[], cards: Map<ArticlePlan, Uint8Array>, now: string) {
  const statements: Statement[] = [];
  for (const [plan, png] of cards) {
    plan.values.cardHash = cardHash(png);
    plan.values.cardInput = plan.card;
  }
  const inserts = plans.filter((plan) => plan.action === 'insert');
  const columns = Object.keys(inserts[0]?.values ?? {}).length + 1;
  for (const group of chunks(inserts, rowBytes, columns)) {
    statements.push(
      db
        .insert(articles)
        .values(group.map((plan) => ({ ...plan.values, createdAt: now })))
        .toSQL(),
    );
  }
  const updates = plans.filter((plan) => plan.action === 'update');
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
  for (const group of chunks(cardOnly, () => 64, 3)) {
    statements.push({
      sql: `update articles set card_hash = v.column2, card_input = v.column3 from (values ${group.map(() => '(?, ?, ?)').join(', ')}) as v where articles.id = v.column1`,
      params: group.flatMap((plan) => [plan.rowId, plan.values.cardHash, plan.values.cardInput]),
    });
  }
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
    inserted: inserts.map((plan) => plan.article.slug),
    updated: updates.map((plan) => plan.article.slug),
  };
}

type SiteParts = ParsedSite['parts'];

/**
 * Writes of the site-wide blocks and participants that differ from `site`'s, the names of the parts
 * that changed, and the hash of the site part for the content version (null without documents).
 */
function siteStatements(
  db: Db,
  site: SiteParts | null,
  links: SiteStructure['links'] | null,
  existing: ExistingRows,
  now: string,
): { statements: Statement[]; changed: string[]; removed: string[]; hash: string | null } {
  const statements: Statement[] = [];
  const changed: string[] = [];
  if (!site) return { statements, changed, removed: [], hash: null };
  const blocks = [
    site.about === null ? null : { key: 'about', title: null, text: site.about, url: links?.about ?? null },
    site.featured && {
      key: 'featured',
      title: site.featured.title,
      text: site.featured.text,
      url: links?.featured ?? null,
    },
  ];
  for (const block of blocks) {
    if (!block) continue;
    const current = existing.blocks.find((row) => row.key === block.key);
    if (current?.title === block.title && current.text === block.text && current.url === block.url) continue;
    statements.push(
      db
        .insert(siteBlocks)
        .values({ ...block, updatedAt: now })
        .onConflictDoUpdate({
          target: siteBlocks.key,
          set: { title: block.title, text: block.text, url: block.url, updatedAt: now },
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
  // The links count only when set, so that a database seeded before they existed keeps its version.
  const hashed = links?.about || links?.featured ? { ...site, links } : site;
  return { statements, changed, removed, hash: `site:${sha256(JSON.stringify(hashed))}` };
}

/**
 * The Worker's caches compare this version (and date their pages by it): it changes with every
 * seed that writes anything.
 */
function contentVersionStatements(
  db: Db,
  contentVersion: string,
  now: string,
  schedule: string[],
): Statement[] {
  return (
    [
      ['content_version', contentVersion],
      ['content_updated_at', now],
      // The dates on which scheduled articles go live: the Worker's caches treat each date that has
      // begun as a new content version, with no seed on that day.
      ['content_schedule', JSON.stringify(schedule)],
    ] as const
  ).map(([key, value]) =>
    db
      .insert(siteMeta)
      .values({ key, value })
      .onConflictDoUpdate({ target: siteMeta.key, set: { value } })
      .toSQL(),
  );
}

/** A request to the server carries at most this many statements and about this many bytes. */
const MAX_BATCH_STATEMENTS = 250;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** About the bytes a statement takes in a request: its SQL and its values (blobs as base64). */
const statementBytes = ({ sql: text, params }: Statement) =>
  text.length +
  params.reduce<number>(
    (sum, value) =>
      sum +
      (value instanceof Uint8Array
        ? Math.ceil(value.byteLength / 3) * 4
        : typeof value === 'string'
          ? value.length
          : 8),
    0,
  );

/** One write transaction, sent in parts so that thousands of documents do not make one huge request. */
async function writeInOneTransaction(client: Client, statements: Statement[], progress?: Progress) {
  const toStatement = (s: Statement) => ({ sql: s.sql, args: s.params as InArgs });
  const tx = await client.transaction('write');
  try {
    let done = 0;
    for (const batch of requestBatches(statements)) {
      await tx.batch(batch.map(toStatement));
      done += batch.length;
      progress?.('write', done, statements.length);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    tx.close();
  }
}

/** The statements in consecutive requests of at most MAX_BATCH_STATEMENTS and about MAX_BATCH_BYTES. */
function requestBatches(statements: Statement[]): Statement[][] {
  const out: Statement[][] = [];
  let batch: Statement[] = [];
  let size = 0;
  for (const statement of statements) {
    const bytes = statementBytes(statement);
    if (batch.length > 0 && (batch.length >= MAX_BATCH_STATEMENTS || size + bytes > MAX_BATCH_BYTES)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(statement);
    size += bytes;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * What a seed changed, as Workers Cache purge target (the Worker's Cache-Tag values, from
 * schema/cache-tags.ts): each changed article and every list of articles; the site blocks.
 * Null when nothing changed; everything when the tags would exceed Cloudflare's 1000 per purge.
 */
export function purgeTargetOf(summary: SeedSummary): { tags: string[] } | { everything: true } | null {
  if (!summary.changed) return null;
  const slugs = [...summary.inserted, ...summary.updated, ...summary.pruned];
  const tags: string[] = [...slugs.map(cacheTags.article), ...summary.pageTags];
  // New cards alone (a backfill) change the og:image of article pages, which all carry 'articles'.
  if (slugs.length > 0 || summary.cards > 0) tags.push(cacheTags.articles);
  if (summary.site.length > 0) tags.push(cacheTags.site);
  if (tags.length === 0) tags.push(cacheTags.site, cacheTags.articles);
  return tags.length > 1000 ? { everything: true } : { tags };
}
