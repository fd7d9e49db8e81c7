// What a social card is made of, as the element tree satori lays out: the band with the logo, site
// name and tagline, the accent bar, the title and the date. The renderer (social-card.ts) draws the
// whole tree or parts of it, always from these same pieces.

import { SITE_NAME, SITE_TAGLINE } from '../schema/brand.ts';
import { CARD_HEIGHT, CARD_WIDTH } from '../schema/card-size.ts';
import { ACCENT_HEIGHT, BAND_HEIGHT, DATE_LINE, MARGIN, TITLE_BOX, type TitleLayout } from './card-layout.ts';

/** Colours of assets/site.css: flat fills keep the PNG small. */
export const COLOURS = {
  blue: '#00385f',
  accent: '#f5a623',
  muted: '#4a4a4a',
  white: '#ffffff',
  paleBlue: '#c9d9e7',
} as const;

type Style = Record<string, string | number>;
type Children = CardNode | string | (CardNode | string)[];

/** The plain element objects satori accepts in place of React elements. */
export interface CardNode {
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

/** The whole card's ground, 1200×630, holding `children` where they are placed. */
const ground = (children: CardNode[], style: Style = {}) =>
  div({ width: CARD_WIDTH, height: CARD_HEIGHT, fontFamily: 'Inter', ...style }, children);

/** The band and the accent bar under it: the same on every article card. */
function articleFrame(logo: string): CardNode[] {
  return [
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
  ];
}

/** The title, its lines centred in the title box. */
function titleBlock(title: TitleLayout): CardNode {
  return div(
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
  );
}

/** The accent dash before the date, and the gap between them. */
const DASH = { width: 40, height: 6, gap: 20 } as const;

/** The date line: an accent dash and the date. */
const dateRow = (date: string) =>
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
    [
      div({ width: DASH.width, height: DASH.height, backgroundColor: COLOURS.accent, marginRight: DASH.gap }),
      date,
    ],
  );

/** The dash of the date line on its own, where the date line puts it (centred in the line). */
const dateDash = () =>
  div({
    position: 'absolute',
    left: MARGIN,
    top: DATE_LINE.y + (DATE_LINE.lineHeight - DASH.height) / 2,
    width: DASH.width,
    height: DASH.height,
    backgroundColor: COLOURS.accent,
  });

/** Where the date's text begins. */
export const DATE_X = MARGIN + DASH.width + DASH.gap;

/** The whole article card. */
export function articleCard(logo: string, title: TitleLayout, date: string): CardNode {
  return ground([...articleFrame(logo), titleBlock(title), dateRow(date)], {
    backgroundColor: COLOURS.white,
  });
}

/** The article card without its title and date (the dash is there): what every article card shares. */
export function articleCardFrame(logo: string): CardNode {
  return ground([...articleFrame(logo), dateDash()], { backgroundColor: COLOURS.white });
}

/** A rectangle of the card, `width`×`height` from (`x`, `y`). */
export interface CardRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The title and the date line of the article card, where the card has them, on nothing. */
export function articleParts(title: TitleLayout, date: string): CardNode {
  return ground([titleBlock(title), dateRow(date)]);
}

export function defaultCard(logo: string): CardNode {
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
