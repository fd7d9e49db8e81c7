/**
 * An article with pictures and a download, seeded with real files into the Worker's R2 and served by
 * the built Worker in workerd: its markup, its share image in every link preview (the link-preview
 * check of `npm run unfurl`), and no file name as text on the lists, in search or in the feed.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRAWLERS } from '../pipeline/crawlers.ts';
import { CHECKS, checkPreviews } from '../pipeline/unfurl-check.ts';
import { CARD_WIDTH } from '../schema/card-size.ts';
import { textOf } from './support/html.ts';
import { MEDIA_ARTICLE, type MediaSite, startMediaSite } from './support/media-site.ts';

let site: MediaSite;
let page: string;

beforeAll(async () => {
  site = await startMediaSite();
  const response = await site.worker.fetch(MEDIA_ARTICLE.path);
  expect(response.status).toBe(200);
  page = await response.text();
});
afterAll(async () => {
  await site?.close();
});

const meta = (html: string, property: string) =>
  new RegExp(`<meta property="${property}" content="([^"]*)"`).exec(html)?.[1];

/** The attributes of one element's start tag. */
const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

describe('an article with images', () => {
  it('shows the photo as a <picture>, the first at high priority, the decoration lazily and without alt', () => {
    const pictures = [...page.matchAll(/<picture>([\s\S]*?)<\/picture>/g)].map((m) => m[1] ?? '');
    expect(pictures).toHaveLength(2);
    const [photo, line] = pictures.map((picture) => attrs(/<img\b[^>]*>/.exec(picture)?.[0] ?? ''));
    expect(photo?.alt).toBe('De zaal vol werkgevers tijdens het congres');
    expect([photo?.width, photo?.height]).toEqual(['1600', '1000']);
    expect(photo?.fetchpriority).toBe('high');
    expect(photo?.loading).toBeUndefined();
    expect(photo?.srcset).toMatch(/\/media\/[0-9a-f]{32}\.jpg 480w, .* 1600w$/);
    expect(line?.alt).toBe('');
    expect(line?.loading).toBe('lazy');
    expect(line?.src).toMatch(/\.png$/);
    const avif = attrs(/<source\b[^>]*type="image\/avif"[^>]*>/.exec(pictures[0] ?? '')?.[0] ?? '');
    expect(avif.srcset).toContain('.avif 800w');
  });

  it('links the download with its type and Dutch size on the file card', () => {
    const link = /<a\b[^>]*href="(\/media\/[^"]*)"[^>]*>([^<]*)<\/a>([\s\S]{0,200})/.exec(page);
    expect(link?.[1]).toMatch(/^\/media\/[0-9a-f]{32}\.pdf\/Verslag%20congres\.pdf$/);
    expect(link?.[2]).toBe('het verslag van de dag');
    expect(textOf(link?.[3] ?? '')).toContain(`(PDF, ${MEDIA_ARTICLE.pdf.length} bytes)`);
  });

  it('shares its photo: og:image is its 1200 px JPEG, as wide and high as the tags say', async () => {
    const url = meta(page, 'og:image') ?? '';
    expect(url).toMatch(new RegExp(`^${site.worker.url}/media/[0-9a-f]{32}\\.jpg$`));
    expect(meta(page, 'og:image:type')).toBe('image/jpeg');
    const height = Math.round((MEDIA_ARTICLE.photo.height * CARD_WIDTH) / MEDIA_ARTICLE.photo.width);
    expect([meta(page, 'og:image:width'), meta(page, 'og:image:height')]).toEqual([
      String(CARD_WIDTH),
      String(height),
    ]);
    const image = await site.worker.fetch(new URL(url).pathname);
    expect(image.headers.get('Content-Type')).toBe('image/jpeg');
    expect(image.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const info = await sharp(new Uint8Array(await image.arrayBuffer())).metadata();
    expect([info.format, info.width, info.height]).toEqual(['jpeg', CARD_WIDTH, height]);
    expect(page).toContain(`"image":["${url}"]`);
  });

  it('passes every check of the link-preview check for every crawler', async () => {
    const report = await checkPreviews(`${site.worker.url}${MEDIA_ARTICLE.path}`);
    expect(report.results.map((result) => result.crawler.name)).toEqual(CRAWLERS.map((c) => c.name));
    for (const result of report.results) {
      const verdicts = Object.fromEntries(CHECKS.map((name) => [name, result.checks[name]]));
      expect(verdicts, result.crawler.name).toEqual(
        Object.fromEntries(CHECKS.map((name) => [name, { verdict: 'ok' }])),
      );
    }
  });

  it('never shows a file name as text: not on the home page, in search or in the feed', async () => {
    const home = textOf(await (await site.worker.fetch('/')).text());
    expect(home).toContain('Het congres in beeld 1 maart 2019 · Nieuws Werkgevers uit alle sectoren kwamen');
    const search = textOf(await (await site.worker.fetch('/zoeken?q=congres')).text());
    expect(search).toContain('Het congres in beeld');
    for (const text of [home, search])
      expect(text).not.toMatch(/congres\.jpg|lijn\.png|Verslag congres\.pdf/);
    const feed = await (await site.worker.fetch('/feed.xml')).text();
    // The feed's full text carries the pictures, with absolute URLs; its summary no file name.
    expect(feed).toContain(`src=&quot;${site.worker.url}/media/`);
    expect(feed).not.toMatch(/<description>[^<]*(congres\.jpg|lijn\.png)/);
  });
});
