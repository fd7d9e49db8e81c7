// What the social cards are drawn with, loaded once per process: Inter (regular and bold), the logo,
// HarfBuzz measuring Inter Bold, and Twemoji images.
//
// Inter comes as TTF from @expo-google-fonts/inter: one file per weight with full Latin Extended
// coverage (“ ” – — € ë é), which HarfBuzz can read too (it cannot read WOFF or WOFF2).
//
// Emoji are drawn as Twemoji images (CC BY 4.0, SVG from @iconify-json/twemoji, read from
// node_modules, never fetched): satori draws every grapheme listed in its graphemeImages option as an
// image one em wide, and the title's measure below counts them the same way. The document contract
// admits in a title only what Inter or Twemoji can draw (schema/title-characters.ts).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { HarfBuzz, HbBuffer } from 'harfbuzzjs';
import { graphemesOf, isCardEmoji } from '../schema/title-characters.ts';

export interface Assets {
  fonts: { name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[];
  logo: string;
  /** Width in pixels of `text` set in Inter Bold at `fontSize`. */
  measureBold: (text: string, fontSize: number) => number;
  /** Whether Inter has a glyph for the character. */
  hasGlyph: (character: string) => boolean;
}

const require = createRequire(import.meta.url);
// Required, not imported: the package exports a promise, and an ES module namespace with a `then`
// is itself taken for a promise by import(), which fails under vitest.
const harfbuzz: Promise<HarfBuzz> = require('harfbuzzjs');
const fontFile = (weight: string) =>
  readFile(require.resolve(`@expo-google-fonts/inter/${weight}/Inter_${weight}.ttf`));

let assets: Promise<Assets> | undefined;

// --- emoji -----------------------------------------------------------------------------------------

interface IconSet {
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
  width?: number;
  height?: number;
}

let twemoji: { chars: Record<string, string>; set: IconSet } | undefined;

/** Twemoji's name for a grapheme: its code points in hex (at least 4 digits), less U+FE0F, by "-". */
const twemojiKey = (grapheme: string) =>
  Array.from(grapheme)
    .filter((character) => character !== '\uFE0F')
    .map((character) => (character.codePointAt(0) ?? 0).toString(16).padStart(4, '0'))
    .join('-');

/** The Twemoji image of an emoji grapheme as an SVG data URL, or null when Twemoji has none. */
export function emojiImage(grapheme: string): string | null {
  // Loaded on the first emoji only: the icon set is 10 MB of JSON.
  twemoji ??= {
    chars: require('@iconify-json/twemoji/chars.json'),
    set: require('@iconify-json/twemoji/icons.json'),
  };
  const { chars, set } = twemoji;
  const name = chars[twemojiKey(grapheme)];
  if (name === undefined) return null;
  const icon = set.icons[name] ?? set.icons[set.aliases?.[name]?.parent ?? ''];
  if (!icon) return null;
  const width = icon.width ?? set.width ?? 16;
  const height = icon.height ?? set.height ?? 16;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${icon.body}</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** A quick test for text that may hold an emoji, before segmenting it into graphemes. */
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3|\uFE0F/u;

/** The emoji graphemes of a text with their images, as satori's graphemeImages option. */
export function emojiImages(text: string): Record<string, string> {
  const images: Record<string, string> = {};
  if (!MAYBE_EMOJI.test(text)) return images;
  for (const grapheme of graphemesOf(text)) {
    if (!isCardEmoji(grapheme) || grapheme in images) continue;
    const image = emojiImage(grapheme);
    if (image) images[grapheme] = image;
  }
  return images;
}

export function loadAssets(): Promise<Assets> {
  assets ??= (async () => {
    const [regular, bold, logo, hb] = await Promise.all([
      fontFile('400Regular'),
      fontFile('700Bold'),
      readFile(require.resolve('../assets/logo.svg')),
      harfbuzz,
    ]);
    const face = hb.createFace(hb.createBlob(bold), 0);
    const font = hb.createFont(face);
    const shape = <T>(text: string, read: (buffer: HbBuffer) => T): T => {
      const buffer = hb.createBuffer();
      try {
        buffer.addText(text);
        buffer.guessSegmentProperties();
        hb.shape(font, buffer);
        return read(buffer);
      } finally {
        buffer.destroy();
      }
    };
    // Wrapping measures the same prefixes again at every font size; widths in font units do not
    // depend on the size, so one cache serves them all. Cleared now and then to bound memory.
    const units = new Map<string, number>();
    const shapedUnits = (text: string) =>
      shape(text, (buffer) => buffer.getGlyphPositions().reduce((sum, p) => sum + p.x_advance, 0));
    // As satori measures a line with images (measureGraphemeArray): each image is one em, and the
    // text between images is shaped on its own.
    const unitsWithEmoji = (text: string) => {
      let width = 0;
      let run = '';
      for (const grapheme of graphemesOf(text)) {
        if (isCardEmoji(grapheme) && emojiImage(grapheme)) {
          if (run !== '') width += shapedUnits(run);
          run = '';
          width += face.upem;
        } else {
          run += grapheme;
        }
      }
      return run === '' ? width : width + shapedUnits(run);
    };
    const measureUnits = (text: string) => {
      let width = units.get(text);
      if (width === undefined) {
        width = MAYBE_EMOJI.test(text) ? unitsWithEmoji(text) : shapedUnits(text);
        if (units.size >= 20_000) units.clear();
        units.set(text, width);
      }
      return width;
    };
    return {
      // The same array on every call: satori caches its parsed fonts per object.
      fonts: [
        { name: 'Inter', data: regular, weight: 400, style: 'normal' },
        { name: 'Inter', data: bold, weight: 700, style: 'normal' },
      ],
      logo: `data:image/svg+xml;base64,${logo.toString('base64')}`,
      measureBold: (text, fontSize) => (measureUnits(text) * fontSize) / face.upem,
      hasGlyph: (character) =>
        shape(character, (buffer) => buffer.getGlyphInfos().every((g) => g.codepoint !== 0)),
    };
  })();
  return assets;
}
