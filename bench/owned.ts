/**
 * Everything the benchmark starts is stopped at the end, on error and on Ctrl-C, newest first.
 * Miniflare's own SIGINT/SIGTERM hook stops its workerd processes and exits at once, so whatever else
 * must not outlive the process also has a synchronous last resort, run on 'exit'.
 */
import { startHranaThread } from '../dev/hrana-thread.ts';
import { closeConnections } from '../dev/load.ts';
import { type LocalWorker, startWorker } from '../dev/local-worker.ts';
import { log } from './settings.ts';

interface Owned {
  stop: () => Promise<void>;
  atExit?: () => void;
}
const owned: Owned[] = [];

/** Registers how to stop something; the returned function stops it now (once) and forgets it. */
export function own(stop: () => unknown, atExit?: () => void): () => Promise<void> {
  let done: Promise<void> | null = null;
  const entry: Owned = {
    stop: () => {
      done ??= (async () => {
        await stop();
        owned.splice(owned.indexOf(entry) >>> 0, 1);
      })();
      return done;
    },
    atExit,
  };
  owned.push(entry);
  return entry.stop;
}

let stopping: Promise<void> | null = null;
/** Stops everything still running, newest first, and closes the load generator's connections. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const entry of [...owned].reverse()) {
      await entry.stop().catch((error: unknown) => log(`stopping failed: ${error}`));
    }
    closeConnections();
  })();
  return stopping;
}

/** Installs the 'exit' last resort and stops everything on SIGINT and SIGTERM. */
export function stopOnExit() {
  process.on('exit', () => {
    for (const entry of [...owned].reverse()) entry.atExit?.();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping every server`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** The built Worker in Miniflare, stopped with everything else. */
export async function worker(
  options: Parameters<typeof startWorker>[0],
): Promise<LocalWorker & { stop: () => Promise<void> }> {
  const started = await startWorker(options);
  return { ...started, stop: own(() => started.dispose()) };
}

/** The local libSQL server on `file` (in its own thread), stopped with everything else. */
export async function database(file: string, latencyMs = 0) {
  const server = await startHranaThread({ file, port: 0, latencyMs });
  return { ...server, stop: own(() => server.close()) };
}
