import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MIGRATIONS = join(ROOT, 'drizzle');
/** The local database file: of `npm start` and `npm run db` (DB_FILE), and the default LIBSQL_URL. */
export const DEFAULT_DB_FILE = '.data/vso.db';
/** LIBSQL_URL when unset: the local database file itself, so seed and migrate work without a server. */
export const DEFAULT_LIBSQL_URL = `file:${DEFAULT_DB_FILE}`;

/**
 * A client for `LIBSQL_URL` (Turso `libsql://…`, a local server `http://127.0.0.1:…`, or a file).
 * For `file:` URLs the parent folder is created, so a fresh clone needs no setup.
 */
export function openClient(
  url = process.env.LIBSQL_URL || DEFAULT_LIBSQL_URL,
  authToken = process.env.LIBSQL_AUTH_TOKEN || undefined,
): Client {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  return createClient({ url, authToken });
}

/** Applies the committed drizzle-kit migrations that the database does not have yet. */
export async function migrateDatabase(client: Client): Promise<void> {
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
}

/** Where the URL points, without credentials, for log lines. */
export function describeUrl(url: string): string {
  if (url.startsWith('file:')) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url.split('?')[0] ?? url;
  }
}
