/**
 * The seed of one document of the largest size (DOCUMENT_MAX_BYTES) in the worst shapes for the
 * search index, against an ordinary one of the same size: its seed time and how much the database
 * grew. The index makes parts of every word and finds glossary names by word positions, so what it
 * costs depends on the words' length and repetition, not only on the bytes: one 20,000-letter word
 * once grew the database by 878 MB, and 40,000 × "a." took 51 s.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededLetters } from '../pipeline/generated-documents.ts';
import { openClient, ROOT } from '../pipeline/libsql.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { DOCUMENT_MAX_BYTES } from '../schema/document.ts';
import { log } from './settings.ts';

export interface WorstDocumentRow {
  shape: string;
  bytes: number;
  seedS: number;
  /** The database file and its write-ahead log after the seed, less before it. */
  growthBytes: number;
}

/**
 * A document of a worst shape may take at most this many times the ordinary document's seed time,
 * and grow the database by at most this many times as much (distinct words each add their own index
 * terms and stems, so some growth beyond the ordinary text, which repeats its words, is fair).
 */
export const WORST_DOCUMENT_GOAL = { time: 3, growth: 4 };

/** Each worst shape's time and growth over the ordinary document's (the first row). */
export function worstDocumentRatios(rows: WorstDocumentRow[]) {
  const [ordinary, ...worst] = rows;
  return worst.map((row) => {
    const time = ordinary ? row.seedS / ordinary.seedS : Number.NaN;
    const growth = ordinary ? row.growthBytes / ordinary.growthBytes : Number.NaN;
    return {
      row,
      time,
      growth,
      met: time <= WORST_DOCUMENT_GOAL.time && growth <= WORST_DOCUMENT_GOAL.growth,
    };
  });
}

const HEAD = 'Een document van de grootste omvang\n\n';
const TAIL = '\n\nGeplaatst op dinsdag 5 maart 2019\n';
/** Room for the body: the whole file stays within the limit. */
const BODY_BYTES = DOCUMENT_MAX_BYTES - HEAD.length - TAIL.length - 16;

/** `unit` repeated until the body holds BODY_BYTES. */
const fill = (unit: string) => unit.repeat(Math.floor(BODY_BYTES / Buffer.byteLength(unit)));

/** The bodies of bench/search/'s Dutch articles, one after another until the body is full. */
function ordinaryBody(): string {
  const dir = join(ROOT, 'bench', 'search', 'articles');
  const paragraphs = readdirSync(dir)
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n\n')
        .slice(1, -1)
        .filter((block) => block.length > 80),
    );
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < BODY_BYTES - 2000; i++) {
    const paragraph = paragraphs[i % paragraphs.length] as string;
    out.push(paragraph);
    bytes += Buffer.byteLength(paragraph) + 2;
  }
  return out.join('\n\n');
}

/** The shapes: each a body of about BODY_BYTES. */
function shapes(): { shape: string; body: string }[] {
  const longWords = Array.from({ length: Math.floor(BODY_BYTES / 41) }, (_, i) => seededLetters(40, i + 1));
  return [
    { shape: 'ordinary Dutch text', body: ordinaryBody() },
    { shape: 'one word of every letter', body: seededLetters(BODY_BYTES, 7) },
    { shape: 'the shortest word repeated ("a. ")', body: fill('a. ') },
    { shape: 'distinct 40-letter words', body: longWords.join(' ') },
  ];
}

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** The write-ahead log into the file, so that its size is what the database keeps. */
async function checkpoint(url: string) {
  const client = openClient(url);
  try {
    await client.execute('pragma wal_checkpoint(truncate)');
  } finally {
    client.close();
  }
}

/** Seeds each shape alone into a new database in `dir`. */
export async function seedWorstDocuments(dir: string): Promise<WorstDocumentRow[]> {
  const rows: WorstDocumentRow[] = [];
  for (const [i, { shape, body }] of shapes().entries()) {
    const folder = join(dir, `worst-${i}`);
    const db = join(dir, `worst-${i}.db`);
    const clean = () => {
      rmSync(folder, { recursive: true, force: true });
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    };
    clean();
    mkdirSync(folder, { recursive: true });
    const text = `${HEAD}${body}${TAIL}`;
    writeFileSync(join(folder, 'document.txt'), text);
    const url = `file:${db}`;
    try {
      // A first seed of an ordinary small document migrates and writes what every seed writes.
      writeFileSync(join(folder, 'small.txt'), `Een klein document\n\nEen alinea.${TAIL}`);
      const document = join(folder, 'document.txt');
      rmSync(document);
      const first = await seedSource(folder, url);
      if (!first.ok) throw new Error(`worst documents: ${first.problems.join('\n')}`);
      writeFileSync(document, text);
      await checkpoint(url);
      const before = sizeOf(db) + sizeOf(`${db}-wal`);
      const t0 = performance.now();
      const outcome = await seedSource(folder, url);
      const seedS = (performance.now() - t0) / 1000;
      if (!outcome.ok) throw new Error(`worst documents: ${shape}: ${outcome.problems.join('\n')}`);
      await checkpoint(url);
      const row = {
        shape,
        bytes: Buffer.byteLength(text),
        seedS,
        growthBytes: sizeOf(db) + sizeOf(`${db}-wal`) - before,
      };
      log(`worst documents: ${shape}: ${seedS.toFixed(2)} s, +${(row.growthBytes / 1024).toFixed(0)} KiB`);
      rows.push(row);
    } finally {
      clean();
    }
  }
  return rows;
}
