/**
 * Runs a seed whenever something in the documents folder changes, for `npm start`: changes are
 * debounced (an editor's save is a burst of events: a temp file, a rename, a chmod), one seed runs
 * at a time, and a change that comes while a seed runs is queued, so that the last state of the
 * folder is always seeded. Node's fs.watch on the folder itself, not recursive: the seed reads only
 * the files directly in it, and a recursive watch on Linux (Node's own, in JavaScript) watches every
 * entry by its path, following symbolic links, so that a link to a file or folder outside had its
 * target watched and every change there seeded. The folder's own watch (inotify, FSEvents,
 * ReadDirectoryChangesW) reports the changes of its entries and never follows a link.
 */
import { type FSWatcher, watch } from 'node:fs';

export interface ContentWatcher {
  /** A change came while a seed ran: another seed follows it. */
  readonly queued: boolean;
  /** Resolves once no seed is running, waiting or queued. */
  idle(): Promise<void>;
  close(): void;
}

/** Long enough to take an editor's save (and a `git checkout` of a few files) as one change. */
const DEBOUNCE_MS = 150;

export function watchContent(options: {
  dir: string;
  /** One whole seed of the folder. A rejection is handed to `onError`; watching goes on. */
  seed: () => Promise<void>;
  onError: (error: unknown) => void;
  debounceMs?: number;
}): ContentWatcher {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let queued = false;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (timer || running || queued) return;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  async function run() {
    timer = undefined;
    if (running) {
      queued = true;
      return;
    }
    running = true;
    try {
      await options.seed();
    } catch (error) {
      options.onError(error);
    } finally {
      running = false;
    }
    if (queued) {
      queued = false;
      schedule();
    }
    settle();
  }

  const watcher: FSWatcher = watch(options.dir, schedule);
  watcher.on('error', options.onError);

  return {
    get queued() {
      return queued;
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      watcher.close();
      queued = false;
      settle();
      waiters = [];
    },
  };
}
