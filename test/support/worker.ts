import { rmSync } from 'node:fs';
import { type HranaServer, startHranaServer } from '../../dev/hrana-server.ts';
import { type LocalWorker, startWorker } from '../../dev/local-worker.ts';
import { type ExtraDocument, seededDatabaseFile } from './database.ts';

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
export async function startDatabase(extra: ExtraDocument[] = []): Promise<TestDatabase> {
  const { dir, file } = await seededDatabaseFile(extra);
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
