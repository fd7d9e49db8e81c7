/**
 * npm run audit -- [--base=URL] [--json] [URL or /path ...]
 *
 * Runs Lighthouse (mobile profile) on each URL, one after the other, and prints the performance,
 * accessibility, best-practices and seo scores as a table, then the audits that fell short.
 * Paths starting with `/` are taken relative to --base (default http://127.0.0.1:8787, where
 * `npm start` / `wrangler dev` serve); without URLs the home page and the newest article (from
 * the site's `/api/articles?limit=1`) are audited. Example:
 *
 *   npm run audit -- / /banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen
 *
 * Exits 1 when a page could not be audited. About 10 s per URL.
 */
import { parseArgs } from 'node:util';
import { defaultAuditUrls, formatAuditTable, runAudit } from '../dev/lighthouse.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:8787' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run audit -- [--base=URL] [--json] [URL or /path ...]');
  process.exit(0);
}

let urls: string[];
if (positionals.length > 0) {
  urls = positionals.map((arg) => new URL(arg, values.base).href);
} else {
  try {
    urls = await defaultAuditUrls(values.base);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`cannot ask ${values.base} for its newest article, is the site running? ${error}${cause}`);
    process.exit(1);
  }
  if (urls.length === 1) console.error('the site has no articles: auditing the home page only');
}

const results = await runAudit(urls, {
  onResult: (result) => {
    if (!values.json) console.error(`audited ${result.url} in ${(result.durationMs / 1000).toFixed(1)} s`);
  },
});

if (values.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log(formatAuditTable(results));
  for (const result of results) {
    if (result.runtimeError) console.log(`\n${result.url}: could not audit: ${result.runtimeError}`);
    if (result.issues.length > 0) {
      console.log(`\n${result.url}:`);
      for (const issue of result.issues)
        console.log(`  ${issue.category}: ${issue.id} (${issue.score}) ${issue.title}`);
    }
    for (const warning of result.warnings) console.log(`  warning: ${warning}`);
  }
}

process.exitCode = results.some((result) => result.runtimeError) ? 1 : 0;
