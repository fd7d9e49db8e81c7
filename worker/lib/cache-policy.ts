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

/** Share redirects, health checks and admin calls are never stored; cards never change under their URL. */
export function cacheClassOf(path: string): CacheClass {
  if (/^\/(deel|admin)(\/|$)/.test(path) || path === '/healthz') return 'private';
  if (path.startsWith('/og/') || path.startsWith('/assets/')) return 'immutable';
  return 'page';
}

/**
 * Query parameters that social networks, newsletters and ad platforms append to shared links. They
 * never change the page, so they are not part of the cache key: every shared variant is one entry.
 */
const TRACKING = new Set(['fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'ref']);
const isTracking = (name: string) => TRACKING.has(name.toLowerCase()) || /^utm_/i.test(name);

/**
 * The cache key of a request: SITE_URL's origin (never the request's Host), the path, and the query
 * without tracking parameters, sorted, so that parameter order does not split the cache either.
 */
export function cacheKey(url: URL, siteUrl: string): string {
  const params = [...url.searchParams].filter(([name]) => !isTracking(name));
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `${new URL(siteUrl).origin}${url.pathname}${query ? `?${query}` : ''}`;
}
