import { join } from 'node:path';
import { migrateDatabase, openClient } from '../../pipeline/libsql.ts';
import { parseDocuments } from '../../pipeline/parse-document.ts';
import { readDocuments, seedDatabase } from '../../pipeline/seed-database.ts';
import { ROOT } from './cli.ts';
import { tempDir } from './documents.ts';

/** A generated document: a file name and its text, as pipeline/generated-documents.ts makes them. */
export type ExtraDocument = { name: string; text: string };

/**
 * A fresh database file in a temp folder, migrated and seeded with the documents in content-seed/
 * plus `extra` generated ones, through the same pipeline as `npm run seed`.
 */
export async function seededDatabaseFile(
  extra: ExtraDocument[] = [],
): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, 'vso.db');
  const client = openClient(`file:${file}`);
  try {
    await migrateDatabase(client);
    const documents = [
      ...(await readDocuments(join(ROOT, 'content-seed'))),
      ...extra.map((doc) => ({ file: doc.name, text: doc.text })),
    ];
    const parsed = parseDocuments(documents);
    if (!parsed.ok) throw new Error(`test documents are invalid: ${JSON.stringify(parsed.problems)}`);
    await seedDatabase(client, parsed.parsed);
  } finally {
    client.close();
  }
  return { dir, file };
}
