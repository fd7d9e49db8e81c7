import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import * as v from 'valibot';
import { MEDIA_CONTENT_TYPES, MEDIA_KEY, type MediaExtension } from '../../schema/media-files.ts';
import { apiError, errorEnvelope } from '../api-error.ts';
import type { AppDeps } from '../deps.ts';

/** The largest object the seed makes: a 25 MB source stored as it is (pipeline/media-types.ts). */
const MAX_OBJECT_BYTES = 25_000_000;

const KeyParams = v.object({ key: v.pipe(v.string(), v.regex(MEDIA_KEY)) });

/** 128 bits of the SHA-256 of the bytes, hex: what the key of these bytes must start with. */
async function contentHash(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * `HEAD` and `PUT /admin/media/{key}` (bearer PURGE_TOKEN): how a seed puts its objects into the
 * MEDIA bucket, locally (`npm start`) and in production (`npm run publish`), without a Cloudflare
 * API token. The key must be the hash of the body, so the route can only store content under its own
 * name: an object, once there, never changes. Without the secret or the bucket the routes do not exist.
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
  return routes;
}
