import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { jsxRenderer } from 'hono/jsx-renderer';
import { secureHeaders } from 'hono/secure-headers';
import { buildId } from './assets-manifest.ts';
import type { Database } from './db.ts';
import { ContentVersions } from './lib/content-version.ts';
import { edgeCache } from './lib/edge-cache.ts';
import { securityHeaders } from './lib/security.ts';
import { DatabaseUnavailable, RETRY_AFTER, withTimeout } from './lib/timeout.ts';
import { getContentVersion, type Sidebar } from './queries.ts';
import { adminRoutes } from './routes/admin.ts';
import { apiError, apiRoutes } from './routes/api.ts';
import { feedRoutes } from './routes/feeds.tsx';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.tsx';
import { shareRoutes } from './routes/share.tsx';
import { socialRoutes } from './routes/social.ts';
import { Layout, type PageMeta } from './views/layout.tsx';
import { ErrorPage, NotFoundPage } from './views/pages.tsx';

export interface AppDeps {
  db: Database;
  /** Public origin (SITE_URL): every absolute URL is built from it, never from the request. */
  siteUrl: string;
  /** How long a database call may take before the request is answered without it. */
  dbTimeoutMs: number;
  /** The L1 page cache on the Cache API; off only to measure rendering (the benchmark). */
  l1Cache: boolean;
  /** Secret of `POST /admin/purge`; without it the route does not exist. */
  purgeToken?: string;
}

// The props every page passes to c.render(), typed for the layout renderer.
declare module 'hono' {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: declaration merging needs an interface
    (
      content: string | Promise<string>,
      props: PageMeta & { sidebar: Sidebar | null },
    ): Response | Promise<Response>;
  }
}

/**
 * Builds the whole site from its dependencies. The Worker entry (worker/index.ts) is the only
 * production wiring; tests build their own app with their own database.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  const versions = new ContentVersions(() => withTimeout(getContentVersion(deps.db), deps.dbTimeoutMs));

  // Outermost, so that every answer has them: cache hits, 304s, errors.
  app.use('*', secureHeaders(securityHeaders));
  // JSON is always UTF-8; say so, as the API contract promises (Hono's c.json omits the charset).
  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type') === 'application/json') {
      c.res.headers.set('Content-Type', 'application/json; charset=utf-8');
    }
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
  app.use(
    '*',
    jsxRenderer(({ children, ...props }) => (
      <Layout siteUrl={deps.siteUrl} {...props}>
        {children}
      </Layout>
    )),
  );

  app.route('/', healthRoutes(deps));
  app.route('/', adminRoutes(deps, versions));
  app.route('/api', apiRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', shareRoutes(deps, versions));
  app.route('/', socialRoutes(deps));
  app.route('/', pageRoutes(deps));

  // The 404 page needs no database: a mistyped URL or a scanner must not cost a round trip.
  app.notFound((c) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return apiError(c, 404, 'not_found', 'Deze API-route bestaat niet.');
    }
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
    console.error(`${c.req.method} ${c.req.path}:`, error);
    // The database being slow or away is temporary: say so with 503 and Retry-After.
    const unavailable = error instanceof DatabaseUnavailable;
    c.header('Cache-Control', 'no-store');
    if (unavailable) c.header('Retry-After', RETRY_AFTER);
    const status = unavailable ? 503 : 500;
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return unavailable
        ? apiError(c, 503, 'service_unavailable', 'De database is tijdelijk niet bereikbaar.')
        : apiError(c, 500, 'internal_error', 'Er ging iets mis.');
    }
    c.status(status);
    return c.render(<ErrorPage retry={unavailable} />, {
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
