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
  {
    name: 'site.yaml',
    text: `${readFileSync(join(ROOT, 'content-seed', 'site.yaml'), 'utf8')}
sections:
  - path: ${SECTION}
    title: Algemeen nieuws
`,
  },
];
