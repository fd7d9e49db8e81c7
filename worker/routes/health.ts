import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import { todayOf } from '../lib/publication.ts';
import { RETRY_AFTER, withTimeout } from '../lib/timeout.ts';
import { countArticles } from '../queries/articles.ts';

/** `GET /healthz` → `{"ok": true, "articles": N}`, or 503 `{"ok": false, "articles": null}` with Retry-After when the database is unreachable. */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      const articles = await withTimeout(countArticles(deps.db, todayOf(deps)), deps.dbTimeoutMs);
      return c.json({ ok: true, articles });
    } catch (error) {
      console.error('healthz: database unreachable', error);
      c.header('Retry-After', RETRY_AFTER);
      return c.json({ ok: false, articles: null }, 503);
    }
  });
}
