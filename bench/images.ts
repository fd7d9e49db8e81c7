/**
 * 7. Images at scale: 2,000 images across the large database's articles (one in every fifth
 * generated article), seeded through the seed's media step into the Worker's R2 bucket (Miniflare's),
 * on a copy of the large database: the first seed (every image processed and stored), a second seed
 * (nothing changed: 0 processed), and one changed image republished. Then an article with an image,
 * served with the L1 cache off, is one database round trip, and its media none.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { httpGet } from '../dev/load.ts';
import type { DocumentInput } from '../pipeline/parse-document.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { slugify } from '../schema/slug.ts';
import { articlePath } from '../worker/site.ts';
import type { BenchDatabase } from './databases.ts';
import { int, secs } from './format.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, log } from './settings.ts';

/**
 * The size of each generated photo: a picture in a news article as an editor's camera might give it
 * after cropping, kept small so that 2,000 of them are made in minutes on two cores (variants at 480
 * and 640 px in three formats each; no share image, as they are under 1,200 px).
 */
const PHOTO = { width: 640, height: 427 } as const;
/** One image in every this many generated articles: 2,000 of 10,000. */
const EVERY = 5;

interface ImageSeedRow {
  change: string;
  seconds: number;
  /** Media files processed (made anew) by this seed. */
  processed: number;
  /** Objects written to the bucket. */
  stored: number;
  updated: number;
}

export interface ImagesResult {
  images: number;
  documents: number;
  photo: { width: number; height: number };
  rows: ImageSeedRow[];
  /** The article with an image, cache off: its database round trips, and those of its media. */
  page: {
    path: string;
    status: number;
    libsqlPerPage: number;
    media: number;
    mediaStatuses: string;
    libsqlForMedia: number;
  };
}

