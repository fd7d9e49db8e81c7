import type { Context, MiddlewareHandler } from 'hono';
import { inBackground } from '../lib/background.ts';
import { DatabaseUnavailable } from '../lib/timeout.ts';
import { CACHE_CONTROL, cacheClassOf, cacheKey, FRESH_SECONDS, STALE_SECONDS } from './cache-policy.ts';
import type { ContentVersion, ContentVersions } from './content-version.ts';
import { parseHttpDate } from './http-date.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The content version a response was rendered from, read in the page's own database batch. */
    contentVersion: ContentVersion;
    /** Cache-Tag values of the response: what `POST /admin/purge` can purge it by. */
    cacheTags: string[];
    /** What a response shows that changes without a new content version (share counts). */
    etagExtra: string;
  }
}

export interface EdgeCacheOptions {
  siteUrl: string;
  /** Changes with every build of the Worker (worker/assets-manifest.ts), so a deploy changes every ETag. */
  buildId: string;
  /** Off: every request is rendered (the benchmark's "cache off"). Workers Cache in front is not affected. */
  enabled: boolean;
  versions: ContentVersions;
  /** Runs the app for a request outside any visitor's request (background revalidation). */
  render: (request: Request, c: Context) => Promise<Response>;
  now?: () => number;
}

type XCache = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

// Headers of stored copies only, never sent to visitors.
const STORED_AT = 'X-L1-Stored-At';
const VERSION = 'X-L1-Version';
/**
 * The stored VERSION of a page that read no content (robots.txt, security.txt: the route never called
 * describeContent): no content version can make it out of date, only its age. Without it such a
 * page never matched the known version and every request was a miss that stored it again.
 */
const CONTENT_FREE = '-';

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any current representation. */
function matchesEtag(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * RFC 9110 §13.2.2: If-None-Match first; If-Modified-Since only without it, for GET and HEAD.
 * True when the client's copy is current and a 304 is the answer.
 */
function notModified(request: Request, headers: Headers, now: number): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const etag = headers.get('ETag');
  const inm = request.headers.get('If-None-Match');
  if (inm !== null) return etag !== null && matchesEtag(inm, etag);
  const since = request.headers.get('If-Modified-Since');
  const lastModified = headers.get('Last-Modified');
  if (since === null || lastModified === null) return false;
  // RFC 9110 §13.1.3: a value that is not an HTTP-date is ignored, and so is a date later than now
  // (invalid there too): honoured, it would answer 304 to every change until that date.
  const ims = parseHttpDate(since, now);
  const modified = parseHttpDate(lastModified, now);
  return ims !== null && ims <= now && modified !== null && modified <= ims;
}

/** RFC 9110 §15.4.5: a 304 carries the validators and caching headers the 200 would have had. */
function toNotModified(response: Response): Response {
  const headers = new Headers();
  for (const name of ['Cache-Control', 'Cache-Tag', 'ETag', 'Last-Modified', 'Vary', 'X-Cache', 'Age']) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(null, { status: 304, headers });
}

const httpDate = (iso: string) => new Date(iso).toUTCString();

/**
 * Makes `response` the answer. Hono's `c.res = …` copies the old response's headers onto the new
 * one; the old one is dropped first so that a cached page does not get, say, an error's no-store.
 */
