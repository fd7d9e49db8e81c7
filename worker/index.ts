import { WorkerEntrypoint } from 'cloudflare:workers';
import { createClient } from '@libsql/client/http';
import { drizzle } from 'drizzle-orm/libsql/http';
import { amsterdamDate } from '../schema/dates.ts';
import * as schema from '../schema/tables.ts';
import { type App, createApp } from './app.tsx';
import { workersCacheKey } from './cache/cache-policy.ts';
import type { Database } from './database.ts';
import { purgeGoingLive } from './lib/go-live.ts';
import { writeShareBatch } from './lib/share-queue.ts';
import './env.ts';

// One app (and one libSQL client) per isolate: env does not change while an isolate lives, and a
// reused client keeps its HTTP connections warm.
let app: App | undefined;
let db: Database | undefined;

function dbFor(env: Env): Database {
  db ??= drizzle(
    createClient({
      url: env.LIBSQL_URL,
      authToken: env.LIBSQL_AUTH_TOKEN,
      // The client queues requests beyond `concurrency` (default 20; 0 also means 20) and starts a
      // queued one when another request's finishes. In workerd that hands one visitor's query to
      // another visitor's request, which may be gone by then: the query hangs until the time limit.
      // Each request is limited by the platform anyway, so the client's queue must never fill.
      concurrency: Number.MAX_SAFE_INTEGER,
    }),
    { schema },
  );
  return db;
}

/** A fixed clock from CLOCK (tests of the built Worker); the real one when it is unset or no time. */
function clockOf(iso: string | undefined): (() => number) | undefined {
  const at = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(at) ? undefined : () => at;
}

function appFor(env: Env): App {
  app ??= createApp({
    db: dbFor(env),
    siteUrl: env.SITE_URL.replace(/\/+$/, ''),
    dbTimeoutMs: 3000,
    l1Cache: env.L1_CACHE !== 'off',
    purgeToken: env.PURGE_TOKEN || undefined,
    previewToken: env.PREVIEW_TOKEN || undefined,
    now: clockOf(env.CLOCK),
    securityContact: env.SECURITY_CONTACT || undefined,
    shareLimiter: env.SHARE_LIMITER,
    shareQueue: env.SHARE_QUEUE,
    media: env.MEDIA,
  });
  return app;
}

/**
 * The site itself, the entrypoint Workers Cache sits in front of (`exports.Site` in wrangler.toml).
 * The default entrypoint hands every request to it with the cache key the L1 cache uses too.
 */
export class Site extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(appFor(this.env).fetch(request, this.env, this.ctx));
  }
}

/**
 * The answer of Site read into memory before it goes out (pages, feeds and cards are KiBs). Passed on
 * as a stream, the body crosses from the Site call's context to the visitor's; under 64 connections
 * workerd (Miniflare) then now and then stalled and reset every connection at once (a one-minute
 * mixed load: errors in 2 of 7 runs; none with the body read first).
 */
async function buffered(answer: Promise<Response>): Promise<Response> {
  const response = await answer;
  if (response.body === null) return response;
  return new Response(await response.arrayBuffer(), response);
}

export default {
  /**
   * Workers Cache keys by path and query string, and zone Cache Rules do not apply to it. So the
   * default entrypoint (not cached itself) calls the cached Site entrypoint through `ctx.exports`
   * with `cf.cacheKey`: the path and only the query parameters the route reads (QUERY_PARAMETERS),
   * exactly the L1 cache's key, so that `?utm_source=…` or `?foo=1` shares the cached page.
   * Without `ctx.exports` (older runtimes) the app answers directly.
   */
  fetch(request, env, ctx) {
    const site = (ctx.exports as { Site?: Fetcher } | undefined)?.Site;
    if (!site) return appFor(env).fetch(request, env, ctx);
    return buffered(site.fetch(request, { cf: { cacheKey: workersCacheKey(new URL(request.url)) } }));
  },
  // The share counts: each batch of SHARE_QUEUE is one database write (worker/lib/share-queue.ts).
  async queue(batch, env) {
    await writeShareBatch(dbFor(env), batch);
  },
  // The Cron Trigger: scheduled articles whose day began go live in Workers Cache too.
  async scheduled(controller, env, ctx) {
    const today = amsterdamDate(controller.scheduledTime);
    const outcome = await purgeGoingLive(dbFor(env), today, ctx.cache);
    console.log(`scheduled ${controller.cron} for ${today}: ${JSON.stringify(outcome)}`);
  },
} satisfies ExportedHandler<Env>;
