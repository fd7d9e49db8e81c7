import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import * as v from 'valibot';
import { MEDIA_CONTENT_TYPES, MEDIA_KEY, type MediaExtension } from '../../schema/media-files.ts';
import { apiError, errorEnvelope, toIssues } from '../api-error.ts';
import type { AppDeps } from '../deps.ts';

/** The largest object the seed makes: a 25 MB source stored as it is (pipeline/media-types.ts). */
const MAX_OBJECT_BYTES = 25_000_000;

const KeyParams = v.object({ key: v.pipe(v.string(), v.regex(MEDIA_KEY)) });

/** R2 lists at most 1000 keys a call; the cursor is R2's own, opaque. */
const ListQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))),
});

/** 128 bits of the SHA-256 of the bytes, hex: what the key of these bytes must start with. */
async function contentHash(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * `HEAD` and `PUT /admin/media/{key}` (bearer PURGE_TOKEN): how a seed puts its objects into the
 * MEDIA bucket, locally (`npm start`) and in production (`npm run publish`), without a Cloudflare
 * API token. The key must be the hash of the body, so the route can only store content under its own
 * name: an object, once there, never changes. `GET /admin/media` (the keys, a page at a time) and
 * `DELETE /admin/media/{key}` are what `--prune` needs (pipeline/media-prune.ts). Without the secret
 * or the bucket the routes do not exist.
 */
export function adminMediaRoutes(deps: AppDeps) {
  const routes = new Hono();
  const { purgeToken: token, media: bucket } = deps;
  if (!token || !bucket) return routes;
  const auth = bearerAuth({
    token,
    noAuthenticationHeader: { message: errorEnvelope('unauthorized', 'Authorization: Bearer … ontbreekt.') },
    invalidAuthenticationHeader: {
      message: errorEnvelope('invalid_request', 'Ongeldige Authorization-header.'),
    },
    invalidToken: { message: errorEnvelope('unauthorized', 'Onjuist token.') },
  });
  const badKey = (result: { success: boolean }, c: Context) =>
    result.success ? undefined : apiError(c, 404, 'not_found', 'Geen geldige mediasleutel.');

  routes.get(
    '/admin/media',
    auth,
    vValidator('query', ListQuery, (result, c) =>
      result.success
        ? undefined
        : apiError(c, 400, 'invalid_request', 'Alleen ?cursor= is toegestaan.', toIssues(result.issues)),
    ),
    async (c) => {
      const listed = await bucket.list({ cursor: c.req.valid('query').cursor });
      const keys = listed.objects.map((object) => object.key);
      return c.json(listed.truncated ? { keys, cursor: listed.cursor } : { keys }, 200, {
        'Cache-Control': 'no-store',
      });
    },
  );
  // HEAD (Hono answers it with the GET route, without the body): whether the object is there.
  routes.get('/admin/media/:key', auth, vValidator('param', KeyParams, badKey), async (c) => {
    const object = await bucket.head(c.req.valid('param').key);
    return c.body(null, object ? 200 : 404);
  });
  routes.put('/admin/media/:key', auth, vValidator('param', KeyParams, badKey), async (c) => {
    const { key } = c.req.valid('param');
    const length = Number(c.req.header('Content-Length') ?? Number.NaN);
    if (!(length <= MAX_OBJECT_BYTES)) {
      return apiError(c, 413, 'content_too_large', 'Stuur Content-Length; een object is hoogstens 25 MB.');
    }
    const body = await c.req.arrayBuffer();
    if (body.byteLength > MAX_OBJECT_BYTES)
      return apiError(c, 413, 'content_too_large', 'Een object is hoogstens 25 MB.');
    if ((await contentHash(body)) !== key.slice(0, 32)) {
      return apiError(c, 400, 'invalid_request', 'De sleutel is niet de hash van de inhoud.');
    }
    const extension = key.slice(33) as MediaExtension;
    await bucket.put(key, body, { httpMetadata: { contentType: MEDIA_CONTENT_TYPES[extension] } });
    return c.body(null, 201);
  });
  // Idempotent, as R2's delete is: a key that is not there is gone as well.
  routes.delete('/admin/media/:key', auth, vValidator('param', KeyParams, badKey), async (c) => {
    await bucket.delete(c.req.valid('param').key);
    return c.body(null, 204);
  });
  return routes;
}
