import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type * as v from 'valibot';
import { addressKey } from '../../schema/addresses.ts';
import { tags } from '../../schema/cache-tags.ts';
import { apiError, apiFailure, apiNotFound, toIssues } from '../api-error.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { escapeMarkup } from '../lib/escape-markup.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { type ArticleSummary, getArticle } from '../queries/articles.ts';
import { getSidebar } from '../queries/chrome.ts';
import { getPageByKey, listArticlesOf, listSections } from '../queries/content-api.ts';
import { MARK_END, MARK_START, SEARCH_CANDIDATES, searchArticles } from '../queries/search.ts';
import { articlePath, navigation, searchPath } from '../site.ts';
import { ALLOWED_METHODS, ListQuery, PageQuery, SearchQuery, SlugParam } from './api-schemas.ts';

type Issues = readonly v.BaseIssue<unknown>[];

/** The validator hook of every API route: invalid input → 400 with every problem listed. */
const invalid = (result: { success: boolean; issues?: Issues }, c: Context) => {
  if (!result.success) {
    return apiError(c, 400, 'invalid_request', 'De aanvraag is ongeldig.', toIssues(result.issues ?? []));
  }
};

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
    section: a.section,
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
    const section = c.req.valid('query').section;
    const key = section === undefined ? null : addressKey(section);
    const { articles, total, sections, version } = await query(
      listArticlesOf(db, key, page, limit, todayOf(deps)),
    );
    // An unknown section is a mistake (a typo, a section that was renamed), not an empty section.
    if (key !== null && !sections.some((known) => known.path === key)) {
      const message = `De sectie ${key} bestaat niet; wel: ${sections.map((known) => known.path).join(', ')}.`;
      return apiError(c, 400, 'invalid_request', message, [{ path: 'section', message }]);
    }
    describeContent(c, version, [tags.articles]);
    return c.json({ articles: articles.map(summary), meta: { pagination: pagination(page, limit, total) } });
  });

  api.get('/articles/:slug', vValidator('param', SlugParam, invalid), async (c) => {
    const { slug } = c.req.valid('param');
    const { article, shares, version } = await query(
      getArticle(db, slug, { shares: true, today: todayOf(deps) }),
    );
    if (!article) return apiError(c, 404, 'not_found', 'Dit artikel bestaat niet.');
    // A former slug: the article's API address now (RFC 9110 §15.4.2), as its page does.
    if (article.slug !== slug) return c.redirect(`/api/articles/${article.slug}`, 301);
    describeContent(c, version, [tags.article(slug)]);
    // Shares change without a new content version: part of the ETag (a total only ever grows).
    c.set('etagExtra', String(shares.total));
    return c.json({
      article: {
        slug: article.slug,
        title: article.title,
        publishedAt: article.publishedAt,
        section: article.section,
        source: article.source,
        excerpt: article.excerpt,
        body: article.body,
        url: url(articlePath(article)),
        updatedAt: article.updatedAt,
        shares,
      },
    });
  });

  api.get('/sections', async (c) => {
    const { sections, version } = await query(listSections(db, todayOf(deps)));
    // Sections come from site.yaml, which a seed purges as the site's structure.
    describeContent(c, version, [tags.site]);
    return c.json({
      sections: sections.map((section) => ({ ...section, url: url(section.path) })),
    });
  });

  api.get('/pages', vValidator('query', PageQuery, invalid), async (c) => {
    const { path } = c.req.valid('query');
    const key = addressKey(path);
    const { page, children, version } = await query(getPageByKey(db, key, todayOf(deps)));
    if (!page) return apiError(c, 404, 'not_found', 'Deze pagina bestaat niet.');
    // An address the page had before, or an alias: the page's API address now (RFC 9110 §15.4.2).
    if (page.key !== key) return c.redirect(`/api/pages?path=${encodeURIComponent(page.path)}`, 301);
    describeContent(c, version, [tags.page(page.key)]);
    return c.json({
      page: {
        path: page.path,
        url: url(page.path),
        title: page.title,
        excerpt: page.excerpt,
        body: page.body,
        virtual: page.virtual,
        parent: page.parentPath,
        children: children.map((child) => ({
          path: child.path,
          url: url(child.path),
          title: child.title,
          excerpt: child.excerpt,
        })),
        updatedAt: page.updatedAt,
      },
    });
  });

  api.get('/participants', async (c) => {
    const { sidebar, version } = await query(getSidebar(db, todayOf(deps)));
    describeContent(c, version, [tags.site]);
    return c.json({ participants: sidebar.participants.map((p) => ({ name: p.name, slug: p.slug })) });
  });

  api.get('/site', async (c) => {
    const { sidebar, menu, version } = await query(getSidebar(db, todayOf(deps)));
    describeContent(c, version, [tags.site]);
    // The same "Lees verder" and menu as the pages: site_blocks.url and site_meta 'menu' when set.
    return c.json({
      about: sidebar.about && { text: sidebar.about.text, url: url(sidebar.about.url) },
      featured: sidebar.featured && { ...sidebar.featured, url: url(sidebar.featured.url) },
      navigation: (menu ?? navigation).map((item) => ({ label: item.label, url: url(item.path) })),
    });
  });

  api.get('/search', vValidator('query', SearchQuery, invalid), async (c) => {
    const { q, page, limit } = c.req.valid('query');
    const { results, pages, total, allWords, suggestions, version } = await query(
      searchArticles(db, q, { page, limit, today: todayOf(deps) }),
    );
    describeContent(c, version, [tags.articles, tags.pages]);
    return c.json({
      query: q,
      results: results.map((r) => ({ ...summary(r), snippet: highlightHtml(r.snippet) })),
      pages: pages.map((p) => ({
        url: url(p.path),
        path: p.path,
        title: p.title,
        excerpt: p.excerpt,
        snippet: highlightHtml(p.snippet),
      })),
      suggestions: suggestions.map((text) => ({ query: text, url: url(searchPath(text)) })),
      // Relevance is ranked among the newest SEARCH_CANDIDATES matches: pages end there.
      meta: {
        pagination: { ...pagination(page, limit, Math.min(total, SEARCH_CANDIDATES)), matches: total },
        allWords,
      },
    });
  });

  // GET /api/openapi.json is a static asset (public/api/openapi.json, written by
  // scripts/build-assets.ts from worker/routes/openapi.ts): it never reaches the Worker. Its other
  // methods do, and get the API's answers above: the CORS preflight and 405.

  // The envelope for every path and failure under /api. A mounted app's notFound is never called
  // (Hono asks the top app's), hence a last route; its onError is (Hono wraps its handlers in it).
  api.all('*', apiNotFound);
  api.onError(apiFailure);
  return api;
}

/** The snippet as HTML for API clients: text escaped, matches in <mark>. */
function highlightHtml(snippet: string): string {
  return escapeMarkup(snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
