/**
 * The watcher behind `npm start`'s live editing, on a real folder with Node's fs.watch: a burst of
 * saves is one seed, a change while a seed runs is queued (not lost, not run alongside), and a
 * failed seed does not end the watching.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ContentWatcher, watchContent } from '../dev/content-watcher.ts';
import { liveContent } from '../dev/live-content.ts';
import { tempDir } from './support/documents.ts';
import { openSeedFolder } from './support/seed-folder.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.restoreAllMocks();
});

/** Polls until `check` holds; a deadline, no timing assertion. */
async function until(what: string, check: () => boolean) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function setup(seed: () => Promise<void>) {
  const dir = tempDir();
  const errors: unknown[] = [];
  const watcher: ContentWatcher = watchContent({ dir, seed, onError: (error) => errors.push(error) });
  cleanups.push(() => {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, watcher, errors };
}

describe('watchContent', () => {
  it('seeds once for a burst of saves, in any file of the folder', async () => {
    let seeds = 0;
    const { dir, watcher } = setup(async () => {
      seeds++;
    });
    // An editor's save (a temp file renamed over the document), another document, a new folder.
    writeFileSync(join(dir, 'a.txt.tmp'), 'a');
    renameSync(join(dir, 'a.txt.tmp'), join(dir, 'a.txt'));
    writeFileSync(join(dir, 'b.md'), 'b');
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'site.yaml'), 'c');
    await until('a seed', () => seeds > 0);
    await watcher.idle();
    expect(seeds).toBe(1);

    writeFileSync(join(dir, 'b.md'), 'b, saved again');
    await until('a second seed', () => seeds > 1);
    await watcher.idle();
    expect(seeds).toBe(2);
  });

  it('watches the folder itself: not its subfolders, nor the target of a link in it', async () => {
    let seeds = 0;
    const { dir, watcher } = setup(async () => {
      seeds++;
    });
    const outside = tempDir();
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.md'), 'outside');
    mkdirSync(join(dir, 'images'));
    symlinkSync(join(outside, 'secret.md'), join(dir, 'secret.md'));
    await until('the seed of the new entries', () => seeds > 0);
    await watcher.idle();
    const before = seeds;
    writeFileSync(join(outside, 'secret.md'), 'outside, changed');
    writeFileSync(join(dir, 'images', 'note.txt'), 'in a subfolder');
    // Nothing to wait for: a few debounce periods without a seed.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await watcher.idle();
    expect(seeds).toBe(before);
  });

  it('queues a change that comes while a seed runs, and runs it after that seed, never alongside', async () => {
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const { dir, watcher } = setup(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
    });
    writeFileSync(join(dir, 'a.txt'), 'first');
    await until('the first seed to start', () => releases.length === 1);
    writeFileSync(join(dir, 'a.txt'), 'second');
    await until('the change to be queued', () => watcher.queued);
    expect(releases).toHaveLength(1);
    releases[0]?.();
    await until('the queued seed to start', () => releases.length === 2);
    releases[1]?.();
    await watcher.idle();
    expect(most).toBe(1);
    expect(releases).toHaveLength(2);
  });

  it('goes on watching after a seed fails', async () => {
    let seeds = 0;
    const { dir, watcher, errors } = setup(async () => {
      seeds++;
      if (seeds === 1) throw new Error('broken');
    });
    writeFileSync(join(dir, 'a.txt'), 'one');
    await until('the failing seed', () => errors.length === 1);
    await watcher.idle();
    writeFileSync(join(dir, 'a.txt'), 'two');
    await until('the next seed', () => seeds === 2);
    expect((errors[0] as Error).message).toBe('broken');
  });
});

describe('live editing (npm start) over a seed folder', () => {
  it('a FIFO in the folder is a problem, not a stuck seed: the next save is published', {
    timeout: 60_000,
  }, async () => {
    const folder = await openSeedFolder({ withSeed: true });
    const fifo = join(folder.docs, 'pipe.md');
    cleanups.push(() => {
      // A reader that opened the FIFO without O_NONBLOCK waits for a writer: one comes, so that a
      // failing run ends.
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader waits (ENXIO), or the FIFO is gone.
      }
      folder.close();
    });
    const printed: string[] = [];
    const print = (...args: unknown[]) => {
      printed.push(args.join(' '));
    };
    vi.spyOn(console, 'log').mockImplementation(print);
    vi.spyOn(console, 'error').mockImplementation(print);
    // No Worker listens there: the purge is skipped quietly, as before npm start's Worker is up.
    const watcher = liveContent(folder.docs, folder.url, { origin: 'http://127.0.0.1:9', purgeToken: 't' });
    cleanups.push(() => watcher.close());

    execFileSync('mkfifo', [fifo]);
    await until('the FIFO refused', () =>
      printed.some((line) => line.includes(`${fifo}:1: not a regular file`)),
    );
    rmSync(fifo);
    const file = join(folder.docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('De postbus is haar eerste product.', 'Opgeslagen.'),
    );
    const body = async () =>
      String(
        (
          await folder.client.execute('select body_text from articles where source_file = ?', [
            basename(file),
          ])
        ).rows[0]?.body_text,
      );
    let published = false;
    await until('the save published', () => {
      body().then((text) => {
        published = text.includes('Opgeslagen.');
      });
      return published;
    });
    await watcher.idle();
  });
});
