// `npm run unfurl -- URL…`: fetches each URL the way every link-preview crawler does and checks what
// each needs (pipeline/unfurl-check.ts); a path (`/banenafspraak/…`) is taken on SITE_URL (default
// the [vars] SITE_URL of wrangler.toml). Prints a table per URL; exit code 1 when any preview would
// break or a URL cannot be reached, 2 without URLs (or with an option: it takes none).
import { SITE_URL } from '../dev/site-origin.ts';
import { printable } from '../pipeline/printable.ts';
import { checkPreviews, formatReport } from '../pipeline/unfurl-check.ts';

const base = (process.env.SITE_URL || SITE_URL).replace(/\/+$/, '');
const targets = process.argv.slice(2).filter((arg) => arg !== '--');
if (targets.length === 0 || targets.some((arg) => arg.startsWith('-'))) {
  console.error('usage: npm run unfurl -- URL_OR_PATH [...]');
  process.exit(2);
}

let failed = false;
for (const target of targets) {
  if (!URL.canParse(target, `${base}/`)) {
    console.error(`${printable(target)}: not a URL`);
    failed = true;
    continue;
  }
  const report = await checkPreviews(new URL(target, `${base}/`).href);
  console.log(formatReport(report));
  if (!report.reachable) console.error(`${printable(report.url)}: not reachable, nothing was checked`);
  failed ||= !report.ok;
}
process.exit(failed ? 1 : 0);
