/**
 * 4. The bundle's gzip size and the Worker's startup time, and what each is made of: the bundle's
 * bytes by package or folder (esbuild's metafile of the build), the startup CPU profile's samples
 * by where they ran (`wrangler check startup`, mapped through the bundle's source map).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { httpGet, median } from '../dev/load.ts';
import { BUNDLE_META, WRANGLER_ENV } from '../dev/local-worker.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { startupHarnesses, trivialWorkerScript } from './harness-workers.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, log, TMP } from './settings.ts';
import { buildHarness, v8Startup } from './startup-v8.ts';

export type BundleSize = ReturnType<typeof bundleSize>;
export type StartupTimes = Awaited<ReturnType<typeof startupTimes>>;

// Issue 22: no larger than before pages and media landed, and a cold start under 15 ms.
const BUNDLE_GOAL_BYTES = Math.round(85.3 * 1024);
const STARTUP_GOAL_MS = 15;
/** Contributors listed by name; the rest are summed. */
const TOP = 8;

const BUNDLE = join(ROOT, 'dist', 'index.js');

/** A source file's contributor: its npm package, or its folder (worker/routes), or itself (worker/queries.ts). */
export function contributorOf(source: string): string {
  // drizzle-orm publishes source maps that point at its repository's ../src/, so the bundle's map
  // names its files node_modules/src/…; no other package in the bundle does.
  if (/(?:^|\/)node_modules\/src\//.test(source)) return 'drizzle-orm';
  const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inPackage) return inPackage[1] as string;
  const parts = source.replace(/^(\.\.\/)+/, '').split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/');
}

/** The biggest first, then the rest summed into one. */
function topOf<T extends { name: string }>(
  entries: Map<string, number>,
  key: (value: number) => Omit<T, 'name'>,
): T[] {
  const sorted = [...entries].sort((a, b) => b[1] - a[1]);
  const rest = sorted.slice(TOP).reduce((sum, [, value]) => sum + value, 0);
  const listed = sorted.slice(0, TOP).map(([name, value]) => ({ name, ...key(value) }) as T);
  return rest > 0 ? [...listed, { name: `${sorted.length - TOP} others`, ...key(rest) } as T] : listed;
}

/**
 * What each contributor costs in gzip bytes: the bundle's gzip size less that of the bundle without
 * the contributor's bytes (found through the source map). Gzip is not additive, so these do not sum
 * to the total; each says what leaving that contributor out would save.
 */
function gzipCosts(code: string, map: SourceMap): Map<string, number> {
  const lines = code.split('\n');
  // Per line, the contributor of each generated column (null: unmapped).
  const owners = lines.map((line, lineNumber) => {
    const owner: (string | null)[] = new Array(line.length).fill(null);
    for (let column = 0; column < line.length; column++) {
      const entry = map.findEntry(lineNumber, column);
      if (entry && 'originalSource' in entry && entry.generatedLine === lineNumber) {
        owner[column] = contributorOf(entry.originalSource);
      }
    }
    return owner;
  });
  const total = gzipSync(code).length;
  const names = new Set(owners.flat().filter((name): name is string => name !== null));
  const costs = new Map<string, number>();
  for (const name of names) {
    const rest = lines
      .map((line, i) => [...line].filter((_, column) => owners[i]?.[column] !== name).join(''))
      .join('\n');
    costs.set(name, total - gzipSync(rest).length);
  }
  return costs;
}

/** The built Worker's size (run buildWorker first), minified and gzipped, and its biggest parts. */
export function bundleSize() {
  const bundleBytes = readFileSync(BUNDLE);
  const parts = new Map<string, number>();
  if (existsSync(BUNDLE_META)) {
    const meta = JSON.parse(readFileSync(BUNDLE_META, 'utf8')) as {
      outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }>;
    };
    const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('index.js'))?.[1];
    for (const [source, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const name = contributorOf(source);
      parts.set(name, (parts.get(name) ?? 0) + bytesInOutput);
    }
  }
  const mapFile = `${BUNDLE}.map`;
  const costs = existsSync(mapFile)
    ? gzipCosts(bundleBytes.toString('utf8'), new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))))
    : new Map<string, number>();
  return {
    bytes: bundleBytes.length,
    gzipBytes: gzipSync(bundleBytes).length,
    goalBytes: BUNDLE_GOAL_BYTES,
    /** Minified bytes in the bundle by package or folder (esbuild's metafile), biggest first. */
    composition: topOf<{ name: string; bytes: number }>(parts, (bytes) => ({ bytes })),
    /** Gzip bytes each contributor costs (gzipCosts), biggest first. */
    gzipCosts: topOf<{ name: string; bytes: number }>(costs, (bytes) => ({ bytes })),
  };
}

