// `npm run check:content [-- --source DIR] [--base DIR] [--format plain|github] [--root DIR]`: every
// validation the seed runs on content-seed/ (or DIR), without a database, a network or a write; with
// --base, every address of that content folder (a pull request's base) that would move or answer 404.
// --format github prints GitHub Actions workflow commands (annotations on the lines), with paths
// relative to --root (default: this repository), and appends a summary to $GITHUB_STEP_SUMMARY.
// Exit code 1 on a problem, 0 otherwise.
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent } from '../pipeline/check-content.ts';
import { formatGithub, formatPlain, stepSummary } from '../pipeline/check-report.ts';
import { ROOT } from '../pipeline/libsql.ts';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    base: { type: 'string' },
    format: { type: 'string', default: 'plain' },
    root: { type: 'string' },
  },
});
if (values.format !== 'plain' && values.format !== 'github') {
  console.error(`--format ${values.format}: use plain (the default) or github`);
  process.exit(1);
}
const source = resolve(values.source ?? join(ROOT, 'content-seed'));
const root = resolve(values.root ?? ROOT);
const check = await checkContent(source, values.base === undefined ? undefined : resolve(values.base));

if (values.format === 'github') {
  console.log(formatGithub(check, root));
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, stepSummary(check, root));
} else {
  console.log(formatPlain(check));
}
process.exit(check.ok ? 0 : 1);
