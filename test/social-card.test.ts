import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HarfBuzz } from 'harfbuzzjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderCardsInParallel } from '../pipeline/card-pool.ts';
import {
  DATE_LINE,
  emojiImage,
  layoutArticleTitle,
  layoutTitle,
  missingGlyphs,
  renderArticleCard,
  renderArticleCardPixels,
  renderDefaultCard,
  TITLE_BOX,
  TITLE_SIZES,
  wrapText,
} from '../pipeline/social-card.ts';
import { CARD_HEIGHT, CARD_MAX_BYTES, CARD_WIDTH } from '../schema/card-size.ts';
import { CARD_FONT_RANGES, isCardEmoji } from '../schema/title-characters.ts';

const SMALLEST = Math.min(...TITLE_SIZES);
const LARGEST = Math.max(...TITLE_SIZES);

/** A stand-in font for the pure layout tests: every character is half an em wide. */
const halfEm = (text: string, fontSize: number) => [...text].length * fontSize * 0.5;

const words = (count: number) =>
  Array.from({ length: count }, (_, i) => ['banen', 'afspraak', 'overheid', 'werkgevers', 'de'][i % 5]).join(
    ' ',
  );

const ABSURD = `Een titel die nooit ophoudt: ${words(120)}`;

function decode(png: Uint8Array) {
  return PNG.sync.read(Buffer.from(png));
}

type Image = ReturnType<typeof decode>;

const pixel = (image: Image, x: number, y: number) => {
  const i = (y * image.width + x) * 4;
  return [...image.data.subarray(i, i + 4)];
};

/** How many pixels of the rectangle are not pure white. */
function inked(image: Image, x0: number, y0: number, x1: number, y1: number): number {
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = pixel(image, x, y);
      if (r !== 255 || g !== 255 || b !== 255) count++;
    }
  }
  return count;
}

describe('layoutTitle (title wrapping, with a stand-in font)', () => {
  it('sets a short title in one line at the largest size', () => {
    expect(layoutTitle('Kort bericht', halfEm)).toEqual({
      fontSize: LARGEST,
      lineHeight: expect.any(Number),
      lines: ['Kort bericht'],
      clamped: false,
    });
  });

  it('keeps every title inside the title box, and a longer title never gets a larger size', () => {
    let previous = LARGEST;
    for (let count = 1; count <= 150; count += 7) {
      const layout = layoutTitle(words(count), halfEm);
      expect(layout.lines.length * layout.lineHeight).toBeLessThanOrEqual(TITLE_BOX.height);
      for (const line of layout.lines) {
        expect(halfEm(line, layout.fontSize)).toBeLessThanOrEqual(TITLE_BOX.width);
      }
      expect(layout.fontSize).toBeLessThanOrEqual(previous);
      previous = layout.fontSize;
      if (!layout.clamped) expect(layout.lines.join(' ')).toBe(words(count));
    }
  });

  it('clamps an absurdly long title at the smallest size with an ellipsis', () => {
    const layout = layoutTitle(ABSURD, halfEm);
    expect(layout.clamped).toBe(true);
    expect(layout.fontSize).toBe(SMALLEST);
    expect(layout.lines.length).toBe(Math.floor(TITLE_BOX.height / layout.lineHeight));
    const last = layout.lines.at(-1) ?? '';
    expect(last.endsWith('…')).toBe(true);
    expect(ABSURD.startsWith(layout.lines.join(' ').slice(0, -1))).toBe(true);
  });

  it('keeps a currency sign with its amount and never starts a line with a dash', () => {
    const title = 'Kabinet: “Meer banen” – € 5 miljoen voor één reëel plan – en nog veel meer';
    for (const width of [300, 420, 560, 700]) {
      const lines = wrapText(title, width, (text) => halfEm(text, 40));
      expect(lines.join(' ')).toBe(title);
      for (const line of lines) {
        expect(line.startsWith('–')).toBe(false);
        expect(line.endsWith('€')).toBe(false);
      }
    }
  });

  it('breaks a word wider than the line, after a hyphen where it can', () => {
    const word = `${'a'.repeat(30)}-${'b'.repeat(30)}`;
    const lines = wrapText(word, 700, (text) => halfEm(text, 40));
    expect(lines).toEqual([`${'a'.repeat(30)}-`, 'b'.repeat(30)]);
    for (const line of wrapText('x'.repeat(200), 400, (text) => halfEm(text, 40))) {
      expect(halfEm(line, 40)).toBeLessThanOrEqual(400);
    }
  });
});

