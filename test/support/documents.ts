import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DocumentParts {
  chrome?: string[];
  about?: string | null;
  /** null: no "Participanten" section; [] the marker without names. */
  participants?: string[] | null;
  /** false: no "Uitgelicht" section. */
  featured?: boolean;
  featuredTitle?: string;
  featuredText?: string;
  title?: string | null;
  body?: string[];
  source?: string | null;
  date?: string | null;
  /** false: no "Deel dit artikel" / "Ga naar..." after the date. */
  trailer?: boolean;
}

/**
 * A source document in the shape of content-seed/*.txt, built from parts (blocks separated by blank
 * lines). `about: null, participants: null, featured: false` and no trailer make an article-only one.
 */
export function makeDocument(parts: DocumentParts = {}): string {
  const blocks: string[] = [...(parts.chrome ?? [])];
  if (parts.about !== null) {
    blocks.push('Over VSO Werkgevers', parts.about ?? 'Het VSO vertegenwoordigt de werkgevers. Lees verder.');
  }
  if (parts.participants !== null) {
    blocks.push('Participanten');
    for (const name of parts.participants ?? ['VNG', 'NFU']) blocks.push(name, name);
  }
  if (parts.featured !== false) {
    blocks.push(
      'Uitgelicht',
      parts.featuredTitle ?? 'Zelfstandige Publieke Werkgevers',
      parts.featuredText ?? 'Een andere relatie met het kabinet. Lees verder »',
    );
  }
  if (parts.title !== null) blocks.push(parts.title ?? 'Een artikel over banen');
  blocks.push(...(parts.body ?? ['De eerste alinea van het artikel.', 'Een tweede alinea.']));
  if (parts.source) blocks.push(`Bron: ${parts.source}`);
  if (parts.date !== null) blocks.push(`Geplaatst op ${parts.date ?? 'dinsdag 12 februari 2019'}`);
  if (parts.trailer !== false) blocks.push('Deel dit artikel', 'Ga naar...');
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

/**
 * One extra document with every kind of body block (paragraph with a www. link, numbered list, a
 * question heading, bullet list), in the real page chrome of content-seed/, with where it is served.
 */
export const BLOCKS = (() => {
  const real = readFileSync(
    join(import.meta.dirname, '..', '..', 'content-seed', '000_2e0dd2dc981fcdfb.txt'),
    'utf8',
  );
  const chrome = real.slice(0, real.indexOf('Met elkaar voor 125.000 banen'));
  const slug = 'drie-soorten-blokken';
  const article = [
    'Drie soorten blokken',
    'De afspraken op een rij, zie www.werk.nl/banenafspraak.',
    '1. meer functies\n2. minder regels',
    'Wat betekent dit?\nDe sector krijgt meer ruimte.',
    '• een bullet\n• nog een',
    'Geplaatst op dinsdag 5 juni 2018',
    'Deel dit artikel',
    'Ga naar...',
  ];
  return {
    name: 'blocks.txt',
    text: `${chrome}${article.join('\n\n')}`,
    slug,
    path: `/banenafspraak/nieuws/2018-06-05/${slug}`,
  };
})();
