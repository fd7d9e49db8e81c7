import type { Client } from '@libsql/client';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { articlePath } from '../schema/addresses.ts';
import { amsterdamDate } from '../schema/dates.ts';
import { articles } from '../schema/tables.ts';
import type { SeedSummary } from './seed-database.ts';

/**
 * The public URLs (on `siteUrl`) of the articles a seed inserted or updated, newest first: what
 * `npm run publish` checks the link previews of. Pruned articles have none, and drafts and scheduled
 * articles none yet (their URLs answer 404 until they are public).
 */
export async function changedArticleUrls(
  client: Client,
  summary: SeedSummary,
  siteUrl: string,
): Promise<string[]> {
  const slugs = [...summary.inserted, ...summary.updated];
  if (slugs.length === 0) return [];
  const rows = await drizzle(client)
    .select({ slug: articles.slug, section: articles.section, publishedAt: articles.publishedAt })
    .from(articles)
    .where(
      and(
        inArray(articles.slug, slugs),
        eq(articles.draft, false),
        lte(articles.publishedAt, amsterdamDate(Date.now())),
      ),
    );
  rows.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.slug.localeCompare(b.slug));
  return rows.map((row) => `${siteUrl}${articlePath(row)}`);
}
