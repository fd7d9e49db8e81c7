import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import * as v from 'valibot';
import { tags } from '../../schema/cache-tags.ts';
import { Slug } from '../../schema/slug.ts';
import { apiError, apiFailure, apiNotFound, toIssues } from '../api-error.ts';
import type { AppDeps } from '../app.tsx';
import { describeContent } from '../cache/edge-cache.ts';
import { escapeMarkup } from '../lib/escape-markup.ts';
import { databaseCall } from '../lib/timeout.ts';
import {
  type ArticleSummary,
  getArticle,
  getSidebar,
  listArticles,
  MARK_END,
  MARK_START,
  SEARCH_CANDIDATES,
  searchArticles,
} from '../queries.ts';
import { articlePath, MAX_QUERY_LENGTH, navigation, paths, queryLength } from '../site.ts';
import { buildOpenApi } from './openapi.ts';

type Issues = readonly v.BaseIssue<unknown>[];

/** The validator hook of every API route: invalid input → 400 with every problem listed. */
const invalid = (result: { success: boolean; issues?: Issues }, c: Context) => {
  if (!result.success) {
    return apiError(c, 400, 'invalid_request', 'De aanvraag is ongeldig.', toIssues(result.issues ?? []));
  }
};

/** The methods the API answers; any other gets 405 with `Allow` listing these. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/**
 * The JSON Schema the OpenAPI document states for a parameter whose checks JSON Schema cannot read
 * off the valibot pipe (a string parsed into a number; a length in code points). It sits next to
 * those checks and is built from the same values.
 */
export const documented = <T>(jsonSchema: Record<string, unknown>) =>
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
    `Search words; every word must occur (as a prefix), diacritics are ignored. At most ${MAX_QUERY_LENGTH} characters as sent, counted in Unicode code points (as JSON Schema counts); white space at either end counts, and is removed before searching. At least one character that is not white space.`,
  ),
  documented<string>({
    type: 'string',
    minLength: 1,
    maxLength: MAX_QUERY_LENGTH,
    pattern: NOT_BLANK.source,
  }),
);

// Request schemas, declared above the routes that validate with them; the OpenAPI document is
// generated from these same schemas.
export const ListQuery = v.object({
  page: wholeNumber('page', 1, 1_000_000, 1, 'Page number'),
  limit: wholeNumber('limit', 1, 100, 15, 'Articles per page'),
});
export const SlugParam = v.object({
  slug: v.pipe(Slug, v.description('The article slug.')),
});
export const SearchQuery = v.object({
  q: searchWords,
  page: wholeNumber('page', 1, 1_000_000, 1, 'Page number'),
  limit: wholeNumber('limit', 1, 50, 10, 'Results per page'),
});

/** `meta.pagination` of a list, as Ghost's Content API has it. */
function pagination(page: number, limit: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return {
    page,
    limit,
    pages,
    total,
    next: page < pages ? page + 1 : null,
    prev: page > 1 ? Math.min(page - 1, pages) : null,
  };
}

export function apiRoutes(deps: AppDeps) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);
  const url = (path: string) => `${siteUrl}${path}`;
  const summary = (a: ArticleSummary) => ({
    slug: a.slug,
    title: a.title,
    publishedAt: a.publishedAt,
    excerpt: a.excerpt,
    url: url(articlePath(a)),
    updatedAt: a.updatedAt,
  });

  const api = new Hono();
  api.use('*', cors({ origin: '*', allowMethods: [...ALLOWED_METHODS] }));
  api.use('*', async (c, next) => {
    if (!(ALLOWED_METHODS as readonly string[]).includes(c.req.method)) {
      c.header('Allow', ALLOWED_METHODS.join(', '));
      return apiError(c, 405, 'method_not_allowed', `${c.req.method} is niet toegestaan; gebruik GET.`);
    }
    await next();
  });

  api.get('/articles', vValidator('query', ListQuery, invalid), async (c) => {
    const { page, limit } = c.req.valid('query');
    const { articles, total, version } = await query(listArticles(db, page, limit));
    describeContent(c, version, [tags.articles]);
    return c.json({ articles: articles.map(summary), meta: { pagination: pagination(page, limit, total) } });
  });

  api.get('/articles/:slug', vValidator('param', SlugParam, invalid), async (c) => {
    const { slug } = c.req.valid('param');
    const { article, shares, version } = await query(getArticle(db, slug, { shares: true }));
    if (!article) return apiError(c, 404, 'not_found', 'Dit artikel bestaat niet.');
    describeContent(c, version, [tags.article(slug)]);
    // Shares change without a new content version: part of the ETag (a total only ever grows).
    c.set('etagExtra', String(shares.total));
    return c.json({
      article: {
        slug: article.slug,
        title: article.title,
        publishedAt: article.publishedAt,
        source: article.source,
        excerpt: article.excerpt,
        body: article.body,
        url: url(articlePath(article)),
        updatedAt: article.updatedAt,
        shares,
      },
    });
  });

  api.get('/participants', async (c) => {
    const { sidebar, version } = await query(getSidebar(db));
    describeContent(c, version, [tags.site]);
    return c.json({ participants: sidebar.participants.map((p) => ({ name: p.name, slug: p.slug })) });
  });

  api.get('/site', async (c) => {
    const { sidebar, version } = await query(getSidebar(db));
    describeContent(c, version, [tags.site]);
    return c.json({
      about: sidebar.about && { text: sidebar.about.text, url: url(paths.about) },
      featured: sidebar.featured && { ...sidebar.featured, url: url(paths.featured) },
      navigation: navigation.map((item) => ({ label: item.label, url: url(item.path) })),
    });
  });

  api.get('/search', vValidator('query', SearchQuery, invalid), async (c) => {
    const { q, page, limit } = c.req.valid('query');
    const { results, total, version } = await query(searchArticles(db, q, { page, limit }));
    describeContent(c, version, [tags.articles]);
    return c.json({
      query: q,
      results: results.map((r) => ({ ...summary(r), snippet: highlightHtml(r.snippet) })),
      // Relevance is ranked among the newest SEARCH_CANDIDATES matches: pages end there.
      meta: {
        pagination: { ...pagination(page, limit, Math.min(total, SEARCH_CANDIDATES)), matches: total },
      },
    });
  });

  let openapi: unknown;
  api.get('/openapi.json', (c) => {
    openapi ??= buildOpenApi(siteUrl);
    return c.json(openapi);
  });

  // The envelope for every path and failure under /api. A mounted app's notFound is never called
  // (Hono asks the top app's), hence a last route; its onError is (Hono wraps its handlers in it).
  api.all('*', apiNotFound);
  api.onError(apiFailure);
  return api;
}

/** The snippet as HTML for API clients: text escaped, matches in <mark>. */
export function highlightHtml(snippet: string): string {
  return escapeMarkup(snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
