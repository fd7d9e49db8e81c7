import { vValidator } from '@hono/valibot-validator';
import { Hono } from 'hono';
import * as v from 'valibot';
import { ARTICLE_PATH, addressKey, DEFAULT_SECTION } from '../../schema/addresses.ts';
import { tags } from '../../schema/cache-tags.ts';
import { CARD_HEIGHT, CARD_WIDTH } from '../../schema/card-size.ts';
import { SLUG_MAX_LENGTH, SLUG_SOURCE } from '../../schema/slug.ts';
import { apiError } from '../api-error.ts';
import { assets } from '../assets-manifest.ts';
import { describeContent } from '../cache/edge-cache.ts';
import type { AppDeps } from '../deps.ts';
import { todayOf } from '../lib/publication.ts';
import { databaseCall } from '../lib/timeout.ts';
import { getArticleRef, getSocialCard } from '../queries/articles.ts';
import { cardPath, paths, SITE_NAME } from '../site.ts';

const CARD_FILE = new RegExp(`^(${SLUG_SOURCE})\\.([0-9a-f]{16})\\.png$`);
const CardParams = v.object({
  file: v.pipe(v.string(), v.maxLength(SLUG_MAX_LENGTH + '.0123456789abcdef.png'.length), v.regex(CARD_FILE)),
});

/** An article URL taken apart (its section, date and slug), a trailing slash allowed. */
const articleUrl = (path: string) => {
  const [, section = '', , slug = ''] = ARTICLE_PATH.exec(addressKey(path)) ?? [];
  return slug ? { section, slug } : null;
};
const dimension = v.optional(v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number)));
// oEmbed 1.0 §2.2: url is required, format and the size limits optional.
const OEmbedQuery = v.object({
  url: v.pipe(v.string('url is required'), v.maxLength(2048, 'url is too long')),
  // The two formats oEmbed defines; anything else is bad input (400).
  format: v.optional(v.picklist(['json', 'xml'])),
  maxwidth: dimension,
  maxheight: dimension,
});

/** The social cards (`/og/{slug}.{hash}.png`) and oEmbed (`/oembed?url=…`) for unfurlers. */
export function socialRoutes(deps: AppDeps) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);
  const origin = new URL(siteUrl).origin;

  return new Hono()
    .get(
      `${paths.cards}/:file`,
      vValidator('param', CardParams, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const [, slug = '', hash] = CARD_FILE.exec(c.req.valid('param').file) ?? [];
        const card = await query(getSocialCard(db, slug, todayOf(deps)));
        if (!card) return c.notFound();
        // An older card (the title changed): send the crawler to the current one. A former slug
        // moves for good (301); a new hash under the same slug may move again (302).
        if (card.slug !== slug) return c.redirect(cardPath(card.slug, card.hash), 301);
        if (card.hash !== hash) {
          c.header('Cache-Control', 'public, max-age=300');
          return c.redirect(cardPath(slug, card.hash), 302);
        }
        return c.body(card.png, 200, {
          'Content-Type': 'image/png',
          'Cache-Control': 'public, max-age=31536000, immutable',
        });
      },
    )
    .get(
      paths.oembed,
      vValidator('query', OEmbedQuery, (result, c) =>
        result.success ? undefined : apiError(c, 400, 'invalid_request', 'De aanvraag is ongeldig.'),
      ),
      async (c) => {
        const { url, format, maxwidth, maxheight } = c.req.valid('query');
        // oEmbed §2.3.5: a format the provider does not offer is 501 Not Implemented.
        if (format === 'xml') {
          return apiError(c, 501, 'not_implemented', 'Alleen format=json.');
        }
        const target = URL.canParse(url) ? new URL(url) : null;
        const asked = target?.origin === origin ? articleUrl(target.pathname) : null;
        const { article, version } = asked
          ? await query(getArticleRef(db, asked.slug, todayOf(deps)))
          : { article: null, version: null };
        // Any date, and its own section or the default one: the article page answers those with a
        // 301 to its URL, so the URL is the article's all the same. (Another section's 301 needs
        // the site map, which this route does not read: those URLs are not the article's here.)
        if (!article || (asked?.section !== article.section && asked?.section !== DEFAULT_SECTION)) {
          return apiError(c, 404, 'not_found', 'Geen artikel van deze site.');
        }
        describeContent(c, version, [tags.article(article.slug)]);
        const thumbnail = article.cardHash ? cardPath(article.slug, article.cardHash) : assets.card;
        // oEmbed §2.3.4: a thumbnail must respect maxwidth and maxheight; ours has one size.
        const fits = (maxwidth ?? CARD_WIDTH) >= CARD_WIDTH && (maxheight ?? CARD_HEIGHT) >= CARD_HEIGHT;
        return c.json({
          version: '1.0',
          type: 'link',
          title: article.title,
          author_name: SITE_NAME,
          author_url: `${siteUrl}/`,
          provider_name: SITE_NAME,
          provider_url: `${siteUrl}/`,
          cache_age: 86400,
          ...(fits && {
            thumbnail_url: `${siteUrl}${thumbnail}`,
            thumbnail_width: CARD_WIDTH,
            thumbnail_height: CARD_HEIGHT,
          }),
        });
      },
    );
}
