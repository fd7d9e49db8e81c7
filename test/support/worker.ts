import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { migrateDatabase, openClient } from '../../scripts/lib/database.ts';
import { type HranaServer, startHranaServer } from '../../scripts/lib/hrana-server.ts';
import { parseDocuments } from '../../scripts/lib/parse-document.ts';
import { readDocuments, seedDatabase } from '../../scripts/lib/seed.ts';
import { ROOT } from './cli.ts';
import { tempDir } from './documents.ts';

const compatibilityDate =
  /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ?? '';

/** The production origin, SITE_URL in wrangler.toml. */
const SITE_URL = 'https://www.vso-werkgevers.nl';

export interface TestDatabase {
  server: HranaServer;
  file: string;
  close(): Promise<void>;
}

/**
 * A real local libSQL server on a fresh database file in a temp folder, migrated and seeded with
 * the documents in content-seed/ plus `extra` generated ones.
 */
export async function startDatabase(extra: { name: string; text: string }[] = []): Promise<TestDatabase> {
  const dir = tempDir();
  const file = join(dir, 'vso.db');
  const client = openClient(`file:${file}`);
  await migrateDatabase(client);
  const documents = [
    ...(await readDocuments(join(ROOT, 'content-seed'))),
    ...extra.map((doc) => ({ file: doc.name, text: doc.text })),
  ];
  const parsed = parseDocuments(documents);
  if (!parsed.ok) throw new Error(`test documents are invalid: ${JSON.stringify(parsed.problems)}`);
  await seedDatabase(client, parsed.parsed);
  client.close();
  const server = await startHranaServer({ file, port: 0 });
  return {
    server,
    file,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestWorker {
  /** Where Miniflare serves the Worker over HTTP, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The Worker's `caches.default` (the L1 cache), to look into or age its entries. */
  defaultCache(): Promise<Cache>;
  dispose(): Promise<void>;
}

/**
 * The built Worker (dist/index.js, made by the global setup) in workerd, through Miniflare.
 * `siteUrl: 'served'` makes SITE_URL the Worker's own HTTP URL, so that canonical and other
 * absolute links work in a browser pointed at it.
 */
export async function startWorker(options: {
  libsqlUrl: string;
  siteUrl?: string | 'served';
  bindings?: Record<string, string>;
}): Promise<TestWorker> {
  const workerOptions = (siteUrl: string) => ({
    scriptPath: join(ROOT, 'dist', 'index.js'),
    modules: true,
    compatibilityDate,
    // Port 0: any free port; Miniflare keeps the one it got when the options change.
    port: 0,
    // Static assets as wrangler.toml declares them (public/, with its _headers file).
    assets: {
      directory: join(ROOT, 'public'),
      routerConfig: { has_user_worker: true },
      assetConfig: { compatibility_date: compatibilityDate },
    },
    bindings: {
      SITE_URL: siteUrl,
      LIBSQL_URL: options.libsqlUrl,
      ...options.bindings,
    },
  });
  const served = options.siteUrl === 'served';
  const mf = new Miniflare(workerOptions(served ? 'http://127.0.0.1' : (options.siteUrl ?? SITE_URL)));
  let url = (await mf.ready).origin;
  if (served) {
    // The port is only known once the Worker runs: restart it with SITE_URL set to that origin.
    await mf.setOptions(workerOptions(url));
    const restarted = (await mf.ready).origin;
    if (restarted !== url) {
      await mf.dispose();
      throw new Error(`Miniflare moved from ${url} to ${restarted} on restart`);
    }
    url = restarted;
  }
  return {
    url,
    // Miniflare's fetch types differ from the DOM ones only nominally.
    fetch: (path, init) =>
      mf.dispatchFetch(new URL(path, url).toString(), init as never) as unknown as Promise<Response>,
    defaultCache: async () => (await mf.getCaches()).default as unknown as Cache,
    dispose: () => mf.dispose(),
  };
}
