/**
 * The watcher behind `npm start`'s live editing, on a real folder with Node's fs.watch: a burst of
 * saves is one seed, a change while a seed runs is queued (not lost, not run alongside), and a
 * failed seed does not end the watching.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ContentWatcher, watchContent } from '../dev/content-watcher.ts';
import { tempDir } from './support/documents.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
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
  it('seeds once for a burst of saves, in any file and subfolder', async () => {
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

    writeFileSync(join(dir, 'images', 'note.txt'), 'in a subfolder');
    await until('a second seed', () => seeds > 1);
    await watcher.idle();
    expect(seeds).toBe(2);
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
