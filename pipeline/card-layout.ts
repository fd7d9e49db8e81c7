import { CARD_WIDTH } from '../schema/card-size.ts';
// Where things go on a social card, and how its title is wrapped. The title is wrapped here, not by
// satori: measuring it with HarfBuzz (the shaper satori uses, see card-assets.ts) lets us pick the
// largest font size that fits, clamp absurd titles with an ellipsis, and test the layout directly
// with any measure.

export const MARGIN = 80;
export const BAND_HEIGHT = 144;
export const ACCENT_HEIGHT = 8;

/** Where the title may draw; everything below it belongs to the date. */
export const TITLE_BOX = { x: MARGIN, y: 200, width: CARD_WIDTH - 2 * MARGIN, height: 290 } as const;
/** The date's line: its top edge, font size and height. */
export const DATE_LINE = { y: 528, fontSize: 30, lineHeight: 40 } as const;

/** Font sizes tried for the title, largest first; the smallest is still readable in a feed. */
export const TITLE_SIZES = [84, 78, 72, 66, 60, 54, 48, 44] as const;
const TITLE_LINE_HEIGHT = 1.16;
const ELLIPSIS = '…';

export interface TitleLayout {
  fontSize: number;
  /** Line height in pixels. */
  lineHeight: number;
  lines: string[];
  /** True when the title did not fit at the smallest size and was cut with an ellipsis. */
  clamped: boolean;
}

export type Measure = (text: string) => number;

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
