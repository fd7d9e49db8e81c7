// The command-line flow shared by `npm run seed` and `npm run publish`: read, validate, migrate,
// seed, report. Problems end the process with exit code 1 and the database as it was.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readGlossary } from './glossary.ts';
import { DEFAULT_LIBSQL_URL, describeUrl, migrateDatabase, openClient, ROOT } from './libsql.ts';
import { formatProblem, parseDocuments } from './parse-document.ts';
import {
  type Progress,
  readDocuments,
  SeedConflict,
  type SeedSummary,
  seedDatabase,
} from './seed-database.ts';

// Progress on large sets only; one line per thousand documents so logs stay readable.
const progress: Progress = (phase, done, total) => {
  if (total < 1000) return;
  const step = phase === 'write' ? 2000 : 1000;
  if (done % step === 0 || done === total) {
    const label = { read: 'read', cards: 'rendered cards', write: 'wrote' }[phase];
    console.error(`${label} ${done}/${total}`);
  }
};

function report(summary: SeedSummary, documents: number): string {
  const lines = [
    `${documents} documents: ${summary.inserted.length} inserted, ${summary.updated.length} updated, ${summary.unchanged} unchanged` +
      (summary.pruned.length ? `, ${summary.pruned.length} pruned` : ''),
  ];
  if (summary.cards) lines.push(`${summary.cards} social card(s) rendered`);
  if (summary.site.length) lines.push(`site: ${summary.site.join(', ')} updated`);
  if (summary.kept.length) {
    lines.push(
      `kept ${summary.kept.length} article(s) whose document is gone (use --prune): ${summary.kept.join(', ')}`,
    );
  }
  lines.push(summary.changed ? `content version ${summary.contentVersion}` : 'nothing changed');
  return lines.join('\n');
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** `[--source DIR] [--prune]` from the command line, then the whole seed against LIBSQL_URL. */
export async function runSeed(): Promise<{ summary: SeedSummary; url: string }> {
  const { values } = parseArgs({
    options: { source: { type: 'string' }, prune: { type: 'boolean', default: false } },
  });
  const source = values.source ?? join(ROOT, 'content-seed');
  const url = process.env.LIBSQL_URL || DEFAULT_LIBSQL_URL;

  const files = await readDocuments(source, progress).catch((error: Error) =>
    fail(`cannot read ${source}: ${error.message}`),
  );
  if (files.length === 0) fail(`no *.txt documents in ${source}`);
  const parsed = parseDocuments(files);
  const glossary = await readGlossary(source);
  const problems = [...(parsed.ok ? [] : parsed.problems), ...(glossary.ok ? [] : glossary.problems)];
  if (!parsed.ok || !glossary.ok) {
    for (const problem of problems) console.error(formatProblem(problem));
    fail(`${problems.length} problem(s); nothing was written`);
  }

  const client = openClient(url);
  try {
    await migrateDatabase(client);
    const summary = await seedDatabase(client, parsed.parsed, {
      prune: values.prune,
      progress,
      glossary: glossary.entries,
    });
    console.log(`seeded ${describeUrl(url)}\n${report(summary, files.length)}`);
    return { summary, url };
  } catch (error) {
    if (error instanceof SeedConflict) console.error(error.message);
    else
      console.error(`seed failed on ${describeUrl(url)}: ${error instanceof Error ? error.message : error}`);
    return fail('nothing was written');
  } finally {
    client.close();
  }
}
