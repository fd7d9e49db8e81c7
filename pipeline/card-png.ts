// The PNG encoder of the social cards: 8-bit palette images (colour type 3) whose scanlines are
// deflated in parts, so that the rows many cards share (the band, the white between title and date)
// are compressed once per process and each card compresses only the rows it draws on.

import { constants, crc32, deflateRawSync } from 'node:zlib';
import { rgbOf } from './card-palette.ts';

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const ADLER_BASE = 65521;

/**
 * The deflate level of the rows a card draws on. Measured on a card's rows: level 5 takes three
 * quarters of the time of 7 for 3 % more bytes, and 8 or 9 take three to six times as long for
 * 8–10 % fewer (long runs of one colour make zlib's match search slow); levels 1–3 (no lazy
 * matching) are fast but 30 % larger. The rows every card shares are deflated at 9, once.
 */
export const CARD_LEVEL = 5;

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  // PNG §5.3: the CRC covers the chunk type and data, not the length.
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * Adler-32 of `data` (RFC 1950 §8.2), the checksum that ends a zlib stream. A card's scanlines are
 * mostly index 0 (white): four zero bytes leave `a` as it is and add 4·a to `b`, so they are taken a
 * 32-bit word at a time.
 */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const aligned = data.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : null;
  let i = 0;
  while (i < data.length) {
    // 2600 bytes keep b below 2^31 between two reductions, in V8's fast integer range (zlib's own
    // bound, NMAX = 5552, is for 2^32).
    const end = Math.min(i + 2600, data.length);
    if (words) {
      const wordEnd = end >>> 2;
      for (let w = i >>> 2; w < wordEnd; w++) {
        if (words[w] === 0) {
          b += 4 * a;
          continue;
        }
        const at = w * 4;
        a += data[at] as number;
        b += a;
        a += data[at + 1] as number;
        b += a;
        a += data[at + 2] as number;
        b += a;
        a += data[at + 3] as number;
        b += a;
      }
      i = Math.max(i, wordEnd * 4);
    }
    for (; i < end; i++) {
      a += data[i] as number;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return (b * 65536 + a) >>> 0;
}

/** The Adler-32 of two parts joined, from theirs and the second's length (zlib's adler32_combine). */
function adler32Combine(first: number, second: number, secondLength: number): number {
  const rem = secondLength % ADLER_BASE;
  const a1 = first & 0xffff;
  const a = (a1 + (second & 0xffff) + ADLER_BASE - 1) % ADLER_BASE;
  const b = (((rem * a1) % ADLER_BASE) + (first >>> 16) + (second >>> 16) + ADLER_BASE - rem) % ADLER_BASE;
  return (b * 65536 + a) >>> 0;
}

/**
 * Scanlines deflated on their own and ended on a byte boundary with an empty stored block (RFC 1951
 * §3.2.4, zlib's sync flush): parts like this, one after another, make one deflate stream.
 */
export interface DeflatedRows {
  deflated: Uint8Array;
  adler: number;
  length: number;
}

export function deflateRows(rows: Uint8Array, level: number): DeflatedRows {
  return {
    deflated: deflateRawSync(rows, { level, memLevel: 9, finishFlush: constants.Z_SYNC_FLUSH }),
    adler: adler32(rows),
    length: rows.length,
  };
}

const blank = new Map<string, DeflatedRows>();

/** `count` rows of palette index 0, deflated: kept, since many cards have the same white runs. */
export function blankRows(width: number, count: number): DeflatedRows {
  const key = `${width}×${count}`;
  let rows = blank.get(key);
  if (!rows) {
    rows = deflateRows(new Uint8Array((width + 1) * count), 9);
    blank.set(key, rows);
  }
  return rows;
}

/** Rows `fromRow` to `toRow` of an index image as PNG scanlines, each led by filter type 0 (None). */
export function scanlines(indices: Uint8Array, width: number, fromRow: number, toRow: number): Uint8Array {
  const rows = new Uint8Array((width + 1) * (toRow - fromRow));
  for (let y = fromRow; y < toRow; y++) {
    rows.set(indices.subarray(y * width, (y + 1) * width), (y - fromRow) * (width + 1) + 1);
  }
  return rows;
}

/**
 * An 8-bit palette PNG from its scanlines, deflated in parts, top to bottom. `palette` holds opaque
 * colours (card-palette.ts).
 *
 * Filter type 0 throughout: on palette images the other filters predict from neighbouring indices,
 * which say nothing about each other, and make these cards larger (PNG §12.8 recommends None).
 */
export function encodeIndexedPng(
  width: number,
  height: number,
  palette: ArrayLike<number>,
  parts: DeflatedRows[],
): Uint8Array {
  if (palette.length < 1 || palette.length > 256) throw new Error(`a palette of ${palette.length} colours`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (palette), deflate, filter 0, no interlace
  const plte = new Uint8Array(palette.length * 3);
  for (let i = 0; i < palette.length; i++) plte.set(rgbOf(palette[i] as number), i * 3);
  let adler = 1;
  let length = 0;
  for (const part of parts) {
    adler = length === 0 ? part.adler : adler32Combine(adler, part.adler, part.length);
    length += part.length;
  }
  if (length !== (width + 1) * height) throw new Error(`${length} bytes of scanlines for ${width}×${height}`);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(adler, 0);
  const idat = Buffer.concat([
    // RFC 1950: CMF 0x78 (deflate, 32 KiB window), FLG 0xda (level 7–9, check bits).
    Uint8Array.of(0x78, 0xda),
    ...parts.map((part) => part.deflated),
    // The final block: empty, fixed Huffman codes (BFINAL 1, BTYPE 01, end of block), then the
    // checksum of every part's rows.
    Uint8Array.of(0x03, 0x00),
    checksum,
  ]);
  const png = Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('PLTE', plte),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
