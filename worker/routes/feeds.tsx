import { Hono } from 'hono';
import { tags } from '../../schema/cache-tags.ts';
import { rfc822 } from '../../schema/dates.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { escapeMarkup } from '../lib/escape-markup.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { listFeedArticles, listSitemapEntries } from '../queries/articles.ts';
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

export function feedRoutes(deps: AppDeps) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  return new Hono()
    .get(paths.feed, async (c) => {
      const { articles, version } = await query(listFeedArticles(db, 20, todayOf(deps)));
      describeContent(c, version, [tags.articles]);
      const items = await Promise.all(
        articles.map(async (a) => {
          const link = `${siteUrl}${articlePath(a)}`;
          const html = await (<ArticleBody body={a.body} />).toString();
          return xml`
    <item>
      <title>${asHtml(a.title)}</title>
      <link>${link}</link>
      <guid isPermaLink="true">${link}</guid>
      <pubDate>${rfc822(a.publishedAt)}</pubDate>
      <description>${asHtml(a.excerpt)}</description>
      <content:encoded>${html}</content:encoded>
    </item>`;
        }),
      );
      const body = xml`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${SITE_NAME} — Nieuws</title>
    <link>${siteUrl}/</link>
    <atom:link href="${siteUrl}${paths.feed}" rel="self" type="application/rss+xml"/>
    <description>Nieuws van ${SITE_NAME} (${SITE_TAGLINE})</description>
    <language>nl-NL</language>
    ${articles[0] ? xml`<lastBuildDate>${rfc822(articles[0].updatedAt)}</lastBuildDate>` : ''}${items}
  </channel>
</rss>
`;
      return c.body(body.value, 200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
    })
    .get(paths.sitemap, async (c) => {
      const { articles, siteUpdatedAt, version } = await query(listSitemapEntries(db, todayOf(deps)));
      describeContent(c, version, [tags.site, tags.articles]);
      const newest = articles.reduce<string | null>(
        (max, a) => (max && max > a.updatedAt ? max : a.updatedAt),
        null,
      );
      const lastmod = (value: string | null) => (value ? xml`<lastmod>${value}</lastmod>` : '');
      const pages = [
        { path: paths.home, updated: newest },
        { path: paths.news, updated: newest },
        { path: paths.participants, updated: siteUpdatedAt },
        { path: paths.about, updated: siteUpdatedAt },
        { path: paths.featured, updated: siteUpdatedAt },
      ];
      const urls = [
        ...pages.map(
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
