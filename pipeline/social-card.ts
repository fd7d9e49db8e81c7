// Social cards (Open Graph images): 1200×630 PNGs rendered on the Node side at seed time, so the
// Worker serves stored bytes and carries no renderer. satori lays the card out and turns its text
// into paths (card-tree.ts is the card), resvg rasterises the SVG, and card-png.ts writes an 8-bit
// palette PNG of the exact pixels (card-palette.ts). The title is wrapped and sized by
// card-layout.ts; the fonts, logo and emoji images come from card-assets.ts.
//
// What every article card shares (the band, the accent bar) is rendered and compressed once per
// process; a card renders only its title and its date, each in the smallest rectangle that holds
// it, drawn on the card's white. A card is the same, pixel for pixel, as the whole card rendered in
// one piece (renderArticleCardPixels, which the tests compare it with).
//
// @resvg/resvg-js is native (napi-rs) rather than the wasm build: it renders several times faster,
// and every platform package of 2.6.2 is on the registry, so `npm ci` finds a complete lockfile.
// Rendering is synchronous: many cards run in parallel in worker threads (card-pool.ts).

import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import { CARD_HEIGHT, CARD_WIDTH } from '../schema/card-size.ts';
import { graphemesOf, isCardEmoji } from '../schema/title-characters.ts';
import { type Assets, emojiImage, emojiImages, loadAssets } from './card-assets.ts';
import {
  ACCENT_HEIGHT,
  BAND_HEIGHT,
  DATE_LINE,
  layoutTitle,
  TITLE_BOX,
  type TitleLayout,
} from './card-layout.ts';
import { indexRegion, Palette, quantise } from './card-palette.ts';
import {
  blankRows,
  CARD_LEVEL,
  type DeflatedRows,
  deflateRows,
  encodeIndexedPng,
  scanlines,
} from './card-png.ts';
import {
  articleCard,
  articleCardFrame,
  articleParts,
  type CardNode,
  type CardRegion,
  COLOURS,
  DATE_X,
  defaultCard,
} from './card-tree.ts';

export { emojiImage } from './card-assets.ts';
export {
  DATE_LINE,
  layoutTitle,
  TITLE_BOX,
  TITLE_SIZES,
  type TitleLayout,
  wrapText,
} from './card-layout.ts';

/**
 * The renderer's own part of a card's input: a card is rendered again when its title, its date or
 * this changes. Change it with anything that changes how a card looks (its layout, colours, fonts
 * or encoding); the versions of the packages that draw are part of the input anyway (card-input.ts).
 */
export const CARD_RENDERER = 'palette-png-1';

