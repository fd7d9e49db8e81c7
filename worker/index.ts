import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../schema/db.ts';
import { type App, createApp } from './app.tsx';
import './env.ts';

// One app (and one libSQL client) per isolate: env does not change while an isolate lives, and a
// reused client keeps its HTTP connections warm.
let app: App | undefined;

function appFor(env: Env): App {
  app ??= createApp({
    db: drizzle(
      createClient({
        url: env.LIBSQL_URL,
        authToken: env.LIBSQL_AUTH_TOKEN,
        // No queue in the shared client. Its default limit (20 requests at once) starts a queued query
        // from the request that frees a slot; workerd cancels that fetch when that other request ends,
        // and under load pages hung until the time limit (503). A page sends one request at a time.
        concurrency: Number.POSITIVE_INFINITY,
      }),
      { schema },
    ),
    siteUrl: env.SITE_URL.replace(/\/+$/, ''),
    dbTimeoutMs: 3000,
  });
  return app;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
