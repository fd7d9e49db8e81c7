// `npm run bench:search`: this site's search and Pagefind side by side on the Dutch articles and
// queries of bench/search/ (recall@10 and MRR, every query), printed on stdout and written to
// bench/results/search.md and search.json. Progress goes to stderr. About half a minute.
import { loadavg } from 'node:os';
import { stopAll, stopOnExit } from '../bench/owned.ts';
import { searchQuality } from '../bench/search-quality.ts';
import { searchReport, writeSearchReport } from '../bench/search-report.ts';
import { log } from '../bench/settings.ts';

stopOnExit();
try {
  const loadBefore = loadavg()[0] ?? 0;
  const result = await searchQuality();
  const markdown = searchReport(result, loadBefore);
  writeSearchReport(result, markdown);
  process.stdout.write(markdown);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
process.exit();
