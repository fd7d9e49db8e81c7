import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import {
  IMAGE_EXTENSIONS,
  MEDIA_CONTENT_TYPES,
  MEDIA_KEY,
  type MediaExtension,
} from '../../schema/media-files.ts';
import type { AppDeps } from '../deps.ts';

/**
 * Images and downloads from the MEDIA bucket (R2), without a database request: the key is the hash of
 * the bytes, so an answer never changes and is cached for a year. R2 answers conditional and range
 * requests itself (`onlyIf`, `range`). docs/media.md.
 */

const IMMUTABLE = 'public, max-age=31536000, immutable';

const ImageParams = v.object({ key: v.pipe(v.string(), v.regex(MEDIA_KEY)) });
const DownloadParams = v.object({
  key: v.pipe(v.string(), v.regex(MEDIA_KEY)),
  // The name the file is saved under: one path segment, no control characters.
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[^/\\\p{Cc}]+$/u)),
});

const extensionOf = (key: string) => key.slice(key.lastIndexOf('.') + 1) as MediaExtension;

/** A single `bytes=` range as R2 takes it (RFC 9110 §14.1.2); several ranges are answered whole. */
function rangeOf(header: string | undefined): R2Range | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  if (first === '') return { suffix: Number(last) };
  const offset = Number(first);
  if (last === '') return { offset };
  return Number(last) < offset ? undefined : { offset, length: Number(last) - offset + 1 };
}

/** An If-None-Match value as R2's `etagDoesNotMatch`: the tag without quotes or W/ (a weak match is enough for GET). */
const etagOf = (header: string | undefined) =>
  header?.split(',')[0]?.trim().replace(/^W\//, '').replace(/"/g, '');

/**
 * `attachment` with the name as sent: an ASCII fallback in `filename` and the exact name in
 * `filename*` (RFC 6266 §4.3, RFC 8187), so that "Jaarverslag Één.pdf" keeps its letters.
 */
export function contentDisposition(name: string): string {
  const fallback =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '_') || 'bestand';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** `/media/{key}` (an image) and `/media/{key}/{name}` (a download); only with a MEDIA bucket. */
export function mediaRoutes(deps: AppDeps) {
  const bucket = deps.media;
  const routes = new Hono();
  if (!bucket) return routes;

  const serve = async (c: Context, key: string, name?: string) => {
    const extension = extensionOf(key);
    const image = IMAGE_EXTENSIONS.includes(extension);
    // An image is only ever shown, a download only ever saved: neither is served the other way.
    if (image === (name !== undefined)) return c.notFound();
    if (name !== undefined && extensionOf(name.toLowerCase()) !== extension) return c.notFound();
    const range = rangeOf(c.req.header('Range'));
    const etag = etagOf(c.req.header('If-None-Match'));
    let object: R2Object | R2ObjectBody | null;
    try {
      object = await bucket.get(key, { range, onlyIf: etag ? { etagDoesNotMatch: etag } : undefined });
    } catch {
      // A range that starts past the end (R2 refuses it): 416 with the size (RFC 9110 §15.5.17).
      const head = range ? await bucket.head(key) : null;
      if (!head) throw new Error(`media ${key} could not be read`);
      return c.body(null, 416, { 'Content-Range': `bytes */${head.size}`, 'Cache-Control': 'no-store' });
    }
    if (!object) return c.notFound();
    const headers: Record<string, string> = {
      'Content-Type': MEDIA_CONTENT_TYPES[extension],
      'Cache-Control': IMMUTABLE,
      ETag: object.httpEtag,
      'Accept-Ranges': 'bytes',
      'X-Content-Type-Options': 'nosniff',
    };
    if (name !== undefined) headers['Content-Disposition'] = contentDisposition(name);
    // No body: the If-None-Match matched.
    if (!('body' in object)) return c.body(null, 304, headers);
    const size = object.size;
    const asked = range && object.range;
    if (asked) {
      const start = 'suffix' in asked ? Math.max(0, size - (asked.suffix ?? 0)) : (asked.offset ?? 0);
      const length = 'suffix' in asked ? size - start : Math.min(asked.length ?? size - start, size - start);
      headers['Content-Range'] = `bytes ${start}-${start + length - 1}/${size}`;
      headers['Content-Length'] = String(length);
      return c.body(object.body, 206, headers);
    }
    headers['Content-Length'] = String(size);
    return c.body(object.body, 200, headers);
  };

  const notFound = (result: { success: boolean }, c: Context) => (result.success ? undefined : c.notFound());
  return routes
    .get('/media/:key', vValidator('param', ImageParams, notFound), (c) => serve(c, c.req.valid('param').key))
    .get('/media/:key/:name', vValidator('param', DownloadParams, notFound), (c) => {
      const { key, name } = c.req.valid('param');
      return serve(c, key, name);
    });
}
