/**
 * The seed tests' setting: a fresh folder of source documents and a migrated database file beside
 * it, for each test, and the seed run on that folder as `npm run seed` runs it (documents, site
 * document, glossary).
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { readDocuments } from '../../pipeline/content-files.ts';
import { readGlossary } from '../../pipeline/glossary.ts';
import { migrateDatabase, openClient } from '../../pipeline/libsql.ts';
import { formatProblem, parseDocuments } from '../../pipeline/parse-documents.ts';
import type { searchText } from '../../pipeline/search-seed.ts';
import { seedDatabase } from '../../pipeline/seed-database.ts';
import { ROOT } from './cli.ts';
import { tempDir } from './documents.ts';

export interface SeedFolder {
  dir: string;
  /** The documents' folder, inside `dir`. */
  docs: string;
  url: string;
  client: Client;
  close(): void;
}

/** A new folder (with content-seed/'s documents when `withSeed`) and an empty migrated database. */
export async function openSeedFolder(options: { withSeed?: boolean } = {}): Promise<SeedFolder> {
  const dir = tempDir();
  const docs = join(dir, 'docs');
  mkdirSync(docs);
  if (options.withSeed) {
    for (const name of readdirSync(join(ROOT, 'content-seed'))) {
      copyFileSync(join(ROOT, 'content-seed', name), join(docs, name));
    }
  }
  const url = `file:${join(dir, 'vso.db')}`;
  const client = openClient(url);
  await migrateDatabase(client);
  return {
    dir,
    docs,
    url,
    client,
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seeds `dir` into `client`; a document problem fails the test with its `file:line: …`. */
export async function seedDir(
  client: Client,
  dir: string,
  options: { prune?: boolean; now?: string; searchText?: typeof searchText } = {},
) {
  const parsed = parseDocuments(await readDocuments(dir));
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  const glossary = await readGlossary(dir);
  if (!glossary.ok) throw new Error(glossary.problems.map(formatProblem).join('\n'));
  return seedDatabase(client, parsed.parsed, {
    ...options,
    site: parsed.site,
    glossary: glossary.entries,
    pages: parsed.pages,
    structure: parsed.structure,
  });
}
