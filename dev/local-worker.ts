/**
 * The built Worker (dist/index.js, as `wrangler deploy` bundles it) in workerd through Miniflare, for
 * the tests and `npm run bench`. Not `wrangler dev`: its dev proxy dominates every timing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { ROOT } from '../pipeline/libsql.ts';
import { SITE_URL } from './site-origin.ts';

export const compatibilityDate =
  /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ?? '';

/** Quiet, offline wrangler: no metrics, no `Request.cf` download. */
export const WRANGLER_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** esbuild's metafile of the last build: what the bundle is made of (bench/startup.ts). */
export const BUNDLE_META = join(ROOT, 'dist', 'bundle-meta.json');

/** Builds dist/ (and public/) exactly as `wrangler deploy` would; wrangler's own output goes to stderr. */
export function buildWorker(): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'deploy',
      '--dry-run',
      '--outdir',
      'dist',
      '--metafile',
      BUNDLE_META,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...WRANGLER_ENV } },
  );
}

/**
 * The bindings wrangler.toml declares, as wrangler itself hands them to Miniflare under `wrangler
 * dev`: its [vars], the Rate Limiting binding and the queues (Miniflare simulates both locally).
 */
async function configuredBindings() {
  const { unstable_getMiniflareWorkerOptions } = await import('wrangler');
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
  return {
    vars: workerOptions.bindings ?? {},
    ratelimits: workerOptions.ratelimits,
    queueProducers: workerOptions.queueProducers,
    queueConsumers: workerOptions.queueConsumers,
    r2Buckets: workerOptions.r2Buckets,
  };
}

export interface LocalWorker {
  /** Where Miniflare serves the Worker over HTTP, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The Worker's `caches.default` (the L1 cache), to look into or age its entries. */
  defaultCache(): Promise<Cache>;
  /** The Worker's MEDIA bucket (Miniflare's R2), for a seed to store media in as production's R2. */
  mediaBucket(): Promise<R2Bucket>;
  /** Runs the Worker's `scheduled` handler as a Cron Trigger at `scheduledTime` would. */
  scheduled(cron: string, scheduledTime: Date): Promise<{ outcome: string }>;
  dispose(): Promise<void>;
}

/**
 * The built Worker in workerd, through Miniflare, listening on a free loopback port.
 * `siteUrl: 'served'` makes SITE_URL the Worker's own HTTP URL, so that canonical and other
 * absolute links work in a browser pointed at it. `assetsDirectory` replaces public/.
 */
export async function startWorker(options: {
  libsqlUrl: string;
  siteUrl?: string | 'served';
  bindings?: Record<string, string>;
  assetsDirectory?: string;
  /** Another Worker script (ES module) instead of dist/index.js, e.g. for a baseline. */
  scriptPath?: string;
  /** Seconds before a failed queue batch is delivered again (wrangler.toml's retry_delay otherwise). */
  queueRetryDelay?: number;
  /** workerd's DevTools inspector on this loopback port (the benchmark's CPU profiles). */
  inspectorPort?: number;
}): Promise<LocalWorker> {
  const configured = await configuredBindings();
  const queueConsumers =
    options.queueRetryDelay === undefined || Array.isArray(configured.queueConsumers)
      ? configured.queueConsumers
      : Object.fromEntries(
          Object.entries(configured.queueConsumers ?? {}).map(([name, consumer]) => [
            name,
            { ...consumer, retryDelay: options.queueRetryDelay },
          ]),
        );
  const workerOptions = (siteUrl: string) => ({
    ...(options.inspectorPort !== undefined && { inspectorPort: options.inspectorPort }),
    scriptPath: options.scriptPath ?? join(ROOT, 'dist', 'index.js'),
    modules: true,
    // A script that imports dist/index.js (bench/harness-workers.ts): Miniflare's default rules would
    // read an imported .js as CommonJS.
    modulesRules: [{ type: 'ESModule' as const, include: ['**/*.js'] }],
    compatibilityDate,
    // Port 0: any free port; Miniflare keeps the one it got when the options change.
    port: 0,
    logRequests: false,
    // Static assets as wrangler.toml declares them (public/, with its _headers file).
    assets: {
      directory: options.assetsDirectory ?? join(ROOT, 'public'),
      routerConfig: { has_user_worker: true },
      assetConfig: { compatibility_date: compatibilityDate },
    },
    ratelimits: configured.ratelimits,
    queueProducers: configured.queueProducers,
    queueConsumers,
    r2Buckets: configured.r2Buckets,
    bindings: {
      ...configured.vars,
      SITE_URL: siteUrl,
      LIBSQL_URL: options.libsqlUrl,
      ...options.bindings,
    },
  });
  const served = options.siteUrl === 'served';
  const mf = new Miniflare(workerOptions(served ? 'http://127.0.0.1' : (options.siteUrl ?? SITE_URL)));
  let url: string;
  try {
    url = (await mf.ready).origin;
    if (served) {
      // The port is only known once the Worker runs: restart it with SITE_URL set to that origin.
      await mf.setOptions(workerOptions(url));
      const restarted = (await mf.ready).origin;
      if (restarted !== url) throw new Error(`Miniflare moved from ${url} to ${restarted} on restart`);
    }
  } catch (error) {
    await mf.dispose();
    throw error;
  }
  return {
    url,
    // Miniflare's fetch types differ from the DOM ones only nominally.
    fetch: (path, init) =>
      mf.dispatchFetch(new URL(path, url).toString(), init as never) as unknown as Promise<Response>,
    defaultCache: async () => (await mf.getCaches()).default as unknown as Cache,
    // Miniflare's R2 types differ from workers-types' only nominally.
    mediaBucket: async () => (await mf.getR2Bucket('MEDIA')) as unknown as R2Bucket,
    scheduled: async (cron, scheduledTime) => (await mf.getWorker()).scheduled({ cron, scheduledTime }),
    dispose: () => mf.dispose(),
  };
}
