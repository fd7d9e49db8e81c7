import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import * as v from 'valibot';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../schema/slug.ts';
import type { AppDeps } from '../app.tsx';
import { describeContent, tags } from '../lib/edge-cache.ts';
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
import { articlePath, MAX_QUERY_LENGTH, navigation, paths } from '../site.ts';
import { buildOpenApi } from './openapi.ts';

/** The one error envelope of the API: `{"error": {"code", "message", "issues"?}}`. */
export function apiError(
  c: Context,
  status: 400 | 404 | 405 | 500 | 503,
  code: string,
  message: string,
  issues?: { path: string; message: string }[],
) {
  return c.json({ error: issues ? { code, message, issues } : { code, message } }, status);
}

type Issues = readonly v.BaseIssue<unknown>[];
const toIssues = (issues: Issues) =>
  issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));

/** The validator hook of every API route: invalid input → 400 with every problem listed. */
const invalid = (result: { success: boolean; issues?: Issues }, c: Context) => {
  if (!result.success) {
    return apiError(c, 400, 'invalid_request', 'De aanvraag is ongeldig.', toIssues(result.issues ?? []));
  }
};

const wholeNumber = (name: string, min: number, max: number, fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,7}$/, `${name} must be a whole number`),
      v.transform(Number),
      v.minValue(min, `${name} must be at least ${min}`),
      v.maxValue(max, `${name} must be at most ${max}`),
    ),
    fallback,
  );

// Request schemas, declared above the routes that validate with them; the OpenAPI document is
// generated from these same schemas.
export const ListQuery = v.object({
  page: v.pipe(wholeNumber('page', 1, 1_000_000, '1'), v.description('Page number, from 1.')),
  limit: v.pipe(wholeNumber('limit', 1, 100, '15'), v.description('Articles per page, 1–100 (default 15).')),
});
export const SlugParam = v.object({
  slug: v.pipe(
    v.string(),
    v.maxLength(SLUG_MAX_LENGTH, 'slug is too long'),
    v.regex(SLUG_PATTERN, 'slug may only hold a–z, 0–9 and single hyphens'),
    v.description('The article slug.'),
  ),
});
export const SearchQuery = v.object({
  q: v.pipe(
    v.string('q is required'),
    v.trim(),
    v.minLength(1, 'q is required'),
    v.maxLength(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`),
    v.description('Search words; every word must occur (as a prefix), diacritics are ignored.'),
  ),
  page: v.pipe(wholeNumber('page', 1, 1_000_000, '1'), v.description('Page number, from 1.')),
  limit: v.pipe(wholeNumber('limit', 1, 50, '10'), v.description('Results per page, 1–50 (default 10).')),
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
  api.use('*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  api.use('*', async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      c.header('Allow', 'GET, HEAD, OPTIONS');
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

  api.notFound((c) => apiError(c, 404, 'not_found', 'Deze API-route bestaat niet.'));
  return api;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The snippet as HTML for API clients: text escaped, matches in <mark>. */
export function highlightHtml(snippet: string): string {
  return snippet
    .replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch)
    .replaceAll(MARK_START, '<mark>')
    .replaceAll(MARK_END, '</mark>');
}
