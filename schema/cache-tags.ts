/**
 * Cache tags: what a response shows, so that publishing can purge exactly what changed. The Worker
 * sets them as Cache-Tag (worker/cache/edge-cache.ts) and the pipeline purges by them after a seed
 * (pipeline/seed-database.ts); both read them here, since a name that differs between the two
 * silently stops a purge from reaching the pages it should.
 */
export const tags = {
  /** The sidebar (about, featured, participants) and the menu: every page. */
  site: 'site',
  /** Lists of pages: the sitemap, search. */
  pages: 'pages',
  /** One page by its address key (schema/addresses.ts): its page and API answer, and the list of
   * children of its parent (a child's change purges its parent's tag too). */
  page: (key: string) => `page:${key}`,
  /** Lists of articles (home, news, feed, sitemap, search) and neighbour links. */
  articles: 'articles',
  /** One article: its page, its API answer and its share card. */
  article: (slug: string) => `article:${slug}`,
} as const;
