import { vValidator } from '@hono/valibot-validator';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import * as v from 'valibot';
import type { AppDeps } from '../app.tsx';
import type { ContentVersions } from '../lib/content-version.ts';

// Cloudflare allows up to 1000 tags per purge; ours are short and plain (see `tags` in edge-cache.ts).
const PurgeBody = v.union([
  v.strictObject({
    tags: v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^[a-z0-9:_-]{1,200}$/, 'a tag holds a–z, 0–9 and : _ -'))),
      v.minLength(1),
      v.maxLength(1000),
    ),
  }),
  v.strictObject({ everything: v.literal(true) }),
]);

const envelope = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /admin/purge` (bearer PURGE_TOKEN): purges Workers Cache by tag after a publish, and makes
 * this isolate re-read the content version at once. Without the secret the route does not exist.
 */
export function adminRoutes(deps: AppDeps, versions: ContentVersions) {
  const admin = new Hono();
  const token = deps.purgeToken;
  if (!token) return admin;

  admin.post(
    '/admin/purge',
    // Hono's bearerAuth compares tokens in constant time (hashes, then timingSafeEqual).
    bearerAuth({
      token,
      noAuthenticationHeader: { message: envelope('unauthorized', 'Authorization: Bearer … ontbreekt.') },
      invalidAuthenticationHeader: {
        message: envelope('invalid_request', 'Ongeldige Authorization-header.'),
      },
      invalidToken: { message: envelope('unauthorized', 'Onjuist token.') },
    }),
    vValidator('json', PurgeBody, (result, c) => {
      if (!result.success) {
        return c.json(envelope('invalid_request', 'Verwacht {"tags": [...]} of {"everything": true}.'), 400);
      }
    }),
    async (c) => {
      const body = c.req.valid('json');
      versions.check(c, true);
      let cache: CacheContext | undefined;
      try {
        // Hono types the execution context without Workers' `cache` (Workers Cache purge).
        cache = (c.executionCtx as { cache?: CacheContext }).cache;
      } catch {
        cache = undefined; // no execution context at all
      }
      const target = 'tags' in body ? { tags: body.tags } : { purgeEverything: true };
      if (!cache) {
        // wrangler dev and Miniflare do not simulate Workers Cache; the L1 cache follows the version.
        return c.json({ purged: false, workersCache: 'unavailable', ...target });
      }
      const result = await cache.purge(target);
      return c.json(
        { purged: result.success, workersCache: 'purged', ...target, errors: result.errors },
        result.success ? 200 : 502,
      );
    },
  );
  return admin;
}
