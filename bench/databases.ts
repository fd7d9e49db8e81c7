/**
 * Seeded databases for `npm run bench`, kept in bench/tmp/ and reused while nothing that shapes them
 * has changed (the documents, the migrations, the seed and the parser), because seeding thousands of
 * documents takes minutes (mostly their social cards).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGlossary } from '../pipeline/glossary.ts';
import { MIGRATIONS, migrateDatabase, openClient, ROOT } from '../pipeline/libsql.ts';
import { type DocumentInput, formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { type Progress, seedDatabase } from '../pipeline/seed-database.ts';

/** How the database was seeded (by this run or by the one whose file is reused). */
interface SeedRecord {
  fingerprint: string;
  /** When it was seeded, ISO. */
  at: string;
  documents: number;
  /** Whole seed: parse, migrate, cards, write. */
  totalS: number;
  parseS: number;
  migrateS: number;
  /** Rendering the social cards: from the start of seedDatabase to its last card (the queries before them are one small batch). */
  cardsS: number;
  /** The write transaction after the cards. */
  writeS: number;
}

export interface BenchDatabase {
  file: string;
  reused: boolean;
  seed: SeedRecord;
  /** Database file plus any write-ahead log. */
  sizeBytes: number;
  cardBytes: number;
  cards: number;
  /** The largest card PNG. */
  cardMaxBytes: number;
  /** Every article, newest first. */
  articles: { slug: string; section: string; publishedAt: string }[];
}

const SHAPING_SOURCES = [
  // This file too: how it calls the seed (with the site document, pages and structure) shapes it.
  'bench/databases.ts',
  'pipeline/seed-database.ts',
  'pipeline/seed-articles.ts',
  'pipeline/seed-rows.ts',
  'pipeline/seed-site.ts',
  'pipeline/seed-pages.ts',
  'pipeline/site-addresses.ts',
  'pipeline/parse-documents.ts',
  'pipeline/parse-document.ts',
  'pipeline/search-seed.ts',
  'schema/tables.ts',
  'schema/search-terms.ts',
  'content-seed/glossary.yaml',
  // The cards: their renderer and encoder shape most of the file.
  'pipeline/social-card.ts',
  'pipeline/card-png.ts',
];

function fingerprintOf(documents: DocumentInput[]): string {
  const hash = createHash('sha256');
  for (const doc of documents) {
    hash
      .update(`${doc.file}\0`)
      .update('bytes' in doc ? doc.bytes : 'text' in doc ? doc.text : doc.problem.message)
      .update('\0');
  }
  const migrations = readdirSync(MIGRATIONS, { recursive: true, encoding: 'utf8' }).sort();
  for (const name of migrations) {
    const path = join(MIGRATIONS, name);
    if (statSync(path).isFile()) hash.update(`${name}\0`).update(readFileSync(path));
  }
  for (const name of SHAPING_SOURCES) hash.update(`${name}\0`).update(readFileSync(join(ROOT, name)));
  return hash.digest('hex');
}

const seconds = (fromMs: number, toMs: number) => (toMs - fromMs) / 1000;

/**
 * `bench/tmp/{name}.db` seeded with `documents`: reused when its record in `{name}.json` has the same
 * fingerprint (unless `fresh`), otherwise deleted and seeded anew with progress on `log`.
 */
export async function benchDatabase(
  name: string,
  documents: DocumentInput[],
  options: { dir: string; fresh: boolean; log: (line: string) => void },
): Promise<BenchDatabase> {
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, `${name}.db`);
  const recordFile = join(options.dir, `${name}.json`);
  const fingerprint = fingerprintOf(documents);
  let record: SeedRecord | null = null;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as SeedRecord;
  } catch {
    // no record yet: seed
  }
  const reused = !options.fresh && record?.fingerprint === fingerprint && existsSync(file);
  if (reused && record) {
    options.log(`${name}: reusing ${file} (${record.documents} documents, seeded ${record.at})`);
  } else {
    record = await seed(file, recordFile, fingerprint, documents, (line) => options.log(`${name}: ${line}`));
  }

  const client = openClient(`file:${file}`);
  try {
    const cards = await client.execute(
      'select count(*) as n, coalesce(sum(length(png)), 0) as bytes, coalesce(max(length(png)), 0) as max from social_cards',
    );
    const rows = await client.execute(
      'select slug, section, published_at from articles order by published_at desc, id desc',
    );
    const sizeBytes = [file, `${file}-wal`].reduce(
      (sum, f) => sum + (existsSync(f) ? statSync(f).size : 0),
      0,
    );
    return {
      file,
      reused,
      seed: record,
      sizeBytes,
      cardBytes: Number(cards.rows[0]?.bytes ?? 0),
      cards: Number(cards.rows[0]?.n ?? 0),
      cardMaxBytes: Number(cards.rows[0]?.max ?? 0),
      articles: rows.rows.map((row) => ({
        slug: String(row.slug),
        section: String(row.section),
        publishedAt: String(row.published_at),
      })),
    };
  } finally {
    client.close();
  }
}

async function seed(
  file: string,
  recordFile: string,
  fingerprint: string,
  documents: DocumentInput[],
  log: (line: string) => void,
): Promise<SeedRecord> {
  for (const f of [recordFile, file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  log(`seeding ${documents.length} documents into ${file}`);
  const t0 = performance.now();
  const parsed = parseDocuments(documents);
  if (!parsed.ok) throw new Error(parsed.problems.slice(0, 10).map(formatProblem).join('\n'));
  const t1 = performance.now();
  const client = openClient(`file:${file}`);
  try {
    await migrateDatabase(client);
    const t2 = performance.now();
    let lastCard = t2;
    const shown: Record<string, number> = {};
    const progress: Progress = (phase, done, total) => {
      if (phase === 'cards') lastCard = performance.now();
      // About ten lines per phase, and always the last one.
      if (done === total || done - (shown[phase] ?? 0) >= total / 10) {
        shown[phase] = done;
        log(`${phase} ${done}/${total} (${seconds(t0, performance.now()).toFixed(0)} s)`);
      }
    };
    const glossary = await readGlossary(join(ROOT, 'content-seed'));
    if (!glossary.ok) throw new Error(glossary.problems.map(formatProblem).join('\n'));
    await seedDatabase(client, parsed.parsed, {
      progress,
      glossary: glossary.entries,
      site: parsed.site,
      pages: parsed.pages,
      structure: parsed.structure,
    });
    const t3 = performance.now();
    const record: SeedRecord = {
      fingerprint,
      at: new Date().toISOString(),
      documents: documents.length,
      totalS: seconds(t0, t3),
      parseS: seconds(t0, t1),
      migrateS: seconds(t1, t2),
      cardsS: seconds(t2, lastCard),
      writeS: seconds(lastCard, t3),
    };
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
    log(`seeded in ${record.totalS.toFixed(1)} s (cards ${record.cardsS.toFixed(1)} s)`);
    return record;
  } finally {
    client.close();
  }
}
