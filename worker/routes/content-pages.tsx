import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import {
  ARTICLE_PATH,
  addressKey,
  DEFAULT_SECTION,
  DEFAULT_SECTION_TITLE,
  parentKey,
} from '../../schema/addresses.ts';
import { tags } from '../../schema/cache-tags.ts';
import { Slug } from '../../schema/slug.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { todayOf } from '../lib/publication.ts';
import type { SiteMap, SiteMapData } from '../lib/site-map.ts';
import { DatabaseUnavailable, databaseCall } from '../lib/timeout.ts';
import { truncate } from '../lib/truncate.ts';
import { getArticle, listArticles, listFeedArticles } from '../queries/articles.ts';
import { getPage } from '../queries/pages.ts';
import { articlePath, cardPath, NEWS_PAGE_SIZE, SITE_NAME } from '../site.ts';
import { breadcrumbTrail, type ChildLink, ContentPage } from '../views/content-page-views.tsx';
import { ArticlePage, NewsPage, type SectionView } from '../views/page-views.tsx';
import { shareImageOf } from '../views/social-meta.tsx';
import { FEED_SIZE, RSS_TYPE, rssFeed } from './feeds.tsx';

// Pages answer bad input with the 404 page (the hook calls notFound), not with an error.
const ListQuery = v.object({ pagina: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/))) });
const ArticleParams = v.object({
  date: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
  slug: Slug,
});
const FEED = '/feed.xml';
const DEFAULT: SectionView = { path: DEFAULT_SECTION, title: DEFAULT_SECTION_TITLE };

/**
 * The news sections (their lists, feeds and articles) and the content pages. The default section's
 * list and articles have routes of their own, which need no site map; every other address (its
 * feed too: no alias may take a fixed route's path, and the contract knows no feed paths) is found in the site map
 * (worker/lib/site-map.ts) by the last route, so that a path that is none of them costs no round
 * trip once the isolate has the map, and a page costs its one batch.
 */
