import { vValidator } from '@hono/valibot-validator';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { Slug } from '../../schema/slug.ts';
import type { ContentVersions } from '../cache/content-version.ts';
import type { AppDeps } from '../deps.ts';
import { inBackground } from '../lib/background.ts';
import { todayOf } from '../lib/publication.ts';
import {
  isCountedAgent,
  isSpeculative,
  NETWORKS,
  type Network,
  parseInstance,
  shareIntent,
  shareLimitKey,
} from '../lib/share-networks.ts';
import { databaseCall } from '../lib/timeout.ts';
import { type ArticleRef, getArticleRef } from '../queries/articles.ts';
import { addShares } from '../queries/shares.ts';
import { articlePath, paths } from '../site.ts';
import { ForbiddenPage, MastodonSharePage } from '../views/page-views.tsx';

// Anything else under /deel/ is the 404 page: a share link is either exactly right or not ours.
const ShareParams = v.object({
  slug: Slug,
  network: v.picklist(NETWORKS),
});
/** What a visitor types as their Mastodon server; parseInstance decides whether it is a host name. */
const Instance = v.pipe(v.string(), v.maxLength(300));
const MastodonQuery = v.object({ instance: v.optional(Instance) });
const MastodonForm = v.object({ instance: v.optional(Instance, '') });
const MastodonParams = v.object({ slug: Slug });

/**
 * Whether a POST comes from a page of this site (the Mastodon form): `Origin` (RFC 6454, sent by
 * every browser with a form POST) is SITE_URL's origin, or, without one, `Sec-Fetch-Site` (Fetch
 * Metadata) says same-origin. Another site cannot forge either in a visitor's browser, so it cannot
 * make our URL redirect its visitors to a host of its choosing.
 */
function fromOurForm(c: Context, origin: string): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin') return false;
  const from = c.req.header('Origin');
  return from === undefined ? site === 'same-origin' : from === origin;
}

/**
 * "Deel dit artikel": `GET /deel/{slug}/{network}` → 302 to the network's share intent, counted in
 * the background. Mastodon first asks for the visitor's own instance: `GET` shows the form (filled
 * in from `?instance=`), and only the form's own `POST` redirects to that instance.
 */
export function shareRoutes(deps: AppDeps, versions: ContentVersions) {
  const { db, siteUrl } = deps;
  const origin = new URL(siteUrl).origin;
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
    const { article, version } = await query(getArticleRef(db, slug, todayOf(deps)));
    versions.observe(version);
    if (version?.id === lookupsOf) lookups.set(slug, article);
    return article;
  };

  /**
   * One share by a person: not for HEAD (link checkers), crawlers, preview fetchers, or prefetches
   * and prerenders; at most SHARE_LIMITER's limit per client and article a minute. Sent to the
   * queue, which writes it when the database can take it; without a queue (or when sending fails)
   * it is written at once.
   */
  const count = (c: Context, slug: string, network: Network) => {
    if (c.req.method === 'HEAD' || !isCountedAgent(c.req.header('User-Agent'))) return;
    if (isSpeculative(c.req.raw.headers)) return;
    const clientIp = c.req.header('CF-Connecting-IP') ?? '';
    inBackground(
      c,
      `share count ${network}`,
      (async () => {
        if (deps.shareLimiter) {
          // A limiter that fails lets the share through: a lost count is worse than one extra.
          const allowed = await deps.shareLimiter
            .limit({ key: await shareLimitKey(clientIp, slug) })
            .then((outcome) => outcome.success)
            .catch((error: unknown) => {
              console.error('share limiter failed, counting anyway:', error);
              return true;
            });
          if (!allowed) return;
        }
        if (deps.shareQueue) {
          try {
            await deps.shareQueue.send({ slug, network });
            return;
          } catch (error) {
            console.error('share queue: send failed, writing at once:', error);
          }
        }
        await addShares(db, [{ slug, network, count: 1 }]);
      })(),
    );
  };

  const mastodonPage = (
    c: Context,
    slug: string,
    target: { url: string; title: string },
    instance: string,
    invalid: boolean,
  ) =>
    c.render(
      <MastodonSharePage
        action={`${paths.share}/${slug}/mastodon`}
        article={target}
        instance={instance}
        invalid={invalid}
      />,
      {
        title: 'Delen op Mastodon',
        description: `Deel “${target.title}” op uw eigen Mastodon-server.`,
        path: `${paths.share}/${slug}/mastodon`,
        noindex: true,
        shareScript: true,
        sidebar: null,
      },
    );

  const targetOf = (article: ArticleRef) => ({
    url: `${siteUrl}${articlePath(article)}`,
    title: article.title,
  });

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
        const { slug: asked, network } = c.req.valid('param');
        const article = await lookup(asked);
        if (!article) return c.notFound();
        const slug = article.slug;
        // A former slug (the title changed since the link was made): the same share, at its URL now.
        if (slug !== asked) {
          return c.redirect(`${paths.share}/${slug}/${network}${new URL(c.req.url).search}`, 301);
        }
        const target = targetOf(article);

        if (network === 'mastodon') {
          // A GET never leaves the site, whatever it names: the instance (from a link, or a visitor
          // coming back) only fills in the form, whose POST redirects.
          const input = c.req.valid('query').instance;
          if (input === undefined) return mastodonPage(c, slug, target, '', false);
          const instance = parseInstance(input);
          if (!instance) c.status(400);
          return mastodonPage(c, slug, target, instance ?? input.trim(), !instance);
        }

        count(c, slug, network);
        return c.redirect(shareIntent(network, target), 302);
      },
    )
    .post(
      `${paths.share}/:slug/mastodon`,
      vValidator('param', MastodonParams, (result, c) => (result.success ? undefined : c.notFound())),
      // The form holds one short field; anything bigger is not ours.
      bodyLimit({ maxSize: 4096, onError: (c) => c.notFound() }),
      async (c, next) => {
        if (fromOurForm(c, origin)) return next();
        c.status(403);
        return c.render(<ForbiddenPage />, {
          title: 'Niet toegestaan',
          description: 'Dit formulier kan alleen vanaf deze site worden verstuurd.',
          path: c.req.path,
          noindex: true,
          sidebar: null,
        });
      },
      vValidator('form', MastodonForm, (result, c) => (result.success ? undefined : c.notFound())),
      async (c) => {
        const article = await lookup(c.req.valid('param').slug);
        if (!article) return c.notFound();
        const { slug } = article;
        const target = targetOf(article);
        const input = c.req.valid('form').instance;
        const instance = parseInstance(input);
        if (!instance) {
          c.status(400);
          return mastodonPage(c, slug, target, input.trim(), true);
        }
        count(c, slug, 'mastodon');
        // RFC 9110 §15.4.4: 303 makes the browser GET the instance's share page.
        return c.redirect(shareIntent('mastodon', target, instance), 303);
      },
    );
}
