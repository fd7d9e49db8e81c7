import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { PatternRouter } from 'hono/router/pattern-router';
import { secureHeaders } from 'hono/secure-headers';
import { addressKey } from '../schema/addresses.ts';
import { buildId } from './assets-manifest.ts';
import { cacheClassOf, readQuery } from './cache/cache-policy.ts';
import { ContentVersions } from './cache/content-version.ts';
import { edgeCache } from './cache/edge-cache.ts';
import type { AppDeps } from './deps.ts';
import { failureStatus } from './lib/failure.ts';
import { todayOf } from './lib/publication.ts';
import { settleRequestBody } from './lib/request-body.ts';
import { securityHeaders } from './lib/security.ts';
import { movedTarget, siteMap } from './lib/site-map.ts';
import { getContentVersion, type MenuItem, type Sidebar } from './queries/chrome.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminMediaRoutes } from './routes/admin-media.ts';
import { apiRoutes } from './routes/api.ts';
import { contentPageRoutes } from './routes/content-pages.tsx';
import { feedRoutes } from './routes/feeds.tsx';
import { healthRoutes } from './routes/health.ts';
import { mediaRoutes } from './routes/media.ts';
import { pageRoutes } from './routes/pages.tsx';
import { previewRoutes } from './routes/preview.tsx';
import { shareRoutes } from './routes/share.tsx';
import { socialRoutes } from './routes/social.ts';
import { Layout, type PageMeta } from './views/layout.tsx';
import { ErrorPage, MethodNotAllowedPage, NotFoundPage } from './views/page-views.tsx';

// The props every page passes to c.render(), typed for the layout renderer.
declare module 'hono' {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: declaration merging needs an interface
    (
      content: string | Promise<string>,
      props: PageMeta & { sidebar: Sidebar | null; menu?: MenuItem[] | null },
    ): Response | Promise<Response>;
  }
}

// Share links are exactly right or not ours (404), also with a trailing slash.
const keepsTrailingSlash = (path: string) => path === '/' || path.startsWith('/deel/');

