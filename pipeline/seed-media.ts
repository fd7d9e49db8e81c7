/**
 * The seed's media step between validation and the seed's transaction: the files the documents name
 * are processed (only new content) and their objects written to the bucket, then their rows, and the
 * documents get their stored media (media-blocks.ts). Objects first, then `media` rows, then the
 * articles and pages that name them: no row ever names an object that is not there. A seed that fails
 * after this leaves rows and objects that the next seed reuses. docs/media.md.
 */
import type { Client } from '@libsql/client';
import { MEDIA_PROCESSOR } from './media.ts';
import { type MediaFacts, shareImageProblems, withStoredMedia } from './media-blocks.ts';
import type { MediaReference } from './media-references.ts';
import { type MediaBucketWriter, storeMedia } from './media-store.ts';
import type { DocumentProblem, ParsedArticle, ParsedPage } from './parse-result.ts';
import type { Progress } from './seed-database.ts';

export type SeedMediaResult =
  | { ok: true; parsed: ParsedArticle[]; pages: ParsedPage[]; processed: number; written: number }
  | { ok: false; problems: DocumentProblem[] };

export async function seedMedia(
  client: Client,
  dir: string,
  content: { parsed: ParsedArticle[]; pages: ParsedPage[]; media: MediaReference[] },
  bucket: MediaBucketWriter | { missing: string },
  progress?: Progress,
): Promise<SeedMediaResult> {
  const { parsed, pages, media } = content;
  if (media.length === 0) return { ok: true, parsed, pages, processed: 0, written: 0 };
  if ('missing' in bucket) {
    return {
      ok: false,
      problems: media.map(({ file, line, name }) => ({
        file,
        line,
        message: `${name} cannot be published: ${bucket.missing} (docs/media.md)`,
      })),
    };
  }
  const existing = await client.execute('select source, processor, width, height, variants from media');
  const known = new Map(existing.rows.map((row) => [String(row.source), String(row.processor)]));
  const stored = await storeMedia(dir, media, bucket, known, { progress });
  if (!stored.ok) return stored;
  if (stored.rows.length > 0) {
    await client.batch(
      stored.rows.map((row) => ({
        sql: `insert into media (source, processor, kind, width, height, bytes, content_type, variants)
              values (?, ?, ?, ?, ?, ?, ?, ?)
              on conflict (source) do update set processor = excluded.processor, kind = excluded.kind,
                width = excluded.width, height = excluded.height, bytes = excluded.bytes,
                content_type = excluded.content_type, variants = excluded.variants`,
        args: [
          row.source,
          MEDIA_PROCESSOR,
          row.kind,
          row.width ?? null,
          row.height ?? null,
          row.bytes,
          row.contentType,
          JSON.stringify(row.variants),
        ],
      })),
      'write',
    );
  }
  const rows = new Map<string, MediaFacts>(
    existing.rows.map((row) => [
      String(row.source),
      {
        width: row.width === null ? null : Number(row.width),
        height: row.height === null ? null : Number(row.height),
        variants: JSON.parse(String(row.variants)),
      },
    ]),
  );
  for (const row of stored.rows) rows.set(row.source, { ...row, variants: row.variants });
  const articles = withStoredMedia(parsed, stored.sources, rows);
  const shareProblems = shareImageProblems(articles);
  if (shareProblems.length > 0) return { ok: false, problems: shareProblems };
  return {
    ok: true,
    parsed: articles,
    pages: withStoredMedia(pages, stored.sources, rows),
    processed: stored.rows.length,
    written: stored.written,
  };
}