export interface ArticleCardInput {
  title: string;
  /** The Dutch date label, already formatted ("12 februari 2019"). */
  date: string;
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

// --- rasterising -----------------------------------------------------------------------------------
// --- rasterising -----------------------------------------------------------------------------------

/** White as a colour of card-palette.ts: every byte 0xff, in any byte order. */
const WHITE = -1;

/** The tree laid out and turned into paths (satori), ready to rasterise any part of it (resvg). */
async function drawingOf(
  node: CardNode,
  fonts: Assets['fonts'],
  graphemeImages: Record<string, string> = {},
): Promise<Resvg> {
  const svg = await satori(node, { width: CARD_WIDTH, height: CARD_HEIGHT, fonts, graphemeImages });
  return new Resvg(svg, {
    fitTo: { mode: 'original' },
    // Text is already paths, so resvg needs no fonts; skipping the system font scan saves time.
    font: { loadSystemFonts: false },
    // An opaque ground makes resvg's premultiplied pixels plain RGBA.
    background: COLOURS.white,
  });
}

/**
 * The pixels of `region` of the drawing (all of it without a region) on white, one 32-bit colour
 * per pixel (card-palette.ts). A region is drawn as in the whole, moved by whole pixels: the same
 * pixels.
 */
function rasterise(drawing: Resvg, region?: CardRegion): Int32Array {
  if (region) {
    // resvg-js takes only a BBox it made itself; cropByBBox sets the view box to it.
    const box = drawing.getBBox();
    if (!box) return new Int32Array(region.width * region.height).fill(WHITE);
    box.x = region.x;
    box.y = region.y;
    box.width = region.width;
    box.height = region.height;
    drawing.cropByBBox(box);
  }
  const { pixels, width, height } = drawing.render();
  // A view needs 4-byte alignment; a copy gets it where the buffer does not have it.
  const bytes = pixels.byteOffset % 4 === 0 ? pixels : Uint8Array.from(pixels);
  return new Int32Array(bytes.buffer, bytes.byteOffset, width * height);
}

/** Whether every pixel on the edge of a rendered region is white: nothing was cut at its edge. */
function clearEdges(pixels: Int32Array, width: number, height: number): boolean {
  for (let x = 0; x < width; x++) {
    if (pixels[x] !== WHITE || pixels[(height - 1) * width + x] !== WHITE) return false;
  }
  for (let y = 0; y < height; y++) {
    if (pixels[y * width] !== WHITE || pixels[y * width + width - 1] !== WHITE) return false;
  }
  return true;
}

// --- the shared frame ------------------------------------------------------------------------------

/** The rows every article card shares: the band and the accent bar. */
const SHARED_ROWS = BAND_HEIGHT + ACCENT_HEIGHT;

/**
 * Room around a text's line boxes for what its glyphs draw outside them: Inter's highest glyph
 * (head.yMax, 1.11 em above the baseline, a capital with an accent and a ring) reaches 0.19 em above
 * its line box, its lowest (head.yMin) 0.12 em below. A quarter of the font size and two pixels of
 * anti-aliasing; what reaches the edge of its rectangle anyway is caught by clearEdges.
 */
const padOf = (fontSize: number) => Math.ceil(fontSize / 4) + 2;

/** The rows of the date line's rectangle. */
const DATE_PAD = padOf(DATE_LINE.fontSize);
const DATE_TOP = DATE_LINE.y - DATE_PAD;
const DATE_BOTTOM = Math.min(CARD_HEIGHT, DATE_LINE.y + DATE_LINE.lineHeight + DATE_PAD);
/** Everything below the shared rows: where a title or date that does not fit its rectangle renders. */
const LOWER: CardRegion = { x: 0, y: SHARED_ROWS, width: CARD_WIDTH, height: CARD_HEIGHT - SHARED_ROWS };
/** Combining marks can stack without limit: a title with them gets all the room there is. */
const COMBINING = /\p{M}/u;

interface Frame {
  /** The frame's pixels: the band, the accent bar, the date's dash, white elsewhere. */
  pixels: Int32Array;
  /** Its palette indices below the shared rows (the dash). */
  lower: Uint8Array;
  palette: Palette;
  /** The shared rows as scanlines, deflated. */
  shared: DeflatedRows;
}

let frame: Promise<Frame> | undefined;

function loadFrame(): Promise<Frame> {
  frame ??= (async () => {
    const { fonts, logo } = await loadAssets();
    const pixels = rasterise(await drawingOf(articleCardFrame(logo), fonts));
    const indices = new Uint8Array(CARD_WIDTH * CARD_HEIGHT);
    // White first: index 0, which blankRows writes.
    const palette = new Palette([WHITE]);
    if (!indexRegion(pixels, CARD_WIDTH, CARD_HEIGHT, palette, indices, CARD_WIDTH, 0, 0)) {
      throw new Error('the card frame has more than 256 colours');
    }
    // Below the shared rows the frame draws only the dash, in the date's rows left of its text:
    // the rows around are blank, and the date's rectangle is white.
    for (let y = SHARED_ROWS; y < CARD_HEIGHT; y++) {
      for (let x = 0; x < CARD_WIDTH; x++) {
        const dash = y >= DATE_TOP && y < DATE_BOTTOM && x < DATE_X - DATE_PAD;
        if (!dash && pixels[y * CARD_WIDTH + x] !== WHITE) {
          throw new Error(`the card frame draws at ${x},${y}, where a card draws its own`);
        }
      }
    }
    return {
      pixels,
      lower: indices.slice(SHARED_ROWS * CARD_WIDTH),
      palette,
      shared: deflateRows(scanlines(indices, CARD_WIDTH, 0, SHARED_ROWS), 9),
    };
  })();
  return frame;
}

// --- article cards ---------------------------------------------------------------------------------

/**
 * The smallest rectangles that hold the title and the date's text, with padOf to spare on every
 * side, within the room between the band and the date line, and in the date line's rows.
 */
function partRegions(layout: TitleLayout, title: string, date: string, assets: Assets) {
  const widest = (lines: string[], size: number) =>
    Math.max(0, ...lines.map((line) => assets.measureBold(line, size)));
  const pad = padOf(layout.fontSize);
  const blockTop = TITLE_BOX.y + (TITLE_BOX.height - layout.lines.length * layout.lineHeight) / 2;
  const blockBottom = blockTop + layout.lines.length * layout.lineHeight;
  const marks = COMBINING.test(title);
  const top = marks ? SHARED_ROWS : Math.max(SHARED_ROWS, Math.floor(blockTop - pad));
  const bottom = marks ? DATE_TOP : Math.min(DATE_TOP, Math.ceil(blockBottom + pad));
  const left = TITLE_BOX.x - pad;
  const right = Math.min(CARD_WIDTH, Math.ceil(TITLE_BOX.x + widest(layout.lines, layout.fontSize) + pad));
  // The date is set in Inter Regular, narrower than the bold it is measured in here.
  const dateLeft = DATE_X - DATE_PAD;
  const dateRight = Math.min(CARD_WIDTH, Math.ceil(DATE_X + widest([date], DATE_LINE.fontSize) + DATE_PAD));
  return [
    { x: left, y: top, width: right - left, height: bottom - top },
    { x: dateLeft, y: DATE_TOP, width: dateRight - dateLeft, height: DATE_BOTTOM - DATE_TOP },
  ];
}

/**
 * The social card of an article: site name, the title wrapped to fit, the date, as an 8-bit palette
 * PNG. Deterministic: the same input gives the same bytes (on one machine; see card-png.ts).
 */
export async function renderArticleCard({ title, date }: ArticleCardInput): Promise<Uint8Array> {
  const assets = await loadAssets();
  const base = await loadFrame();
  const layout = layoutTitle(title, assets.measureBold);
  // One drawing of the title and the date line, rasterised in the rectangles that hold them.
  const drawing = await drawingOf(
    articleParts(layout, date),
    assets.fonts,
    emojiImages(layout.lines.join(' ')),
  );
  let parts = partRegions(layout, title, date, assets).map((region) => ({
    region,
    pixels: rasterise(drawing, region),
  }));
  if (
    COMBINING.test(date) ||
    !parts.every(({ region, pixels }) => clearEdges(pixels, region.width, region.height))
  ) {
    // Something reaches out of its rectangle: the whole lower part of the card at once.
    parts = [{ region: LOWER, pixels: rasterise(drawing, LOWER) }];
  }

  const palette = base.palette.clone();
  const lower = base.lower.slice();
  const indexed = parts.every(({ region, pixels }) =>
    indexRegion(
      pixels,
      region.width,
      region.height,
      palette,
      lower,
      CARD_WIDTH,
      region.x,
      region.y - SHARED_ROWS,
    ),
  );
  if (!indexed) {
    // More than 256 colours (emoji): the whole card quantised.
    const whole = base.pixels.slice();
    for (const { region, pixels } of parts) {
      for (let y = 0; y < region.height; y++) {
        const row = pixels.subarray(y * region.width, (y + 1) * region.width);
        whole.set(row, (region.y + y) * CARD_WIDTH + region.x);
      }
    }
    return encodeQuantised(whole);
  }
  // Top to bottom: the shared rows, then blank runs and the rows of each part, deflated here.
  const deflated: DeflatedRows[] = [base.shared];
  let row = SHARED_ROWS;
  for (const { region } of parts) {
    if (region.y > row) deflated.push(blankRows(CARD_WIDTH, region.y - row));
    const from = region.y - SHARED_ROWS;
    deflated.push(deflateRows(scanlines(lower, CARD_WIDTH, from, from + region.height), CARD_LEVEL));
    row = region.y + region.height;
  }
  if (row < CARD_HEIGHT) deflated.push(blankRows(CARD_WIDTH, CARD_HEIGHT - row));
  return encodeIndexedPng(CARD_WIDTH, CARD_HEIGHT, palette.colours, deflated);
}

function encodeQuantised(pixels: Int32Array): Uint8Array {
  const { palette, indices } = quantise(pixels);
  return encodeIndexedPng(CARD_WIDTH, CARD_HEIGHT, palette, [
    deflateRows(scanlines(indices, CARD_WIDTH, 0, CARD_HEIGHT), CARD_LEVEL),
  ]);
}

/**
 * The article card drawn in one piece, as RGBA pixels: what renderArticleCard's PNG decodes to
 * (exactly, or within the quantiser's error for a card of more than 256 colours).
 */
export async function renderArticleCardPixels({ title, date }: ArticleCardInput): Promise<Uint8Array> {
  const { fonts, logo, measureBold } = await loadAssets();
  const layout = layoutTitle(title, measureBold);
  const drawing = await drawingOf(
    articleCard(logo, layout, date),
    fonts,
    emojiImages(layout.lines.join(' ')),
  );
  const pixels = rasterise(drawing);
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}

/** The card of every page that is not an article: logo, site name and tagline. */
export async function renderDefaultCard(): Promise<Uint8Array> {
  const { fonts, logo } = await loadAssets();
  return encodeQuantised(rasterise(await drawingOf(defaultCard(logo), fonts)));
}

/** Many article cards on this thread, one after another, in input order (card-pool.ts: on every core). */
export async function renderArticleCards(
  items: readonly ArticleCardInput[],
  onCard?: (done: number) => void,
): Promise<Uint8Array[]> {
  const cards: Uint8Array[] = [];
  for (const item of items) {
    cards.push(await renderArticleCard(item));
    onCard?.(cards.length);
  }
  return cards;
}