function replace(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/**
 * The L1 cache inside the Worker, on the Cache API (`caches.default`): a repeated request is
 * answered without any database request, also under `wrangler dev`. Workers Cache sits in front of
 * it in production; this layer serves what gets past it (other data centres' first requests, a new
 * deploy's empty Workers Cache) and keeps pages up when the database is not. Both key by
 * `cacheKey` / `workersCacheKey` (cache-policy.ts): the path and the parameters the route reads.
 *
 * Not Hono's cache() middleware: its keyGenerator could give it our key, but it keeps no stale
 * copies (stale-while-revalidate, stale-if-error) and knows no content version, so it cannot tell
 * that a stored page is out of date. Not its etag() either: it would keep the ETag set here (from
 * the content version), but it answers only If-None-Match, not If-Modified-Since, and only for the
 * rendered response, while stored copies need the same 304s (RFC 9110 §13.2.2, `notModified`).
 *
 * - Fresh (same content version, younger than max-age): served as is. HIT.
 * - Older, up to a day: served, and rendered again in the background (stale-while-revalidate). STALE.
 * - A newer content version exists: rendered now. MISS. If the database fails or is too slow,
 *   the stored copy is served instead (stale-if-error, up to a day). STALE.
 *
 * Concurrent misses are not collapsed here: workerd does not let one request wait on another's I/O.
 * Workers Cache in front collapses them in production.
 */
export function edgeCache(options: EdgeCacheOptions): MiddlewareHandler {
  const now = options.now ?? Date.now;
  const revalidating = new WeakSet<Request>();
  const refreshing = new Set<string>();

  function decorate(c: Context, headers: Headers, renderedAt: number): void {
    const version = c.get('contentVersion');
    const extra = c.get('etagExtra');
    const tags = c.get('cacheTags') ?? [];
    headers.set('Cache-Control', CACHE_CONTROL.page);
    if (tags.length > 0) headers.set('Cache-Tag', tags.join(','));
    if (version) {
      // Strong: one build and one content version render the same bytes; anything else a response
      // shows (share counts) is in `extra`.
      headers.set('ETag', `"${options.buildId}-${version.id}${extra ? `-${extra}` : ''}"`);
      headers.set('Last-Modified', httpDate(extra ? new Date(renderedAt).toISOString() : version.updatedAt));
    }
  }

  /** The visitor's answer from a stored copy: a 304 when their own copy is current. */
  function serve(c: Context, stored: Response, state: XCache, ageMs: number): Response {
    const response = new Response(stored.body, stored);
    response.headers.delete(STORED_AT);
    response.headers.delete(VERSION);
    response.headers.set('Cache-Control', CACHE_CONTROL.page);
    response.headers.set('Age', String(Math.max(0, Math.floor(ageMs / 1000))));
    response.headers.set('X-Cache', state);
    return finish(c, response);
  }

  function finish(c: Context, response: Response): Response {
    return notModified(c.req.raw, response.headers, now()) ? toNotModified(response) : response;
  }

  /** Renders `key` again after the response has gone out, once at a time per key and isolate. */
  function revalidate(c: Context, key: string): void {
    if (refreshing.has(key)) return;
    refreshing.add(key);
    const request = new Request(key);
    revalidating.add(request);
    const done = options
      .render(request, c)
      .then((response) => response.body?.cancel())
      .finally(() => refreshing.delete(key));
    inBackground(c, `revalidate ${key}`, done);
  }

  return async function edgeCacheMiddleware(c, next) {
    const method = c.req.method;
    const cls = cacheClassOf(c.req.path);
    const cache = options.enabled && typeof caches !== 'undefined' ? caches.default : null;
    if ((method !== 'GET' && method !== 'HEAD') || cls !== 'page' || !cache) {
      await next();
      if (cls === 'page' && c.res.status === 200 && (method === 'GET' || method === 'HEAD')) {
        decorate(c, c.res.headers, now());
      } else if (!c.res.headers.has('Cache-Control')) {
        c.res.headers.set('Cache-Control', CACHE_CONTROL[cls]);
      }
      c.res.headers.set('X-Cache', 'BYPASS');
      replace(c, finish(c, c.res));
      return;
    }

    const key = new Request(cacheKey(new URL(c.req.url), options.siteUrl));
    const background = revalidating.has(c.req.raw);

    let stored: Response | undefined;
    let ageMs = Number.POSITIVE_INFINITY;
    if (!background) {
      stored = await cache.match(key);
      if (stored) {
        // Served from the cache, this request reads nothing: ask in the background whether the
        // content changed (at most every few seconds), so that a publish shows within seconds.
        options.versions.check(c);
        ageMs = now() - Number(stored.headers.get(STORED_AT));
        const known = options.versions.current;
        const storedVersion = stored.headers.get(VERSION);
        const current = !known || storedVersion === known.id || storedVersion === CONTENT_FREE;
        if (current && ageMs < FRESH_SECONDS * 1000) return replace(c, serve(c, stored, 'HIT', ageMs));
        if (current && ageMs < (FRESH_SECONDS + STALE_SECONDS) * 1000) {
          revalidate(c, key.url);
          return replace(c, serve(c, stored, 'STALE', ageMs));
        }
      }
    }

    await next();
    options.versions.observe(c.get('contentVersion') ?? null);
    if (c.error instanceof DatabaseUnavailable && stored && ageMs < (FRESH_SECONDS + STALE_SECONDS) * 1000) {
      // stale-if-error: the database is away or too slow; the last good page beats an error page.
      return replace(c, serve(c, stored, 'STALE', ageMs));
    }
    await stored?.body?.cancel();
    if (c.res.status !== 200) {
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', CACHE_CONTROL.private);
      c.res.headers.set('X-Cache', 'MISS');
      return;
    }
    const renderedAt = now();
    decorate(c, c.res.headers, renderedAt);
    const body = await c.res.arrayBuffer();
    const copy = new Response(body.slice(0), c.res);
    // The Cache API evicts by Cache-Control: keep the copy for the whole stale window.
    copy.headers.set('Cache-Control', `public, max-age=${FRESH_SECONDS + STALE_SECONDS}`);
    copy.headers.set(STORED_AT, String(renderedAt));
    const readContent = c.get('cacheTags') !== undefined;
    copy.headers.set(VERSION, readContent ? (c.get('contentVersion')?.id ?? '') : CONTENT_FREE);
    // Started now, in the background: deferring it past this turn (to let the first byte go first)
    // let the next request for the page arrive before the copy was stored, a MISS the resilience
    // test caught; the put does not hold the response back, as it is not awaited.
    inBackground(c, `cache put ${c.req.path}`, cache.put(key, copy));
    replace(c, serve(c, new Response(body, c.res), 'MISS', 0));
  };
}

/** Tells the cache which content version a response was rendered from, and what it shows. */
export function describeContent(c: Context, version: ContentVersion | null, cacheTags: string[]): void {
  if (version) c.set('contentVersion', version);
  c.set('cacheTags', cacheTags);
}
