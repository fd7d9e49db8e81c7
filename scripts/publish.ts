// `npm run publish [-- --source DIR] [--prune]`: migrate and seed the configured database
// (LIBSQL_URL), its images and downloads through SITE_URL's PUT /admin/media/{key} (bearer
// PURGE_TOKEN), then purge what changed from Workers Cache through the site's POST /admin/purge
// (SITE_URL, default the [vars] SITE_URL of wrangler.toml), then check the link previews of every
// inserted or updated public article and content page on SITE_URL as each crawler fetches them
// (pipeline/unfurl-check.ts). `--prune` removes the media nothing names, after the purge. Exit code 1
// when the seed, the purge or the prune fails, when a preview would break, and when SITE_URL cannot
// be reached for the check, unless PREVIEW_CHECK=if-reachable: then an unreachable site (CI, no
// network) skips the check with a notice. The content is published either way: the check looks at
// what the site now serves.
import { localMediaTarget } from '../dev/local-media.ts';
import { SITE_URL } from '../dev/site-origin.ts';
import { changedUrls } from '../pipeline/changed-urls.ts';
import { openClient } from '../pipeline/libsql.ts';
import { workerMediaBucket } from '../pipeline/media-upload.ts';
import { runMediaPrune, runSeed } from '../pipeline/seed-command.ts';
import { purgeTargetOf, type SeedSummary } from '../pipeline/seed-database.ts';
import { checkPreviews, formatReport } from '../pipeline/unfurl-check.ts';

const previewCheck = process.env.PREVIEW_CHECK || 'required';
if (previewCheck !== 'required' && previewCheck !== 'if-reachable') {
  console.error(`PREVIEW_CHECK is "${previewCheck}": use required (the default) or if-reachable`);
  process.exit(1);
}
const siteUrl = (process.env.SITE_URL || SITE_URL).replace(/\/+$/, '');

/** POST /admin/purge with what changed; false when the site refused or could not be reached. */
async function purge(summary: SeedSummary): Promise<boolean> {
  const target = purgeTargetOf(summary);
  if (!target) {
    console.log('nothing to purge');
    return true;
  }
  const token = process.env.PURGE_TOKEN;
  const what = 'tags' in target ? `tags ${target.tags.join(', ')}` : 'everything';
  if (!token) {
    console.log(
      `not purged (${what}): PURGE_TOKEN is not set. Workers Cache serves the old pages for up to 60 s; ` +
        'the Worker itself shows the new content within seconds.',
    );
    return true;
  }
  try {
    const response = await fetch(`${siteUrl}/admin/purge`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(target),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json().catch(() => null)) as {
      workersCache?: string;
      purged?: boolean;
    } | null;
    if (!response.ok) {
      console.error(`purge at ${siteUrl} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
      return false;
    }
    const state =
      body?.workersCache === 'unavailable'
        ? 'no Workers Cache there (a local run); the Worker follows the new content version'
        : 'Workers Cache purged';
    console.log(`purged ${what} at ${siteUrl}: ${state}`);
    return true;
  } catch (error) {
    console.error(`purge at ${siteUrl} failed: ${error instanceof Error ? error.message : error}`);
    return false;
  }
}

/** The link previews of the changed articles and pages; false when one would break or nothing could be checked. */
async function checkChanged(urls: string[]): Promise<boolean> {
  if (urls.length === 0) return true;
  console.log(`checking the link previews of ${urls.length} changed article(s) and page(s) on ${siteUrl}`);
  let good = true;
  for (const url of urls) {
    const report = await checkPreviews(url);
    if (!report.reachable) {
      const reason = report.results[0]?.checks.status.note ?? 'no answer';
      const skipped = previewCheck === 'if-reachable';
      console.error(
        [
          '',
          `!!! LINK PREVIEWS NOT CHECKED: ${siteUrl} cannot be reached (${reason}).`,
          skipped
            ? '!!! PREVIEW_CHECK=if-reachable: skipped. Check them once the site is up:'
            : '!!! The content is published. Check the previews once the site is up (or set PREVIEW_CHECK=if-reachable where it cannot be reached):',
          `!!!   npm run unfurl -- ${urls.join(' ')}`,
          '',
        ].join('\n'),
      );
      return skipped;
    }
    console.log(formatReport(report));
    good &&= report.ok;
  }
  console.log(good ? 'every link preview is fine' : 'some link previews would break: see FAIL above');
  return good;
}

// Images and downloads go to the site's MEDIA bucket through PUT /admin/media/{key}; without
// PURGE_TOKEN, to a local database's local bucket as `npm run seed` does (docs/media.md).
const mediaToken = process.env.PURGE_TOKEN;
const { summary, url, prune, media } = await runSeed((url) =>
  mediaToken
    ? { bucket: workerMediaBucket(siteUrl, mediaToken), where: `the bucket of ${siteUrl}` }
    : localMediaTarget(url),
);
const purged = await purge(summary);
// Pruned after the purge: no page the site still has cached names an object that is gone.
const pruned = purged && (!prune || (await runMediaPrune(url, media)));
if ('close' in media) await media.close?.();
if (!pruned) process.exit(1);
const client = openClient(url);
const urls = await changedUrls(client, summary, siteUrl).finally(() => client.close());
process.exit((await checkChanged(urls)) ? 0 : 1);
