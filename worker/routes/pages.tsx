import { vValidator } from '@hono/valibot-validator';
import { Hono } from 'hono';
import * as v from 'valibot';
import { tags } from '../../schema/cache-tags.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { truncate } from '../lib/truncate.ts';
import { listArticles } from '../queries/articles.ts';
import { getSidebar, sectionTitles } from '../queries/chrome.ts';
import { SEARCH_CANDIDATES, searchArticles } from '../queries/search.ts';
import {
  HOME_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  paths,
  queryLength,
  SEARCH_PAGE_SIZE,
  SITE_NAME,
} from '../site.ts';
import { AboutPage, FeaturedPage, HomePage, ParticipantsPage, SearchPage } from '../views/page-views.tsx';

// Pages answer bad input with the 404 page (the hook calls notFound), not with an error.
const SearchQuery = v.object({
  q: v.optional(v.string(), ''),
  pagina: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/))),
});

export function pageRoutes(deps: AppDeps) {
  const { db } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  return new Hono()
    .get('/', async (c) => {
      const { articles, total, sections, sidebar, menu, version } = await query(
        listArticles(db, 1, HOME_PAGE_SIZE, todayOf(deps)),
      );
      describeContent(c, version, [tags.site, tags.articles]);
      return c.render(<HomePage articles={articles} total={total} sections={sectionTitles(sections)} />, {
        title: null,
        description: sidebar.about?.text ?? `Nieuws van ${SITE_NAME}`,
        path: paths.home,
        section: paths.home,
        sidebar,
        menu,
      });
    })
    .get(paths.participants, async (c) => {
      const { sidebar, menu, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<ParticipantsPage sidebar={sidebar} />, {
        title: 'Participanten',
        description: `De participanten van ${SITE_NAME}: ${sidebar.participants.map((p) => p.name).join(', ')}.`,
        path: paths.participants,
        section: paths.participants,
        sidebar,
        menu,
      });
    })
    .get(paths.about, async (c) => {
      const { sidebar, menu, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<AboutPage sidebar={sidebar} />, {
        title: 'Over VSO Werkgevers',
        description: truncate(sidebar.about?.text ?? SITE_NAME, 160),
        path: paths.about,
        section: paths.about,
        sidebar,
        menu,
      });
    })
    .get(paths.featured, async (c) => {
      const { sidebar, menu, version } = await query(getSidebar(db, todayOf(deps)));
      describeContent(c, version, [tags.site]);
      return c.render(<FeaturedPage sidebar={sidebar} />, {
        title: sidebar.featured?.title ?? 'Zelfstandige Publieke Werkgevers',
        description: truncate(sidebar.featured?.text ?? SITE_NAME, 160),
        path: paths.featured,
        section: paths.featured,
        sidebar,
        menu,
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
          menu,
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
            menu,
          },
        );
      },
    );
}
