/**
 * The media files the documents name, made into objects in the MEDIA bucket and rows of `media`:
 * each file read with the folder's bounded reader, hashed, and processed only when no row has its
 * hash with today's settings (a second seed processes nothing). New files are processed a few at a
 * time (sharp works off the main thread, on libuv's pool: as many at once as there are cores), and
 * every object is in the bucket before the caller writes a row that names it. docs/media.md.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dutchSize } from '../schema/media-files.ts';
import type { MediaVariant, media } from '../schema/tables.ts';
import { readContentFile } from './content-files.ts';
import { MEDIA_PROCESSOR, type ProcessedMedia, processMedia } from './media.ts';
import type { MediaReference } from './media-references.ts';
import { MEDIA_MAX_BYTES } from './media-types.ts';
import type { DocumentProblem } from './parse-result.ts';
import type { Progress } from './seed-database.ts';

/** What the seed needs of an R2 bucket (Miniflare's locally, the Worker's through publish). */
export interface MediaBucketWriter {
  head(key: string): Promise<unknown>;
  put(
    key: string,
    value: Uint8Array,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>;
}

type MediaRow = typeof media.$inferInsert;

export type StoredMedia =
  | {
      ok: true;
      /** The content hash of each named file. */
      sources: Map<string, string>;
      /** Rows for files no row had with today's settings, their objects already in the bucket. */
      rows: MediaRow[];
      /** Objects written (those already in the bucket are not sent again). */
      written: number;
    }
  | { ok: false; problems: DocumentProblem[] };

function rowOf(made: ProcessedMedia, size: number): MediaRow {
  if (made.kind === 'download') {
    const { key, contentType, bytes } = made.object;
    const format = key.slice(key.lastIndexOf('.') + 1);
    return {
      source: made.source,
      processor: MEDIA_PROCESSOR,
      kind: 'download',
      bytes: size,
      contentType,
      variants: [{ key, format, bytes: bytes.length }],
    };
  }
  const variants: MediaVariant[] = made.variants.map((variant) => ({
    key: variant.key,
    format: variant.format,
    width: variant.width,
    height: variant.height,
    bytes: variant.bytes.length,
    ...(variant.share && { share: variant.share }),
  }));
  return {
    source: made.source,
    processor: MEDIA_PROCESSOR,
    kind: 'image',
    width: made.width,
    height: made.height,
    bytes: size,
    contentType: made.fallback === 'png' ? 'image/png' : 'image/jpeg',
    variants,
  };
}

/**
 * Reads, processes and stores the files `references` name in `dir`. `known` maps the content hash of
 * each file the database has to the settings it was made with. A file that cannot be read or is
 * refused is a problem at every line that names it; then nothing is stored for any file.
 */
export async function storeMedia(
  dir: string,
  references: MediaReference[],
  bucket: MediaBucketWriter,
  known: ReadonlyMap<string, string>,
  options: { progress?: Progress; concurrency?: number } = {},
): Promise<StoredMedia> {
  const lines = new Map<string, MediaReference[]>();
  for (const reference of references)
    lines.set(reference.name, [...(lines.get(reference.name) ?? []), reference]);
  const problems: DocumentProblem[] = [];
  const refuse = (name: string, message: string) => {
    for (const { file, line } of lines.get(name) ?? []) problems.push({ file, line, message });
  };
  const sources = new Map<string, string>();
  const todo: { name: string; bytes: Uint8Array }[] = [];
  for (const name of lines.keys()) {
    const read = await readContentFile(dir, name, MEDIA_MAX_BYTES);
    if (!read) refuse(name, `${name} is gone from the folder`);
    else if ('refused' in read) refuse(name, `${name}: ${read.refused}`);
    else if (read.size > MEDIA_MAX_BYTES) {
      refuse(name, `${name} is over ${dutchSize(MEDIA_MAX_BYTES)}, the most a media file may be`);
    } else {
      const source = createHash('sha256').update(read.bytes).digest('hex');
      sources.set(name, source);
      // Two names for one content are made once.
      if (known.get(source) !== MEDIA_PROCESSOR && !todo.some((item) => sources.get(item.name) === source)) {
        todo.push({ name, bytes: read.bytes });
      }
    }
  }
  const made: (ProcessedMedia | null)[] = new Array(todo.length).fill(null);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < todo.length; i = next++) {
      const { name, bytes } = todo[i] as { name: string; bytes: Uint8Array };
      const result = await processMedia(bytes, name);
      if (result.ok) made[i] = result.media;
      else refuse(name, result.problem);
      options.progress?.('media', ++done, todo.length);
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };

  let written = 0;
  const rows: MediaRow[] = [];
  for (const [i, item] of made.entries()) {
    if (!item) continue;
    const objects = item.kind === 'image' ? item.variants : [item.object];
    for (const object of objects) {
      // Keys are content hashes: an object already there holds these very bytes.
      if (await bucket.head(object.key)) continue;
      await bucket.put(object.key, object.bytes, { httpMetadata: { contentType: object.contentType } });
      written++;
    }
    rows.push(rowOf(item, todo[i]?.bytes.length ?? 0));
  }
  return { ok: true, sources, rows, written };
}
