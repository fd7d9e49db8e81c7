import { Hono } from 'hono';
import { tags } from '../../schema/cache-tags.ts';
import { rfc822 } from '../../schema/dates.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { escapeMarkup } from '../lib/escape-markup.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { type ArticleDetail, listFeedArticles } from '../queries/articles.ts';
import { sectionTitles } from '../queries/chrome.ts';
import { listSitemapEntries } from '../queries/pages.ts';
import { articlePath, paths, SITE_NAME, SITE_TAGLINE } from '../site.ts';
import { ArticleBody } from '../views/components.tsx';

// XML is written with one escaping tagged template: hono/jsx renders HTML (void <link>, no XML
// declaration), which is not what RSS and sitemaps need. Every interpolated value is escaped.
class Xml {
  value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString() {
    return this.value;
  }
}
function xml(strings: TemplateStringsArray, ...values: unknown[]): Xml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      out += part instanceof Xml ? part.value : escapeMarkup(String(part ?? ''));
    }
    out += strings[i + 1] ?? '';
  });
  return new Xml(out);
}

/**
 * Plain text as HTML for an RSS element that readers render as HTML. RSS 2.0 says `<description>` is
 * "entity-encoded HTML", and most readers treat `<title>` the same: they decode the XML and render what
 * remains. Escaped once (for XML) an article's own `<script>` or `<a href="javascript:…">` would reach
 * them as markup; escaped here for HTML and then by `xml` for XML, they read the text as written, as
 * `content:encoded` (HTML rendered by ArticleBody, then escaped by `xml`) already does.
 */
const asHtml = (text: string): Xml => new Xml(escapeMarkup(escapeMarkup(text)));

/** RFC 9116 §2.5.5: Expires SHOULD be less than a year away; the file renews itself. */
const SECURITY_TXT_DAYS = 180;

/** SECURITY_CONTACT as an RFC 9116 Contact URI: a bare e-mail address becomes a mailto:. */
function securityContact(configured: string | undefined, siteUrl: string): string {
  const value = configured?.trim();
  if (!value) return `mailto:security@${new URL(siteUrl).hostname.replace(/^www\./, '')}`;
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `mailto:${value}`;
}

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';
/** How many of the newest articles a feed carries. */
export const FEED_SIZE = 20;

/**
 * An RSS 2.0 feed of `articles` with their full content. With more than one section, each item
 * names its section's title as `<category>`, so a reader can tell (and filter) them.
 */
export async function rssFeed(feed: {
  siteUrl: string;
  articles: ArticleDetail[];
  /** Every section's title by path (queries/chrome.ts, sectionTitles). */
  sections: Map<string, string>;
  title: string;
  /** The page the feed is of, and the feed's own path. */
  link: string;
  self: string;
}): Promise<string> {
  const { siteUrl, articles, sections } = feed;
  const items = await Promise.all(
    articles.map(async (a) => {
      const link = `${siteUrl}${articlePath(a)}`;
      const html = await (<ArticleBody body={a.body} origin={siteUrl} />).toString();
      const category = sections.get(a.section);
      return xml`
    <item>
      <title>${asHtml(a.title)}</title>
      <link>${link}</link>
      <guid isPermaLink="true">${link}</guid>
      <pubDate>${rfc822(a.publishedAt)}</pubDate>${
        category
          ? xml`
      <category>${category}</category>`
          : ''
      }
      <description>${asHtml(a.excerpt)}</description>
      <content:encoded>${html}</content:encoded>
    </item>`;
    }),
  );
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${feed.title}</title>
    <link>${siteUrl}${feed.link}</link>
    <atom:link href="${siteUrl}${feed.self}" rel="self" type="application/rss+xml"/>
    <description>Nieuws van ${SITE_NAME} (${SITE_TAGLINE})</description>
    <language>nl-NL</language>
    ${articles[0] ? xml`<lastBuildDate>${rfc822(articles[0].updatedAt)}</lastBuildDate>` : ''}${items}
  </channel>
</rss>
`.value;
}

export function feedRoutes(deps: AppDeps) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  return new Hono()
    .get(paths.feed, async (c) => {
      const { articles, sections, version } = await query(listFeedArticles(db, FEED_SIZE, todayOf(deps)));
      describeContent(c, version, [tags.articles]);
      const body = await rssFeed({
        siteUrl,
        articles,
        sections: sectionTitles(sections),
        title: `${SITE_NAME} — Nieuws`,
        link: '/',
        self: paths.feed,
      });
      return c.body(body, 200, { 'Content-Type': RSS_TYPE });
    })
    .get(paths.sitemap, async (c) => {
      const { articles, pages, sections, siteUpdatedAt, version } = await query(
        listSitemapEntries(db, todayOf(deps)),
      );
      describeContent(c, version, [tags.site, tags.pages, tags.articles]);
      const newest = articles.reduce<string | null>(
        (max, a) => (max && max > a.updatedAt ? max : a.updatedAt),
        null,
      );
      const newestIn = (section: string) =>
        articles.find((a) => a.section === section)?.updatedAt ?? siteUpdatedAt;
      const lastmod = (value: string | null) => (value ? xml`<lastmod>${value}</lastmod>` : '');
      // Every address a crawl should find: the fixed pages, every section's list, every content
      // page (virtual indexes too: the breadcrumbs lead there) and every article.
      const entries = [
        { path: paths.home, updated: newest },
        { path: paths.news, updated: newestIn(paths.news) },
        ...sections.map((s) => ({ path: s.path, updated: newestIn(s.path) })),
        { path: paths.participants, updated: siteUpdatedAt },
        { path: paths.about, updated: siteUpdatedAt },
        { path: paths.featured, updated: siteUpdatedAt },
        ...pages.map((p) => ({ path: p.path, updated: p.updatedAt })),
      ];
      const urls = [
        ...entries.map(
          (p) => xml`
  <url><loc>${siteUrl}${p.path}</loc>${lastmod(p.updated)}</url>`,
        ),
        ...articles.map(
          (a) => xml`
  <url><loc>${siteUrl}${articlePath(a)}</loc>${lastmod(a.updatedAt)}</url>`,
        ),
      ];
      const body = xml`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}
</urlset>
`;
      return c.body(body.value, 200, { 'Content-Type': 'application/xml; charset=utf-8' });
    })
    .get('/.well-known/security.txt', (c) => {
      // Whole days, so that every copy made on one day is the same.
      const day = 86_400_000;
      const expires = new Date((Math.floor(Date.now() / day) + SECURITY_TXT_DAYS) * day).toISOString();
      return c.text(
        [
          `Contact: ${securityContact(deps.securityContact, siteUrl)}`,
          `Expires: ${expires}`,
          'Preferred-Languages: nl, en',
          `Canonical: ${siteUrl}/.well-known/security.txt`,
          '',
        ].join('\n'),
        200,
        { 'Content-Type': 'text/plain; charset=utf-8' },
      );
    })
    .get('/robots.txt', (c) =>
      c.text(
        `User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: ${paths.share}/\n\nSitemap: ${siteUrl}${paths.sitemap}\n`,
      ),
    );
}
