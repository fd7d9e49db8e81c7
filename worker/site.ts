// Names and addresses that every part of the site shares. The name and tagline come from
// schema/brand.ts, which the social cards of the pipeline draw too.
import { DEFAULT_SECTION } from '../schema/addresses.ts';
import { SITE_NAME } from '../schema/brand.ts';

export { SITE_NAME, SITE_TAGLINE } from '../schema/brand.ts';

export const paths = {
  home: '/',
  news: DEFAULT_SECTION,
  participants: '/participanten',
  about: '/over-vso',
  featured: '/zelfstandige-publieke-werkgevers',
  search: '/zoeken',
  feed: '/feed.xml',
  sitemap: '/sitemap.xml',
  share: '/deel',
  oembed: '/oembed',
  cards: '/og',
} as const;

export const navigation = [
  { label: 'Home', path: paths.home },
  { label: 'Nieuws', path: paths.news },
  { label: 'Participanten', path: paths.participants },
  { label: `Over ${SITE_NAME}`, path: paths.about },
  { label: 'Zelfstandige Publieke Werkgevers', path: paths.featured },
  { label: 'Zoeken', path: paths.search },
] as const;

// The original site's article URLs, kept: {section}/{YYYY-MM-DD}/{slug}, the section
// /banenafspraak/nieuws unless the article names another.
export { articlePath } from '../schema/addresses.ts';

export const NEWS_PAGE_SIZE = 10;
export const HOME_PAGE_SIZE = 10;
export const MAX_QUERY_LENGTH = 200;
/**
 * The length of a search query as sent, in Unicode code points: what JSON Schema's maxLength counts,
 * so that the API's document states the check exactly. Pages and the API count alike.
 */
export const queryLength = (q: string) => [...q].length;
export const SEARCH_PAGE_SIZE = 10;
/** The search page for a query (and a page of its results). */
export const searchPath = (q: string, page = 1) =>
  `${paths.search}?q=${encodeURIComponent(q)}${page > 1 ? `&pagina=${page}` : ''}`;

/** The social card of an article; the content hash in the name lets it be cached forever. */
export const cardPath = (slug: string, hash: string) => `${paths.cards}/${slug}.${hash}.png`;
