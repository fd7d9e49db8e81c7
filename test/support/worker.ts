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
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** The built Worker (dist/index.js, made by the global setup) in workerd, through Miniflare. */
export async function startWorker(options: {
  libsqlUrl: string;
  siteUrl?: string;
  bindings?: Record<string, string>;
}): Promise<TestWorker> {
  const mf = new Miniflare({
    scriptPath: join(ROOT, 'dist', 'index.js'),
    modules: true,
    compatibilityDate,
    // Static assets as wrangler.toml declares them (public/, with its _headers file).
    assets: {
      directory: join(ROOT, 'public'),
      routerConfig: { has_user_worker: true },
      assetConfig: { compatibility_date: compatibilityDate },
    },
    bindings: {
      SITE_URL: options.siteUrl ?? 'https://www.vso-werkgevers.nl',
      LIBSQL_URL: options.libsqlUrl,
      ...options.bindings,
    },
  });
  await mf.ready;
  return {
    // Miniflare's fetch types differ from the DOM ones only nominally.
    fetch: (path, init) =>
      mf.dispatchFetch(
        new URL(path, 'http://127.0.0.1:8787').toString(),
        init as never,
      ) as unknown as Promise<Response>,
    dispose: () => mf.dispose(),
  };
}
