import { CRAWLERS } from '../../pipeline/crawlers.ts';

/** User agents of the link-preview fetchers that must get every page and never count as a share. */
export const CRAWLER_AGENTS = CRAWLERS.map((crawler) => crawler.userAgent);
