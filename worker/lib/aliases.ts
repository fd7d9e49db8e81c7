import type { Context } from 'hono';
import type { ContentVersions } from '../cache/content-version.ts';
import type { AppDeps } from '../deps.ts';
import { listAliases } from '../queries/articles.ts';
import { articlePath } from '../site.ts';
import { todayOf } from './publication.ts';
import { withTimeout } from './timeout.ts';

/**
 * The addresses editors listed for articles (their aliases), answered with a 301 to the article.
 * Asked only for a path no route knows, so every unknown path would cost a database round trip; the
 * whole table (small: a few per article at most) is kept per isolate instead, and read again only
 * when the content version or the day changes. Only values are kept, never a shared promise:
 * workerd does not let one request wait on another's I/O.
 */
export function aliasRedirects(deps: AppDeps, versions: ContentVersions) {
  let known: { version: string; today: string; targets: Map<string, string> } | null = null;

  return {
    /** The 301 for the request's path when it is an alias of a public article; null otherwise. */
    async redirect(c: Context): Promise<Response | null> {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return null;
      const today = todayOf(deps);
      const current = versions.current?.id;
      if (!known || known.today !== today || (current !== undefined && known.version !== current)) {
        try {
          const { aliases, version } = await withTimeout(listAliases(deps.db, today), deps.dbTimeoutMs);
          versions.observe(version);
          const targets = new Map(aliases.map((alias) => [alias.path, articlePath(alias)]));
          known = { version: version?.id ?? '', today, targets };
        } catch (error) {
          // The database is away or slow: the 404 page, as for any unknown path.
          console.error('aliases: cannot read them:', error instanceof Error ? error.message : error);
          return null;
        }
      }
      // Always a path of this site, built from the article's date and slug.
      const target = known.targets.get(new URL(c.req.url).pathname);
      return target ? c.redirect(target, 301) : null;
    },
  };
}
export type AliasRedirects = ReturnType<typeof aliasRedirects>;
