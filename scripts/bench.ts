// `npm run bench [-- --quick] [--fresh] [--peers | --peers-only]`: the benchmark of the caching. Runs the built Worker
// (dist/index.js) in workerd through Miniflare against the local libSQL server and prints one report
// (small markdown tables under one heading, every number from this run) on stdout; progress goes to
// stderr. Writes the report as bench/results/latest.md and latest.json (--quick: quick.md, quick.json).
//
//   1. req/s and p50/p99 latency at 64 connections: a static asset of the article page's size from
//      workerd (the floor) and from nginx (when installed), home, article (L1 cache hit and cache off),
//      API article, search; with the X-Cache values seen and libSQL requests per HTTP request.
//   2. Time to first byte of an article, miss and hit, with an 80 ms simulated database round trip.
//   3. Scale: home, a deep news page and a search at 10 vs 10,000 articles (cache off), seed time and
//      database size. The seeded database is kept in bench/tmp/ and reused while the documents, the
//      migrations, the seed and the parser are unchanged; --fresh seeds it anew.
//   4. The bundle's gzip size and the Worker's startup time.
//   7. Images: 2,000 photos across the 10,000 articles seeded into the Worker's R2 (first seed, a
//      second that processes nothing, one changed image), and an article with images served.
//   6. With --peers (opt-in: it installs them, apt-get and npm): Ghost and WordPress serving the same
//      two articles, measured the same way (bench/peers.ts). --peers-only runs only that section and
//      writes bench/results/peers.md and peers.json.
//
// --quick: 1,000 articles instead of 10,000, shorter load runs and fewer samples.
// The sections live in bench/ (run.ts runs them, report.ts writes the report).

import { parseArgs } from 'node:util';
import { stopAll, stopOnExit } from '../bench/owned.ts';
import { runBench, runPeersOnly } from '../bench/run.ts';
import { log } from '../bench/settings.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    'peers-only': { type: 'boolean', default: false },
  },
  strict: true,
});

stopOnExit();
try {
  if (values['peers-only']) await runPeersOnly(values);
  else await runBench(values);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
process.exit();
