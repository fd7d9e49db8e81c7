// The API's request schemas and the constants its OpenAPI document states: one module that both the
// routes (worker/routes/api.ts) and the document (worker/routes/openapi.ts) import, so that neither
// imports the other.
import * as v from 'valibot';
import { ADDRESS_MAX_LENGTH } from '../../schema/addresses.ts';
import { SLUG_SOURCE, Slug } from '../../schema/slug.ts';
import { MAX_QUERY_LENGTH, queryLength } from '../site.ts';

/** The methods the API answers; any other gets 405 with `Allow` listing these. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/**
 * The JSON Schema the OpenAPI document states for a parameter whose checks JSON Schema cannot read
 * off the valibot pipe (a string parsed into a number; a length in code points). It sits next to
 * those checks and is built from the same values.
 */
const documented = <T>(jsonSchema: Record<string, unknown>) =>
  v.metadata<T, { jsonSchema: Record<string, unknown> }>({ jsonSchema });

const DIGITS = /^[0-9]+$/;

/**
 * A whole-number query parameter from `min` to `max`, `fallback` when absent. Decimal digits only
 * (no sign, point, exponent or white space), so that what the document calls an integer is exactly
 * what passes; the bounds are checked on the value, so leading zeros and long inputs are harmless.
 */
function wholeNumber(name: string, min: number, max: number, fallback: number, what: string) {
  return v.pipe(
    v.optional(
      v.pipe(
        v.string(),
        v.regex(DIGITS, `${name} must be a whole number`),
        v.transform(Number),
        v.minValue(min, `${name} must be at least ${min}`),
        v.maxValue(max, `${name} must be at most ${max}`),
      ),
      String(fallback),
    ),
    v.description(
      `${what}: a whole number from ${min} to ${max} in decimal digits (no sign, decimal point or exponent); ${fallback} when absent.`,
    ),
    documented<number>({ type: 'integer', minimum: min, maximum: max, default: fallback }),
  );
}

/** At least one character that is not white space: what is left after trimming is not empty. */
const NOT_BLANK = /\S/;

/**
 * `q` of the search. Its length is counted as sent and in Unicode code points, as JSON Schema's
 * maxLength counts (RFC 8259 characters), so the document's minLength/maxLength/pattern state
 * exactly what is checked. The search form's maxlength (UTF-16 units) never lets through more.
 */
const searchWords = v.pipe(
  v.string('q is required'),
  // `\s` is exactly what String#trim removes (ECMA-262 WhiteSpace and LineTerminator).
  v.regex(NOT_BLANK, 'q is required'),
  v.check((q) => queryLength(q) <= MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`),
  v.trim(),
  v.description(
    `Search words; every word must occur: as written, as its Dutch stem, as part of a compound word, or through a glossary abbreviation (BZK and Binnenlandse Zaken find each other); words of up to three letters also as a prefix; case and diacritics are ignored. At most ${MAX_QUERY_LENGTH} characters as sent, counted in Unicode code points (as JSON Schema counts); white space at either end counts, and is removed before searching. At least one character that is not white space.`,
  ),
  documented<string>({
    type: 'string',
    minLength: 1,
    maxLength: MAX_QUERY_LENGTH,
    pattern: NOT_BLANK.source,
  }),
);

/**
 * A path of the site as pages and sections have them: segments of a–z, 0–9 and single hyphens, with
 * or without a trailing slash (both forms name one address). The home page is no content page.
 */
const ADDRESS_SOURCE = `^(?:/${SLUG_SOURCE})+/?$`;
const ADDRESS = new RegExp(ADDRESS_SOURCE);
const address = (name: string, what: string) =>
  v.pipe(
    v.string(`${name} is required`),
    v.maxLength(ADDRESS_MAX_LENGTH, `${name} must be at most ${ADDRESS_MAX_LENGTH} characters`),
    v.regex(ADDRESS, `${name} must be a path such as /organisatie/achtergrond/ (a–z, 0–9 and hyphens)`),
    v.description(what),
    documented<string>({
      type: 'string',
      minLength: 2,
      maxLength: ADDRESS_MAX_LENGTH,
      // The source as written: RegExp#source would escape each `/`.
      pattern: ADDRESS_SOURCE,
    }),
  );

// Request schemas, declared above the routes that validate with them; the OpenAPI document is
// generated from these same schemas.
export const ListQuery = v.object({
  page: wholeNumber('page', 1, 1_000_000, 1, 'Page number'),
  limit: wholeNumber('limit', 1, 100, 15, 'Articles per page'),
  section: v.optional(
    address(
      'section',
      'Only the articles of this news section (a path of GET /sections, with or without a trailing slash); all sections when absent. A section the site does not have is a 400 that lists those it has.',
    ),
  ),
});
export const PageQuery = v.object({
  path: address(
    'path',
    'The address of the page, e.g. /organisatie/achtergrond/; with or without its trailing slash, and an address the page had before (answered with a 301 to its current one).',
  ),
});
export const SlugParam = v.object({
  slug: v.pipe(Slug, v.description('The article slug.')),
});
export const SearchQuery = v.object({
  q: searchWords,
  page: wholeNumber('page', 1, 1_000_000, 1, 'Page number'),
  limit: wholeNumber('limit', 1, 50, 10, 'Results per page'),
});
