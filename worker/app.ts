import { Hono } from 'hono';
import type { Database } from './db.ts';
import { healthRoutes } from './routes/health.ts';

export interface AppDeps {
  db: Database;
  /** Public origin (SITE_URL): every absolute URL is built from it, never from the request. */
  siteUrl: string;
  /** How long a database call may take before the request is answered without it. */
  dbTimeoutMs: number;
}

/**
 * Builds the whole site from its dependencies. The Worker entry (worker/index.ts) is the only
 * production wiring; tests build their own app with their own database.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono();

  app.route('/', healthRoutes(deps));

  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: { code: 'not_found', message: 'Niet gevonden' } }, 404)
      : c.text('Pagina niet gevonden', 404),
  );
  app.onError((error, c) => {
    console.error(`${c.req.method} ${c.req.path}:`, error);
    return c.json({ error: { code: 'internal_error', message: 'Er ging iets mis' } }, 500);
  });
  return app;
}
export type App = ReturnType<typeof createApp>;