describe('social cards', () => {
  it('renders an article card as a 1200×630 PNG under 300 KB in the brand colours', async () => {
    const png = await renderArticleCard({ title: 'Met elkaar voor 125.000 banen', date: '12 februari 2019' });
    expect(png.byteLength).toBeLessThanOrEqual(CARD_MAX_BYTES);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(pixel(image, 1190, 10)).toEqual([0x00, 0x38, 0x5f, 255]);
    expect(pixel(image, 1190, 600)).toEqual([255, 255, 255, 255]);
    expect(
      inked(image, TITLE_BOX.x, TITLE_BOX.y, TITLE_BOX.x + 400, TITLE_BOX.y + TITLE_BOX.height),
    ).toBeGreaterThan(1000);
  });

  it('gives the same bytes for the same input, and other bytes for another title or date', async () => {
    const input = { title: 'Centrale postbus voor vragen over de banenafspraak', date: '22 januari 2019' };
    const [a, b] = await Promise.all([renderArticleCard(input), renderArticleCard({ ...input })]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const otherTitle = await renderArticleCard({ ...input, title: `${input.title}!` });
    const otherDate = await renderArticleCard({ ...input, date: '23 januari 2019' });
    expect(Buffer.from(otherTitle).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(otherDate).equals(Buffer.from(a))).toBe(false);
  });

  it('draws typographic quotes, dashes, € and diacritics with the font’s own glyphs', async () => {
    expect(await missingGlyphs('“Één” ‘reëel’ – — € 5… café')).toEqual([]);
    expect(await missingGlyphs('banen 🙂 本 👩🏽‍💻 🇳🇱 ❤️ 1️⃣')).toEqual(['本']);
  });

  it('keeps an absurdly long title out of the date’s band and the margins', async () => {
    const layout = await layoutArticleTitle(ABSURD);
    expect(layout).toMatchObject({ clamped: true, fontSize: SMALLEST });
    expect(layout.lines.length * layout.lineHeight).toBeLessThanOrEqual(TITLE_BOX.height);

    const png = await renderArticleCard({ title: ABSURD, date: '12 februari 2019' });
    expect(png.byteLength).toBeLessThanOrEqual(CARD_MAX_BYTES);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    const titleBottom = TITLE_BOX.y + TITLE_BOX.height;
    // The title is drawn, up to its last line…
    expect(
      inked(image, TITLE_BOX.x, titleBottom - layout.lineHeight, CARD_WIDTH, titleBottom),
    ).toBeGreaterThan(500);
    // …and nothing between the title box and the date, nor right of the title box.
    expect(inked(image, 0, titleBottom + 2, CARD_WIDTH, DATE_LINE.y - 2)).toBe(0);
    expect(inked(image, TITLE_BOX.x + TITLE_BOX.width + 4, TITLE_BOX.y, CARD_WIDTH, titleBottom)).toBe(0);
    // The date is there, and nothing below it.
    expect(inked(image, TITLE_BOX.x, DATE_LINE.y, 500, DATE_LINE.y + DATE_LINE.lineHeight)).toBeGreaterThan(
      500,
    );
    expect(inked(image, 0, DATE_LINE.y + DATE_LINE.lineHeight + 2, CARD_WIDTH, CARD_HEIGHT)).toBe(0);
  });

  it('keeps a title of unbreakable characters inside the right margin', async () => {
    // Broken between characters, each line fills the box to within one glyph: if the wrapping
    // measured narrower than satori draws, the ink would cross the box's right edge.
    const image = decode(await renderArticleCard({ title: 'W'.repeat(400), date: '12 februari 2019' }));
    const right = TITLE_BOX.x + TITLE_BOX.width;
    expect(inked(image, right - 60, TITLE_BOX.y, right, TITLE_BOX.y + TITLE_BOX.height)).toBeGreaterThan(500);
    expect(inked(image, right + 2, TITLE_BOX.y, CARD_WIDTH, TITLE_BOX.y + TITLE_BOX.height)).toBe(0);
  });

  it('renders the default card: 1200×630, under 300 KB, on the brand blue', async () => {
    const png = await renderDefaultCard();
    expect(png.byteLength).toBeLessThanOrEqual(CARD_MAX_BYTES);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(pixel(image, 10, 10)).toEqual([0x00, 0x38, 0x5f, 255]);
    expect(Buffer.from(await renderDefaultCard()).equals(Buffer.from(png))).toBe(true);
  });

  it('renders a batch in worker threads in input order, byte for byte as on this thread', async () => {
    // Enough cards for the pool to start its workers (fewer render on this thread).
    const items = Array.from({ length: 10 }, (_, i) => ({
      title: i % 2 ? `Bericht ${i} over de banenafspraak` : `Kort ${i}`,
      date: `${i + 1} maart 2020`,
    }));
    const seen: number[] = [];
    const batch = await renderCardsInParallel(items, { threads: 2, progress: (done) => seen.push(done) });
    expect(batch).toHaveLength(items.length);
    expect(seen.at(-1)).toBe(items.length);
    for (const [i, item] of items.entries()) {
      expect(Buffer.from(batch[i] ?? []).equals(Buffer.from(await renderArticleCard(item)))).toBe(true);
    }
  });

  it('rejects the batch when a card fails to render in a worker', async () => {
    const items = Array.from({ length: 9 }, (_, i) => ({ title: `Bericht ${i}`, date: '1 maart 2020' }));
    // satori refuses a title that is not text: the worker's error reaches the caller.
    items[5] = { title: null as unknown as string, date: '1 maart 2020' };
    await expect(renderCardsInParallel(items, { threads: 2 })).rejects.toThrow(
      /social card failed to render/,
    );
  });
});

describe('compact cards', () => {
  const date = '22 januari 2019';
  const header = (png: Uint8Array) => {
    const bytes = Buffer.from(png);
    return { type: bytes.toString('latin1', 12, 16), depth: bytes[24], colourType: bytes[25] };
  };
  /** Mean and largest difference of the red, green and blue channels, over every pixel. */
  const difference = (image: Image, reference: Uint8Array) => {
    let sum = 0;
    let max = 0;
    for (let i = 0; i < reference.length; i++) {
      if (i % 4 === 3) continue;
      const d = Math.abs((image.data[i] as number) - (reference[i] as number));
      sum += d;
      max = Math.max(max, d);
    }
    return { mean: sum / ((reference.length / 4) * 3), max };
  };

  it('is an 8-bit palette PNG of 1200×630, pixel for pixel the card rendered in one piece', async () => {
    for (const title of [
      'Bericht nummer 5001',
      'Centrale postbus voor vragen over de banenafspraak',
      'Één Ærø: “Ålandse” gjpq – € 5',
      'W'.repeat(400),
      ABSURD,
    ]) {
      const png = await renderArticleCard({ title, date });
      expect(header(png)).toEqual({ type: 'IHDR', depth: 8, colourType: 3 });
      const image = decode(png);
      expect([image.width, image.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
      expect(difference(image, await renderArticleCardPixels({ title, date }))).toEqual({ mean: 0, max: 0 });
    }
  });

  it('is several times smaller than the same pixels as RGBA', async () => {
    const title = 'Centrale postbus voor vragen over de banenafspraak';
    const png = await renderArticleCard({ title, date });
    const rgba = new PNG({ width: CARD_WIDTH, height: CARD_HEIGHT });
    rgba.data = Buffer.from(await renderArticleCardPixels({ title, date }));
    expect(png.byteLength * 2).toBeLessThan(PNG.sync.write(rgba).byteLength);
  });

  it('quantises a card of more than 256 colours (emoji) to within a few levels of the one-piece card', async () => {
    for (const title of ['Feest 🎉 voor de banenafspraak 🇳🇱', '🎉👩🏽‍💻'.repeat(60)]) {
      const reference = await renderArticleCardPixels({ title, date });
      const colours = new Set(new Uint32Array(reference.buffer, reference.byteOffset, reference.length / 4));
      expect(colours.size).toBeGreaterThan(256);
      const png = await renderArticleCard({ title, date });
      expect(header(png)).toEqual({ type: 'IHDR', depth: 8, colourType: 3 });
      const { mean, max } = difference(decode(png), reference);
      // Only the emoji's own anti-aliased shades move, and those only a little.
      expect(mean).toBeLessThan(0.1);
      expect(max).toBeLessThanOrEqual(48);
    }
  });

  it('draws a title with combining marks whole, however high they stack', async () => {
    const title = `Cafe\u0301 e${'\u0301'.repeat(4)} o\u0308\u0301 banen`;
    const image = decode(await renderArticleCard({ title, date }));
    expect(difference(image, await renderArticleCardPixels({ title, date }))).toEqual({ mean: 0, max: 0 });
  });
});

/**
 * Pixels of the rectangle whose colour is far from every blend of the title blue (#00385f) and white:
 * anti-aliased text and a missing-glyph box are such blends, a Twemoji image is not.
 */
function colourful(image: Image, x0: number, y0: number, x1: number, y1: number): number {
  const [br, bg, bb] = [0x00, 0x38, 0x5f];
  const [dr, dg, db] = [255 - br, 255 - bg, 255 - bb];
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r = 0, g = 0, b = 0] = pixel(image, x, y);
      // The closest point on the segment from blue to white, by t in [0, 1].
      const [vr, vg, vb] = [r - br, g - bg, b - bb];
      const t = Math.max(0, Math.min(1, (vr * dr + vg * dg + vb * db) / (dr ** 2 + dg ** 2 + db ** 2)));
      if (Math.hypot(vr - t * dr, vg - t * dg, vb - t * db) > 40) count++;
    }
  }
  return count;
}

