// Social cards (Open Graph images): 1200×630 PNGs rendered on the Node side at seed time, so the
// Worker serves stored bytes and carries no renderer. satori lays the card out and turns its text
// into paths, resvg rasterises the SVG, and a small encoder below writes the PNG. The title is
// wrapped here, not by satori: measuring it with HarfBuzz (the shaper satori uses) lets us pick the
// largest font size that fits, clamp absurd titles with an ellipsis, and test the layout directly.
//
// @resvg/resvg-js is native (napi-rs) rather than the wasm build: it renders several times faster,
// its renderAsync runs on libuv's thread pool (so a batch uses more than one core without worker
// threads), and every platform package of 2.6.2 is on the registry, so `npm ci` finds a complete
// lockfile. Inter comes as TTF from @expo-google-fonts/inter: one file per weight with full Latin
// Extended coverage (“ ” – — € ë é), which HarfBuzz can read too (it cannot read WOFF or WOFF2).
//
// Emoji are drawn as Twemoji images (CC BY 4.0, SVG from @iconify-json/twemoji, read from
// node_modules, never fetched): satori draws every grapheme listed in its graphemeImages option as an
// image one em wide, and the wrapping below measures them the same way. The document contract admits
// in a title only what Inter or Twemoji can draw (schema/title-characters.ts).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import { renderAsync } from '@resvg/resvg-js';
import type { HarfBuzz, HbBuffer } from 'harfbuzzjs';
import satori from 'satori';
import { SITE_NAME, SITE_TAGLINE } from '../schema/brand.ts';
import { CARD_HEIGHT, CARD_WIDTH } from '../schema/card-size.ts';
import { graphemesOf, isCardEmoji } from '../schema/title-characters.ts';

/** Colours of assets/site.css: flat fills keep the PNG small. */
const COLOURS = {
  blue: '#00385f',
  accent: '#f5a623',
  muted: '#4a4a4a',
  white: '#ffffff',
  paleBlue: '#c9d9e7',
} as const;

const MARGIN = 80;
const BAND_HEIGHT = 144;
const ACCENT_HEIGHT = 8;

/** Where the title may draw; everything below it belongs to the date. */
export const TITLE_BOX = { x: MARGIN, y: 200, width: CARD_WIDTH - 2 * MARGIN, height: 290 } as const;
/** The date's line: its top edge, font size and height. */
export const DATE_LINE = { y: 528, fontSize: 30, lineHeight: 40 } as const;

/** Font sizes tried for the title, largest first; the smallest is still readable in a feed. */
export const TITLE_SIZES = [84, 78, 72, 66, 60, 54, 48, 44] as const;
const TITLE_LINE_HEIGHT = 1.16;
const ELLIPSIS = '…';

export interface ArticleCardInput {
  title: string;
  /** The Dutch date label, already formatted ("12 februari 2019"). */
  date: string;
}

export interface TitleLayout {
  fontSize: number;
  /** Line height in pixels. */
  lineHeight: number;
  lines: string[];
  /** True when the title did not fit at the smallest size and was cut with an ellipsis. */
  clamped: boolean;
}

// --- assets, loaded once per process -------------------------------------------------------------

