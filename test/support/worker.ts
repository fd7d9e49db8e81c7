import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type HranaServer, startHranaServer } from '../../dev/hrana-server.ts';
import { type LocalWorker, startWorker } from '../../dev/local-worker.ts';
import { migrateDatabase, openClient } from '../../pipeline/libsql.ts';
import { parseDocuments } from '../../pipeline/parse-document.ts';
import { readDocuments, seedDatabase } from '../../pipeline/seed-database.ts';
import { ROOT } from './cli.ts';
import { tempDir } from './documents.ts';

/** The built Worker in workerd (Miniflare); see dev/local-worker.ts. */
export { startWorker };
export type TestWorker = LocalWorker;

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
