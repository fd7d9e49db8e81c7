import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Written with Intl, not with schema/dutch-date.ts: tests use these documents to check that parser.
const longDutch = new Intl.DateTimeFormat('nl-NL', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** The "Geplaatst op" text for an ISO date, e.g. "dinsdag 12 februari 2019". */
export function dutchDate(iso: string): string {
  return longDutch.format(new Date(`${iso}T12:00:00Z`));
}

/**
 * `count` generated documents, one a day from `start`, titled "Bericht nummer N". They carry the
 * site parts (about, participants, featured) of the real first seed document, so that the newest
 * document, whose site parts the seed keeps, leaves the site as the real documents describe it.
 * Used by the tests and by `npm run bench` (thousands of articles).
 */
export function generatedDocuments(count: number, start = '2020-01-01'): { name: string; text: string }[] {
  const real = readFileSync(
    join(import.meta.dirname, '..', 'content-seed', '000_2e0dd2dc981fcdfb.txt'),
    'utf8',
  );
  const chrome = real.slice(0, real.indexOf('Met elkaar voor 125.000 banen'));
  return Array.from({ length: count }, (_, i) => {
    const iso = new Date(Date.parse(`${start}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    const article = [
      `Bericht nummer ${i + 1}`,
      `Samenvatting van bericht ${i + 1} over werkgevers.`,
      `Meer tekst over banen (${i + 1}).`,
      `Geplaatst op ${dutchDate(iso)}`,
      'Deel dit artikel',
      'Ga naar...',
    ];
    return { name: `gen_${String(i).padStart(5, '0')}.txt`, text: `${chrome}${article.join('\n\n')}` };
  });
}

/**
 * `count` lowercase letters from a linear congruential generator seeded with `seed`: the same letters
 * on every run, and no stretch ending like another (a plain repetition would hide quadratic work).
 */
export function seededLetters(count: number, seed: number): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    out += String.fromCharCode(97 + (state % 26));
  }
  return out;
}
