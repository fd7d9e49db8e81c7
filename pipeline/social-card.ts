// Social cards (Open Graph images): 1200×630 PNGs rendered on the Node side at seed time, so the
// Worker serves stored bytes and carries no renderer. satori lays the card out and turns its text
// into paths, resvg rasterises the SVG, and a small encoder (card-png.ts) writes the PNG. The title
// is wrapped and sized by card-layout.ts; the fonts, logo and emoji images come from card-assets.ts.
//
// @resvg/resvg-js is native (napi-rs) rather than the wasm build: it renders several times faster,
// its renderAsync runs on libuv's thread pool (so a batch uses more than one core without worker
// threads), and every platform package of 2.6.2 is on the registry, so `npm ci` finds a complete
// lockfile.

import { availableParallelism } from 'node:os';
import { renderAsync } from '@resvg/resvg-js';
import satori from 'satori';
import { SITE_NAME, SITE_TAGLINE } from '../schema/brand.ts';
import { CARD_HEIGHT, CARD_WIDTH } from '../schema/card-size.ts';
import { graphemesOf, isCardEmoji } from '../schema/title-characters.ts';
import { type Assets, emojiImage, emojiImages, loadAssets } from './card-assets.ts';
import {
  ACCENT_HEIGHT,
  BAND_HEIGHT,
  DATE_LINE,
  layoutTitle,
  MARGIN,
  TITLE_BOX,
  type TitleLayout,
} from './card-layout.ts';
import { encodePng } from './card-png.ts';

export { emojiImage } from './card-assets.ts';
export {
  DATE_LINE,
  layoutTitle,
  TITLE_BOX,
  TITLE_SIZES,
  type TitleLayout,
  wrapText,
} from './card-layout.ts';

/** Colours of assets/site.css: flat fills keep the PNG small. */
const COLOURS = {
  blue: '#00385f',
  accent: '#f5a623',
  muted: '#4a4a4a',
  white: '#ffffff',
  paleBlue: '#c9d9e7',
} as const;

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
