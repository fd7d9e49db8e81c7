/**
 * The local site's MEDIA bucket: the R2 that `npm start`'s `wrangler dev` simulates and keeps under
 * LOCAL_STATE_DIR (default `.wrangler/state`, passed to it as `--persist-to`), for the seeds that
 * run beside it. While `npm start` runs, its Worker owns that storage and media go through its
 * `/admin/media` routes (as publish sends them to production); otherwise the seed opens the storage
 * itself with Miniflare, in the layout wrangler dev reads (`v3/r2`), and closes it when done, so that
 * two workerd processes never write it at once. docs/media.md.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Miniflare } from 'miniflare';
import { ROOT } from '../pipeline/libsql.ts';
import type { MediaBucket } from '../pipeline/media-prune.ts';
import { workerMediaBucket } from '../pipeline/media-upload.ts';
import type { MediaTarget } from '../pipeline/seed-command.ts';

/** Where wrangler dev keeps the local Worker's state (`--persist-to`). */
export const localStateDir = () => resolve(process.env.LOCAL_STATE_DIR || join(ROOT, '.wrangler', 'state'));

/** The file by which a running `npm start` says where its Worker listens (mode 0600: it holds the token). */
const runningFile = (stateDir: string) => join(stateDir, 'npm-start.json');

interface RunningWorker {
  pid: number;
  origin: string;
  /** The Worker's PURGE_TOKEN; none when it runs over LIBSQL_URL (then it has no admin routes). */
  token?: string;
}

/** Says, until the returned function is called, that this process's local Worker owns the storage. */
export function announceLocalWorker(
  stateDir: string,
  worker: { origin: string; token?: string },
): () => void {
  const file = runningFile(stateDir);
  mkdirSync(stateDir, { recursive: true });
  // Removed first: `mode` applies only to a file that is created, not to one a killed run left.
  rmSync(file, { force: true });
  writeFileSync(file, JSON.stringify({ pid: process.pid, ...worker }), { mode: 0o600 });
  // Another npm start on the same state may have announced itself since: its file stays.
  return () => {
    if (runningWorker(stateDir)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The running `npm start`'s Worker, if one announced itself and its process is alive. */
function runningWorker(stateDir: string): RunningWorker | undefined {
  let running: RunningWorker;
  try {
    running = JSON.parse(readFileSync(runningFile(stateDir), 'utf8'));
    // Signal 0 tests that the process exists; a file left by a killed run names none.
    process.kill(running.pid, 0);
  } catch {
    return undefined;
  }
  return running;
}

/** The bucket name wrangler.toml binds as MEDIA: the one wrangler dev persists under. */
async function mediaBuckets() {
  const { unstable_getMiniflareWorkerOptions } = await import('wrangler');
  return unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml')).workerOptions.r2Buckets;
}

/**
 * The simulated bucket under `stateDir`, through Miniflare, opened at the first call (a seed that
 * stores nothing new never starts workerd) and disposed by `close`.
 */
export function openLocalMedia(stateDir = localStateDir()): {
  bucket: MediaBucket;
  close(): Promise<void>;
} {
  let opened: Promise<{ mf: Miniflare; r2: MediaBucket }> | undefined;
  const open = () => {
    opened ??= (async () => {
      // Imported here: a seed without new media never loads Miniflare or wrangler.
      const { Miniflare } = await import('miniflare');
      const mf = new Miniflare({
        modules: true,
        script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
        r2Buckets: await mediaBuckets(),
        r2Persist: join(stateDir, 'v3', 'r2'),
      });
      return { mf, r2: (await mf.getR2Bucket('MEDIA')) as unknown as MediaBucket };
    })();
    return opened.then(({ r2 }) => r2);
  };
  return {
    bucket: {
      head: async (key) => (await open()).head(key),
      put: async (key, value, options) => (await open()).put(key, value, options),
      list: async (options) => (await open()).list(options),
      delete: async (key) => (await open()).delete(key),
    },
    close: async () => {
      if (opened) await (await opened).mf.dispose();
      opened = undefined;
    },
  };
}

/** A database on this machine: a `file:` or one served on the loopback (`npm start`, `npm run db`). */
function isLocalDatabase(url: string): boolean {
  if (url.startsWith('file:')) return true;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Where a seed into `url` stores media when no Worker of SITE_URL is named: for a local database, the
 * local site's bucket (through its running Worker, or opened here); for another, none, since its
 * rows would name objects that production's bucket does not have.
 */
export function localMediaTarget(url: string, stateDir = localStateDir()): MediaTarget {
  if (!isLocalDatabase(url)) {
    return { missing: 'media go to a remote database only with npm run publish and PURGE_TOKEN' };
  }
  const worker = runningWorker(stateDir);
  if (worker?.token) {
    return {
      bucket: workerMediaBucket(worker.origin, worker.token),
      where: `the bucket of npm start's Worker at ${worker.origin}`,
    };
  }
  if (worker) {
    return {
      missing: `npm start (process ${worker.pid}) runs over LIBSQL_URL and holds the local media storage: stop it first`,
    };
  }
  return { ...openLocalMedia(stateDir), where: `the local bucket in ${stateDir}` };
}
