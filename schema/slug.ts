import * as v from 'valibot';

/**
 * The slug rule of the document contract: lowercase; strip diacritics (ë → e); delete apostrophes,
 * quotes and dots; every other run of characters outside a–z and 0–9 becomes one `-`; trim `-`.
 * "Met elkaar voor 125.000 banen" → "met-elkaar-voor-125000-banen".
 */
export function slugify(text: string): string {
  const lower = text.toLowerCase();
  // ASCII has no diacritics to strip (and most titles are ASCII): no decomposition needed.
  return (/^[\x20-\x7e]*$/.test(lower) ? lower : lower.normalize('NFD').replace(/\p{M}+/gu, ''))
    .replace(/['’‘"“”„.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The alphabet every slug is made of (what slugify yields): runs of a–z and 0–9 joined by single
 * hyphens. Unanchored, for patterns that hold a slug among other parts (card file names, article
 * URLs); SLUG_PATTERN is the whole-string form.
 */
export const SLUG_SOURCE = '[a-z0-9]+(?:-[a-z0-9]+)*';
export const SLUG_PATTERN = new RegExp(`^${SLUG_SOURCE}$`);

/**
 * The longest slug a route accepts (the API, article pages, share pages and card files validate
 * their slug parameter against it). The document contract refuses a title whose slug would be
 * longer, so no article is listed on home, feed and sitemap while its own URL answers 404. 200 keeps
 * the longest article URL (/nieuws/YYYY-MM-DD/{slug}/) well inside the 2,000 characters that every
 * browser, crawler and CDN handles (RFC 9110 §4.1 recommends at least 8,000 octets; sitemaps allow
 * 2,048) and is what the routes have always accepted, so no link that worked stops working.
 */
export const SLUG_MAX_LENGTH = 200;

/**
 * A slug from outside (a path parameter, a queue message), as every route and the share queue
 * validate it: at most SLUG_MAX_LENGTH characters of the slug alphabet. Routes decide what a
 * failure answers (the API a 400 envelope with these messages, pages the 404 page).
 */
export const Slug = v.pipe(
  v.string(),
  v.maxLength(SLUG_MAX_LENGTH, 'slug is too long'),
  v.regex(SLUG_PATTERN, 'slug may only hold a–z, 0–9 and single hyphens'),
);
