// `npm run publish [-- --source DIR] [--prune]`: migrate and seed the configured database
// (LIBSQL_URL), then purge what changed from Workers Cache through the site's POST /admin/purge
// (SITE_URL, default the [vars] SITE_URL of wrangler.toml; bearer PURGE_TOKEN). Prints what changed
// and what was purged. The Worker's own L1 cache follows the content version within seconds anyway.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import { runSeed } from '../pipeline/seed-command.ts';
import { purgeTargetOf } from '../pipeline/seed-database.ts';

const { summary } = await runSeed();
const target = purgeTargetOf(summary);
if (!target) {
  console.log('nothing to purge');
  process.exit(0);
}

const siteUrl = (
  process.env.SITE_URL ||
  /^SITE_URL\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ||
  ''
).replace(/\/+$/, '');
const token = process.env.PURGE_TOKEN;
const what = 'tags' in target ? `tags ${target.tags.join(', ')}` : 'everything';
if (!token) {
  console.log(
    `not purged (${what}): PURGE_TOKEN is not set. Workers Cache serves the old pages for up to 60 s; ` +
      'the Worker itself shows the new content within seconds.',
  );
  process.exit(0);
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
    process.exit(1);
  }
  const state =
    body?.workersCache === 'unavailable'
      ? 'no Workers Cache there (a local run); the Worker follows the new content version'
      : 'Workers Cache purged';
  console.log(`purged ${what} at ${siteUrl}: ${state}`);
} catch (error) {
  console.error(`purge at ${siteUrl} failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
