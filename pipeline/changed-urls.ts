import type { Client } from '@libsql/client';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { articlePath } from '../schema/addresses.ts';
import { amsterdamDate } from '../schema/dates.ts';
import { articles, pages } from '../schema/tables.ts';
import type { SeedSummary } from './seed-database.ts';

/**
 * The public URLs (on `siteUrl`) of what a seed inserted or updated: the articles, newest first, then
 * the content pages by path. This is what `npm run publish` checks the link previews of. Pruned
 * articles and pages have none; drafts and scheduled articles none yet (their URLs answer 404 until
 * they are public); the seed's indexes are lists of links that nobody shares. One round trip.
 */
export async function changedUrls(client: Client, summary: SeedSummary, siteUrl: string): Promise<string[]> {
  const slugs = [...summary.inserted, ...summary.updated];
  const paths = [...(summary.pages?.inserted ?? []), ...(summary.pages?.updated ?? [])];
  if (slugs.length === 0 && paths.length === 0) return [];
  const db = drizzle(client);
  const [articleRows, pageRows] = await db.batch([
    db
      .select({ slug: articles.slug, section: articles.section, publishedAt: articles.publishedAt })
      .from(articles)
      .where(
        and(
          inArray(articles.slug, slugs),
          eq(articles.draft, false),
          lte(articles.publishedAt, amsterdamDate(Date.now())),
        ),
      ),
    db
      .select({ path: pages.path })
      .from(pages)
      .where(and(inArray(pages.path, paths), eq(pages.draft, false), eq(pages.virtual, false))),
  ]);
  articleRows.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.slug.localeCompare(b.slug));
  const pagePaths = pageRows.map((row) => row.path).sort();
  return [
    ...articleRows.map((row) => `${siteUrl}${articlePath(row)}`),
    ...pagePaths.map((path) => `${siteUrl}${path}`),
  ];
}
