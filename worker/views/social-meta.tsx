import type { Block } from '../../schema/blocks.ts';
import { CARD_HEIGHT, CARD_WIDTH } from '../../schema/card-size.ts';
import { formatDate } from '../../schema/dates.ts';
import { assets } from '../assets-manifest.ts';
import { paths, SITE_NAME, SITE_TAGLINE } from '../site.ts';

/** What link previews need of an article page. */
export interface ArticleMeta {
  title: string;
  publishedAt: string;
  updatedAt: string;
  /** Path of the article's social card (/og/{slug}.{hash}.png), or null for the site card. */
  cardPath: string | null;
  /** The article's share image (front matter `share_image: true`): shown instead of its card. */
  shareImage?: ShareImage | null;
}

type ShareImage = NonNullable<NonNullable<Extract<Block, { type: 'image' }>['media']>['share']>;

/** The share image an article's body carries (at most one image has one), or null. */
export function shareImageOf(body: readonly Block[]): ShareImage | null {
  for (const block of body) if (block.type === 'image' && block.media?.share) return block.media.share;
  return null;
}

/** What link previews and search engines need of a content page: JSON-LD WebPage + BreadcrumbList. */
export interface ContentPageMeta {
  /** The breadcrumbs, Home first, the page last (paths of this site). */
  trail: { title: string; path: string }[];
  updatedAt: string;
}

export interface SocialMetaProps {
  siteUrl: string;
  /** Title without the site name (og:title, JSON-LD headline). */
  title: string;
  description: string;
  /** Absolute canonical URL; null for pages that have none (404, errors, search results). */
  url: string | null;
  article?: ArticleMeta;
  page?: ContentPageMeta;
}

const CARD = { width: String(CARD_WIDTH), height: String(CARD_HEIGHT), type: 'image/png' } as const;

/**
 * JSON for a <script> element: `<` (and `>`, `&`, U+2028/9) as \u escapes, so that no text from a
 * document can close the element or open a comment. hono/jsx would HTML-escape the children of a
 * script, which corrupts JSON, hence the one dangerouslySetInnerHTML of the site, on escaped JSON.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Open Graph, Twitter card, JSON-LD and oEmbed discovery: everything unfurlers read (which reads
 * what: docs/link-previews.md). Every URL is absolute and built from SITE_URL.
 */
export function SocialMeta(props: SocialMetaProps) {
  const { siteUrl, article, page } = props;
  // Articles always have their canonical URL; the fallback only satisfies the type.
  const canonical = props.url ?? `${siteUrl}/`;
  const share = article?.shareImage;
  const image = share
    ? {
        url: `${siteUrl}${share.url}`,
        alt: article.title,
        type: 'image/jpeg',
        width: String(share.width),
        height: String(share.height),
      }
    : article?.cardPath
      ? { ...CARD, url: `${siteUrl}${article.cardPath}`, alt: `${article.title} — ${SITE_NAME}` }
      : { ...CARD, url: `${siteUrl}${assets.card}`, alt: `${SITE_NAME} — ${SITE_TAGLINE}` };
  const logo = `${siteUrl}${assets.logo}`;
  const publisher = {
    '@type': 'Organization',
    name: SITE_NAME,
    url: `${siteUrl}/`,
    logo: { '@type': 'ImageObject', url: logo },
  };
  return (
    <>
      <meta property="og:site_name" content={SITE_NAME} />
      <meta property="og:locale" content="nl_NL" />
      <meta property="og:type" content={article ? 'article' : 'website'} />
      <meta property="og:title" content={props.title} />
      <meta property="og:description" content={props.description} />
      {props.url && <meta property="og:url" content={props.url} />}
      <meta property="og:image" content={image.url} />
      <meta property="og:image:secure_url" content={image.url} />
      <meta property="og:image:type" content={image.type} />
      <meta property="og:image:width" content={image.width} />
      <meta property="og:image:height" content={image.height} />
      <meta property="og:image:alt" content={image.alt} />
      {article && <meta property="article:published_time" content={article.publishedAt} />}
      {article && <meta property="article:modified_time" content={article.updatedAt} />}
      <meta name="twitter:card" content="summary_large_image" />
      {article && <meta name="twitter:label1" content="Gepubliceerd" />}
      {article && <meta name="twitter:data1" content={formatDate(article.publishedAt)} />}
      {article && (
        <link
          rel="alternate"
          type="application/json+oembed"
          href={`${siteUrl}${paths.oembed}?url=${encodeURIComponent(canonical)}&format=json`}
          title={article.title}
        />
      )}
      {article && (
        <script
          type="application/ld+json"
          // Escaped JSON, see scriptJson: the only raw HTML of the site.
          dangerouslySetInnerHTML={{
            __html: scriptJson({
              '@context': 'https://schema.org',
              '@type': 'NewsArticle',
              headline: props.title,
              description: props.description,
              datePublished: article.publishedAt,
              dateModified: article.updatedAt,
              image: [image.url],
              inLanguage: 'nl',
              url: canonical,
              mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
              author: { '@type': 'Organization', name: SITE_NAME, url: `${siteUrl}/` },
              publisher,
            }),
          }}
        />
      )}
      {page && (
        <script
          type="application/ld+json"
          // Escaped JSON, see scriptJson.
          dangerouslySetInnerHTML={{
            __html: scriptJson({
              '@context': 'https://schema.org',
              '@type': 'WebPage',
              '@id': canonical,
              url: canonical,
              name: props.title,
              description: props.description,
              dateModified: page.updatedAt,
              inLanguage: 'nl',
              image: [image.url],
              isPartOf: { '@type': 'WebSite', name: SITE_NAME, url: `${siteUrl}/` },
              publisher,
              breadcrumb: {
                '@type': 'BreadcrumbList',
                itemListElement: page.trail.map((crumb, i) => ({
                  '@type': 'ListItem',
                  position: i + 1,
                  name: crumb.title,
                  item: `${siteUrl}${crumb.path}`,
                })),
              },
            }),
          }}
        />
      )}
    </>
  );
}
