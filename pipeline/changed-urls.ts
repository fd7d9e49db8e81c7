import type { Client } from '@libsql/client';
import { inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { articles } from '../schema/tables.ts';
import { articlePath } from '../worker/site.ts';
import type { SeedSummary } from './seed-database.ts';

/**
 * The public URLs (on `siteUrl`) of the articles a seed inserted or updated, newest first: what
 * `npm run publish` checks the link previews of. Pruned articles have none.
 */
export async function changedArticleUrls(
  client: Client,
  summary: SeedSummary,
  siteUrl: string,
): Promise<string[]> {
  const slugs = [...summary.inserted, ...summary.updated];
  if (slugs.length === 0) return [];
  const rows = await drizzle(client)
    .select({ slug: articles.slug, publishedAt: articles.publishedAt })
    .from(articles)
    .where(inArray(articles.slug, slugs));
  rows.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.slug.localeCompare(b.slug));
  return rows.map((row) => `${siteUrl}${articlePath(row)}`);
}