/**
 * Builds the whole site from its dependencies. The Worker entry (worker/index.ts) is the only
 * production wiring; tests can build their own app with their own database.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  // The background check has a time limit of its own (VERSION_CHECK_BUDGET_MS), not dbTimeoutMs.
  const versions = new ContentVersions(() => getContentVersion(deps.db, todayOf(deps)), deps.now);
  const addresses = siteMap(deps, versions);

  // Outermost, so that every answer has them: cache hits, 304s, errors.
  app.use('*', secureHeaders(securityHeaders));
  // A body the route did not read is settled before the answer leaves (worker/lib/request-body.ts).
  app.use('*', async (c, next) => {
    const received = c.req.raw;
    await next();
    await settleRequestBody(c.req.raw);
    if (c.req.raw !== received) await settleRequestBody(received);
  });
  // No error is ever stored (RFC 9111 §5.2.2.5): not by browsers, not by Workers Cache, not by the
  // L1 cache. A stored page that is served instead of an error (stale-if-error) is a 200.
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status >= 400) c.res.headers.set('Cache-Control', 'no-store');
  });
  // JSON is always UTF-8; say so, as the API contract promises (Hono's c.json omits the charset).
  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type') === 'application/json') {
      c.res.headers.set('Content-Type', 'application/json; charset=utf-8');
    }
  });
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    // One URL per page: `/banenafspraak/nieuws/` is `/banenafspraak/nieuws`, unless the address with
    // the slash is a page's own (`/organisatie/achtergrond/`, as on the original site). An earlier
    // address with a slash goes straight to where it leads: one 301, not two. Built from SITE_URL,
    // so that a path such as `//evil.example/` can only ever lead to a path of this site. Without
    // any site map (the database away in a new isolate), the request goes on to the routes: a
    // page's stored copy may answer it, and a 301 that browsers keep must not be guessed.
    if (read && url.pathname.endsWith('/') && !keepsTrailingSlash(url.pathname)) {
      const map = await addresses.get();
      if (map && map.pages.get(addressKey(url.pathname))?.path !== url.pathname) {
        const moved = movedTarget(map, url.pathname);
        const path = moved?.path ?? addressKey(url.pathname);
        c.header('Cache-Control', 'private, max-age=86400');
        return c.redirect(`${moved?.relative ? '' : deps.siteUrl}${path}${url.search}`, 301);
      }
    }
    // A route sees only the query parameters it reads (QUERY_PARAMETERS), the same ones the
    // cache key holds: a parameter a route would read without being listed cannot split, or
    // poison, the cache; it is simply not there.
    if (read && cacheClassOf(url.pathname) === 'page') {
      const query = readQuery(url);
      if (query !== url.search) c.req.raw = new Request(`${url.origin}${url.pathname}${query}`, c.req.raw);
    }
    await next();
  });
  app.use(
    '*',
    edgeCache({
      siteUrl: deps.siteUrl,
      buildId,
      enabled: deps.l1Cache,
      versions,
      render: async (request, c) => app.fetch(request, c.env, c.executionCtx),
    }),
  );
  // Every page in the layout. Not hono/jsx-renderer: it loads the whole client-side JSX runtime
  // (hooks, the DOM renderer, streaming) into the bundle for a request context no view reads.
  app.use('*', async (c, next) => {
    c.setRenderer((content, props) =>
      c.html(
        html`<!DOCTYPE html>${(
          <Layout siteUrl={deps.siteUrl} {...props} menu={props.menu ?? addresses.peek()?.menu}>
            {content}
          </Layout>
        )}`,
      ),
    );
    await next();
  });

  app.route('/', healthRoutes(deps));
  app.route('/', adminRoutes(deps, versions));
  app.route('/', adminMediaRoutes(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', shareRoutes(deps, versions));
  app.route('/', socialRoutes(deps));
  app.route('/', mediaRoutes(deps));
  app.route('/', previewRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.route('/', contentPageRoutes(deps, addresses));

  // Which methods each path answers, from the routes themselves: a known path asked with another
  // method is 405 with `Allow` (RFC 9110 §15.5.6), an unknown one 404. The content pages' last
  // route (`/*`, every address in the site map) is not one: the site map says which it answers.
  let methods: PatternRouter<string> | undefined;
  const allowedMethods = (path: string): string[] => {
    if (!methods) {
      methods = new PatternRouter<string>();
      for (const route of app.routes) {
        if (route.method !== 'ALL' && route.path !== '*' && route.path !== '/*')
          methods.add(route.method, route.path, route.method);
      }
    }
    const router = methods;
    const allowed = ['GET', 'POST'].filter((method) => router.match(method, path)[0].length > 0);
    return allowed.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]));
  };
  const methodNotAllowed = (c: Context, allowed: string[]) => {
    const allow = allowed.join(', ');
    c.header('Allow', allow);
    c.status(405);
    return c.render(<MethodNotAllowedPage allow={allow} />, {
      title: 'Methode niet toegestaan',
      description: `Dit adres kan alleen worden opgevraagd met ${allow}.`,
      path: c.req.path,
      noindex: true,
      sidebar: null,
    });
  };

  // The 404 page needs no database of its own: a mistyped URL or a scanner must not cost a round
  // trip. Only the earlier addresses are looked up, in the site map this isolate keeps
  // (worker/lib/site-map.ts), which it reads once per content version.
  app.notFound(async (c) => {
    const allowed = c.req.method === 'HEAD' ? [] : allowedMethods(c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) return methodNotAllowed(c, allowed);
    // A content page or a section is a known path too, when this isolate knows the map already.
    const known = addresses.peek();
    if (
      known &&
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      (known.pages.get(addressKey(c.req.path))?.path === c.req.path || known.sections.has(c.req.path))
    ) {
      return methodNotAllowed(c, ['GET', 'HEAD']);
    }
    const moved = await addresses.redirect(c);
    if (moved) return moved;
    c.status(404);
    return c.render(<NotFoundPage />, {
      title: 'Pagina niet gevonden',
      description: 'Deze pagina bestaat niet.',
      path: c.req.path,
      noindex: true,
      sidebar: null,
    });
  });

  app.onError((error, c) => {
    // Hono's own middleware (bearerAuth) answers with an HTTPException that carries its response.
    if (error instanceof HTTPException) return error.getResponse();
    const status = failureStatus(error, c);
    c.status(status);
    return c.render(<ErrorPage retry={status === 503} />, {
      title: 'Er ging even iets mis',
      description: 'Deze pagina kan op dit moment niet worden getoond.',
      path: c.req.path,
      noindex: true,
      sidebar: null,
    });
  });
  return app;
}
export type App = ReturnType<typeof createApp>;
