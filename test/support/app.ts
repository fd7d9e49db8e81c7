/**
 * The in-process tier: the app that worker/index.ts wires for production, built here with
 * `createApp` in Node over a seeded `file:` libSQL database and asked with `app.request()`. No
 * workerd, no bundle, no HTTP: routes, views, API contracts and queries in milliseconds. What needs
 * the runtime (the Cache API behind the L1 cache, Queues, the rate limiter, static assets,
 * `cloudflare:workers`) stays in the workerd tier (test/support/worker.ts).
 */

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { SITE_URL } from '../../dev/site-origin.ts';
import { openClient, ROOT } from '../../pipeline/libsql.ts';
import * as schema from '../../schema/tables.ts';
import { createApp } from '../../worker/app.tsx';
import { type ExtraDocument, seededDatabaseFile } from './database.ts';

/** The app's dependencies (AppDeps), taken from createApp itself so that they cannot drift. */
type Deps = Parameters<typeof createApp>[0];

export interface TestApp {
  /** Asks the app for `path` (with its query), as a request to the site would. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Requests the app sent to libSQL since `resetStats()`: each `execute`, `batch`,
   * `executeMultiple` or `migrate` is one pipeline over Hrana, as the workerd tier's server counts.
   */
  readonly roundTrips: number;
  resetStats(): void;
  /** Waits for the work the app handed to `waitUntil` (e.g. share counts written after the answer). */
  settled(): Promise<void>;
  /** The database the app reads, for tests that look at or change rows. */
  client: Client;
  file: string;
  close(): Promise<void>;
}

/** Counts the calls that are one round trip each to a libSQL server. */
function counted(client: Client, count: () => void): Client {
  for (const method of ['execute', 'batch', 'executeMultiple', 'migrate'] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      count();
      return original(...args);
    };
  }
  return client;
}

/**
 * The app over a fresh database seeded with content-seed/ plus `extra` documents. The L1 cache is
 * off (it is the Cache API, which Node lacks); `deps` overrides the rest (a purge token, a security
 * contact, a share limiter or queue).
 */
export async function startApp(
  extra: ExtraDocument[] = [],
  deps: Partial<Deps> = {},
  options: { contentSeed?: boolean } = {},
): Promise<TestApp> {
  const { dir, file } = await seededDatabaseFile(extra, options);
  let roundTrips = 0;
  const client = counted(openClient(`file:${file}`), () => roundTrips++);
  const app = createApp({
    db: drizzle(client, { schema }),
    siteUrl: SITE_URL,
    dbTimeoutMs: 3000,
    l1Cache: false,
    ...deps,
  });
  const pending: Promise<unknown>[] = [];
  const executionCtx = {
    waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
    passThroughOnException: () => {},
    props: {},
  };
  return {
    fetch: async (path, init) =>
      app.request(new Request(new URL(path, 'http://127.0.0.1'), init), undefined, {}, executionCtx),
    get roundTrips() {
      return roundTrips;
    },
    resetStats: () => {
      roundTrips = 0;
    },
    settled: async () => {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
    client,
    file,
    async close() {
      await Promise.allSettled(pending);
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { SITE_URL };

/**
 * The OpenAPI document as /api/openapi.json serves it: a static asset (public/api/openapi.json),
 * which this tier's global setup writes with the assets (scripts/build-assets.ts), not a route.
 */
export function servedOpenApi(): string {
  return readFileSync(join(ROOT, 'public', 'api', 'openapi.json'), 'utf8');
}
