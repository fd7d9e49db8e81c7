import { vValidator } from '@hono/valibot-validator';
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  ADDRESS_MAX_LENGTH,
  addressKey,
  DEFAULT_SECTION,
  DEFAULT_SECTION_TITLE,
} from '../../schema/addresses.ts';
import { formatLongDate } from '../../schema/dates.ts';
import { isPreviewToken, PAGE_PREVIEW_PATH, PREVIEW_PATH, pagePreviewSubject } from '../../schema/preview.ts';
import { Slug } from '../../schema/slug.ts';
import type { AppDeps } from '../deps.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { getArticle } from '../queries/articles.ts';
import { getPage } from '../queries/pages.ts';
import { articlePath } from '../site.ts';
import { breadcrumbTrail, ContentPage } from '../views/content-page-views.tsx';
import { ArticlePage } from '../views/page-views.tsx';

const PreviewParams = v.object({ slug: Slug });
const PreviewQuery = v.object({ token: v.optional(v.string(), '') });
const PagePreviewQuery = v.object({
  adres: v.pipe(v.string(), v.maxLength(ADDRESS_MAX_LENGTH), v.regex(/^\/[a-z0-9/-]*$/)),
  token: v.optional(v.string(), ''),
});

/**
 * `GET /voorbeeld/{slug}?token=…`: a draft or scheduled article (or a public one) as its page will
 * look, for whoever has the signed link (schema/preview.ts). Never stored (no-store), never indexed;
 * a wrong token is the 404 of an article that does not exist. Without PREVIEW_TOKEN the route does
 * not exist.
 */
export function previewRoutes(deps: AppDeps) {
  const app = new Hono();
  const secret = deps.previewToken;
  if (!secret) return app;
  const query = databaseCall(deps.dbTimeoutMs);

  app.use(`${PREVIEW_PATH}/*`, async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('X-Robots-Tag', 'noindex');
  });
  // A draft page: before the article route, whose `:slug` would take "pagina".
  app.get(
    PAGE_PREVIEW_PATH,
    vValidator('query', PagePreviewQuery, (result, c) => (result.success ? undefined : c.notFound())),
    async (c) => {
      const { adres, token } = c.req.valid('query');
      const key = addressKey(adres);
      if (!(await isPreviewToken(secret, pagePreviewSubject(key), token))) return c.notFound();
      const { page, children, ancestors, sidebar, menu } = await query(
        getPage(deps.db, key, todayOf(deps), { preview: true }),
      );
      if (!page) return c.notFound();
      const trail = breadcrumbTrail(
        ancestors.map((a) => ({ title: a.title, path: a.path })),
        { title: page.title, path: page.path },
      );
      return c.render(
        <>
          <p class="preview-notice" role="status">
            <strong>Voorbeeld.</strong>{' '}
            {page.draft
              ? 'Dit is een concept: deze pagina staat nog niet op de site.'
              : 'Deze pagina staat op de site.'}
          </p>
          <ContentPage page={page} trail={trail} below={children} />
        </>,
        {
          title: `Voorbeeld: ${page.title}`,
          description: 'Voorbeeld van een pagina.',
          path: c.req.path,
          noindex: true,
          sidebar: page.sidebar ? sidebar : null,
          menu,
        },
      );
    },
  );
  app.get(
    `${PREVIEW_PATH}/:slug`,
    vValidator('param', PreviewParams, (result, c) => (result.success ? undefined : c.notFound())),
    vValidator('query', PreviewQuery, (result, c) => (result.success ? undefined : c.notFound())),
    async (c) => {
      const { slug } = c.req.valid('param');
      if (!(await isPreviewToken(secret, slug, c.req.valid('query').token))) return c.notFound();
      const today = todayOf(deps);
      const { article, previous, next, sidebar, menu } = await query(
        getArticle(deps.db, slug, { today, preview: true }),
      );
      if (!article || article.slug !== slug) return c.notFound();
      const state = article.draft
        ? 'Dit is een concept: het staat nog niet op de site.'
        : article.publishedAt > today
          ? `Dit artikel verschijnt op ${formatLongDate(article.publishedAt)}.`
          : 'Dit artikel staat op de site.';
      return c.render(
        <>
          <p class="preview-notice" role="status">
            <strong>Voorbeeld.</strong> {state}
          </p>
          <ArticlePage
            article={article}
            url={`${deps.siteUrl}${articlePath(article)}`}
            previous={previous}
            next={next}
            // The preview reads no section titles: the default one's, or the generic word.
            section={{
              path: article.section,
              title: article.section === DEFAULT_SECTION ? DEFAULT_SECTION_TITLE : 'Nieuws',
            }}
          />
        </>,
        {
          title: `Voorbeeld: ${article.title}`,
          description: 'Voorbeeld van een artikel.',
          path: c.req.path,
          section: article.section,
          noindex: true,
          sidebar,
          menu,
        },
      );
    },
  );
  return app;
}
