import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../schema/slug.ts';
import type { AppDeps } from '../app.tsx';
import { inBackground } from '../lib/background.ts';
import type { ContentVersions } from '../lib/content-version.ts';
import { isCountedAgent, NETWORKS, type Network, parseInstance, shareIntent } from '../lib/share.ts';
import { databaseCall } from '../lib/timeout.ts';
import { type ArticleRef, getArticleRef, incrementShare } from '../queries.ts';
import { articlePath, paths } from '../site.ts';
import { MastodonSharePage } from '../views/pages.tsx';

// Anything else under /deel/ is the 404 page: a share link is either exactly right or not ours.
const ShareParams = v.object({
  slug: v.pipe(v.string(), v.maxLength(SLUG_MAX_LENGTH), v.regex(SLUG_PATTERN)),
  network: v.picklist(NETWORKS),
});
const MastodonQuery = v.object({ instance: v.optional(v.pipe(v.string(), v.maxLength(300))) });

/**
 * "Deel dit artikel": `GET /deel/{slug}/{network}` → 302 to the network's share intent, counted in
 * the background. Mastodon first asks for the visitor's own instance.
 */
export function shareRoutes(deps: AppDeps, versions: ContentVersions) {
  const { db, siteUrl } = deps;
  const query = databaseCall(deps.dbTimeoutMs);

  // A shared link brings bursts of share clicks for one article: lookups are remembered while the
  // content version this isolate knows stays the same (a new title comes with a new version). Only
  // values are kept, never promises: workerd does not let one request wait on another's I/O.
  let lookupsOf = '';
  const lookups = new Map<string, ArticleRef | null>();
  const lookup = async (slug: string): Promise<ArticleRef | null> => {
    const known = versions.current?.id ?? '';
    if (known !== lookupsOf || lookups.size > 1000) {
      lookups.clear();
      lookupsOf = known;
    }
    const remembered = lookups.get(slug);
    if (remembered !== undefined) return remembered;
    const { article, version } = await query(getArticleRef(db, slug));
    versions.observe(version);
    if (version?.id === lookupsOf) lookups.set(slug, article);
    return article;
  };

  /** One share by a person: not for HEAD (link checkers) and not for crawlers and preview fetchers. */
  const count = (c: Context, articleId: number, network: Network) => {
    if (c.req.method !== 'GET' || !isCountedAgent(c.req.header('User-Agent'))) return;
    inBackground(c, `share count ${network}`, incrementShare(db, articleId, network));
  };

  return new Hono()
    .use(`${paths.share}/*`, async (c, next) => {
      await next();
      // Every answer here is personal and fleeting: never cached, never indexed.
      c.res.headers.set('Cache-Control', 'no-store');
      c.res.headers.set('X-Robots-Tag', 'noindex');
    })
    .get(
      `${paths.share}/:slug/:network`,
      vValidator('param', ShareParams, (result, c) => (result.success ? undefined : c.notFound())),
      vValidator('query', MastodonQuery, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const { slug, network } = c.req.valid('param');
        const article = await lookup(slug);
        if (!article) return c.notFound();
        const target = { url: `${siteUrl}${articlePath(article)}`, title: article.title };

        if (network === 'mastodon') {
          const input = c.req.valid('query').instance;
          const instance = input === undefined ? null : parseInstance(input);
          if (!instance) {
            if (input !== undefined) c.status(400);
            return c.render(
              <MastodonSharePage
                action={`${paths.share}/${slug}/mastodon`}
                article={target}
                instance={input ?? ''}
                invalid={input !== undefined}
              />,
              {
                title: 'Delen op Mastodon',
                description: `Deel “${article.title}” op uw eigen Mastodon-server.`,
                path: `${paths.share}/${slug}/mastodon`,
                noindex: true,
                shareScript: true,
                sidebar: null,
              },
            );
          }
          count(c, article.id, network);
          return c.redirect(shareIntent(network, target, instance), 302);
        }

        count(c, article.id, network);
        return c.redirect(shareIntent(network, target), 302);
      },
    );
}
