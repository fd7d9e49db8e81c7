/**
 * Media files as the seed makes them (pipeline/media.ts): real images made here with sharp, each
 * decoded, upright, stripped of metadata and written at widths never above its own; everything that
 * is not what its name says, too large or a pixel bomb refused with a message that says why.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_MAX_WIDTH, MEDIA_MAX_PIXELS, type MediaResult, processMedia } from '../pipeline/media.ts';
import { MEDIA_MAX_BYTES } from '../pipeline/media-types.ts';
import { dutchSize } from '../schema/media-files.ts';

const solid = (width: number, height: number, alpha = 1) =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha } } });

function image(result: MediaResult) {
  if (!result.ok) throw new Error(result.problem);
  if (result.media.kind !== 'image') throw new Error('not an image');
  return result.media;
}
const problem = (result: MediaResult) => (result.ok ? 'accepted' : result.problem);

/** A PNG that is only a header: IHDR claiming `width` × `height`, one empty IDAT, IEND. */
function pngHeader(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The EXIF tag of the GPS IFD (0x8825), in either byte order. */
const hasGpsTag = (exif: Buffer | undefined) =>
  exif !== undefined &&
  (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

describe('images', () => {
  it('turns a photo upright and strips its EXIF and GPS from every variant', async () => {
    const photo = await solid(300, 200)
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { ImageDescription: 'Thuisadres van de fotograaf' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 5/1 0/1' },
      })
      .jpeg()
      .toBuffer();
    const before = await sharp(photo).metadata();
    expect(before.orientation).toBe(6);
    expect(hasGpsTag(before.exif)).toBe(true);

    const media = image(await processMedia(photo, 'foto.jpg'));
    expect([media.width, media.height, media.fallback]).toEqual([200, 300, 'jpeg']);
    expect(media.variants.map((v) => `${v.format}@${v.width}`)).toEqual(['avif@200', 'webp@200', 'jpeg@200']);
    for (const variant of media.variants) {
      const meta = await sharp(variant.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([200, 300]);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(Buffer.from(variant.bytes).includes('Thuisadres')).toBe(false);
      expect(variant.key).toMatch(
        new RegExp(`^[0-9a-f]{32}\\.${variant.format === 'jpeg' ? 'jpg' : variant.format}$`),
      );
    }
    expect((await sharp(media.variants[0]?.bytes).metadata()).format).toBe('heif');
  });

  it('keeps transparency in a PNG fallback, and gives an opaque PNG a JPEG one', async () => {
    const translucent = image(await processMedia(await solid(240, 120, 0.5).png().toBuffer(), 'logo.png'));
    expect(translucent.fallback).toBe('png');
    expect(translucent.variants.map((v) => v.format)).toEqual(['avif', 'webp', 'png']);
    for (const variant of translucent.variants)
      expect((await sharp(variant.bytes).metadata()).hasAlpha).toBe(true);

    const opaque = image(await processMedia(await solid(240, 120).png().toBuffer(), 'schema.png'));
    expect(opaque.fallback).toBe('jpeg');
    expect((await sharp(opaque.variants[0]?.bytes).metadata()).hasAlpha).toBe(false);
  });

  it('makes widths up to the image’s own, never above it, and caps the largest', async () => {
    const small = image(await processMedia(await solid(1000, 50).jpeg().toBuffer(), 'breed.jpg'));
    expect([...new Set(small.variants.map((v) => v.width))]).toEqual([480, 800, 1000]);

    const wide = image(await processMedia(await solid(3000, 30).webp().toBuffer(), 'panorama.webp'));
    expect(wide.width).toBe(IMAGE_MAX_WIDTH);
    expect([...new Set(wide.variants.map((v) => v.width))]).toEqual([480, 800, 1200, 1600, 2400]);
    expect(Math.max(...wide.variants.map((v) => v.width))).toBe(IMAGE_MAX_WIDTH);
  });

  it('gives the same bytes the same keys', async () => {
    const bytes = await solid(100, 100).jpeg().toBuffer();
    const [a, b] = [image(await processMedia(bytes, 'a.jpg')), image(await processMedia(bytes, 'b.jpeg'))];
    expect(a.source).toBe(b.source);
    expect(a.variants.map((v) => v.key)).toEqual(b.variants.map((v) => v.key));
  });
});

describe('refused images', () => {
  it('refuses a corrupt file and a truncated JPEG', async () => {
    const garbage = new Uint8Array(2000).map((_, i) => (i * 37) % 256);
    expect(problem(await processMedia(garbage, 'kapot.jpg'))).toBe(
      'kapot.jpg is not a JPEG image: its bytes are no image the site can read',
    );
    const jpeg = await sharp({
      create: {
        width: 400,
        height: 400,
        channels: 3,
        background: 'grey',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg()
      .toBuffer();
    expect(problem(await processMedia(jpeg.subarray(0, jpeg.length / 2), 'half.jpg'))).toMatch(
      /^half\.jpg is not a readable JPEG image: /,
    );
  });

  it('refuses HTML named .jpg, an SVG, SVG text named .png and a PNG named .jpg', async () => {
    const html = new TextEncoder().encode('<!doctype html><script>alert(1)</script>');
    expect(problem(await processMedia(html, 'foto.jpg'))).toBe(
      'foto.jpg is HTML or SVG text, not a JPEG image',
    );
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>');
    expect(problem(await processMedia(svg, 'logo.svg'))).toMatch(
      /^logo\.svg is an SVG image: .*export it as PNG$/,
    );
    expect(problem(await processMedia(svg, 'logo.png'))).toBe(
      'logo.png is HTML or SVG text, not a PNG image',
    );
    expect(problem(await processMedia(html, 'pagina.html'))).toMatch(/^pagina\.html is markup/);
    const png = await solid(10, 10).png().toBuffer();
    expect(problem(await processMedia(png, 'foto.jpg'))).toBe(
      'foto.jpg is a PNG image, but its name says a JPEG image: rename it to .png',
    );
  });

  it('refuses a pixel bomb before decoding it, and a file over the size limit unread', async () => {
    expect(MEDIA_MAX_PIXELS).toBe(50_000_000);
    expect(problem(await processMedia(pngHeader(100_000, 100_000), 'bom.png'))).toBe(
      'bom.png is 100000 × 100000 pixels (10000 megapixels); at most 50 megapixels are allowed',
    );
    expect(problem(await processMedia(new Uint8Array(MEDIA_MAX_BYTES + 1), 'groot.jpg'))).toBe(
      `groot.jpg is over ${dutchSize(MEDIA_MAX_BYTES)}, the most a media file may be`,
    );
  });

  it('refuses an animated GIF', async () => {
    const frames = [await solid(20, 20).png().toBuffer(), await solid(20, 20, 0.2).png().toBuffer()];
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect(problem(await processMedia(gif, 'bewegend.gif'))).toMatch(
      /^bewegend\.gif is animated \(2 frames\)/,
    );
  });
});

describe('downloads', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('accepts a PDF, an Office file, an OpenDocument file and CSV by their first bytes', async () => {
    const pdf = await processMedia(bytes('%PDF-1.7\n%…'), 'Jaarverslag 2003.pdf');
    expect(pdf.ok && pdf.media.kind === 'download' && pdf.media).toMatchObject({
      label: 'PDF',
      object: { contentType: 'application/pdf', key: expect.stringMatching(/^[0-9a-f]{32}\.pdf$/) },
    });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(40).fill(0)]);
    expect((await processMedia(zip, 'cijfers.xlsx')).ok).toBe(true);
    const odt = new Uint8Array(100);
    odt.set([0x50, 0x4b, 0x03, 0x04]);
    odt.set(bytes('mimetypeapplication/vnd.oasis.opendocument.text'), 30);
    expect((await processMedia(odt, 'notulen.odt')).ok).toBe(true);
    expect(problem(await processMedia(odt, 'cijfers.ods'))).toBe(
      'cijfers.ods is not an OpenDocument-rekenblad file: its mimetype entry says otherwise',
    );
    expect((await processMedia(bytes('sector;aantal\ngemeenten;12\n'), 'cijfers.csv')).ok).toBe(true);
  });

  it('refuses a download whose bytes are not what its name says', async () => {
    expect(problem(await processMedia(bytes('<html>'), 'stuk.pdf'))).toBe(
      'stuk.pdf is not a PDF file: it does not start with %PDF-',
    );
    expect(problem(await processMedia(bytes('%PDF-1.4'), 'stuk.docx'))).toBe(
      'stuk.docx is not a Word file: it is no zip-based document',
    );
    expect(problem(await processMedia(new Uint8Array([65, 0, 66]), 'cijfers.csv'))).toBe(
      'cijfers.csv is not a CSV file: it holds binary data',
    );
    expect(problem(await processMedia(bytes('x'), 'programma.exe'))).toMatch(
      /^programma\.exe: \.exe is not a file/,
    );
  });

  it('says sizes as the file card does', () => {
    expect([dutchSize(12), dutchSize(340_000), dutchSize(1_234_567), dutchSize(25 * 1024 * 1024)]).toEqual([
      '12 bytes',
      '340 kB',
      '1,2 MB',
      '26 MB',
    ]);
  });
});
