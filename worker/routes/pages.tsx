import { vValidator } from '@hono/valibot-validator';
import { Hono } from 'hono';
import * as v from 'valibot';
import { tags } from '../../schema/cache-tags.ts';
import { Slug } from '../../schema/slug.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import type { AliasRedirects } from '../lib/aliases.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { getArticle, listArticles } from '../queries/articles.ts';
import { getSidebar } from '../queries/chrome.ts';
import { SEARCH_CANDIDATES, searchArticles } from '../queries/search.ts';
import {
  articlePath,
  cardPath,
  HOME_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  NEWS_PAGE_SIZE,
  paths,
  queryLength,
  SEARCH_PAGE_SIZE,
  SITE_NAME,
} from '../site.ts';
import {
  AboutPage,
  ArticlePage,
  FeaturedPage,
  HomePage,
  NewsPage,
  ParticipantsPage,
  SearchPage,
} from '../views/page-views.tsx';

/** Cut text at a word boundary to at most `max` characters, with an ellipsis when cut. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

// Pages answer bad input with the 404 page (the hook calls notFound), not with an error.
const NewsQuery = v.object({ pagina: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/))) });
const ArticleParams = v.object({
  date: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
  slug: Slug,
});
const SearchQuery = v.object({
  q: v.optional(v.string(), ''),
  pagina: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/))),
});

export function pageRoutes(deps: AppDeps, aliases: AliasRedirects) {
  const { db } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  return new Hono()
    .get('/', async (c) => {
      const { articles, total, sidebar, version } = await query(
        listArticles(db, 1, HOME_PAGE_SIZE, todayOf(deps)),
      );
      describeContent(c, version, [tags.site, tags.articles]);
      return c.render(<HomePage articles={articles} total={total} />, {
        title: null,
        description: sidebar.about?.text ?? `Nieuws van ${SITE_NAME}`,
        path: paths.home,
        section: paths.home,
        sidebar,
      });
    })
    .get(
      paths.news,
      vValidator('query', NewsQuery, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const page = Number(c.req.valid('query').pagina ?? 1);
        const { articles, total, sidebar, version } = await query(
          listArticles(db, page, NEWS_PAGE_SIZE, todayOf(deps)),
        );
        describeContent(c, version, [tags.site, tags.articles]);
        const pages = Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE));
        if (page > pages) return c.notFound();
        return c.render(<NewsPage articles={articles} page={page} pages={pages} total={total} />, {
          title: page > 1 ? `Nieuws — pagina ${page}` : 'Nieuws',
          description: `Alle nieuwsberichten van ${SITE_NAME}, nieuwste eerst.`,
          path: page > 1 ? `${paths.news}?pagina=${page}` : paths.news,
          section: paths.news,
          sidebar,
        });
      },
    )
    .get(
      `${paths.news}/:date/:slug`,
      vValidator('param', ArticleParams, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const { date, slug } = c.req.valid('param');
        const { article, previous, next, sidebar, version } = await query(
          getArticle(db, slug, { today: todayOf(deps) }),
        );
        // Not an article (now or before): perhaps an address an editor listed (an alias).
        if (!article) return (await aliases.redirect(c)) ?? c.notFound();
        describeContent(c, version, [tags.site, tags.articles, tags.article(article.slug)]);
        // The slug identifies the article; a wrong date in the URL is an old or mistyped link, and a
        // former slug one made before the title changed.
        if (article.publishedAt !== date || article.slug !== slug) {
          return c.redirect(articlePath(article), 301);
        }
        const path = articlePath(article);
        return c.render(
          <ArticlePage article={article} url={`${deps.siteUrl}${path}`} previous={previous} next={next} />,
          {
            title: article.title,
            description: truncate(article.excerpt, 160),
            path,
            section: paths.news,
            article: {
              title: article.title,
              publishedAt: article.publishedAt,
              updatedAt: article.updatedAt,
              cardPath: article.cardHash ? cardPath(article.slug, article.cardHash) : null,
            },
            shareScript: true,
            sidebar,
          },
        );
      },
    )
    .get(paths.participants, async (c) => {
      const { sidebar, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<ParticipantsPage sidebar={sidebar} />, {
        title: 'Participanten',
        description: `De participanten van ${SITE_NAME}: ${sidebar.participants.map((p) => p.name).join(', ')}.`,
        path: paths.participants,
        section: paths.participants,
        sidebar,
      });
    })
    .get(paths.about, async (c) => {
      const { sidebar, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<AboutPage sidebar={sidebar} />, {
        title: 'Over VSO Werkgevers',
        description: truncate(sidebar.about?.text ?? SITE_NAME, 160),
        path: paths.about,
        section: paths.about,
        sidebar,
      });
    })
    .get(paths.featured, async (c) => {
      const { sidebar, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<FeaturedPage sidebar={sidebar} />, {
        title: sidebar.featured?.title ?? 'Zelfstandige Publieke Werkgevers',
        description: truncate(sidebar.featured?.text ?? SITE_NAME, 160),
        path: paths.featured,
        section: paths.featured,
        sidebar,
      });
    })
    .get(
      paths.search,
      vValidator('query', SearchQuery, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const q = c.req.valid('query').q.trim();
        const page = Number(c.req.valid('query').pagina ?? 1);
        const tooLong = queryLength(c.req.valid('query').q) > MAX_QUERY_LENGTH;
        const {
          results,
          pages: pageResults,
          total,
          allWords,
          suggestions,
          sidebar,
          version,
        } = await query(
          searchArticles(db, tooLong ? '' : q, { page, limit: SEARCH_PAGE_SIZE, today: todayOf(deps) }),
        );
        const pages = Math.max(1, Math.ceil(Math.min(total, SEARCH_CANDIDATES) / SEARCH_PAGE_SIZE));
        if (page > pages) return c.notFound();
        describeContent(c, version, [tags.site, tags.articles, tags.pages]);
        return c.render(
          <SearchPage
            pageResults={pageResults}
            query={q}
            results={q && !tooLong ? results : null}
            total={total}
            allWords={allWords}
            suggestions={suggestions}
            ranked={SEARCH_CANDIDATES}
            page={page}
            pages={pages}
            tooLong={tooLong}
          />,
          {
            title: q && !tooLong ? `Zoeken: ${q}` : 'Zoeken',
            description: `Zoek in het nieuws van ${SITE_NAME}.`,
            path: paths.search,
            section: paths.search,
            // Result pages are endless variations of one page: keep them out of search engines.
            noindex: q !== '',
            sidebar,
          },
        );
      },
    );
}
