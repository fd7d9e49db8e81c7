// The colours of a social card as a PNG palette. A card is flat colours and the anti-aliased edges
// between them: about 120 colours, so it is stored exactly, pixel for pixel, in an 8-bit palette.
// Only a card with emoji can have more than 256; it is quantised (median cut, then a few rounds of
// k-means over its colours), which moves no pixel far.
//
// Colours are the renderer's RGBA bytes read as one 32-bit integer (its pixels viewed as an
// Int32Array, in the machine's byte order): compared and hashed as numbers and taken apart only by
// `rgbOf`, so the byte order does not matter. (Opaque colours are then small integers to V8 on
// little-endian machines, which keeps them unboxed.)

/** At most this many colours fit an 8-bit palette. */
const MAX_COLOURS = 256;

const bytesOf = new Uint8Array(4);
const wordOf = new Int32Array(bytesOf.buffer);

/** The red, green and blue of a colour. */
export function rgbOf(colour: number): [number, number, number] {
  wordOf[0] = colour;
  return [bytesOf[0] as number, bytesOf[1] as number, bytesOf[2] as number];
}

function colourOf(r: number, g: number, b: number): number {
  bytesOf.set([r, g, b, 255]);
  return wordOf[0] as number;
}

/** Slots of the palette's hash table: a power of two, four times the most colours it holds. */
const SLOTS = 4 * MAX_COLOURS;

/**
 * A palette being filled: each colour's index, in the order the colours came. Looked up for every
 * change of colour along a card's rows (tens of thousands per card), so it is an open-addressing
 * hash table in typed arrays rather than a Map.
 */
export class Palette {
  readonly colours: number[] = [];
  /** The colour in each slot, and its index + 1 (0: an empty slot). */
  private readonly keys = new Int32Array(SLOTS);
  private readonly slots = new Uint16Array(SLOTS);

  constructor(colours: Iterable<number> = []) {
    for (const colour of colours) this.add(colour);
  }

  clone(): Palette {
    const copy = new Palette();
    copy.colours.push(...this.colours);
    copy.keys.set(this.keys);
    copy.slots.set(this.slots);
    return copy;
  }

  /** The index of `colour`, added when new; -1 when it is new and the palette is full. */
  add(colour: number): number {
    // Fibonacci hashing: the top bits of the colour times 2^32 / φ.
    let slot = Math.imul(colour, 0x9e3779b1) >>> 22;
    for (;;) {
      const stored = this.slots[slot] as number;
      if (stored === 0) break;
      if (this.keys[slot] === colour) return stored - 1;
      slot = (slot + 1) & (SLOTS - 1);
    }
    if (this.colours.length >= MAX_COLOURS) return -1;
    this.colours.push(colour);
    this.keys[slot] = colour;
    this.slots[slot] = this.colours.length;
    return this.colours.length - 1;
  }
}

/**
 * Writes the palette index of every pixel of a `width`×`height` region into `target` (an index image
 * `targetWidth` wide) at column `x`, row `y`, adding new colours to `palette`. False when the
 * palette is full before the region is done. A card's rows are runs of one colour (24 pixels on
 * average), so the palette is asked once a run.
 */
export function indexRegion(
  pixels: Int32Array,
  width: number,
  height: number,
  palette: Palette,
  target: Uint8Array,
  targetWidth: number,
  x: number,
  y: number,
): boolean {
  for (let row = 0; row < height; row++) {
    const from = row * width;
    const to = from + width;
    const offset = (y + row) * targetWidth + x - from;
    for (let i = from; i < to; ) {
      const colour = pixels[i] as number;
      let end = i + 1;
      while (end < to && pixels[end] === colour) end++;
      const index = palette.add(colour);
      if (index < 0) return false;
      target.fill(index, offset + i, offset + end);
      i = end;
    }
  }
  return true;
}

interface Entry {
  colour: number;
  rgb: [number, number, number];
  count: number;
}

/** How many pixels have each colour. */
function histogram(pixels: Int32Array): Entry[] {
  const counts = new Map<number, number>();
  let last = pixels[0] as number;
  let run = 0;
  for (let i = 0; i < pixels.length; i++) {
    const colour = pixels[i] as number;
    if (colour === last) {
      run++;
      continue;
    }
    counts.set(last, (counts.get(last) ?? 0) + run);
    last = colour;
    run = 1;
  }
  if (run > 0) counts.set(last, (counts.get(last) ?? 0) + run);
  return [...counts].map(([colour, count]) => ({ colour, rgb: rgbOf(colour), count }));
}