describe('every character a title may hold', () => {
  const box = [
    TITLE_BOX.x,
    TITLE_BOX.y,
    TITLE_BOX.x + TITLE_BOX.width,
    TITLE_BOX.y + TITLE_BOX.height,
  ] as const;

  it('draws an emoji as its Twemoji image, not as a missing-glyph box', async () => {
    const date = '12 februari 2019';
    const plain = decode(await renderArticleCard({ title: 'Feest voor de banenafspraak', date }));
    const party = decode(await renderArticleCard({ title: 'Feest 🎉 voor de banenafspraak 🇳🇱', date }));
    expect(colourful(plain, ...box)).toBe(0);
    // 🎉 and the flag at 84 px are thousands of red, yellow and white-on-red pixels.
    expect(colourful(party, ...box)).toBeGreaterThan(2000);
  });

  it('measures emoji as satori draws them, so a title of emoji stays inside the margins', async () => {
    const image = decode(await renderArticleCard({ title: '🎉👩🏽‍💻'.repeat(60), date: '12 februari 2019' }));
    const right = TITLE_BOX.x + TITLE_BOX.width;
    expect(colourful(image, right - 60, TITLE_BOX.y, right, TITLE_BOX.y + TITLE_BOX.height)).toBeGreaterThan(
      500,
    );
    expect(inked(image, right + 2, TITLE_BOX.y, CARD_WIDTH, TITLE_BOX.y + TITLE_BOX.height)).toBe(0);
    expect(inked(image, 0, TITLE_BOX.y + TITLE_BOX.height + 2, CARD_WIDTH, DATE_LINE.y - 2)).toBe(0);
  });

  it('lists in the contract exactly the characters Inter Bold has', async () => {
    const require = createRequire(import.meta.url);
    const hb: HarfBuzz = await require('harfbuzzjs');
    const font = readFileSync(require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'));
    const face = hb.createFace(hb.createBlob(font), 0);
    const codes = [...face.collectUnicodes()]
      .filter((code) => !/[\p{Cc}\p{Co}\uFEFF]/u.test(String.fromCodePoint(code)))
      .sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let i = 0; i < codes.length; ) {
      let j = i;
      while (j + 1 < codes.length && codes[j + 1] === (codes[j] ?? 0) + 1) j++;
      const [start = 0, end = 0] = [codes[i], codes[j]];
      ranges.push(start === end ? start.toString(16) : `${start.toString(16)}-${end.toString(16)}`);
      i = j + 1;
    }
    expect(CARD_FONT_RANGES.trim().split(/\s+/)).toEqual(ranges);
  });

  it('has a Twemoji image for every emoji the contract accepts', () => {
    // Every RGI emoji that can be listed: single code points (with and without U+FE0F), keycaps,
    // skin tones on every modifier base, and every flag. ZWJ sequences cannot be listed from the
    // regular expression; Twemoji 16 and the runtime's Unicode 16 agree on them.
    const missing: string[] = [];
    let count = 0;
    const check = (grapheme: string) => {
      if (!isCardEmoji(grapheme)) return;
      count++;
      if (!emojiImage(grapheme)) missing.push(grapheme);
    };
    for (let code = 0x20; code <= 0x1ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      check(character);
      check(`${character}\uFE0F`);
      check(`${character}\uFE0F\u20E3`);
      if (/\p{Emoji_Modifier_Base}/u.test(character)) {
        for (let tone = 0x1f3fb; tone <= 0x1f3ff; tone++) check(character + String.fromCodePoint(tone));
      }
    }
    for (let a = 0x1f1e6; a <= 0x1f1ff; a++) {
      for (let b = 0x1f1e6; b <= 0x1f1ff; b++) check(String.fromCodePoint(a, b));
    }
    expect(count).toBeGreaterThan(2000);
    expect(missing).toEqual([]);
  });
});
