/**
 * The seed with media (pipeline/seed-media.ts): an article naming an image and a PDF is stored with
 * its picture's variants and its download's link, the objects in the bucket (Miniflare's R2) before
 * the rows; a second seed processes nothing; without a bucket nothing is written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MediaBucketWriter } from '../pipeline/media-store.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { openSeedFolder, type SeedFolder } from './support/seed-folder.ts';

let mf: Miniflare;
let bucket: MediaBucketWriter;
let folder: SeedFolder;
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null); } }',
    r2Buckets: ['MEDIA'],
  });
  bucket = (await mf.getR2Bucket('MEDIA')) as unknown as MediaBucketWriter;
});
afterAll(async () => {
  await mf?.dispose();
});
beforeEach(async () => {
  folder = await openSeedFolder();
  writeFileSync(
    join(folder.docs, 'beelden.md'),
    '---\ntitle: Beelden van het congres\ndate: 2019-02-12\n---\n\nDe eerste alinea.\n\n![De zaal](zaal.jpg)\n\nLees [het verslag](verslag.pdf).\n',
  );
  writeFileSync(
    join(folder.docs, 'zaal.jpg'),
    await sharp({ create: { width: 900, height: 600, channels: 3, background: 'teal' } })
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(join(folder.docs, 'verslag.pdf'), '%PDF-1.7 verslag');
});
afterEach(() => folder.close());

const body = async () =>
  JSON.parse(
    String(
      (await folder.client.execute("select body from articles where slug = 'beelden-van-het-congres'"))
        .rows[0]?.body,
    ),
  );

describe('seeding media', () => {
  it('stores the objects, the rows and the blocks, and processes nothing the second time', async () => {
    const first = await seedSource(folder.docs, folder.url, { media: bucket });
    if (!first.ok) throw new Error(first.problems.join('\n'));
    expect(first.report).toContain('2 media file(s) processed, 10 object(s) stored');
    const [, image, paragraph] = await body();
    expect(image).toMatchObject({
      type: 'image',
      src: 'zaal.jpg',
      alt: 'De zaal',
      media: { width: 900, height: 600 },
    });
    expect(
      image.media.variants.map((v: { format: string; width: number }) => `${v.format}@${v.width}`),
    ).toEqual([
      'avif@480',
      'webp@480',
      'jpeg@480',
      'avif@800',
      'webp@800',
      'jpeg@800',
      'avif@900',
      'webp@900',
      'jpeg@900',
    ]);
    expect(paragraph.inline[1]).toMatchObject({
      file: 'verslag.pdf',
      href: expect.stringMatching(/^\/media\/[0-9a-f]{32}\.pdf\/verslag\.pdf$/),
    });
    const rows = await folder.client.execute('select kind from media order by kind');
    expect(rows.rows.map((row) => row.kind)).toEqual(['download', 'image']);

    const second = await seedSource(folder.docs, folder.url, { media: bucket });
    expect(second.ok && second.report).not.toContain('media file(s) processed');
    expect(second.ok && second.report).toContain('nothing changed');
  });

  it('makes the share image of an article that asks for one, and refuses an image too narrow for it', async () => {
    const wide = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: 'navy' } })
      .jpeg()
      .toBuffer();
    writeFileSync(join(folder.docs, 'breed.jpg'), wide);
    const article = (image: string) =>
      `---\ntitle: Beelden van het congres\ndate: 2019-02-12\nshare_image: true\n---\n\nDe eerste alinea.\n\n![De zaal](${image})\n`;
    writeFileSync(join(folder.docs, 'beelden.md'), article('zaal.jpg'));
    const narrow = await seedSource(folder.docs, folder.url, { media: bucket });
    expect(narrow.ok ? [] : narrow.problems).toEqual([
      `${join(folder.docs, 'beelden.md')}:4: share_image: zaal.jpg is 900 px wide; a share image is 1200 px wide, and the seed never enlarges: use a larger image, or leave share_image out for the generated card`,
      '1 problem(s); nothing was written',
    ]);
    expect((await folder.client.execute('select count(*) as n from articles')).rows[0]?.n).toBe(0);

    writeFileSync(join(folder.docs, 'beelden.md'), article('breed.jpg'));
    const seeded = await seedSource(folder.docs, folder.url, { media: bucket });
    if (!seeded.ok) throw new Error(seeded.problems.join('\n'));
    const [, image] = await body();
    expect(image.share).toBe(true);
    expect(image.media.share).toEqual({
      url: expect.stringMatching(/^\/media\/[0-9a-f]{32}\.jpg$/),
      width: 1200,
      height: 800,
    });
    // Not one of the <picture>'s widths: 480, 800, 1200, 1500, each in three formats.
    expect(image.media.variants).toHaveLength(12);
    const object = await (await mf.getR2Bucket('MEDIA')).get(image.media.share.url.slice('/media/'.length));
    const meta = await sharp(new Uint8Array((await object?.arrayBuffer()) ?? [])).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 800]);
  });

  it('leaves the site as it was when an upload fails, and finishes the next time', async () => {
    // Bytes no other test stored: ten objects new to the bucket, nine variants and the PDF.
    writeFileSync(join(folder.docs, 'verslag.pdf'), '%PDF-1.7 verslag, tweede druk');
    writeFileSync(
      join(folder.docs, 'zaal.jpg'),
      await sharp({ create: { width: 900, height: 600, channels: 3, background: 'maroon' } })
        .jpeg()
        .toBuffer(),
    );
    let puts = 0;
    const failing: MediaBucketWriter = {
      head: (key) => bucket.head(key),
      put: async (key, value, options) => {
        if (++puts > 3) throw new Error('R2 answered 503 Service Unavailable');
        return bucket.put(key, value, options);
      },
    };
    const failed = await seedSource(folder.docs, folder.url, { media: failing });
    expect(failed.ok ? [] : failed.problems).toEqual([
      expect.stringMatching(/^seed failed on .*: R2 answered 503 Service Unavailable$/),
      'nothing was written',
    ]);
    const count = async (table: string) =>
      (await folder.client.execute(`select count(*) as n from ${table}`)).rows[0]?.n;
    expect([await count('articles'), await count('media')]).toEqual([0, 0]);

    const retried = await seedSource(folder.docs, folder.url, { media: bucket });
    if (!retried.ok) throw new Error(retried.problems.join('\n'));
    // The three objects stored before the failure are there: only the other seven are written.
    expect(retried.report).toContain('2 media file(s) processed, 7 object(s) stored');
    expect([await count('articles'), await count('media')]).toEqual([1, 2]);
  });

  it('writes nothing without a bucket', async () => {
    const outcome = await seedSource(folder.docs, folder.url);
    expect(outcome.ok ? [] : outcome.problems).toEqual([
      `${join(folder.docs, 'beelden.md')}:8: zaal.jpg cannot be published: this seed has no media bucket (docs/media.md)`,
      `${join(folder.docs, 'beelden.md')}:10: verslag.pdf cannot be published: this seed has no media bucket (docs/media.md)`,
      '2 problem(s); nothing was written',
    ]);
    expect((await folder.client.execute('select count(*) as n from articles')).rows[0]?.n).toBe(0);
  });
});
