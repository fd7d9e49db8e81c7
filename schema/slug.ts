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
