// Markdown documents shared by the parser tests and the app tests.

/**
 * A Markdown document with every construct the blocks can show: emphasis, bold, inline, reference
 * and angle-bracket links (one with bold inside), a hard break, a bare www. host, "##" and "###"
 * headings (one with emphasis), a setext heading, numbered and bullet lists with marks, a numbered
 * list that starts at 3 and a "+" list. Dated 2010, so that it is no neighbour of the other test
 * articles in the previous/next links.
 */
export const RICH_MARKDOWN = (() => {
  const slug = 'alles-in-markdown-2010';
  const text = `---
title: Alles in Markdown
date: 2010-03-01
slug: ${slug}
excerpt: Een samenvatting voor de lijst.
source: VSO Werkgevers
---

Een alinea met *nadruk*, __vet__, een [link](https://www.vso-werkgevers.nl/over) en
een [link met **vet**](mailto:info@vso-werkgevers.nl), een [verwijzing][vso] en <https://example.nl/pad>.
Een harde regelbreuk\\
daarna, en een kale www.werk.nl die als vanouds een link wordt.

## Een kop met _nadruk_

### Een kleinere kop

Een alinea onder de kop.

1. eerste met [link](https://a.nl)
2. tweede

* een *bullet*
* nog een

Setext-kop hieronder is een gewone kop:

Tweede niveau
-------------

3. begint bij drie, telt op de site vanaf 1

+ plus
+ lijst

[vso]: https://www.vso-werkgevers.nl
`;
  return { name: 'alles.md', text, slug, path: `/banenafspraak/nieuws/2010-03-01/${slug}` };
})();

/**
 * One article in both formats, with the same content: a paragraph of two lines with a www. host and
 * an e-mail address, a heading with its paragraph, a numbered and a bullet list, a source. Dated
 * between the two seeds, whose articles are its neighbours whichever of the two is seeded.
 */
export const EQUIVALENT = (() => {
  const slug = 'gelijk-in-beide-vormen';
  const txt = `Gelijk in beide vormen

De eerste alinea van dit bericht staat op twee regels en noemt www.werk.nl/banenafspraak,
en het adres info@vso-werkgevers.nl.

Wat betekent dit?
De sector krijgt meer ruimte.

1. meer functies
2. minder regels

• een bullet
• nog een

Bron: Op naar de 100.000 banen

Geplaatst op vrijdag 1 februari 2019
`;
  const md = `---
title: Gelijk in beide vormen
date: 2019-02-01
source: Op naar de 100.000 banen
---

De eerste alinea van dit bericht staat op twee regels en noemt www.werk.nl/banenafspraak,
en het adres info@vso-werkgevers.nl.

## Wat betekent dit?

De sector krijgt meer ruimte.

1. meer functies
2. minder regels

- een bullet
- nog een
`;
  return {
    slug,
    path: `/banenafspraak/nieuws/2019-02-01/${slug}`,
    txt: { name: 'gelijk.txt', text: txt },
    md: { name: 'gelijk.md', text: md },
  };
})();
