// The command-line flow shared by `npm run seed` and `npm run publish`: read, validate, migrate,
// seed, report. Problems end the process with exit code 1 and the database as it was.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addressKey } from '../schema/addresses.ts';
import { formatLongDate } from '../schema/dates.ts';
import { pagePreviewPath, previewPath } from '../schema/preview.ts';
import { readDocuments, readMediaNames } from './content-files.ts';
import { readGlossary } from './glossary.ts';
import { DEFAULT_LIBSQL_URL, describeUrl, migrateDatabase, openClient, ROOT } from './libsql.ts';
import { type MediaBucket, pruneMedia } from './media-prune.ts';
import type { MediaBucketWriter } from './media-store.ts';
import { formatProblem, parseDocuments } from './parse-documents.ts';
import { printable } from './printable.ts';
import { type Progress, SeedConflict, type SeedSummary, seedDatabase } from './seed-database.ts';
import { seedMedia } from './seed-media.ts';

// Progress on large sets only; one line per thousand documents so logs stay readable. Media take
// seconds each: from five files on, about twenty lines for the run.
const progress: Progress = (phase, done, total) => {
  if (total < (phase === 'media' ? 5 : 1000)) return;
  const step = phase === 'write' ? 2000 : phase === 'media' ? Math.max(1, Math.floor(total / 20)) : 1000;
  if (done % step === 0 || done === total) {
    const label = { read: 'read', media: 'processed media', cards: 'rendered cards', write: 'wrote' }[phase];
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
    lines.push(`draft (not public): ${draft.slug} (${printable(draft.file)})${await link(draft.slug)}`);
  }
  for (const draft of summary.pages?.drafts ?? []) {
    const preview = secret
      ? ` — voorbeeld: ${origin}${await pagePreviewPath(secret, addressKey(draft.path))}`
      : '';
    lines.push(`draft page (not public): ${draft.path} (${printable(draft.file)})${preview}`);
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
  const pages = summary.pages;
  if (pages && pages.inserted.length + pages.updated.length + pages.pruned.length > 0) {
    lines.push(
      `pages (with the indexes above them): ${pages.inserted.length} inserted, ${pages.updated.length} updated` +
        (pages.pruned.length ? `, ${pages.pruned.length} pruned` : ''),
    );
  }
  for (const move of pages?.moved ?? []) lines.push(`moved (the old address answers 301): ${move}`);
  if (pages?.kept.length) {
    lines.push(
      `kept ${pages.kept.length} page(s) whose document is gone (use --prune): ${pages.kept.join(', ')}`,
    );
  }
  if (pages?.structure) lines.push('site: sections, menu or redirects updated');
  if (summary.cards) lines.push(`${summary.cards} social card(s) rendered`);
  if (summary.site.length) lines.push(`site: ${summary.site.join(', ')} updated`);
  for (const notice of summary.notices) lines.push(`notice: ${printable(notice)}`);
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

/** What one seed did: its summary and report, or the problems (`file:line: …`) and nothing written. */
export type SeedOutcome =
  | {
      ok: true;
      summary: SeedSummary;
      report: string;
      /** Media files made anew by this seed, and objects it wrote to the bucket. */
      media: { processed: number; written: number };
    }
  | { ok: false; problems: string[] };

/**
 * The whole seed of `source` into `url` (read, validate, migrate, write), without exiting: the
 * flow of `npm run seed` and `publish`, and of every change `npm start` sees in the documents.
 */
export async function seedSource(
  source: string,
  url: string,
  options: { prune?: boolean; progress?: Progress; media?: MediaBucketWriter | { missing: string } } = {},
): Promise<SeedOutcome> {
  let files: Awaited<ReturnType<typeof readDocuments>>;
  let mediaNames: Set<string>;
  try {
    files = await readDocuments(source, options.progress);
    mediaNames = await readMediaNames(source);
  } catch (error) {
    return {
      ok: false,
      problems: [printable(`cannot read ${source}: ${error instanceof Error ? error.message : error}`)],
    };
  }
  const parsed = parseDocuments(files, mediaNames);
  const glossary = await readGlossary(source);
  if (!parsed.ok || !glossary.ok) {
    const problems = [...(parsed.ok ? [] : parsed.problems), ...(glossary.ok ? [] : glossary.problems)];
    return {
      ok: false,
      problems: [...problems.map(formatProblem), `${problems.length} problem(s); nothing was written`],
    };
  }
  if (parsed.parsed.length + parsed.pages.length === 0) {
    return { ok: false, problems: [`no *.txt or *.md documents in ${printable(source)}`] };
  }
  const client = openClient(url);
  try {
    await migrateDatabase(client);
    const media = await seedMedia(
      client,
      source,
      parsed,
      options.media ?? { missing: 'this seed has no media bucket' },
      options.progress,
    );
    if (!media.ok) {
      return {
        ok: false,
        problems: [
          ...media.problems.map(formatProblem),
          `${media.problems.length} problem(s); nothing was written`,
        ],
      };
    }
    const summary = await seedDatabase(client, media.parsed, {
      prune: options.prune,
      progress: options.progress,
      site: parsed.site,
      glossary: glossary.entries,
      pages: media.pages,
      structure: parsed.structure,
    });
    // The first line counts the articles' documents, as it always has; pages have a line of their own.
    const lines = [`seeded ${describeUrl(url)}`, report(summary, parsed.parsed.length)];
    if (media.processed > 0) {
      lines.push(`${media.processed} media file(s) processed, ${media.written} object(s) stored`);
    }
    for (const notice of parsed.mediaNotices) lines.push(`notice: ${formatProblem(notice)}`);
    lines.push(...(await unpublished(summary)));
    const made = { processed: media.processed, written: media.written };
    return { ok: true, summary, report: lines.join('\n'), media: made };
  } catch (error) {
    const message =
      error instanceof SeedConflict
        ? error.message
        : `seed failed on ${describeUrl(url)}: ${error instanceof Error ? error.message : error}`;
    return { ok: false, problems: [printable(message), 'nothing was written'] };
  } finally {
    client.close();
  }
}

/**
 * Where a command's media go: a bucket (closed by `close` when the command is done), or why there is
 * none, which the seed says at each line that names a file.
 */
export type MediaTarget =
  | {
      bucket: MediaBucket;
      /** Which bucket it is, for the report. */
      where: string;
      close?: () => Promise<void>;
    }
  | { missing: string };

/**
 * `[--source DIR] [--prune]` from the command line, then the whole seed against LIBSQL_URL with the
 * media target `mediaFor` gives for it. On problems it closes the target and exits with code 1.
 */
export async function runSeed(
  mediaFor: (url: string) => MediaTarget,
): Promise<{ summary: SeedSummary; url: string; prune: boolean; media: MediaTarget }> {
  const { values } = parseArgs({
    options: { source: { type: 'string' }, prune: { type: 'boolean', default: false } },
  });
  const source = values.source ?? join(ROOT, 'content-seed');
  const url = process.env.LIBSQL_URL || DEFAULT_LIBSQL_URL;
  const media = mediaFor(url);
  const outcome = await seedSource(source, url, {
    prune: values.prune,
    progress,
    media: 'bucket' in media ? media.bucket : media,
  });
  if (!outcome.ok) {
    if ('close' in media) await media.close?.();
    return fail(outcome.problems.join('\n'));
  }
  console.log(outcome.report);
  return { summary: outcome.summary, url, prune: values.prune, media };
}

/**
 * `--prune` of media after the seed committed (pipeline/media-prune.ts): prints what went; false when
 * it failed (the seed's content stands either way).
 */
export async function runMediaPrune(url: string, media: MediaTarget): Promise<boolean> {
  if (!('bucket' in media)) {
    console.log(`media not pruned: ${media.missing}`);
    return true;
  }
  const client = openClient(url);
  try {
    const pruned = await pruneMedia(client, media.bucket);
    console.log(
      pruned.rows.length + pruned.objects.length === 0
        ? `media: nothing to prune in ${media.where}`
        : `pruned ${pruned.rows.length} media row(s) no article or page names, ${pruned.objects.length} object(s) no row names from ${media.where}`,
    );
    return true;
  } catch (error) {
    console.error(`pruning media failed: ${error instanceof Error ? error.message : error}`);
    return false;
  } finally {
    client.close();
  }
}