/** A photo of its own for image `n`: a gradient with noise seeded by `n` (every file differs). */
async function photo(n: number, shade = 0): Promise<Buffer> {
  const { width, height } = PHOTO;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = (((x + n) * 73856093) ^ ((y + shade) * 19349663)) & 31;
      pixels[i] = ((x * 255) / width + n) & 255;
      // n's high bits too: without them images n and n + 256 would be the same bytes (made once).
      pixels[i + 1] = ((y * 255) / height + shade + (n >> 8) * 29) & 255;
      pixels[i + 2] = (n * 7 + noise) & 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

const textOf = (doc: DocumentInput) =>
  'bytes' in doc ? Buffer.from(doc.bytes).toString('utf8') : 'text' in doc ? doc.text : doc.problem.message;

/** Section 7 on a copy of `large`, seeded from `documents` with `images` images added. */
export async function seedImages(
  settings: BenchSettings,
  large: BenchDatabase,
  documents: DocumentInput[],
  options: { dir: string },
): Promise<ImagesResult> {
  const source = join(options.dir, 'images-docs');
  const copy = join(options.dir, 'images-copy.db');
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  copyFileSync(large.file, copy);
  if (existsSync(`${large.file}-wal`)) copyFileSync(`${large.file}-wal`, `${copy}-wal`);

  // Every EVERY-th generated document gets a picture of its own after its summary (page text: a
  // line that is only the file name, with its alt text after a "|").
  let images = 0;
  let pictured: { name: string; text: string } | null = null;
  for (const doc of documents) {
    let text = textOf(doc);
    const name = basename(doc.file);
    const generated = /^gen_(\d+)\.txt$/.exec(name);
    if (generated && Number(generated[1]) % EVERY === 0) {
      images++;
      const file = `beeld-${generated[1]}.jpg`;
      text = text.replace(
        /^(Meer tekst over banen \(\d+\)\.)$/m,
        `${file} | Foto bij bericht ${images}\n\n$1`,
      );
      writeFileSync(join(source, file), await photo(images));
      pictured ??= { name: file, text };
    }
    writeFileSync(join(source, name), text);
  }
  copyFileSync(
    join(import.meta.dirname, '..', 'content-seed', 'glossary.yaml'),
    join(source, 'glossary.yaml'),
  );
  if (!pictured) throw new Error('images: no generated document to add a picture to');
  log(
    `images: ${images} photos of ${PHOTO.width}×${PHOTO.height} written beside ${documents.length} documents`,
  );

  const db = await database(copy);
  const site = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
  const rows: ImageSeedRow[] = [];
  try {
    const bucket = await site.mediaBucket();
    const seed = async (change: string) => {
      const t0 = performance.now();
      const outcome = await seedSource(source, `file:${copy}`, { media: bucket });
      const seconds = (performance.now() - t0) / 1000;
      if (!outcome.ok) throw new Error(`images: ${outcome.problems.slice(0, 5).join('\n')}`);
      const row = {
        change,
        seconds,
        processed: outcome.media.processed,
        stored: outcome.media.written,
        updated: outcome.summary.updated.length,
      };
      log(`images: ${change}: ${secs(seconds)}, ${int(row.processed)} processed, ${int(row.stored)} stored`);
      rows.push(row);
    };
    await seed(`first seed with ${int(images)} images`);
    await seed('second seed, nothing changed');
    writeFileSync(join(source, pictured.name), await photo(1, 40));
    await seed('one image changed');

    // The first pictured article's page, cache off: its round trips, then its media's.
    const title = /^Bericht nummer \d+$/m.exec(pictured.text)?.[0];
    const article = large.articles.find((a) => title && a.slug === slugify(title));
    if (!article) throw new Error(`images: no article for ${pictured.name}`);
    const path = articlePath(article);
    await httpGet(`${site.url}${path}`);
    await db.resetStats();
    const samples = settings.scaleSamples;
    let status = 0;
    let html = '';
    for (let i = 0; i < samples; i++) {
      const response = await fetch(`${site.url}${path}`);
      status = response.status;
      html = await response.text();
    }
    const libsqlPerPage = (await db.stats()).pipelines / samples;
    const media = [...new Set([...html.matchAll(/\/media\/[0-9a-f]{32}\.\w+/g)].map((m) => m[0]))];
    await db.resetStats();
    const statuses = new Map<string, number>();
    for (const url of media) {
      const response = await httpGet(`${site.url}${url}`);
      statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
    }
    const libsqlForMedia = (await db.stats()).pipelines;
    return {
      images,
      documents: documents.length,
      photo: PHOTO,
      rows,
      page: {
        path,
        status,
        libsqlPerPage,
        media: media.length,
        mediaStatuses: [...statuses].map(([code, n]) => `${code} ×${n}`).join(', '),
        libsqlForMedia,
      },
    };
  } finally {
    await site.stop();
    await db.stop();
    rmSync(source, { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
}

/** The report's section 7. */
export function imagesSection(result: ImagesResult | undefined): string[] {
  if (!result) return [];
  const { page } = result;
  return [
    `### 7. Images: ${int(result.images)} photos across ${int(result.documents)} documents`,
    '',
    `Each a ${result.photo.width}×${result.photo.height} JPEG of its own, one in every fifth generated article, seeded into a copy of the large database ` +
      "with the seed's media step (decoded, upright, stripped, variants in AVIF, WebP and JPEG with sharp on every core, each object written to the Worker's R2 bucket, Miniflare's, then the rows).",
    '',
    '| seed | time | media files processed | objects stored | articles updated |',
    '| --- | --- | --- | --- | --- |',
    ...result.rows.map(
      (row) =>
        `| ${row.change} | ${secs(row.seconds)} | ${int(row.processed)} | ${int(row.stored)} | ${int(row.updated)} |`,
    ),
    '',
    `An article with an image (\`${page.path}\`, L1 cache off): ${page.status}, ` +
      `${page.libsqlPerPage.toFixed(2)} libSQL request(s) per page; its ${int(page.media)} media URLs (${page.mediaStatuses}) ` +
      `made ${int(page.libsqlForMedia)} libSQL request(s): media come from R2 alone.`,
    '',
  ];
}
