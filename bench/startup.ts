/** 4. The bundle's gzip size and the Worker's startup time. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { httpGet, median } from '../dev/load.ts';
import { WRANGLER_ENV } from '../dev/local-worker.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, log, TMP } from './settings.ts';

export type BundleSize = ReturnType<typeof bundleSize>;
export type StartupTimes = Awaited<ReturnType<typeof startupTimes>>;

/** The built Worker's size (run buildWorker first), minified and gzipped. */
export function bundleSize() {
  const bundleBytes = readFileSync(join(ROOT, 'dist', 'index.js'));
  return {
    bytes: bundleBytes.length,
    gzipBytes: gzipSync(bundleBytes).length,
    goalBytes: 100 * 1024,
  };
}

/** CPU time of the Worker's startup phase (module evaluation), from `wrangler check startup`'s profile. */
function startupProfileMs(): number {
  const outfile = join(TMP, 'startup.cpuprofile');
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'check', 'startup', '--outfile', outfile],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...WRANGLER_ENV } },
  );
  if (run.status !== 0) throw new Error(`wrangler check startup failed:\n${run.stdout}${run.stderr}`);
  const profile = JSON.parse(readFileSync(outfile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  // As wrangler sums it: the time of every sample that is not idle (µs).
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let active = 0;
  profile.samples.forEach((node, i) => {
    if (!idle.has(node)) active += profile.timeDeltas[i] ?? 0;
  });
  return active / 1000;
}

/** Miniflare start to first response of the bundle and of a trivial Worker, and the startup profile. */
export async function startupTimes(settings: BenchSettings, file: string) {
  const db = await database(file);
  const trivial = join(TMP, 'trivial-worker.js');
  writeFileSync(trivial, 'export default { fetch() { return new Response("ok"); } };\n');
  const timeStart = async (scriptPath?: string) => {
    const t0 = performance.now();
    const w = await worker({ libsqlUrl: db.url, scriptPath, bindings: { L1_CACHE: 'off' } });
    const response = await httpGet(`${w.url}/robots.txt`);
    const elapsed = performance.now() - t0;
    await w.stop();
    if (response.status !== 200) throw new Error(`/robots.txt answered ${response.status}`);
    return elapsed;
  };
  const bundle: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < settings.startups; i++) {
    bundle.push(await timeStart());
    baseline.push(await timeStart(trivial));
  }
  await db.stop();
  const profiles: number[] = [];
  for (let i = 0; i < settings.profiles; i++) {
    log(`startup profile ${i + 1}/${settings.profiles} (wrangler check startup)`);
    profiles.push(startupProfileMs());
  }
  return {
    miniflareMs: median(bundle),
    baselineMs: median(baseline),
    runs: settings.startups,
    profileActiveMs: median(profiles),
    profileRuns: settings.profiles,
    samples: { bundle, baseline, profiles },
  };
}