export function contentPageRoutes(deps: AppDeps, addresses: SiteMap) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  /** A section's list, NEWS_PAGE_SIZE a page, `?pagina=N`. */
  async function sectionList(c: Context, section: SectionView) {
    const parsed = v.safeParse(ListQuery, { pagina: c.req.query('pagina') });
    if (!parsed.success) return c.notFound();
    const page = Number(parsed.output.pagina ?? 1);
    const { articles, total, sidebar, menu, version } = await query(
      listArticles(db, page, NEWS_PAGE_SIZE, todayOf(deps), section.path),
    );
    describeContent(c, version, [tags.site, tags.articles]);
    const pages = Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE));
    if (page > pages) return c.notFound();
    return c.render(
      <NewsPage section={section} articles={articles} page={page} pages={pages} total={total} />,
      {
        title: page > 1 ? `${section.title} — pagina ${page}` : section.title,
        description:
          section.path === DEFAULT_SECTION
            ? `Alle nieuwsberichten van ${SITE_NAME}, nieuwste eerst.`
            : `${section.title}: alle berichten van ${SITE_NAME}, nieuwste eerst.`,
        path: page > 1 ? `${section.path}?pagina=${page}` : section.path,
        section: section.path,
        sidebar,
        menu,
      },
    );
  }

  /** A section's own feed: its newest articles. */
  async function sectionFeed(c: Context, section: SectionView) {
    const { articles, sections, version } = await query(
      listFeedArticles(db, FEED_SIZE, todayOf(deps), section.path),
    );
    describeContent(c, version, [tags.articles]);
    const body = await rssFeed({
      siteUrl,
      articles,
      sections: new Map([[section.path, section.title], ...sections.map((s) => [s.path, s.title] as const)]),
      title: `${SITE_NAME} — ${section.title}`,
      link: section.path,
      self: `${section.path}${FEED}`,
    });
    return c.body(body, 200, { 'Content-Type': RSS_TYPE });
  }

  /**
   * An article asked under `section` (a section of the site) and `date`. The slug identifies it: a
   * wrong date or section is an old or mistyped link, a former slug one made before the title
   * changed; each answers one 301 to its URL.
   */
  async function sectionArticle(c: Context, section: SectionView, date: string, slug: string) {
    const { article, previous, next, sidebar, menu, version } = await query(
      getArticle(db, slug, { today: todayOf(deps) }),
    );
    // Not an article (now or before): perhaps an address an editor listed (an alias).
    if (!article) return (await addresses.redirect(c)) ?? c.notFound();
    describeContent(c, version, [tags.site, tags.articles, tags.article(article.slug)]);
    if (article.section !== section.path || article.publishedAt !== date || article.slug !== slug) {
      return c.redirect(articlePath(article), 301);
    }
    const path = articlePath(article);
    return c.render(
      <ArticlePage
        article={article}
        url={`${siteUrl}${path}`}
        previous={previous}
        next={next}
        section={section}
      />,
      {
        title: article.title,
        description: truncate(article.excerpt, 160),
        path,
        section: section.path,
        article: {
          title: article.title,
          publishedAt: article.publishedAt,
          updatedAt: article.updatedAt,
          cardPath: article.cardHash ? cardPath(article.slug, article.cardHash) : null,
          shareImage: shareImageOf(article.body),
        },
        shareScript: true,
        sidebar,
        menu,
      },
    );
  }

  /** A content page at its exact path: one batch (its row, children, ancestors, the chrome). */
  async function contentPage(c: Context, map: SiteMapData, path: string) {
    const key = addressKey(path);
    // A page reads no parameter: `?pagina=` (which the cache key keeps for the sections' sake)
    // leads to the page itself.
    if (c.req.query('pagina') !== undefined) return c.redirect(`${siteUrl}${path}`, 301);
    const { page, children, ancestors, sidebar, menu, version } = await query(
      getPage(db, key, todayOf(deps)),
    );
    // Gone since this isolate read its map (a publish it has not seen yet): as if unknown.
    if (!page) return c.notFound();
    // The sections right below the page (e.g. /banenafspraak/nieuws below /banenafspraak/).
    const sections: ChildLink[] = [...map.sections]
      .filter(([sectionPath]) => parentKey(sectionPath) === key)
      .map(([sectionPath, title]) => ({ path: sectionPath, title, excerpt: '' }));
    const trail = breadcrumbTrail(
      ancestors.map((a) => ({ title: a.title, path: a.path })),
      { title: page.title, path: page.path },
    );
    // Its own tag (a child's change purges its parent's), its ancestors' (their titles are in the
    // breadcrumbs), the site's (sidebar, menu), and `pages` when it lists sections.
    describeContent(c, version, [
      tags.site,
      ...(sections.length > 0 ? [tags.pages] : []),
      ...ancestors.map((a) => tags.page(a.key)),
      tags.page(key),
    ]);
    const description = page.excerpt || `${page.title} — ${SITE_NAME}`;
    return c.render(<ContentPage page={page} trail={trail} below={[...children, ...sections]} />, {
      title: page.title,
      description: truncate(description, 160),
      path: page.path,
      section: page.path,
      page: { trail, updatedAt: page.updatedAt },
      sidebar: page.sidebar ? sidebar : null,
      menu,
    });
  }

  return new Hono()
    .get(DEFAULT_SECTION, (c) => sectionList(c, DEFAULT))
    .get(
      `${DEFAULT_SECTION}/:date/:slug`,
      vValidator('param', ArticleParams, (result, c) => (result.success ? undefined : c.notFound())),
      (c) => sectionArticle(c, DEFAULT, c.req.valid('param').date, c.req.valid('param').slug),
    )
    .get('*', async (c) => {
      const map = await addresses.get();
      // Without the map nothing can be told apart; a stored copy of the page may still answer.
      if (!map) throw new DatabaseUnavailable('the site map cannot be read');
      const path = c.req.path;
      if (map.pages.get(addressKey(path))?.path === path) return contentPage(c, map, path);
      const title = map.sections.get(path);
      if (title) return sectionList(c, { path, title });
      if (path.endsWith(FEED)) {
        const sectionPath = path.slice(0, -FEED.length);
        const feedTitle = map.sections.get(sectionPath);
        if (feedTitle) return sectionFeed(c, { path: sectionPath, title: feedTitle });
      }
      const [, sectionPath = '', date = '', slug = ''] = ARTICLE_PATH.exec(path) ?? [];
      const sectionTitle = map.sections.get(sectionPath);
      if (sectionTitle && v.is(ArticleParams, { date, slug })) {
        return sectionArticle(c, { path: sectionPath, title: sectionTitle }, date, slug);
      }
      return c.notFound();
    });
}
