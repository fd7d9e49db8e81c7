/**
 * Live editing under `npm start`: every saved change in the documents folder is seeded with the
 * same seed as `npm run seed` (pipeline/seed-command.ts), and what it changed is purged through the
 * local Worker's POST /admin/purge, which also makes the Worker re-read the content version at
 * once (rather than within its few seconds), so that the next reload shows the change. Problems
 * are printed as `file:line: …` and nothing is written: the site keeps the last good content.
 */
import { isAbsolute, relative } from 'node:path';
import type { MediaBucketWriter } from '../pipeline/media-store.ts';
import { workerMediaBucket } from '../pipeline/media-upload.ts';
import { printable } from '../pipeline/printable.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { purgeTargetOf, type SeedSummary } from '../pipeline/seed-database.ts';
import { type ContentWatcher, watchContent } from './content-watcher.ts';

/** The folder as problems name it: relative to the working directory when it is inside it. */
export function displayDir(dir: string): string {
  const inside = relative(process.cwd(), dir);
  return inside === '' ? '.' : inside.startsWith('..') || isAbsolute(inside) ? dir : inside;
}

export interface LiveSite {
  /** The Worker's origin, e.g. http://127.0.0.1:8787. */
  origin: string;
  /** The PURGE_TOKEN the Worker was started with. */
  purgeToken: string;
}

/** Purges what a seed changed; quiet when the Worker is not up yet (it follows the version anyway). */
async function purge(site: LiveSite, summary: SeedSummary): Promise<void> {
  const target = purgeTargetOf(summary);
  if (!target) return;
  try {
    const response = await fetch(`${site.origin}/admin/purge`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.purgeToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(target),
      signal: AbortSignal.timeout(5000),
    });
    await response.body?.cancel();
    if (!response.ok) console.error(`purge at ${site.origin} answered ${response.status}`);
  } catch {
    // Not listening yet: its first requests read the new version anyway.
  }
}

/**
 * One seed of `dir` into `libsqlUrl`, reported; true when it wrote or had nothing to write. With
 * `site` its media go through the local Worker, which owns its simulated R2 (as publish sends them to
 * production); before the Worker runs, to `media` (the storage opened with Miniflare).
 */
export async function seedAndReport(
  dir: string,
  libsqlUrl: string,
  options: { site?: LiveSite; media?: MediaBucketWriter | { missing: string } },
): Promise<boolean> {
  const { site } = options;
  const media = site ? workerMediaBucket(site.origin, site.purgeToken) : options.media;
  const outcome = await seedSource(displayDir(dir), libsqlUrl, { media });
  if (!outcome.ok) {
    for (const line of outcome.problems) console.error(line);
    return false;
  }
  console.log(outcome.report);
  if (site && outcome.summary.changed) await purge(site, outcome.summary);
  return true;
}

/** Watches `dir` and seeds every change (see the top of this file). */
export function liveContent(dir: string, libsqlUrl: string, site: LiveSite): ContentWatcher {
  const name = printable(displayDir(dir));
  return watchContent({
    dir,
    seed: async () => {
      console.log(`${name} changed: seeding`);
      const good = await seedAndReport(dir, libsqlUrl, { site });
      if (!good) console.error(`the site keeps serving the last good content of ${name}`);
    },
    onError: (error) =>
      console.error(`watching ${name} failed: ${error instanceof Error ? error.message : error}`),
  });
}
