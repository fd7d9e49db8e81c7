/**
 * Content pages and a second news section for the app tier: a page in page text (.txt with front
 * matter), one in Markdown, a draft, the index the seed makes above them (/organisatie/), and an
 * article in the section site.yaml adds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import type { ExtraDocument } from './database.ts';

export const SECTION = '/nieuws/algemeen';

/** content-seed/site.yaml's about, featured and participants, without its links, sections and menu. */
function siteParts(): string {
  const site = readFileSync(join(ROOT, 'content-seed', 'site.yaml'), 'utf8');
  return site.slice(0, site.indexOf('\nsections:')).replace(/^ {2}url: .*\n/gm, '');
}

/** Seed these alone, not with content-seed/ (whose pages they would meet): startApp's options. */
export const ONLY_THESE = { contentSeed: false } as const;

export const pageDocuments: ExtraDocument[] = [
  {
    name: 'organisatie-achtergrond.txt',
    text: `---
url: /organisatie/achtergrond/
---
Achtergrond van het verbond

Het verbond werd opgericht als overleg van de werkgevers in de publieke sector. Het secretariaat zit in Den Haag.

De arbeidsvoorwaardenregeling geldt voor de pinguinkolonie van alle gemeenten. Binnenlandse Zaken en Koninkrijksrelaties tekent mee.
`,
  },
  {
    name: 'organisatie-contact.md',
    text: `---
title: Contact met het secretariaat
url: /organisatie/contact
order: 1
aliases:
  - /over-ons/contact/
---

Bel het secretariaat over de walrusvergadering.
`,
  },
  {
    name: 'organisatie-geheim.md',
    text: `---
title: Geheime notulen
url: /organisatie/geheim/
draft: true
---

Het flamingoberaad besprak de pinguinkolonie.
`,
  },
  {
    name: 'algemeen-kolibrie.md',
    text: `---
title: Een bericht over de kolibrie
date: 2020-03-03
section: ${SECTION}
---

De eerste alinea over de kolibrie.
`,
  },
  // The real blurbs and participants without content-seed's menu and links (they lead to its own
  // sample pages, which these tests leave out), and the section.
  {
    name: 'site.yaml',
    text: `${siteParts()}
sections:
  - path: ${SECTION}
    title: Algemeen nieuws
`,
  },
  ...['000_2e0dd2dc981fcdfb.txt', '001_f3f85d6d71f8b7af.txt'].map((name) => ({
    name,
    text: readFileSync(join(ROOT, 'content-seed', name), 'utf8'),
  })),
];
