import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DocumentParts {
  chrome?: string[];
  about?: string | null;
  participants?: string[];
  featuredTitle?: string;
  featuredText?: string;
  title?: string | null;
  body?: string[];
  source?: string | null;
  date?: string | null;
}

/** A source document in the shape of content-seed/*.txt, built from parts (blocks separated by blank lines). */
export function makeDocument(parts: DocumentParts = {}): string {
  const blocks: string[] = [...(parts.chrome ?? [])];
  if (parts.about !== null) {
    blocks.push('Over VSO Werkgevers', parts.about ?? 'Het VSO vertegenwoordigt de werkgevers. Lees verder.');
  }
  blocks.push('Participanten');
  for (const name of parts.participants ?? ['VNG', 'NFU']) blocks.push(name, name);
  blocks.push(
    'Uitgelicht',
    parts.featuredTitle ?? 'Zelfstandige Publieke Werkgevers',
    parts.featuredText ?? 'Een andere relatie met het kabinet. Lees verder »',
  );
  if (parts.title !== null) blocks.push(parts.title ?? 'Een artikel over banen');
  blocks.push(...(parts.body ?? ['De eerste alinea van het artikel.', 'Een tweede alinea.']));
  if (parts.source) blocks.push(`Bron: ${parts.source}`);
  if (parts.date !== null) blocks.push(`Geplaatst op ${parts.date ?? 'dinsdag 12 februari 2019'}`);
  blocks.push('Deel dit artikel', 'Ga naar...');
  return blocks.join('\n\n');
}

/** 1-based number of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the document`);
  return index + 1;
}

export function tempDir(prefix = 'vso-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const WEEKDAYS = ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'];
const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];

/** The "Geplaatst op" text for an ISO date, e.g. "dinsdag 12 februari 2019". */
export function dutchDate(iso: string): string {
  const date = new Date(`${iso}T12:00:00Z`);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * `count` generated documents, one a day from `start`, titled "Bericht nummer N". They carry the
 * site parts (about, participants, featured) of the real first seed document, so that the newest
 * document, whose site parts the seed keeps, leaves the site as the real documents describe it.
 */
export function generatedDocuments(count: number, start = '2020-01-01'): { name: string; text: string }[] {
  const real = readFileSync(
    join(import.meta.dirname, '..', '..', 'content-seed', '000_2e0dd2dc981fcdfb.txt'),
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