/** A V8 CPU profile (DevTools Profiler), as wrangler check startup and the inspector write it. */
export interface Profile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * CPU time of the Worker's startup phase (module evaluation), from `wrangler check startup`'s
 * profile, and where its samples ran. That command builds the bundle as deploy does, so the
 * positions are those of dist/index.js and its source map.
 */
function startupProfile(map: SourceMap | null, cwd = ROOT): { activeMs: number; parts: Map<string, number> } {
  const outfile = join(TMP, 'startup.cpuprofile');
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'check',
      'startup',
      '--cwd',
      cwd,
      '--outfile',
      outfile,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...WRANGLER_ENV } },
  );
  if (run.status !== 0) throw new Error(`wrangler check startup failed:\n${run.stdout}${run.stderr}`);
  const profile = JSON.parse(readFileSync(outfile, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parts = new Map<string, number>();
  // As wrangler sums it: the time of every sample that is not idle (µs).
  let active = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    active += us;
    let name: string;
    if (frame.functionName.startsWith('(')) name = `${frame.functionName}: compiling, the runtime`;
    else if (frame.lineNumber < 0) name = "the bundle's top level (module evaluation)";
    else {
      const source = map?.findEntry(frame.lineNumber, frame.columnNumber);
      name =
        source && 'originalSource' in source ? contributorOf(source.originalSource) : 'the bundle (unmapped)';
    }
    parts.set(name, (parts.get(name) ?? 0) + us / 1000);
  });
  return { activeMs: active / 1000, parts };
}

/** Miniflare start to first response of the bundle and of a trivial Worker, and the startup profile. */
export async function startupTimes(settings: BenchSettings, file: string) {
  const db = await database(file);
  const trivial = trivialWorkerScript();
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
  const mapFile = `${BUNDLE}.map`;
  const map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
  const profiles: number[] = [];
  const parts = new Map<string, number>();
  for (let i = 0; i < settings.profiles; i++) {
    log(`startup profile ${i + 1}/${settings.profiles} (wrangler check startup)`);
    const profile = startupProfile(map);
    profiles.push(profile.activeMs);
    for (const [name, ms] of profile.parts) parts.set(name, (parts.get(name) ?? 0) + ms / settings.profiles);
  }
  const profileActiveMs = median(profiles);
  // The same measure with nothing in the Worker, and with only the libraries the team keeps.
  const harnesses = startupHarnesses();
  const floors = { trivial: [] as number[], libraries: [] as number[] };
  for (let i = 0; i < settings.profiles; i++) {
    log(`startup profile ${i + 1}/${settings.profiles}: a trivial Worker, the libraries alone`);
    floors.trivial.push(startupProfile(null, harnesses.trivial).activeMs);
    floors.libraries.push(startupProfile(null, harnesses.libraries).activeMs);
  }
  const v8Runs = settings.profiles * 8;
  log(`startup in V8: ${v8Runs} compiles and evaluations of each bundle`);
  const v8 = {
    runs: v8Runs,
    node: process.versions.node,
    worker: v8Startup(BUNDLE, v8Runs),
    libraries: v8Startup(buildHarness(harnesses.libraries), v8Runs),
  };
  return {
    miniflareMs: median(bundle),
    baselineMs: median(baseline),
    runs: settings.startups,
    profileActiveMs,
    profileRuns: settings.profiles,
    goalMs: STARTUP_GOAL_MS,
    met: profileActiveMs <= STARTUP_GOAL_MS,
    /** Mean ms per profile by where the samples ran, biggest first (samples are about 1 ms apart). */
    composition: topOf<{ name: string; ms: number }>(parts, (ms) => ({ ms })),
    /** Medians of the same measure for a trivial Worker and for the libraries alone (bench/harness-workers.ts). */
    trivialMs: median(floors.trivial),
    librariesMs: median(floors.libraries),
    /** Compile and evaluation in this Node's V8, without sampling (bench/startup-v8.ts). */
    v8,
    samples: { bundle, baseline, profiles, ...floors },
  };
}
