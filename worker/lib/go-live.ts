import { tags as cacheTags } from '../../schema/cache-tags.ts';
import type { Database } from '../database.ts';
import { listGoingLive } from '../queries/articles.ts';

/**
 * The Cron Trigger's work (wrangler.toml `[triggers]`, worker/index.ts `scheduled`): when the day of
 * scheduled articles has begun in the Netherlands, purge what shows them (each article's tag and
 * every list of articles) from Workers Cache, so that they appear at once instead of after the
 * cached pages' max-age. The L1 cache needs no purge: the content version moves with the date
 * (`toVersion` in worker/queries.ts). Without Workers Cache (wrangler dev, Miniflare) there is
 * nothing to purge.
 */
export async function purgeGoingLive(
  db: Database,
  today: string,
  cache: CacheContext | undefined,
): Promise<{ slugs: string[]; tags: string[]; workersCache: 'purged' | 'unavailable' | 'nothing to purge' }> {
  const slugs = await listGoingLive(db, today);
  if (slugs.length === 0) return { slugs, tags: [], workersCache: 'nothing to purge' };
  const tags = [...slugs.map(cacheTags.article), cacheTags.articles];
  if (!cache) return { slugs, tags, workersCache: 'unavailable' };
  // Cloudflare takes up to 1000 tags a purge; a day never holds that many new articles, but if it
  // does, purging everything is the same purge without the limit.
  const result = await cache.purge(tags.length > 1000 ? { purgeEverything: true } : { tags });
  if (!result.success) throw new Error(`Workers Cache purge failed: ${JSON.stringify(result.errors)}`);
  return { slugs, tags, workersCache: 'purged' };
}
