/**
 * Publishing one change into the large database: what `npm run publish` does before it reaches the
 * network (read every document from disk, parse, migrate, seed, the purge target and the changed
 * URLs), on a copy of the seeded database, for a reseed with nothing changed, an edited body (no new
 * card) and an edited title (one new card, a new slug and its redirect).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { changedUrls } from '../pipeline/changed-urls.ts';
import { openClient, ROOT } from '../pipeline/libsql.ts';
import type { DocumentInput } from '../pipeline/parse-document.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { purgeTargetOf } from '../pipeline/seed-database.ts';
import type { BenchDatabase } from './databases.ts';
import { log } from './settings.ts';

/** The goal for one changed document in the large database: seed plus purge list. */
export const PUBLISH_GOAL_S = 3;

interface PublishRow {
  change: string;
  /** seedSource: read, parse, migrate, seed. */
  seedS: number;
  /** purgeTargetOf and changedUrls. */
  purgeListS: number;
  totalS: number;
  inserted: number;
  updated: number;
  cards: number;
  purge: string;
}

export interface PublishResult {
  documents: number;
  rows: PublishRow[];
}

const textOf = (doc: DocumentInput) =>
  'bytes' in doc ? Buffer.from(doc.bytes).toString('utf8') : 'text' in doc ? doc.text : doc.problem.message;

/** The seed and purge list of `documents` (one of them edited by `edit`) on a copy of `large`. */
export async function publishOneChange(
  large: BenchDatabase,
  documents: DocumentInput[],
  options: { dir: string },
): Promise<PublishResult> {
  const source = join(options.dir, `publish-docs-${documents.length}`);
  const copy = join(options.dir, 'publish-copy.db');
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  const files = documents.map((doc) => ({ name: basename(doc.file), text: textOf(doc) }));
  for (const file of files) writeFileSync(join(source, file.name), file.text);
  // The large database was seeded with content-seed/'s glossary: without it here, every article
  // that names a glossary term would change its search text, and "nothing changed" would not hold.
  copyFileSync(join(ROOT, 'content-seed', 'glossary.yaml'), join(source, 'glossary.yaml'));
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  copyFileSync(large.file, copy);
  if (existsSync(`${large.file}-wal`)) copyFileSync(`${large.file}-wal`, `${copy}-wal`);

  // A generated document in the middle: its body ends in "(N).", its title is "Bericht nummer N".
  const target = files[Math.floor(files.length / 2)];
  if (!target || !/^Bericht nummer \d+$/m.test(target.text)) {
    throw new Error('publish: the middle document is not a generated one');
  }
  const edits: { change: string; text: string | null }[] = [
    { change: 'nothing changed (a second publish)', text: null },
    {
      change: 'the body of one document',
      text: target.text.replace(/^(Meer tekst over banen \(\d+\))\.$/m, '$1, bijgewerkt.'),
    },
    {
      change: 'the title of one document (new card, new slug)',
      text: target.text.replace(/^(Bericht nummer \d+)$/m, '$1 bijgewerkt'),
    },
  ];
  const url = `file:${copy}`;
  const rows: PublishRow[] = [];
  try {
    for (const edit of edits) {
      if (edit.text !== null) {
        if (edit.text === target.text) throw new Error(`publish: the edit "${edit.change}" changed nothing`);
        target.text = edit.text;
        writeFileSync(join(source, target.name), edit.text);
      }
      const t0 = performance.now();
      const outcome = await seedSource(source, url);
      const t1 = performance.now();
      if (!outcome.ok) throw new Error(`publish: ${outcome.problems.join('\n')}`);
      const target_ = purgeTargetOf(outcome.summary);
      const client = openClient(url);
      try {
        await changedUrls(client, outcome.summary, 'https://bench.invalid');
      } finally {
        client.close();
      }
      const t2 = performance.now();
      const row: PublishRow = {
        change: edit.change,
        seedS: (t1 - t0) / 1000,
        purgeListS: (t2 - t1) / 1000,
        totalS: (t2 - t0) / 1000,
        inserted: outcome.summary.inserted.length,
        updated: outcome.summary.updated.length,
        cards: outcome.summary.cards,
        purge: target_ === null ? 'nothing' : 'tags' in target_ ? target_.tags.join(', ') : 'everything',
      };
      log(`publish: ${row.change}: ${row.totalS.toFixed(2)} s (${row.cards} card(s), purge ${row.purge})`);
      rows.push(row);
    }
  } finally {
    rmSync(source, { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
  return { documents: documents.length, rows };
}
