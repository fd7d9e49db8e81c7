// The command-line flow shared by `npm run seed` and `npm run publish`: read, validate, migrate,
// seed, report. Problems end the process with exit code 1 and the database as it was.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { previewPath } from '../schema/preview.ts';
import { formatLongDate } from '../worker/lib/dates.ts';
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

/**
 * Drafts and scheduled articles, so that an editor sees what is not public yet and when it will be;
 * with PREVIEW_TOKEN set (the Worker's secret), each with its preview link on SITE_URL.
 */
async function unpublished(summary: SeedSummary): Promise<string[]> {
  const secret = process.env.PREVIEW_TOKEN;
  const origin = (process.env.SITE_URL ?? '').replace(/\/+$/, '');
  const link = async (slug: string) =>
    secret ? ` — voorbeeld: ${origin}${await previewPath(secret, slug)}` : '';
  const lines: string[] = [];
  for (const draft of summary.drafts) {
    lines.push(`draft (not public): ${draft.slug} (${draft.file})${await link(draft.slug)}`);
  }
  for (const item of summary.scheduled) {
    lines.push(
      `scheduled: ${item.slug} goes live on ${formatLongDate(item.publishedAt)} at 00:00 Europe/Amsterdam${await link(item.slug)}`,
    );
  }
  return lines;
}

function report(summary: SeedSummary, documents: number): string {
  const lines = [
    `${documents} documents: ${summary.inserted.length} inserted, ${summary.updated.length} updated, ${summary.unchanged} unchanged` +
      (summary.pruned.length ? `, ${summary.pruned.length} pruned` : ''),
  ];
  if (summary.cards) lines.push(`${summary.cards} social card(s) rendered`);
  if (summary.site.length) lines.push(`site: ${summary.site.join(', ')} updated`);
  for (const notice of summary.notices) lines.push(`notice: ${notice}`);
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
  const parsed = parseDocuments(files);
  if (!parsed.ok) {
    for (const problem of parsed.problems) console.error(formatProblem(problem));
    fail(`${parsed.problems.length} problem(s); nothing was written`);
  }
  if (parsed.parsed.length === 0) fail(`no *.txt or *.md documents in ${source}`);

  const client = openClient(url);
  try {
    await migrateDatabase(client);
    const summary = await seedDatabase(client, parsed.parsed, {
      prune: values.prune,
      progress,
      site: parsed.site,
    });
    console.log(`seeded ${describeUrl(url)}\n${report(summary, parsed.parsed.length)}`);
    for (const line of await unpublished(summary)) console.log(line);
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
