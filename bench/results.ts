/** What a benchmark run measured, as the report and the goals read it, and the run's own facts. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import type { BenchDatabase } from './databases.ts';
import type { ImagesResult } from './images.ts';
import type { PeersResults } from './peers.ts';
import type { PublishResult } from './publish.ts';
import type { ScaleResult } from './scale.ts';
import { type BenchSettings, started } from './settings.ts';
import type { BundleSize, StartupTimes } from './startup.ts';
import type { LoadRow, PublishUnderLoad } from './throughput.ts';
import type { TtfbResults } from './ttfb.ts';
import type { WorkerProfile } from './worker-profile.ts';
import type { WorstDocumentRow } from './worst-documents.ts';

export interface BenchResults {
  settings: BenchSettings;
  run: RunInfo;
  bundle: BundleSize;
  load: LoadRow[];
  profiles: WorkerProfile[];
  publishUnderLoad: PublishUnderLoad;
  ttfb: TtfbResults;
  small: BenchDatabase;
  large: BenchDatabase;
  scale: ScaleResult;
  startup: StartupTimes;
  publish: PublishResult;
  /** One 256 KiB document of each worst shape for the search index, and an ordinary one. */
  worstDocuments: WorstDocumentRow[];
  /** Section 7: images across the large database's articles. */
  images: ImagesResult;
  /** Only with --peers. */
  peers?: PeersResults;
}

export type RunInfo = ReturnType<typeof runInfo>;

const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

/** The commit, machine and versions the numbers come from; taken at the end of the run. */
export function runInfo(loadBefore: number, loadAfter: number) {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.trim();
  const dirty = spawnSync(
    'git',
    ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  ).stdout.trim()
    ? ' with uncommitted changes'
    : '';
  return {
    commit,
    dirty,
    cpu: cpus(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    durationS: (performance.now() - started) / 1000,
    loadBefore,
    loadAfter,
    versions: {
      workerd: version('workerd'),
      miniflare: version('miniflare'),
      autocannon: version('autocannon'),
    },
  };
}
