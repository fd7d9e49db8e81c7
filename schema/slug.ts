/**
 * The slug rule of the document contract: lowercase; strip diacritics (ë → e); delete apostrophes,
 * quotes and dots; every other run of characters outside a–z and 0–9 becomes one `-`; trim `-`.
 * "Met elkaar voor 125.000 banen" → "met-elkaar-voor-125000-banen".
 */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’‘"“”„.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The alphabet every slug is made of; the API validates path parameters against it. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The longest slug a route accepts (the API, article pages, share pages and card files validate
 * their slug parameter against it). The document contract refuses a title whose slug would be
 * longer, so no article is listed on home, feed and sitemap while its own URL answers 404. 200 keeps
 * the longest article URL (/nieuws/YYYY-MM-DD/{slug}/) well inside the 2,000 characters that every
 * browser, crawler and CDN handles (RFC 9110 §4.1 recommends at least 8,000 octets; sitemaps allow
 * 2,048) and is what the routes have always accepted, so no link that worked stops working.
 */
export const SLUG_MAX_LENGTH = 200;
