/**
 * The seed's media step (pipeline/media-store.ts) over Miniflare's R2 from Node: each named file
 * processed once by its content, its objects in the bucket before a row names them, a second run
 * processing and writing nothing, and a file that is gone or not what its name says refused at the
 * lines that name it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_PROCESSOR } from '../pipeline/media.ts';
import { type MediaBucketWriter, storeMedia } from '../pipeline/media-store.ts';

let mf: Miniflare;
let dir: string;
let bucket: MediaBucketWriter & { list(): Promise<{ objects: { key: string }[] }> };
const puts: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'media-store-'));
  writeFileSync(
    join(dir, 'zaal.jpg'),
    await sharp({ create: { width: 600, height: 400, channels: 3, background: 'teal' } })
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(join(dir, 'ook zaal.jpg'), await sharp(join(dir, 'zaal.jpg')).toBuffer());
  writeFileSync(join(dir, 'stuk.pdf'), '%PDF-1.7 verslag');
  writeFileSync(join(dir, 'nep.png'), '<html>');
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null); } }',
    r2Buckets: ['MEDIA'],
  });
  const r2 = await mf.getR2Bucket('MEDIA');
  bucket = {
    head: (key) => r2.head(key),
    put: (key, value, options) => {
      puts.push(key);
      return r2.put(key, value, options);
    },
    list: () => r2.list(),
  };
});
afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const at = (name: string, line: number) => ({ name, file: join(dir, 'a.md'), line });

describe('storing media', () => {
  it('processes each content once, writes its objects, and processes nothing the second time', async () => {
    const references = [at('zaal.jpg', 3), at('ook zaal.jpg', 5), at('stuk.pdf', 7), at('zaal.jpg', 9)];
    const first = await storeMedia(dir, references, bucket, new Map());
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    expect(first.rows.map((row) => [row.kind, row.width, row.height, row.variants.length])).toEqual([
      ['image', 600, 400, 6],
      ['download', undefined, undefined, 1],
    ]);
    expect(first.sources.get('zaal.jpg')).toBe(first.sources.get('ook zaal.jpg'));
    expect(first.written).toBe(7);
    expect((await bucket.list()).objects.map((o) => o.key).sort()).toEqual(
      first.rows.flatMap((row) => row.variants.map((v) => v.key)).sort(),
    );

    puts.length = 0;
    const known = new Map(first.rows.map((row) => [row.source, MEDIA_PROCESSOR]));
    const second = await storeMedia(dir, references, bucket, known);
    expect(second.ok && [second.rows.length, second.written]).toEqual([0, 0]);
    expect(puts).toEqual([]);
  });

  it('refuses a file that is gone or not what its name says, at each line, and stores nothing', async () => {
    puts.length = 0;
    const result = await storeMedia(
      dir,
      [at('nep.png', 4), at('weg.pdf', 6), at('nep.png', 8)],
      bucket,
      new Map(),
    );
    expect(result.ok ? [] : result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '4: nep.png is HTML or SVG text, not a PNG image',
      '6: weg.pdf is gone from the folder',
      '8: nep.png is HTML or SVG text, not a PNG image',
    ]);
    expect(puts).toEqual([]);
  });
});
