/**
 * The site with pictures and a download: content-seed/'s documents plus an article with a photo
 * (its share image), a translucent PNG and a PDF, seeded with real files through the seed's media
 * step into the MEDIA bucket of the built Worker in workerd, which serves them. For what visitors,
 * browsers and link previews see of an article with images.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { startHranaServer } from '../../dev/hrana-server.ts';
import { seedSource } from '../../pipeline/seed-command.ts';
import { openSeedFolder } from './seed-folder.ts';
import { startWorker, type TestWorker } from './worker.ts';

export const MEDIA_ARTICLE = {
  path: '/banenafspraak/nieuws/2019-03-01/het-congres-in-beeld',
  /** The photo's size as written: the served image is as large (under the 2,400 px cap). */
  photo: { width: 1600, height: 1000 },
  pdf: '%PDF-1.7\n% het verslag\n',
};

const ARTICLE = `---
title: Het congres in beeld
date: 2019-03-01
share_image: true
---

Werkgevers uit alle sectoren kwamen bijeen om te praten over de banenafspraak.

![De zaal vol werkgevers tijdens het congres](congres.jpg)

Lees [het verslag van de dag](<Verslag congres.pdf>) voor alle afspraken.

![-](lijn.png)

Volgend jaar is het congres weer in Den Haag.
`;

/** A photo with detail in it (a gradient with noise), so its encodings have realistic sizes. */
async function photo(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = ((x * 73856093) ^ (y * 19349663)) & 31;
      pixels[i] = (x * 255) / width + noise;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = 128 + noise;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

export interface MediaSite {
  worker: TestWorker;
  close(): Promise<void>;
}

/** Seeds the folder, starts the Worker on it (SITE_URL its own address) and stores the media. */
export async function startMediaSite(): Promise<MediaSite> {
  const folder = await openSeedFolder({ withSeed: true });
  const { docs } = folder;
  writeFileSync(join(docs, 'congres-in-beeld.md'), ARTICLE);
  writeFileSync(
    join(docs, 'congres.jpg'),
    await photo(MEDIA_ARTICLE.photo.width, MEDIA_ARTICLE.photo.height),
  );
  writeFileSync(
    join(docs, 'lijn.png'),
    await sharp({
      create: { width: 600, height: 8, channels: 4, background: { r: 0, g: 90, b: 160, alpha: 0.5 } },
    })
      .png()
      .toBuffer(),
  );
  writeFileSync(join(docs, 'Verslag congres.pdf'), MEDIA_ARTICLE.pdf);
  const server = await startHranaServer({ file: join(folder.dir, 'vso.db'), port: 0 });
  const worker = await startWorker({ libsqlUrl: server.url, siteUrl: 'served' }).catch(async (error) => {
    await server.close();
    throw error;
  });
  const close = async () => {
    await worker.dispose();
    await server.close();
    folder.close();
  };
  try {
    const seeded = await seedSource(docs, folder.url, { media: await worker.mediaBucket() });
    if (!seeded.ok) throw new Error(seeded.problems.join('\n'));
  } catch (error) {
    await close();
    throw error;
  }
  return { worker, close };
}
