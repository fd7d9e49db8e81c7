import { SLUG_MAX_LENGTH, SLUG_SOURCE } from './slug.ts';

/**
 * The addresses of the site, shared by the Worker and the pipeline: where articles and pages live,
 * which paths the site answers itself, and how a path is compared. The original site's addresses are
 * kept exactly as they were: its pages end in `/` (`/organisatie/achtergrond/`), its news does not
 * (`/banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen`). A document's address is stored as
 * written; the other form of it (with or without the slash) answers 301 to it.
 */

/** The news section every article belongs to unless its `url` or `section` says otherwise. */
export const DEFAULT_SECTION = '/banenafspraak/nieuws';
export const DEFAULT_SECTION_TITLE = 'Nieuws';

/** The URL of an article: its section, its publication date and its slug. */
export const articlePath = (article: { section: string; publishedAt: string; slug: string }) =>
  `${article.section}/${article.publishedAt}/${article.slug}`;

/** An article URL taken apart: the section, the date and the slug. */
export const ARTICLE_PATH = new RegExp(`^(/.+)/(\\d{4}-\\d{2}-\\d{2})/(${SLUG_SOURCE})$`);

/**
 * A path as the site compares addresses: without its trailing slash (`/organisatie/achtergrond/` and
 * `/organisatie/achtergrond` are one address in two forms), `/` itself kept.
 */
export const addressKey = (path: string) => path.replace(/\/+$/, '') || '/';

/** The address one level up (`/a/b/` → `/a`), or null for a top-level address and `/`. */
export function parentKey(path: string): string | null {
  const key = addressKey(path);
  const cut = key.lastIndexOf('/');
  return cut <= 0 ? null : key.slice(0, cut);
}

/** Every address above a path, outermost first (`/a/b/c` → `/a`, `/a/b`). */
export function ancestorKeys(path: string): string[] {
  const out: string[] = [];
  for (let parent = parentKey(path); parent !== null; parent = parentKey(parent)) out.unshift(parent);
  return out;
}

/**
 * Paths the site answers itself: a document, a section or a redirect can never take them. The fixed
 * pages, and every route under these prefixes.
 */
const RESERVED_EXACT = [
  '/',
  '/participanten',
  '/over-vso',
  '/zelfstandige-publieke-werkgevers',
  '/zoeken',
  '/feed.xml',
  '/sitemap.xml',
  '/robots.txt',
  '/oembed',
  '/healthz',
  '/favicon.ico',
];
const RESERVED_PREFIXES = ['/api/', '/deel/', '/og/', '/admin/', '/assets/', '/.well-known/', '/voorbeeld/'];

export const isReservedPath = (path: string) => {
  const key = addressKey(path);
  return (
    RESERVED_EXACT.includes(key) ||
    RESERVED_PREFIXES.some((prefix) => key === prefix.slice(0, -1) || key.startsWith(prefix))
  );
};

/** The longest address a document, a section or a redirect may have. */
export const ADDRESS_MAX_LENGTH = 500;

/** One segment of an address a document owns: lower-case letters, digits and hyphens, as slugs are. */
const SEGMENT = new RegExp(`^${SLUG_SOURCE}$`);

/**
 * A path a document, a section or redirects.yaml may name: `/` and segments of a–z, 0–9 and
 * hyphens (the original site's addresses are all of that form), at most ADDRESS_MAX_LENGTH
 * characters, optionally ending in `/`. Returns why not, or null when it is one.
 */
export function addressProblem(path: string, what: string): string | null {
  if (!path.startsWith('/') || path.startsWith('//')) {
    return `${what} "${path}" must be a path of this site, starting with one "/" (no host, no scheme)`;
  }
  if (/[?#]/.test(path)) return `${what} "${path}" has a query or fragment: only a path can be an address`;
  if (path.length > ADDRESS_MAX_LENGTH) {
    return `${what} is ${path.length} characters long; at most ${ADDRESS_MAX_LENGTH} are allowed`;
  }
  const key = addressKey(path);
  if (key === '/') return `${what} "${path}" is the home page`;
  const bad = key
    .slice(1)
    .split('/')
    .find((segment) => !SEGMENT.test(segment) || segment.length > SLUG_MAX_LENGTH);
  if (bad !== undefined) {
    return `${what} "${path}" has the part "${bad}": each part between slashes may only hold a–z, 0–9 and single hyphens`;
  }
  if (path.endsWith('//')) return `${what} "${path}" ends in more than one "/"`;
  if (isReservedPath(key)) return `${what} ${path} is a page of this site itself`;
  return null;
}
