import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import * as v from 'valibot';
import { apiError, errorEnvelope, toIssues } from '../api-error.ts';
import type { ContentVersions } from '../cache/content-version.ts';
import type { AppDeps } from '../deps.ts';

// Cloudflare allows up to 1000 tags per purge; ours are short and plain (see schema/cache-tags.ts).
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

type Purge = v.InferOutput<typeof PurgeBody>;

/** `application/json`, any case, with or without parameters (RFC 9110 §8.3.1; JSON has no charset). */
const isJson = (contentType: string | undefined) => /^application\/json[ \t]*(;|$)/i.test(contentType ?? '');

/**
 * The purge body, or the envelope that says what is wrong with it: another media type (415), no JSON
 * (400), JSON of another shape (400 with the issues). Hono's JSON validator answers the first two in
 * plain text.
 */
async function readPurge(c: Context): Promise<{ body: Purge } | { answer: Response }> {
  if (!isJson(c.req.header('Content-Type'))) {
    return {
      answer: apiError(
        c,
        415,
        'unsupported_media_type',
        'Stuur de aanvraag als Content-Type: application/json.',
      ),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    return { answer: apiError(c, 400, 'invalid_request', 'De aanvraag is geen geldige JSON.') };
  }
  const parsed = v.safeParse(PurgeBody, json);
  if (!parsed.success) {
    const message = 'Verwacht {"tags": [...]} of {"everything": true}.';
    return { answer: apiError(c, 400, 'invalid_request', message, toIssues(parsed.issues)) };
  }
  return { body: parsed.output };
}

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
      noAuthenticationHeader: {
        message: errorEnvelope('unauthorized', 'Authorization: Bearer … ontbreekt.'),
      },
      invalidAuthenticationHeader: {
        message: errorEnvelope('invalid_request', 'Ongeldige Authorization-header.'),
      },
      invalidToken: { message: errorEnvelope('unauthorized', 'Onjuist token.') },
    }),
    async (c) => {
      const read = await readPurge(c);
      if ('answer' in read) return read.answer;
      const { body } = read;
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
  // Any other method: the envelope with Allow (RFC 9110 §15.5.6), not the HTML 404 page.
  admin.all('/admin/purge', (c) => {
    c.header('Allow', 'POST');
    return apiError(c, 405, 'method_not_allowed', `${c.req.method} is niet toegestaan; gebruik POST.`);
  });
  return admin;
}