type Rgb = readonly [number, number, number];

const distance = (a: Rgb, b: Rgb) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;

/** The weighted mean of the entries' colours. */
function meanOf(entries: Entry[]): [number, number, number] {
  let [r, g, b, total] = [0, 0, 0, 0];
  for (const { rgb, count } of entries) {
    r += rgb[0] * count;
    g += rgb[1] * count;
    b += rgb[2] * count;
    total += count;
  }
  return [Math.round(r / total), Math.round(g / total), Math.round(b / total)];
}

const CHANNELS = [0, 1, 2] as const;

/**
 * Median cut: the box of colours with the most pixels times its widest channel's range is split at
 * that channel's weighted median, until there are `count` boxes or no box can be split.
 */
function medianCut(entries: Entry[], count: number): Entry[][] {
  const boxes: Entry[][] = [entries];
  const spread = (box: Entry[]) => {
    let best: { channel: (typeof CHANNELS)[number]; range: number } = { channel: 0, range: -1 };
    for (const c of CHANNELS) {
      let low = 255;
      let high = 0;
      for (const entry of box) {
        low = Math.min(low, entry.rgb[c]);
        high = Math.max(high, entry.rgb[c]);
      }
      if (high - low > best.range) best = { channel: c, range: high - low };
    }
    return best;
  };
  while (boxes.length < count) {
    let pick = -1;
    let score = 0;
    boxes.forEach((box, i) => {
      if (box.length < 2) return;
      const weight = box.reduce((sum, entry) => sum + entry.count, 0);
      const value = weight * spread(box).range;
      if (value > score) {
        score = value;
        pick = i;
      }
    });
    if (pick < 0) break;
    const box = boxes[pick] as Entry[];
    const { channel } = spread(box);
    box.sort((a, b) => a.rgb[channel] - b.rgb[channel]);
    const half = box.reduce((sum, entry) => sum + entry.count, 0) / 2;
    let seen = 0;
    let cut = 1;
    for (; cut < box.length - 1; cut++) {
      seen += (box[cut - 1] as Entry).count;
      if (seen >= half) break;
    }
    boxes.splice(pick, 1, box.slice(0, cut), box.slice(cut));
  }
  return boxes;
}

/** The index of the colour of `centres` nearest to `rgb`. */
function nearest(centres: Rgb[], rgb: Rgb): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  centres.forEach((centre, i) => {
    const d = distance(centre, rgb);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

/**
 * The pixels as at most 256 colours and an index per pixel: exactly when they have that few
 * colours, otherwise the colours of a median cut refined by k-means (each colour weighted by its
 * pixels, so the flat colours of the card stay as they are), each pixel taking the nearest.
 */
export function quantise(pixels: Int32Array): { palette: number[]; indices: Uint8Array } {
  const entries = histogram(pixels);
  let centres: Rgb[];
  const assignment = new Map<number, number>();
  if (entries.length <= MAX_COLOURS) {
    centres = entries.map((entry) => entry.rgb);
    entries.forEach((entry, i) => {
      assignment.set(entry.colour, i);
    });
  } else {
    centres = medianCut(entries, MAX_COLOURS).map(meanOf);
    for (let round = 0; round < 4; round++) {
      const groups: Entry[][] = centres.map(() => []);
      for (const entry of entries) groups[nearest(centres, entry.rgb)]?.push(entry);
      centres = groups.map((group, i) => (group.length > 0 ? meanOf(group) : (centres[i] as Rgb)));
    }
    for (const entry of entries) assignment.set(entry.colour, nearest(centres, entry.rgb));
  }
  const indices = new Uint8Array(pixels.length);
  let last = 0;
  let lastIndex = -1;
  for (let i = 0; i < pixels.length; i++) {
    const colour = pixels[i] as number;
    if (colour !== last || lastIndex < 0) {
      lastIndex = assignment.get(colour) ?? 0;
      last = colour;
    }
    indices[i] = lastIndex;
  }
  return { palette: centres.map(([r, g, b]) => colourOf(r, g, b)), indices };
}