interface Assets {
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
function emojiImages(text: string): Record<string, string> {
  const images: Record<string, string> = {};
  if (!MAYBE_EMOJI.test(text)) return images;
  for (const grapheme of graphemesOf(text)) {
    if (!isCardEmoji(grapheme) || grapheme in images) continue;
    const image = emojiImage(grapheme);
    if (image) images[grapheme] = image;
  }
  return images;
}

function loadAssets(): Promise<Assets> {
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

// --- title layout ----------------------------------------------------------------------------------

type Measure = (text: string) => number;

const graphemes = new Intl.Segmenter('nl', { granularity: 'grapheme' });

/**
 * Cuts a word wider than the line into pieces that fit: after the last hyphen or slash that fits
 * (compounds, URLs), otherwise between characters.
 */
function breakWord(word: string, width: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest !== '' && measure(rest) > width) {
    let fit = '';
    for (const { segment } of graphemes.segment(rest)) {
      if (fit !== '' && measure(fit + segment) > width) break;
      fit += segment;
    }
    const soft = Math.max(fit.lastIndexOf('-'), fit.lastIndexOf('/'));
    if (soft > 0 && soft < fit.length - 1) fit = fit.slice(0, soft + 1);
    pieces.push(fit);
    rest = rest.slice(fit.length);
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/**
 * The words of a text, as units that must not be split across lines: a currency sign stays with its
 * amount ("€ 5") and a dash with the word before it, so no line starts with "–". No-break spaces are
 * not split at all.
 */
function words(text: string): string[] {
  const units: string[] = [];
  let glueNext = false;
  for (const word of text.split(/[ \t\r\n]+/).filter(Boolean)) {
    const last = units.length - 1;
    if (last >= 0 && (glueNext || /^[–—]$/.test(word))) units[last] += ` ${word}`;
    else units.push(word);
    glueNext = /^[€$£]$/.test(word);
  }
  return units;
}

/** Greedy line filling at word boundaries. */
export function wrapText(text: string, width: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words(text)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (measure(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = measure(word) <= width ? [word] : breakWord(word, width, measure);
    line = pieces.pop() ?? '';
    lines.push(...pieces);
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The narrowest wrap with the same number of lines (like CSS `text-wrap: balance`), so a title does
 * not end in one short word. Binary search over the width; narrower never means fewer lines.
 */
function balance(text: string, lines: string[], measure: Measure): string[] {
  if (lines.length < 2) return lines;
  let best = lines;
  let low = 0;
  let high = Math.max(...lines.map(measure));
  while (high - low > 1) {
    const width = (low + high) / 2;
    const candidate = wrapText(text, width, measure);
    if (candidate.length === lines.length && candidate.every((line) => measure(line) <= width)) {
      best = candidate;
      high = width;
    } else {
      low = width;
    }
  }
  return best;
}

/** Shortens a line until it and an ellipsis fit, cutting at a word where it can. */
function withEllipsis(line: string, width: number, measure: Measure): string {
  let text = line;
  while (text !== '' && measure(text.replace(/[\s,.;:–—-]+$/, '') + ELLIPSIS) > width) {
    const space = text.lastIndexOf(' ');
    text =
      space > 0
        ? text.slice(0, space)
        : Array.from(graphemes.segment(text), (g) => g.segment)
            .slice(0, -1)
            .join('');
  }
  return text.replace(/[\s,.;:–—-]+$/, '') + ELLIPSIS;
}

/**
 * The largest title size whose wrapped lines fit the title box; a title that does not fit even at the
 * smallest size keeps as many lines as fit, the last one ending in an ellipsis.
 */
export function layoutTitle(
  title: string,
  measureAt: (text: string, fontSize: number) => number,
  box: { width: number; height: number } = TITLE_BOX,
): TitleLayout {
  const text = title.trim();
  let layout: TitleLayout | undefined;
  for (const fontSize of TITLE_SIZES) {
    const measure: Measure = (t) => measureAt(t, fontSize);
    const lineHeight = Math.round(fontSize * TITLE_LINE_HEIGHT);
    const maxLines = Math.max(1, Math.floor(box.height / lineHeight));
    const lines = wrapText(text, box.width, measure);
    if (lines.length <= maxLines)
      return { fontSize, lineHeight, lines: balance(text, lines, measure), clamped: false };
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = withEllipsis(kept[maxLines - 1] ?? '', box.width, measure);
    layout = { fontSize, lineHeight, lines: kept, clamped: true };
  }
  // TITLE_SIZES is not empty, so the loop has set a layout at the smallest size.
  return layout as TitleLayout;
}

/** The title layout the article card uses, measured in the card's own font. */
export async function layoutArticleTitle(title: string): Promise<TitleLayout> {
  const { measureBold } = await loadAssets();
  return layoutTitle(title, measureBold);
}

/**
 * The graphemes of `text` that the card cannot draw (they would show as empty boxes): neither Inter
 * has them nor Twemoji, measured on the fonts themselves.
 */
export async function missingGlyphs(text: string): Promise<string[]> {
  const { hasGlyph } = await loadAssets();
  return [...new Set(graphemesOf(text.replace(/\s/g, '')))].filter(
    (grapheme) => !(isCardEmoji(grapheme) && emojiImage(grapheme)) && !hasGlyph(grapheme),
  );
}

// --- rendering -------------------------------------------------------------------------------------

type Style = Record<string, string | number>;
type Children = CardNode | string | (CardNode | string)[];

/** The plain element objects satori accepts in place of React elements. */
interface CardNode {
  type: 'div' | 'img';
  props: { style?: Style; children?: Children; src?: string; width?: number; height?: number };
}

const div = (style: Style, children?: Children): CardNode => ({
  type: 'div',
  props: { style: { display: 'flex', ...style }, children },
});

/** The logo's own square is the brand blue; a thin white ring keeps its outline on a blue ground. */
const logoMark = (logo: string, size: number): CardNode =>
  div({ borderRadius: size / 6 + 3, border: `3px solid ${COLOURS.white}` }, [
    { type: 'img', props: { src: logo, width: size, height: size } },
  ]);

const accentBar = (top: number, height: number) =>
  div({ position: 'absolute', left: 0, top, width: CARD_WIDTH, height, backgroundColor: COLOURS.accent });

function articleCard(logo: string, title: TitleLayout, date: string): CardNode {
  return div(
    { width: CARD_WIDTH, height: CARD_HEIGHT, backgroundColor: COLOURS.white, fontFamily: 'Inter' },
    [
      div(
        {
          position: 'absolute',
          left: 0,
          top: 0,
          width: CARD_WIDTH,
          height: BAND_HEIGHT,
          alignItems: 'center',
          padding: `0 ${MARGIN}px`,
          backgroundColor: COLOURS.blue,
        },
        [
          logoMark(logo, 78),
          div({ flexDirection: 'column', marginLeft: 28 }, [
            div({ fontSize: 42, fontWeight: 700, color: COLOURS.white, lineHeight: 1.1 }, SITE_NAME),
            div({ fontSize: 26, color: COLOURS.paleBlue, lineHeight: 1.3, marginTop: 4 }, SITE_TAGLINE),
          ]),
        ],
      ),
      accentBar(BAND_HEIGHT, ACCENT_HEIGHT),
      div(
        {
          position: 'absolute',
          left: TITLE_BOX.x,
          top: TITLE_BOX.y,
          width: TITLE_BOX.width,
          height: TITLE_BOX.height,
          flexDirection: 'column',
          justifyContent: 'center',
        },
        title.lines.map((line) =>
          div(
            {
              height: title.lineHeight,
              fontSize: title.fontSize,
              lineHeight: `${title.lineHeight}px`,
              fontWeight: 700,
              color: COLOURS.blue,
              // The lines are already measured to fit; satori must not wrap them again.
              whiteSpace: 'pre',
            },
            line,
          ),
        ),
      ),
      div(
        {
          position: 'absolute',
          left: MARGIN,
          top: DATE_LINE.y,
          height: DATE_LINE.lineHeight,
          alignItems: 'center',
          fontSize: DATE_LINE.fontSize,
          color: COLOURS.muted,
        },
        [div({ width: 40, height: 6, backgroundColor: COLOURS.accent, marginRight: 20 }), date],
      ),
    ],
  );
}

function defaultCard(logo: string): CardNode {
  return div(
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      alignItems: 'center',
      padding: `0 ${MARGIN + 10}px`,
      backgroundColor: COLOURS.blue,
      fontFamily: 'Inter',
    },
    [
      logoMark(logo, 180),
      div({ flexDirection: 'column', marginLeft: 56 }, [
        div({ fontSize: 92, fontWeight: 700, color: COLOURS.white, lineHeight: 1.1 }, SITE_NAME),
        div({ fontSize: 38, color: COLOURS.paleBlue, lineHeight: 1.3, marginTop: 16 }, SITE_TAGLINE),
      ]),
      accentBar(CARD_HEIGHT - 2 * ACCENT_HEIGHT, 2 * ACCENT_HEIGHT),
    ],
  );
}

// --- PNG -------------------------------------------------------------------------------------------

const deflateAsync = promisify(deflate);
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

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
 * An 8-bit RGBA PNG. resvg's own asPng spends ~16 ms of a ~30 ms card in its encoder; rows with
 * filter type 0 and zlib level 3 take ~4 ms, run on the thread pool, and the cards stay far below
 * 300 KB (flat colours compress well without filtering). zlib's output can differ between zlib
 * builds and CPUs, as resvg's anti-aliasing may: the bytes are stable on one machine, and a seed
 * should decide to re-render by the card's input, not by comparing bytes.
 */
async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const stride = width * 4;
  const rows = new Uint8Array((stride + 1) * height);
  // Each row starts with its filter type byte, 0 (None), which the zero-filled array already holds.
  for (let y = 0; y < height; y++)
    rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace
  const png = Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', await deflateAsync(rows, { level: 3 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

async function toPng(
  node: CardNode,
  fonts: Assets['fonts'],
  graphemeImages: Record<string, string> = {},
): Promise<Uint8Array> {
  const svg = await satori(node, { width: CARD_WIDTH, height: CARD_HEIGHT, fonts, graphemeImages });
  const image = await renderAsync(svg, {
    fitTo: { mode: 'original' },
    // Text is already paths, so resvg needs no fonts; skipping the system font scan saves time.
    font: { loadSystemFonts: false },
    // An opaque ground makes resvg's premultiplied pixels plain RGBA.
    background: COLOURS.white,
  });
  return encodePng(image.pixels, image.width, image.height);
}

/** The social card of an article: site name, the title wrapped to fit, the date. */
export async function renderArticleCard({ title, date }: ArticleCardInput): Promise<Uint8Array> {
  const { fonts, logo, measureBold } = await loadAssets();
  const layout = layoutTitle(title, measureBold);
  return toPng(articleCard(logo, layout, date), fonts, emojiImages(layout.lines.join(' ')));
}

/** The card of every page that is not an article: logo, site name and tagline. */
export async function renderDefaultCard(): Promise<Uint8Array> {
  const { fonts, logo } = await loadAssets();
  return toPng(defaultCard(logo), fonts);
}

/**
 * Many article cards, in input order. satori runs on this thread while resvg and zlib of other cards
 * run on libuv's thread pool, so a few cards in flight keep every core busy.
 */
export async function renderArticleCards(
  items: readonly ArticleCardInput[],
  { concurrency = availableParallelism() + 1 }: { concurrency?: number } = {},
): Promise<Uint8Array[]> {
  const cards: Uint8Array[] = new Array(items.length);
  let next = 0;
  const work = async () => {
    for (let index = next++; index < items.length; index = next++) {
      cards[index] = await renderArticleCard(items[index] as ArticleCardInput);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, work));
  return cards;
}
