/**
 * npm run audit -- [--base=URL] [--json] [URL or /path ...]
 *
 * Runs Lighthouse (mobile profile) on each URL, one after the other, and prints the performance,
 * accessibility, best-practices and seo scores as a table, then the audits that fell short.
 * Paths starting with `/` are taken relative to --base (default http://127.0.0.1:8787, where
 * `npm start` / `wrangler dev` serve); without URLs the home page is audited. Example:
 *
 *   npm run audit -- / /nieuws/some-article
 *
 * Exits 1 when a page could not be audited. About 10 s per URL.
 */
import { parseArgs } from 'node:util';
import { formatAuditTable, runAudit } from './lib/audit.ts';

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

const urls = (positionals.length > 0 ? positionals : ['/']).map((arg) => new URL(arg, values.base).href);

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
