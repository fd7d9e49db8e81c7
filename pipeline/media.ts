/**
 * A media file beside a document, made into what the site serves: an image decoded for real, turned
 * upright (EXIF orientation), stripped of every byte of metadata (EXIF, GPS, XMP, ICC after conversion
 * to sRGB), capped at IMAGE_MAX_WIDTH and written at a few widths as AVIF, WebP and a JPEG (PNG when it
 * has transparency); or a download checked against its name. Every object is keyed by a hash of its own
 * bytes, so its URL can be cached for ever. Refusals are problems for `file:line`. docs/media.md.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { CARD_MAX_BYTES, CARD_WIDTH } from '../schema/card-size.ts';
import { dutchSize } from '../schema/media-files.ts';
import {
  downloadBytesProblem,
  type ImageFormat,
  imageBytesProblem,
  MEDIA_MAX_BYTES,
  mediaKind,
} from './media-types.ts';

/** The most pixels a source image may have: a 50-megapixel camera fits; a decompression bomb does not. */
export const MEDIA_MAX_PIXELS = 50_000_000;
/** The longest side of the largest image served; the source's own size when smaller (never upscaled). */
export const IMAGE_MAX_WIDTH = 2400;
/** The widths of the variants, each only when below the image's own width (which is always one). */
const IMAGE_WIDTHS = [480, 800, 1200, 1600, 2400] as const;
/**
 * AVIF's effort (0–9): on these 2-core machines a 1600 px image takes 447 ms at 2 and 2,355 ms at 4 for
 * 44 KB against 35 KB (docs/media.md); images are made once per source, but a folder of photos should
 * not take minutes.
 */
const AVIF_EFFORT = 2;

const ENCODERS = {
  avif: (image: Sharp) => image.avif({ quality: 50, effort: AVIF_EFFORT }),
  webp: (image: Sharp) => image.webp({ quality: 80 }),
  jpeg: (image: Sharp) => image.jpeg({ quality: 80, mozjpeg: true }),
  png: (image: Sharp) => image.png({ compressionLevel: 9 }),
} as const;
type VariantFormat = keyof typeof ENCODERS;

/**
 * The share image an article may show in link previews instead of its card (front matter
 * `share_image: true`): a JPEG as wide as the card, made of every image at least that wide, since the
 * seed makes each file once, before it knows which article shares it. Its quality steps down until it
 * fits the card's byte limit (WhatsApp's), which a 1200 px photo at 80 nearly always does.
 */
const SHARE_QUALITIES = [80, 70, 60, 50] as const;

/**
 * What decides the bytes made from a source: a change here makes every image again on the next seed
 * (the seed keys its work by the source's hash and this).
 */
export const MEDIA_PROCESSOR = `sharp ${sharp.versions.sharp}; libvips ${sharp.versions.vips}; max ${IMAGE_MAX_WIDTH}; widths ${IMAGE_WIDTHS.join(',')}; avif q50 e${AVIF_EFFORT}; webp q80; jpeg q80 mozjpeg; png 9; share ${CARD_WIDTH} jpeg q${SHARE_QUALITIES.join('/')} ≤${CARD_MAX_BYTES}`;

const CONTENT_TYPES: Record<VariantFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const EXTENSIONS: Record<VariantFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };

/** An object as it is stored (R2) and served: `/media/{key}`. */
interface MediaObject {
  key: string;
  contentType: string;
  bytes: Uint8Array;
}
interface ImageVariant extends MediaObject {
  format: VariantFormat;
  width: number;
  height: number;
  /** The share image (a JPEG CARD_WIDTH wide), not one of the `<picture>`'s variants. */
  share?: true;
}
interface ProcessedImage {
  kind: 'image';
  /** SHA-256 of the source file, hex: what the seed keys its work by. */
  source: string;
  /** The served size of the largest variant: upright, capped. */
  width: number;
  height: number;
  /** What made the variants (MEDIA_PROCESSOR): a row made by another is made again. */
  processor: string;
  /** The format of the `<img>` fallback: PNG when the image has transparency, else JPEG. */
  fallback: 'jpeg' | 'png';
  variants: ImageVariant[];
}
interface ProcessedDownload {
  kind: 'download';
  source: string;
  /** The card's words for its type ("PDF") and size ("1,2 MB"). */
  label: string;
  size: string;
  object: MediaObject;
}
export type ProcessedMedia = ProcessedImage | ProcessedDownload;
export type MediaResult = { ok: true; media: ProcessedMedia } | { ok: false; problem: string };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** 128 bits of the content's SHA-256: no two objects share a key, and the URL stays short. */
const mediaKey = (bytes: Uint8Array, extension: string) => `${sha256(bytes).slice(0, 32)}.${extension}`;

const refused = (problem: string): MediaResult => ({ ok: false, problem });
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/**
 * Processes one media file, named as the document names it. Nothing is read from disk: the caller
 * reads the file (pipeline/content-files.ts) with MEDIA_MAX_BYTES as its limit.
 */
