/**
 * `npm run seed` with media and no Worker (the process, as an editor runs it): the objects go to the
 * local site's simulated R2 under LOCAL_STATE_DIR, opened with Miniflare (dev/local-media.ts), and
 * `--prune` removes the media rows no article names and the objects no row names, while a used row
 * and its objects stay and nothing goes without it (pipeline/media-prune.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalMedia } from '../dev/local-media.ts';
import { runScript } from './support/cli.ts';
import { openSeedFolder, type SeedFolder } from './support/seed-folder.ts';

let folder: SeedFolder;
let state: string;
beforeEach(async () => {
  folder = await openSeedFolder();
  state = join(folder.dir, 'state');
  const photo = (background: string) =>
    sharp({ create: { width: 300, height: 200, channels: 3, background } })
      .jpeg()
      .toBuffer();
  writeFileSync(join(folder.docs, 'zaal.jpg'), await photo('teal'));
  writeFileSync(join(folder.docs, 'oud.jpg'), await photo('orange'));
  writeFileSync(join(folder.docs, 'verslag.pdf'), '%PDF-1.7 verslag');
  writeFileSync(
    join(folder.docs, 'beelden.md'),
    '---\ntitle: Beelden van het congres\ndate: 2019-02-12\n---\n\nDe eerste alinea.\n\n![De zaal](zaal.jpg)\n\nLees [het verslag](verslag.pdf).\n',
  );
  writeFileSync(
    join(folder.docs, 'oud.md'),
    '---\ntitle: Een oud bericht\ndate: 2019-01-10\n---\n\nDe eerste alinea.\n\n![Het oude gebouw](oud.jpg)\n',
  );
});
afterEach(() => folder.close());

const seed = (...args: string[]) =>
  runScript('seed.ts', ['--source', folder.docs, ...args], {
    LIBSQL_URL: folder.url,
    LOCAL_STATE_DIR: state,
  });

/** The keys in the local bucket, read with a storage of its own (as wrangler dev would). */
async function storedKeys(): Promise<string[]> {
  const media = openLocalMedia(state);
  try {
    return (await media.bucket.list()).objects.map((object) => object.key).sort();
  } finally {
    await media.close();
  }
}

const rowKeys = async () =>
  (await folder.client.execute('select variants from media')).rows
    .flatMap((row) => (JSON.parse(String(row.variants)) as { key: string }[]).map((v) => v.key))
    .sort();

describe('npm run seed with media and no Worker', () => {
  it('stores them in the local bucket; --prune removes what nothing names, and only with --prune', async () => {
    const first = seed();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 media file(s) processed, 7 object(s) stored');
    const stored = await rowKeys();
    expect(stored).toHaveLength(7);
    expect(await storedKeys()).toEqual(stored);

    // A failed seed's leftover (a key of the seed's shape) and an object no seed made.
    const stray = `${'f'.repeat(32)}.pdf`;
    const media = openLocalMedia(state);
    await media.bucket.put(stray, new TextEncoder().encode('%PDF-1.7 over'));
    await media.bucket.put('notities.txt', new TextEncoder().encode('van iemand anders'));
    await media.close();

    // oud.md no longer shows its picture: without --prune its row and objects stay.
    const oud = join(folder.docs, 'oud.md');
    writeFileSync(
      oud,
      readFileSync(oud, 'utf8').replace('![Het oude gebouw](oud.jpg)\n', 'Geen beeld meer.\n'),
    );
    const second = seed();
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('pruned');
    expect(await rowKeys()).toEqual(stored);
    expect(await storedKeys()).toEqual([...stored, stray, 'notities.txt'].sort());

    const pruned = seed('--prune');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(
      `pruned 1 media row(s) no article or page names, 4 object(s) no row names from the local bucket in ${state}`,
    );
    const kept = await rowKeys();
    expect(kept).toHaveLength(4);
    expect(await storedKeys()).toEqual([...kept, 'notities.txt'].sort());
    // The article's blocks still name only what is kept.
    const body = String(
      (await folder.client.execute("select body from articles where slug = 'beelden-van-het-congres'"))
        .rows[0]?.body,
    );
    for (const key of kept) expect(body).toContain(`/media/${key}`);
  }, 150_000);
});
