import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { readDocuments } from '../../pipeline/content-files.ts';
import { readGlossary } from '../../pipeline/glossary.ts';
import { migrateDatabase, openClient } from '../../pipeline/libsql.ts';
import { type DocumentInput, parseDocuments } from '../../pipeline/parse-documents.ts';
import { seedDatabase } from '../../pipeline/seed-database.ts';
import { ROOT } from './cli.ts';
import { tempDir } from './documents.ts';

/** A generated document: a file name and its text, as pipeline/generated-documents.ts makes them. */
export type ExtraDocument = { name: string; text: string };

/**
 * Seeded databases kept between runs, because seeding is mostly rendering social cards (a test
 * with 205 articles would spend seconds on them every run). Under node_modules/, so that `npm ci`
 * and a fresh clone start without any.
 */
const CACHE = join(ROOT, 'node_modules', '.cache', 'vso-test-databases');

/**
 * Everything that shapes a seeded database besides the documents: the pipeline, the contracts,
 * the migrations, what the cards are drawn from, and the exact versions of the libraries (fonts,
 * renderer, libSQL). A change to any of them seeds anew.
 */
const SHAPING = [
  'pipeline',
  'schema',
  'drizzle',
  'assets',
  'worker/lib',
  'package-lock.json',
  'content-seed/glossary.yaml',
];

function filesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

const sha256 = () => createHash('sha256');

/** The code and data besides the documents, hashed once per process. */
let shaping: string | undefined;
function shapingFingerprint(): string {
  if (shaping) return shaping;
  const hash = sha256();
  for (const file of SHAPING.flatMap((path) => filesOf(join(ROOT, path)))) {
    hash.update(`${file.slice(ROOT.length)}\0`).update(readFileSync(file));
  }
  shaping = hash.digest('hex').slice(0, 32);
  return shaping;
}

function documentsFingerprint(documents: DocumentInput[]): string {
  const hash = sha256();
  for (const doc of documents) {
    hash
      .update(`${doc.file}\0`)
      .update('bytes' in doc ? doc.bytes : 'text' in doc ? doc.text : doc.problem.message)
      .update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * A fresh database file in a temp folder, migrated and seeded with the documents in content-seed/
 * plus `extra` generated ones, through the same pipeline as `npm run seed`: a copy of the one seeded
 * from the same documents by the same code before, when there is one.
 */
export async function seededDatabaseFile(
  extra: ExtraDocument[] = [],
  options: { contentSeed?: boolean } = {},
): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, 'vso.db');
  // `contentSeed: false`: only `extra`, for a test that describes a whole site of its own.
  const documents: DocumentInput[] = [
    ...(options.contentSeed === false ? [] : await readDocuments(join(ROOT, 'content-seed'))),
    ...extra.map((doc) => ({ file: doc.name, text: doc.text })),
  ];
  const cached = join(CACHE, `${shapingFingerprint()}-${documentsFingerprint(documents)}.db`);
  if (existsSync(cached)) {
    copyFileSync(cached, file);
    return { dir, file };
  }
  const client = openClient(`file:${file}`);
  try {
    await migrateDatabase(client);
    const parsed = parseDocuments(documents);
    if (!parsed.ok) throw new Error(`test documents are invalid: ${JSON.stringify(parsed.problems)}`);
    const glossary = await readGlossary(join(ROOT, 'content-seed'));
    if (!glossary.ok) throw new Error(`the glossary is invalid: ${JSON.stringify(glossary.problems)}`);
    await seedDatabase(client, parsed.parsed, {
      site: parsed.site,
      glossary: glossary.entries,
      pages: parsed.pages,
      structure: parsed.structure,
    });
  } finally {
    client.close();
  }
  // Written under another name and renamed: a test file seeding the same documents at the same
  // time never copies half a database.
  mkdirSync(CACHE, { recursive: true });
  // Databases seeded by code that has changed since can never be used again.
  for (const name of readdirSync(CACHE)) {
    if (!name.startsWith(`${shapingFingerprint()}-`)) rmSync(join(CACHE, name), { force: true });
  }
  const partial = `${cached}.${process.pid}.${Date.now()}`;
  copyFileSync(file, partial);
  renameSync(partial, cached);
  return { dir, file };
}