export async function processMedia(bytes: Uint8Array, name: string): Promise<MediaResult> {
  const kind = mediaKind(name);
  if (kind.kind === 'refused') return refused(kind.problem);
  if (bytes.length > MEDIA_MAX_BYTES) {
    return refused(`${name} is over ${dutchSize(MEDIA_MAX_BYTES)}, the most a media file may be`);
  }
  const source = sha256(bytes);
  if (kind.kind === 'download') {
    const problem = downloadBytesProblem(bytes, name, kind.type);
    if (problem) return refused(problem);
    const object = { key: mediaKey(bytes, kind.extension), contentType: kind.type.contentType, bytes };
    return {
      ok: true,
      media: { kind: 'download', source, label: kind.type.label, size: dutchSize(bytes.length), object },
    };
  }
  const problem = imageBytesProblem(bytes, name, kind.format);
  if (problem) return refused(problem);
  return processImage(bytes, name, kind.format, source);
}

/** failOn 'error': a truncated or corrupt image is refused, not shown half grey. */
const INPUT = { limitInputPixels: MEDIA_MAX_PIXELS, failOn: 'error' } as const;

async function processImage(
  bytes: Uint8Array,
  name: string,
  format: ImageFormat,
  source: string,
): Promise<MediaResult> {
  let meta: Metadata;
  try {
    // The header only, so without sharp's own pixel limit (which would say only "exceeds pixel
    // limit"): the size of a pixel bomb is known, and said, before a pixel is decoded.
    meta = await sharp(bytes, { ...INPUT, limitInputPixels: false, animated: true }).metadata();
  } catch (error) {
    return refused(`${name} cannot be read as an image: ${reason(error)}`);
  }
  if ((meta.pages ?? 1) > 1) {
    return refused(
      `${name} is animated (${meta.pages} frames): the site shows still images; use one frame, or link to a video`,
    );
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > MEDIA_MAX_PIXELS) {
    const mp = (n: number) => `${Math.round(n / 1_000_000)} megapixels`;
    return refused(
      `${name} is ${meta.width} × ${meta.height} pixels (${mp(pixels)}); at most ${mp(MEDIA_MAX_PIXELS)} are allowed`,
    );
  }
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // Decoded for real, once: upright, in sRGB, capped, as raw pixels; no metadata survives raw.
    decoded = await sharp(bytes, INPUT)
      .autoOrient()
      .resize({
        width: IMAGE_MAX_WIDTH,
        height: IMAGE_MAX_WIDTH,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    return refused(`${name} is not a readable ${format.toUpperCase()} image: ${reason(error)}`);
  }
  const { data, info } = decoded;
  const translucent = hasTransparency(data, info.channels);
  const fallback = translucent ? 'png' : 'jpeg';
  const widths = [...IMAGE_WIDTHS.filter((width) => width < info.width * 0.9), info.width];
  const formats: VariantFormat[] = ['avif', 'webp', fallback];
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const variants = await Promise.all(
    widths.flatMap((width) =>
      formats.map(async (variant): Promise<ImageVariant> => {
        let image = sharp(data, { raw });
        if (width !== info.width) image = image.resize({ width });
        if (!translucent && (info.channels === 2 || info.channels === 4)) image = image.removeAlpha();
        const out = await ENCODERS[variant](image).toBuffer({ resolveWithObject: true });
        const bytes = new Uint8Array(out.data);
        return {
          key: mediaKey(bytes, EXTENSIONS[variant]),
          contentType: CONTENT_TYPES[variant],
          bytes,
          format: variant,
          width: out.info.width,
          height: out.info.height,
        };
      }),
    ),
  );
  const share = info.width >= CARD_WIDTH ? await shareVariant(data, raw, translucent) : null;
  return {
    ok: true,
    media: {
      kind: 'image',
      source,
      processor: MEDIA_PROCESSOR,
      width: info.width,
      height: info.height,
      fallback,
      variants: share ? [...variants, share] : variants,
    },
  };
}

/**
 * The share image of decoded pixels: CARD_WIDTH wide, as JPEG (what every network shows), on white
 * where the image is transparent, at the best quality of SHARE_QUALITIES that fits CARD_MAX_BYTES;
 * null if none does.
 */
async function shareVariant(
  data: Buffer,
  raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 },
  translucent: boolean,
): Promise<ImageVariant | null> {
  for (const quality of SHARE_QUALITIES) {
    let image = sharp(data, { raw }).resize({ width: CARD_WIDTH });
    image = translucent ? image.flatten({ background: '#ffffff' }) : image.removeAlpha();
    const out = await image.jpeg({ quality, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    if (out.data.length > CARD_MAX_BYTES) continue;
    const bytes = new Uint8Array(out.data);
    return {
      key: mediaKey(bytes, 'jpg'),
      contentType: 'image/jpeg',
      bytes,
      format: 'jpeg',
      width: out.info.width,
      height: out.info.height,
      share: true,
    };
  }
  return null;
}

/** Whether any pixel is less than opaque (an alpha channel full of 255s is no transparency). */
function hasTransparency(data: Buffer, channels: number): boolean {
  if (channels !== 2 && channels !== 4) return false;
  for (let i = channels - 1; i < data.length; i += channels) if (data[i] !== 255) return true;
  return false;
}
