/**
 * A whole site of its own, as documents: the two real articles, generated ones (one of them in a
 * second section), content pages of every shape (slash and no slash, without the sidebar, a draft,
 * an index made by the seed, earlier addresses), site.yaml with sections, a menu and a "Lees verder"
 * link, and redirects.yaml. Seeded through the real pipeline (startApp(…, { contentSeed: false })),
 * so that the tests of pages, sections and the menu read what a seed writes, and SITE_ROWS names
 * what they ask for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocuments } from '../../pipeline/generated-documents.ts';
import type { ExtraDocument } from './database.ts';

/** What the documents make, for the tests to ask for. */
export const SITE_ROWS = {
  /** An index the seed makes (no document): its children are two pages; a draft among them is not listed. */
  organisation: { path: '/organisatie/', title: 'Organisatie' },
  /** A page with a trailing slash, the sidebar, and two earlier addresses its document lists. */
  background: {
    path: '/organisatie/achtergrond/',
    title: 'Achtergrond',
    excerpt: 'Waar het VSO voor staat.',
    heading: 'Onze geschiedenis',
    former: '/organisatie/historie',
    alias: '/over-ons/achtergrond',
  },
  /** A page without the sidebar. */
  mission: { path: '/organisatie/missie/', title: 'Missie' },
  /** A draft page: never public. */
  draft: { path: '/organisatie/concept/', title: 'Concept' },
  /** A page with a document, whose children are a page and a news section (the default one). */
  jobs: { path: '/banenafspraak/', title: 'Banenafspraak' },
  sectors: { path: '/banenafspraak/sectorinformatie/', title: 'Sectorinformatie' },
  /** A sector page: no trailing slash, as on the original site. */
  sector: {
    path: '/banenafspraak/sectorinformatie/sector-rijk',
    title: 'Sector Rijk',
    excerpt: 'De banenafspraak bij het Rijk.',
  },
  /** A section besides the default one, with one article, and an empty one. */
  section: { path: '/nieuws/algemeen', title: 'Algemeen nieuws' },
  emptySection: { path: '/nieuws/bestuur', title: 'Bestuursnieuws' },
  /** The generated article in `section`, and its URL there. */
  sectionArticle: { slug: 'bericht-nummer-2', path: '/nieuws/algemeen/2020-01-02/bericht-nummer-2' },
  /** redirects.yaml: to a page without a slash, and to a section. */
  redirects: [
    { path: '/oud/vacatures', target: '/banenafspraak/sectorinformatie/sector-rijk' },
    { path: '/oud/nieuws', target: '/nieuws/algemeen' },
  ],
  /** The about block's "Lees verder"; the featured block keeps its stand-in page. */
  aboutUrl: '/organisatie/achtergrond/',
  menu: [
    { label: 'Home', path: '/' },
    {
      label: 'Organisatie',
      path: '/organisatie/',
      children: [
        { label: 'Achtergrond', path: '/organisatie/achtergrond/' },
        { label: 'Missie', path: '/organisatie/missie/' },
      ],
    },
    {
      label: 'Banenafspraak',
      path: '/banenafspraak/',
      children: [
        { label: 'Nieuws', path: '/banenafspraak/nieuws' },
        { label: 'Sectorinformatie', path: '/banenafspraak/sectorinformatie/' },
      ],
    },
    { label: 'Algemeen nieuws', path: '/nieuws/algemeen' },
    { label: 'Zoeken', path: '/zoeken' },
  ],
} as const;

const seed = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', '..', 'content-seed', name), 'utf8');

/** A Markdown page. */
const md = (name: string, front: string[], body: string): ExtraDocument => ({
  name,
  text: `---\n${front.join('\n')}\n---\n\n${body}\n`,
});

/** The site.yaml of this site: the real blurbs and participants, with sections, a menu and a link. */
function siteDocument(): string {
  const real = seed('site.yaml');
  const parts = real
    .slice(0, real.indexOf('\nsections:'))
    .replace('\n  url: /bestuur/zelfstandige-publieke-werkgevers/', '');
  const r = SITE_ROWS;
  const menu = r.menu
    .map((item) => {
      const lines = [`  - label: ${item.label}`, `    path: ${item.path}`];
      if ('children' in item) {
        lines.push('    children:');
        for (const child of item.children)
          lines.push(`      - label: ${child.label}`, `        path: ${child.path}`);
      }
      return lines.join('\n');
    })
    .join('\n');
  return [
    parts.replace('  url: /organisatie/waar-staan-wij-voor/', `  url: ${r.aboutUrl}`),
    'sections:',
    `  - path: ${r.section.path}`,
    `    title: ${r.section.title}`,
    `  - path: ${r.emptySection.path}`,
    `    title: ${r.emptySection.title}`,
    'menu:',
    menu,
    '',
  ].join('\n');
}

/**
 * The documents of the site: the two real articles, `generated` generated ones (at least 2: the
 * second is in SITE_ROWS.section), the pages, site.yaml and redirects.yaml.
 */
export function siteDocuments(generated = 10): ExtraDocument[] {
  const r = SITE_ROWS;
  const articles = generatedDocuments(generated).map((doc, i) =>
    i === 1 ? { ...doc, text: `---\nsection: ${r.section.path}\n---\n${doc.text}` } : doc,
  );
  return [
    { name: '000_2e0dd2dc981fcdfb.txt', text: seed('000_2e0dd2dc981fcdfb.txt') },
    { name: '001_f3f85d6d71f8b7af.txt', text: seed('001_f3f85d6d71f8b7af.txt') },
    ...articles,
    md(
      'achtergrond.md',
      [
        `title: ${r.background.title}`,
        `url: ${r.background.path}`,
        'order: 1',
        'aliases:',
        `  - ${r.background.former}`,
        `  - ${r.background.alias}`,
      ],
      `${r.background.excerpt}\n\n## ${r.background.heading}\n\nSinds 1997 werken de werkgevers samen. Zie www.vso-werkgevers.nl.`,
    ),
    md(
      'missie.md',
      [`title: ${r.mission.title}`, `url: ${r.mission.path}`, 'sidebar: false', 'order: 2'],
      'Over missie.',
    ),
    md(
      'concept.md',
      [`title: ${r.draft.title}`, `url: ${r.draft.path}`, 'draft: true', 'order: 0'],
      'Over concept.',
    ),
    {
      name: 'banenafspraak.txt',
      text: `---\nurl: ${r.jobs.path}\n---\n\n${r.jobs.title}\n\nOver de banenafspraak.\n`,
    },
    {
      name: 'sectorinformatie.txt',
      text: `---\nurl: ${r.sectors.path}\n---\n\n${r.sectors.title}\n\nPer sector.\n`,
    },
    md('sector-rijk.md', [`title: ${r.sector.title}`, `url: ${r.sector.path}`], r.sector.excerpt),
    { name: 'site.yaml', text: siteDocument() },
    {
      name: 'redirects.yaml',
      text: r.redirects.map((redirect) => `${redirect.path}: ${redirect.target}`).join('\n'),
    },
  ];
}
