import { createHash } from 'node:crypto';
import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { tags as cacheTags } from '../schema/cache-tags.ts';
import { amsterdamDate } from '../schema/dates.ts';
import type { GlossaryEntry } from '../schema/search-terms.ts';
import { addressStatements, refuseTakenAddresses } from './article-addresses.ts';
import { cardInputOf } from './card-input.ts';
import { renderCardsInParallel } from './card-pool.ts';
import type { ParsedArticle as ParsedFile, ParsedPage } from './parse-result.ts';
import {
  glossaryStatements,
  readGlossaryRows,
  type searchText,
  searchTexts,
  vocabularyStatements,
} from './search-seed.ts';
import { planArticles, readExisting, refuseTakenSlugs } from './seed-articles.ts';
import { type PagesSummary, pageStatements, readExistingPages } from './seed-pages.ts';
import type { ArticlePlan } from './seed-plan.ts';
import { articleStatements, pruneStatements } from './seed-rows.ts';
import { contentVersionStatements, siteStatements } from './seed-site.ts';
import { type Progress, writeInOneTransaction } from './seed-write.ts';
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

export type { Progress } from './seed-write.ts';

const sha256 = (value: string | Uint8Array) => createHash('sha256').update(value).digest('hex');

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
    /** Makes an index text (search-seed.ts, searchText); tests pass their own to count them. */
    searchText?: typeof searchText;
  } = {},
): Promise<SeedSummary> {
  const db = drizzle(client);
  const now = options.now ?? new Date().toISOString();

  const existing = await readExisting(db);
  // The glossary (glossary.yaml, pipeline/glossary.ts) shapes every article's index text; without
  // one, the seed keeps the glossary the database holds.
  const stored = await readGlossaryRows(db);
  const glossary = glossaryStatements(db, options.glossary ?? stored, stored);
  const search = searchTexts(options.glossary ?? stored, options.searchText);
  const { plans, gone } = planArticles(parsed, existing.articles, now, search);
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
        search,
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
  // What only records how the index texts were made: written with the rest, or on its own without
  // a new content version when nothing else changed (a first seed after search_input came).
  const quiet = [...writes.quiet, ...(pageWrites?.quiet ?? [])];
  if (!summary.changed) {
    if (quiet.length > 0) await writeInOneTransaction(client, quiet, options.progress);
    return summary;
  }

  statements.push(...quiet);
  const schedule = [...new Set(summary.scheduled.map((item) => item.publishedAt))];
  statements.push(
    ...vocabularyStatements(
      summary.inserted.length +
        summary.updated.length +
        summary.pruned.length +
        (summary.pages
          ? summary.pages.inserted.length + summary.pages.updated.length + summary.pages.pruned.length
          : 0),
    ),
    ...contentVersionStatements(db, summary.contentVersion, now, schedule),
  );
  await writeInOneTransaction(client, statements, options.progress);
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
  const tags: string[] = [...slugs.map(cacheTags.article), ...summary.pageTags];
  // New cards alone (a backfill) change the og:image of article pages, which all carry 'articles'.
  if (slugs.length > 0 || summary.cards > 0) tags.push(cacheTags.articles);
  if (summary.site.length > 0) tags.push(cacheTags.site);
  if (tags.length === 0) tags.push(cacheTags.site, cacheTags.articles);
  return tags.length > 1000 ? { everything: true } : { tags };
}
