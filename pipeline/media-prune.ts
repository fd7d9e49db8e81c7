/**
 * `--prune` of media: the `media` rows that no article or page names any more, then the objects in
 * the MEDIA bucket that no remaining row names (those of the pruned rows, and those a failed seed
 * left). It runs only when asked, after the seed's transaction committed (and, in publish, after the
 * purge), and judges by the database as it is then: what an article or page (drafts and scheduled
 * ones too) names stays. An address is for ever, though: a page someone saved, a feed reader's copy
 * of an article or an archive may still name a pruned image, which then answers 404. docs/media.md.
 */
import type { Client } from '@libsql/client';
import { MEDIA_KEY } from '../schema/media-files.ts';
import type { MediaVariant } from '../schema/tables.ts';
import type { MediaBucketWriter } from './media-store.ts';

/** What prune needs of an R2 bucket besides writing: its keys a page at a time, and deleting one. */
export interface MediaBucket extends MediaBucketWriter {
  list(options?: { cursor?: string }): Promise<{
    objects: { key: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
  delete(key: string): Promise<unknown>;
}

export interface PrunedMedia {
  /** Content hashes of the `media` rows deleted. */
  rows: string[];
  /** Keys of the objects deleted from the bucket. */
  objects: string[];
}

// The URLs the stored blocks give images and downloads (pipeline/media-blocks.ts).
const NAMED_KEY = /\/media\/([0-9a-f]{32}\.[a-z0-9]+)/g;

/** Every media key the articles and pages name in their stored blocks. */
async function namedKeys(client: Client): Promise<Set<string>> {
  const { rows } = await client.execute(
    `select body from articles where body like '%/media/%'
     union all select body from pages where body like '%/media/%'`,
  );
  const keys = new Set<string>();
  for (const row of rows) for (const match of String(row.body).matchAll(NAMED_KEY)) keys.add(match[1] ?? '');
  return keys;
}

/** Deletes the rows and objects nothing names (see the top of this file). */
export async function pruneMedia(client: Client, bucket: MediaBucket): Promise<PrunedMedia> {
  // The bucket is listed before the rows are read: an object a seed stores meanwhile is not seen.
  const stored: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list(cursor ? { cursor } : undefined);
    stored.push(...page.objects.map((object) => object.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  const named = await namedKeys(client);
  const { rows } = await client.execute('select source, variants from media');
  const unused: string[] = [];
  const kept = new Set<string>();
  for (const row of rows) {
    const keys = (JSON.parse(String(row.variants)) as MediaVariant[]).map((variant) => variant.key);
    if (keys.some((key) => named.has(key))) for (const key of keys) kept.add(key);
    else unused.push(String(row.source));
  }
  // Rows first: no row ever names an object that is gone.
  for (let i = 0; i < unused.length; i += 500) {
    const part = unused.slice(i, i + 500);
    await client.execute({
      sql: `delete from media where source in (${part.map(() => '?').join(', ')})`,
      args: part,
    });
  }
  // Only keys of the seed's own shape: anything else in the bucket was not put there by a seed.
  const objects = stored.filter((key) => MEDIA_KEY.test(key) && !kept.has(key) && !named.has(key));
  for (const key of objects) await bucket.delete(key);
  return { rows: unused, objects };
}
