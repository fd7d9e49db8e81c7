import { ARTICLE_PATH, isReservedPath } from '../../schema/addresses.ts';

/**
 * The caching policy of every response, in one place: how long browsers and Workers Cache may keep
 * it, and which cache key stands for a request.
 */

export type CacheClass = 'page' | 'immutable' | 'private';

export const FRESH_SECONDS = 60;
export const STALE_SECONDS = 86_400;

export const CACHE_CONTROL: Record<CacheClass, string> = {
  // No s-maxage: it switches off stale-while-revalidate in Workers Cache.
  page: `public, max-age=${FRESH_SECONDS}, stale-while-revalidate=${STALE_SECONDS}, stale-if-error=${STALE_SECONDS}`,
  immutable: 'public, max-age=31536000, immutable',
  private: 'no-store',
};

/** Share redirects, previews, health checks and admin calls are never stored; cards never change under their URL. */
export function cacheClassOf(path: string): CacheClass {
  if (/^\/(deel|admin|voorbeeld)(\/|$)/.test(path) || path === '/healthz') return 'private';
  if (path.startsWith('/og/') || path.startsWith('/assets/') || path.startsWith('/media/'))
    return 'immutable';
  return 'page';
}

/**
 * The query parameters each cached route reads, in one place: the cache key holds these and no
 * others. Everything else a URL carries (utm_*, fbclid, srsltid, _gl, a typo, `?foo=1`) never
 * reaches a route, so it must not split the cache either: unknown parameters cannot make a miss
 * (and so cannot make a database request). A path that is not listed reads no parameter at all.
 * Names are case-sensitive, as the routes read them. Workers Cache in front keys by the same table:
 * worker/index.ts hands it `workersCacheKey` as `cf.cacheKey` (README, Caching).
 */
export const QUERY_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  '/banenafspraak/nieuws': ['pagina'],
  '/zoeken': ['q', 'pagina'],
  '/oembed': ['url', 'format', 'maxwidth', 'maxheight'],
  '/api/articles': ['page', 'limit', 'section'],
  '/api/pages': ['path'],
  '/api/search': ['q', 'page', 'limit'],
};

/**
 * What an address no fixed route answers reads: a news section's list reads `pagina`. Sections are
 * content (site.yaml), unknown to Workers Cache's key in worker/index.ts, which reads no database;
 * so every such address keeps `pagina`, and a content page answers it with a 301 to itself
 * (worker/routes/content-pages.tsx). Articles and feeds read nothing.
 */
const CONTENT_PARAMETERS: readonly string[] = ['pagina'];

/**
 * The query parameters that `path` reads: the table's; none for the site's own paths, articles and
 * feeds; CONTENT_PARAMETERS for any other address (a section, a page, or nothing at all).
 */
function queryParametersOf(path: string): readonly string[] {
  const listed = QUERY_PARAMETERS[path];
  if (listed) return listed;
  if (isReservedPath(path) || path.endsWith('/feed.xml') || ARTICLE_PATH.test(path)) return [];
  return CONTENT_PARAMETERS;
}

/**
 * The query a route sees and the cache key holds: only the parameters the route reads, sorted by
 * name (a stable sort: repeated values keep their order), so that parameter order does not split
 * the cache either. `?…` or the empty string.
 */
export function readQuery(url: URL): string {
  // Most paths read no parameter and most requests have none: then there is nothing to parse.
  const names = queryParametersOf(url.pathname);
  if (names.length === 0 || url.search === '') return '';
  const read = new Set(names);
  const params = [...url.searchParams].filter(([name]) => read.has(name));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return query ? `?${query}` : '';
}

/** The cache key of a request: SITE_URL's origin (never the request's Host), the path, `readQuery`. */
export function cacheKey(url: URL, siteUrl: string): string {
  return `${originOf(siteUrl)}${url.pathname}${readQuery(url)}`;
}

// SITE_URL's origin, parsed once: an isolate serves one SITE_URL.
let origin: { siteUrl: string; origin: string } | undefined;
function originOf(siteUrl: string): string {
  if (origin?.siteUrl !== siteUrl) origin = { siteUrl, origin: new URL(siteUrl).origin };
  return origin.origin;
}

/**
 * Workers Cache's key of a request (`cf.cacheKey`, which replaces its path and query): the same
 * path and query as the L1 key for pages; empty (the URL itself) for everything else, which Workers
 * Cache stores either forever under a fingerprinted URL or not at all.
 */
export function workersCacheKey(url: URL): string {
  return cacheClassOf(url.pathname) === 'page' ? `${url.pathname}${readQuery(url)}` : '';
}
