// Documents of the publishing tests: a draft, a scheduled article and one with earlier URLs.

const md = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`;

/** A draft: on no public route, only behind its preview link. */
export const DRAFT = {
  name: 'concept.md',
  slug: 'een-concept-over-banen',
  path: '/banenafspraak/nieuws/2019-03-01/een-concept-over-banen',
  text: md('title: Een concept over banen\ndate: 2019-03-01\ndraft: true', 'Tekst van het concept.'),
};

/** A draft content page under content-seed/'s /organisatie/ (no date: a page is never scheduled). */
export const DRAFT_PAGE = {
  name: 'concept-pagina.md',
  path: '/organisatie/nieuwe-koers/',
  text: md(
    'title: Een nieuwe koers\nurl: /organisatie/nieuwe-koers/\ndraft: true',
    'Tekst van de conceptpagina.',
  ),
};

/** Scheduled for 1 June 2030: public from 00:00 that day in the Netherlands (22:00 UTC the day before). */
export const SCHEDULED = {
  name: 'later.md',
  slug: 'later-bericht-over-werkgevers',
  date: '2030-06-01',
  path: '/banenafspraak/nieuws/2030-06-01/later-bericht-over-werkgevers',
  text: md('title: Later bericht over werkgevers\ndate: 2030-06-01', 'Dit bericht verschijnt later.'),
};

/** An article with two earlier URLs: a path of the original site and an old article URL. */
export const ALIASED = {
  name: 'adressen.md',
  slug: 'bericht-met-oude-adressen',
  path: '/banenafspraak/nieuws/2019-03-02/bericht-met-oude-adressen',
  aliases: ['/nieuws/oud-bericht', '/banenafspraak/nieuws/2019-03-02/oude-titel'],
  text: md(
    [
      'title: Bericht met oude adressen',
      'date: 2019-03-02',
      'aliases:',
      '  - /nieuws/oud-bericht',
      '  - https://www.vsowerkgevers.nl/banenafspraak/nieuws/2019-03-02/oude-titel/',
    ].join('\n'),
    'Dit bericht had eerder andere adressen.',
  ),
};

/** A fixed "now" on 2 December 2026 (12:00 UTC), before the scheduled date. */
export const NOW = Date.parse('2026-12-02T12:00:00Z');
