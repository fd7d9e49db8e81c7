import type { Context } from 'hono';
import { addressKey, articlePath } from '../../schema/addresses.ts';
import type { ContentVersions } from '../cache/content-version.ts';
import type { AppDeps } from '../deps.ts';
import type { MenuItem } from '../queries/chrome.ts';
import { sectionTitles } from '../queries/chrome.ts';
import { listSiteAddresses } from '../queries/pages.ts';
import { todayOf } from './publication.ts';
import { withTimeout } from './timeout.ts';

/** What the site map knows of one content version and day: values only. */
export interface SiteMapData {
  version: string;
  today: string;
  /** Public pages by key (the path without its trailing slash): the path as served and the title. */
  pages: Map<string, { path: string; title: string }>;
  /** Every news section's title by its path, the default section included. */
  sections: Map<string, string>;
  /** Article aliases: path → the article's URL (answered with a relative Location, as always). */
  aliases: Map<string, string>;
  /** Former addresses and aliases of pages, and redirects.yaml: key → a path of this site. */
  moved: Map<string, string>;
  menu: MenuItem[] | null;
}

/**
 * Every address the site answers besides its fixed routes, kept per isolate: the pages and their
 * earlier addresses, the sections, the redirects and the article aliases. Routing with it, a path
 * that is no page (a 404, a redirect, a trailing slash) is answered without a database round trip,
 * and a page costs one batch, its own.
 *
 * What it costs, honestly: the map is read in one batch (one round trip) the first time an isolate
 * needs it, and again once per content version and day: the first request for a content page, a
 * section other than the default one, a trailing slash or an unknown path in a new isolate (or
 * after a publish, or at midnight) makes that one round trip before its own (a page: two in all).
 * The fixed routes (home, the default section and its articles, search, feeds) never need it.
 * Only values are kept, never a shared promise: workerd does not let one request wait on another's
 * I/O, so two first requests each read it.
 */
export function siteMap(deps: AppDeps, versions: ContentVersions) {
  let known: SiteMapData | null = null;

  const isCurrent = (map: SiteMapData, today: string) => {
    const current = versions.current?.id;
    return map.today === today && (current === undefined || map.version === current);
  };

  /** The map of the current version, read when this isolate does not have it; null when it cannot be read. */
  async function get(): Promise<SiteMapData | null> {
    const today = todayOf(deps);
    if (known && isCurrent(known, today)) return known;
    try {
      const read = await withTimeout(listSiteAddresses(deps.db, today), deps.dbTimeoutMs);
      versions.observe(read.version);
      known = {
        version: read.version?.id ?? '',
        today,
        pages: new Map(read.pages.map((page) => [page.key, { path: page.path, title: page.title }])),
        sections: sectionTitles(read.sections),
        aliases: new Map(read.aliases.map((alias) => [alias.path, articlePath(alias)])),
        // Only paths of this site, whatever a row holds: never `//host` or a scheme.
        moved: new Map(
          read.moved.filter((row) => /^\/(?!\/)/.test(row.target)).map((row) => [row.path, row.target]),
        ),
        menu: read.menu,
      };
      return known;
    } catch (error) {
      // The database is away or slow: the last map this isolate read, if any, beats none.
      console.error('site map: cannot read it:', error instanceof Error ? error.message : error);
      return known;
    }
  }

  return {
    get,
    /** The map this isolate has, without reading it (the menu of the 404 page); null when it has none. */
    peek: (): SiteMapData | null => known,
    /**
     * The 301 for the request's path when it is an earlier address: an article alias, a page's
     * earlier address or alias, a redirect, or a page's path in its other form (with or without
     * the slash). Both forms of an earlier address answer. Null otherwise.
     */
    async redirect(c: Context): Promise<Response | null> {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return null;
      const map = await get();
      if (!map) return null;
      const url = new URL(c.req.url);
      const target = movedTarget(map, url.pathname);
      if (!target) return null;
      // Article aliases answer a relative Location, as they always have; the rest SITE_URL's.
      return c.redirect(`${target.relative ? '' : deps.siteUrl}${target.path}${url.search}`, 301);
    },
  };
}
export type SiteMap = ReturnType<typeof siteMap>;

/** Where an earlier address leads (a path of this site), or null. */
export function movedTarget(map: SiteMapData, path: string): { path: string; relative: boolean } | null {
  const key = addressKey(path);
  const alias = map.aliases.get(key);
  if (alias) return { path: alias, relative: true };
  const page = map.pages.get(key);
  if (page) return page.path === path ? null : { path: page.path, relative: false };
  const moved = map.moved.get(key);
  return moved && moved !== path ? { path: moved, relative: false } : null;
}
