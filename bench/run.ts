/**
 * The benchmark, section by section: builds the Worker, seeds (or reuses) a small and a large
 * database from content-seed/ plus generated documents, measures, and writes the report.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { buildWorker } from '../dev/local-worker.ts';
import { readDocuments } from '../pipeline/content-files.ts';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { articlePath } from '../worker/site.ts';
import { benchDatabase } from './databases.ts';
import { seedImages } from './images.ts';
import { peers } from './peers.ts';
import { publishOneChange } from './publish.ts';
import { writePeersReport, writeReport } from './report.ts';
import { runInfo } from './results.ts';
import { scale } from './scale.ts';
import { BENCH_SECTION, benchSettings, log, RESULTS, SMALL_ARTICLES, TMP } from './settings.ts';
import { bundleSize, startupTimes } from './startup.ts';
import { throughput } from './throughput.ts';
import { timeToFirstByte } from './ttfb.ts';
import { RENDER_PROFILE, workerProfiles } from './worker-profile.ts';
import { seedWorstDocuments } from './worst-documents.ts';

/** The documents of content-seed/ and the newest of their articles, the one the article rows request. */
async function seedDocuments() {
  const real = (await readDocuments(join(ROOT, 'content-seed'))).map((doc) => ({
    ...doc,
    file: relative(ROOT, doc.file),
  }));
  const parsedReal = parseDocuments(real);
  if (!parsedReal.ok) throw new Error('content-seed/ does not parse: run npm run seed for the problems');
  const newestReal = parsedReal.parsed
    .map((p) => p.document.article)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0];
  if (!newestReal) throw new Error('content-seed/ holds no documents');
  return {
    real,
    realArticles: parsedReal.parsed.length,
    article: { slug: newestReal.slug, path: articlePath(newestReal) },
  };
}

/** Runs every section and writes bench/results/latest.* (quick: quick.*). Stops nothing: see owned.ts. */
export async function runBench(options: { quick: boolean; fresh: boolean; peers: boolean }) {
  const settings = benchSettings(options.quick);
  mkdirSync(TMP, { recursive: true });
  const loadBefore = loadavg()[0] ?? 0;
  log(`${settings.mode} run; building dist/ (wrangler deploy --dry-run)`);
  buildWorker();
  const bundle = bundleSize();

  const { real, realArticles, article } = await seedDocuments();
  // One a day, ending before the real documents: every article is public. (From 2020 on, most of
  // 10,000 would lie in the future, scheduled and hidden from every page the bench measures.) Every
  // tenth is in the second section of content-seed/site.yaml, whose list the scale rows measure.
  const withGenerated = (total: number) => {
    const count = total - realArticles;
    const start = new Date(Date.parse('2019-01-01T12:00:00Z') - count * 86_400_000).toISOString();
    return [
      ...real,
      ...generatedDocuments(count, start.slice(0, 10)).map((doc, i) => ({
        file: doc.name,
        text: i % 10 === 9 ? `---\nsection: ${BENCH_SECTION}\n---\n${doc.text}` : doc.text,
      })),
    ];
  };
  const dbOptions = { dir: TMP, fresh: options.fresh, log };
  const small = await benchDatabase(`articles-${SMALL_ARTICLES}`, withGenerated(SMALL_ARTICLES), dbOptions);

  const { rows: load, publish: publishUnderLoad } = await throughput(settings, small, article);
  const profiles = await workerProfiles(settings, small.file, [
    { name: 'article (cache hit)', path: article.path, bindings: {} },
    { name: RENDER_PROFILE, path: article.path, bindings: { L1_CACHE: 'off' } },
  ]);
  const ttfb = await timeToFirstByte(settings, small);

  const large = await benchDatabase(
    `articles-${settings.scaleArticles}`,
    withGenerated(settings.scaleArticles),
    dbOptions,
  );
  const scaled = await scale(settings, small, large);
  const publish = await publishOneChange(large, withGenerated(settings.scaleArticles), { dir: TMP });
  const worstDocuments = await seedWorstDocuments(TMP);
  const images = await seedImages(settings, large, withGenerated(settings.scaleArticles), { dir: TMP });

  log('startup');
  const startup = await startupTimes(settings, small.file);
  // Last, so that installing and running them disturbs no other section.
  const peerResults = options.peers ? await peers(settings) : undefined;
  const run = runInfo(loadBefore, loadavg()[0] ?? 0);
  writeReport(
    {
      settings,
      run,
      bundle,
      load,
      profiles,
      publishUnderLoad,
      ttfb,
      small,
      large,
      scale: scaled,
      startup,
      publish,
      worstDocuments,
      images,
      ...(peerResults && { peers: peerResults }),
    },
    options.quick ? 'quick' : 'latest',
  );
}

/** `--peers-only`: section 6 alone, written to bench/results/peers.md and .json (quick: bench/tmp/peers-quick.*). */
export async function runPeersOnly(options: { quick: boolean }) {
  const settings = benchSettings(options.quick);
  mkdirSync(TMP, { recursive: true });
  const loadBefore = loadavg()[0] ?? 0;
  const results = await peers(settings);
  writePeersReport(
    settings,
    results,
    runInfo(loadBefore, loadavg()[0] ?? 0),
    options.quick ? { dir: TMP, name: 'peers-quick' } : { dir: RESULTS, name: 'peers' },
  );
}
