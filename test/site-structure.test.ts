/**
 * Pages, sections, the menu and redirects as the documents make them: both formats' front matter,
 * what a `url` may be, and what only the whole set can show, each problem once at its line.
 */
import { describe, expect, it } from 'vitest';
import { type DocumentInput, formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { lineOf, makeDocument } from './support/documents.ts';

const article = (text: string, file = 'a.txt'): DocumentInput => ({ file, text });

/** A page in page text: front matter, then the title and the body. */
const textPage = (front: string, title = 'Achtergrond', body = ['Een alinea over ons.']) =>
  `---\n${front}\n---\n\n${[title, ...body].join('\n\n')}\n`;
const mdPage = (front: string, body = 'Een alinea over ons.') => `---\n${front}\n---\n\n${body}\n`;

const SITE = `sections:
  - path: /nieuws/algemeen
    title: Algemeen nieuws
`;

function parse(files: DocumentInput[]) {
  const result = parseDocuments(files);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result;
}
function problems(files: DocumentInput[]) {
  const result = parseDocuments(files);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('content pages', () => {
  it('a document without a date that names its url is a page, in both formats, with its exact address', () => {
    const result = parse([
      { file: 'p.txt', text: textPage('url: /organisatie/achtergrond/\norder: 2', 'Achtergrond') },
      {
        file: 'q.md',
        text: mdPage('title: Gemeenten\nurl: /banenafspraak/sectorinformatie/gemeenten\nsidebar: false'),
      },
    ]);
    expect(result.parsed).toEqual([]);
    expect(result.pages.map((p) => p.document.page)).toEqual([
      {
        path: '/organisatie/achtergrond/',
        title: 'Achtergrond',
        excerpt: 'Een alinea over ons.',
        body: [{ type: 'paragraph', text: 'Een alinea over ons.' }],
        sidebar: true,
        position: 2,
      },
      {
        path: '/banenafspraak/sectorinformatie/gemeenten',
        title: 'Gemeenten',
        excerpt: 'Een alinea over ons.',
        body: [{ type: 'paragraph', text: 'Een alinea over ons.' }],
        sidebar: false,
        position: null,
      },
    ]);
    // Every address above a page that has no document is an index, served with a slash.
    expect(result.structure.indexes.map((index) => [index.path, index.title])).toEqual([
      ['/organisatie/', 'Organisatie'],
      ['/banenafspraak/', 'Banenafspraak'],
      ['/banenafspraak/sectorinformatie/', 'Sectorinformatie'],
    ]);
  });

  it('a forgotten date stays an error: neither a date nor a url', () => {
    const text = makeDocument({ date: null });
    expect(problems([article(text, 'doc.txt')])).toEqual([
      `doc.txt:${lineOf(text, 'Deel dit artikel')}: no date: expected a line "Geplaatst op <weekday> <day> <month> <year>"`,
    ]);
    expect(problems([{ file: 'p.md', text: mdPage('title: Zonder datum') }])).toEqual([
      'p.md:1: the front matter has no date:',
    ]);
  });

  it('scraped page text reads as an editor expects: an Agenda line, double and trailing spaces, a heading on one line', () => {
    const text =
      '---\nurl: /banenafspraak/markt-en-overheid/\n---\n\nAgenda\n\nMarkt  en overheid  \n \nDe markt  neemt 100.000 banen.   \n\nVerdeling\nDe overheid 25.000.\n';
    const [page] = parse([{ file: 'p.txt', text }]).pages;
    expect(page?.document.page.title).toBe('Markt en overheid');
    expect(page?.document.page.body).toEqual([
      { type: 'paragraph', text: 'De markt neemt 100.000 banen.' },
      { type: 'heading', text: 'Verdeling' },
      { type: 'paragraph', text: 'De overheid 25.000.' },
    ]);
  });

  it.each([
    [
      'no slash at the start',
      'url: organisatie/',
      'p.txt:2: the front matter\'s url "organisatie/" must be a path of this site, starting with one "/" (no host, no scheme)',
    ],
    [
      'another host',
      'url: //evil.example/x/',
      'p.txt:2: the front matter\'s url "//evil.example/x/" must be a path of this site, starting with one "/" (no host, no scheme)',
    ],
    [
      'capitals and spaces',
      'url: /Over Ons/',
      'p.txt:2: the front matter\'s url "/Over Ons/" has the part "Over Ons": each part between slashes may only hold a–z, 0–9 and single hyphens',
    ],
    [
      'a page of the site itself',
      'url: /zoeken/',
      "p.txt:2: the front matter's url /zoeken/ is a page of this site itself",
    ],
    [
      'an article address without a date',
      'url: /banenafspraak/nieuws/2019-02-12/een-bericht',
      "p.txt:2: the front matter's url /banenafspraak/nieuws/2019-02-12/een-bericht is the address of an article ({section}/{date}/{slug}), but the document has no date",
    ],
    [
      'a slug on a page',
      'url: /a/\nslug: a',
      'p.txt:3: a page (no date) has no slug: its address is its url:',
    ],
    [
      'the title in page text',
      'url: /a/\ntitle: Dubbel',
      'p.txt:3: page text takes no title: in its front matter: the title is the first line after the front matter (and the page chrome)',
    ],
    [
      'an unknown key',
      'url: /a/\nmenu: ja',
      'p.txt:3: unknown front-matter key "menu": the keys are title, date, source, slug, excerpt, draft, aliases, url, section, share_image, sidebar, order',
    ],
    [
      'an order that is no number',
      'url: /a/\norder: eerst',
      "p.txt:3: the front matter's order must be a whole number",
    ],
  ])('refuses %s, at its line', (_, front, expected) => {
    expect(problems([{ file: 'p.txt', text: textPage(front) }])).toEqual([expected]);
  });

  it('a front matter left open is one problem at line 1', () => {
    expect(problems([{ file: 'p.txt', text: '---\nurl: /a/\n\nTitel\n\nTekst.' }])).toEqual([
      'p.txt:1: the front matter opened here is not closed: end it with a line "---"',
    ]);
  });

  it('two documents cannot have one address, in either slash form', () => {
    expect(
      problems([
        { file: 'p.txt', text: textPage('url: /organisatie/achtergrond/') },
        { file: 'q.md', text: mdPage('title: Ook\nurl: /organisatie/achtergrond') },
      ]),
    ).toEqual(['q.md:3: the address /organisatie/achtergrond is also the page of p.txt:2']);
  });
});

describe('articles in sections, with an address of their own', () => {
  it('an article url gives its section and a slug that need not follow from the title', () => {
    const text = `---\nurl: /nieuws/algemeen/2019-02-12/cao-akkoord-bereikt\n---\n\n${makeDocument({ title: 'Akkoord over de nieuwe cao', date: 'dinsdag 12 februari 2019' })}`;
    const result = parse([{ file: 'site.yaml', text: SITE }, article(text)]);
    expect(result.parsed[0]?.document.article).toMatchObject({
      section: '/nieuws/algemeen',
      slug: 'cao-akkoord-bereikt',
      title: 'Akkoord over de nieuwe cao',
    });
  });

  it('section: puts an article in a section; without either it is in the default one', () => {
    const md = (front: string) => mdPage(`title: Een bericht\ndate: 2019-02-12\n${front}`, 'Tekst.');
    const result = parse([
      { file: 'site.yaml', text: SITE },
      { file: 'a.md', text: md('section: /nieuws/algemeen') },
      { file: 'b.md', text: md('slug: een-ander-bericht') },
    ]);
    expect(result.parsed.map((p) => p.document.article.section)).toEqual([
      '/nieuws/algemeen',
      '/banenafspraak/nieuws',
    ]);
  });

  it.each([
    [
      'a url whose date differs',
      'url: /nieuws/algemeen/2019-02-13/x',
      "a.md:4: the front matter's url has the date 2019-02-13, the article 2019-02-12",
    ],
    [
      'a url with a trailing slash',
      'url: /nieuws/algemeen/2019-02-12/x/',
      'a.md:4: the front matter\'s url "/nieuws/algemeen/2019-02-12/x/" is not an article address: expected {section}/2019-02-12/{slug}, e.g. /banenafspraak/nieuws/2019-02-12/een-titel (no trailing slash)',
    ],
    [
      'a section the site does not have',
      'section: /nieuws/sport',
      'a.md:4: the section /nieuws/sport is not a section of the site (/banenafspraak/nieuws, /nieuws/algemeen); list it under sections: in site.yaml',
    ],
    [
      'a url and a section that disagree',
      'url: /nieuws/algemeen/2019-02-12/x\nsection: /banenafspraak/nieuws',
      "a.md:5: the front matter's section /banenafspraak/nieuws differs from the url's /nieuws/algemeen",
    ],
    [
      'sidebar on an article',
      'sidebar: false',
      'a.md:4: an article (it has a date) has no sidebar: only pages do',
    ],
  ])('refuses %s, at its line', (_, front, expected) => {
    const text = mdPage(`title: Een bericht\ndate: 2019-02-12\n${front}`, 'Tekst.');
    expect(
      problems([
        { file: 'site.yaml', text: SITE },
        { file: 'a.md', text },
      ]),
    ).toEqual([expected]);
  });
});

describe('site.yaml: sections, menu, links; redirects.yaml', () => {
  const pages = [
    { file: 'p.txt', text: textPage('url: /organisatie/achtergrond/') },
    { file: 'q.md', text: mdPage('title: Gemeenten\nurl: /banenafspraak/sectorinformatie/gemeenten') },
  ];

  it('the menu and the links lead to addresses as they are served, whichever slash form is written', () => {
    const site = `${SITE}about:\n  text: Het VSO.\n  url: /organisatie/achtergrond\nmenu:\n  - label: Organisatie\n    path: /organisatie\n    children:\n      - label: Achtergrond\n        path: /organisatie/achtergrond\n  - label: Nieuws\n    path: /nieuws/algemeen/\n`;
    const { structure } = parse([{ file: 'site.yaml', text: site }, ...pages]);
    expect(structure.links.about).toBe('/organisatie/achtergrond/');
    expect(structure.menu).toEqual([
      {
        label: 'Organisatie',
        path: '/organisatie/',
        children: [{ label: 'Achtergrond', path: '/organisatie/achtergrond/' }],
      },
      { label: 'Nieuws', path: '/nieuws/algemeen' },
    ]);
    // The menu names /organisatie: its index takes that label as its title.
    expect(structure.indexes.find((index) => index.key === '/organisatie')?.title).toBe('Organisatie');
  });

  it('without menu: home, the sections, the top-level pages and indexes, participants and search', () => {
    const { structure } = parse([{ file: 'site.yaml', text: SITE }, ...pages]);
    expect(structure.menu.map((item) => item.path)).toEqual([
      '/',
      '/banenafspraak/nieuws',
      '/nieuws/algemeen',
      '/banenafspraak/',
      '/organisatie/',
      '/participanten',
      '/zoeken',
    ]);
  });

  it('a menu item, a link or a section that leads nowhere is a problem at its line', () => {
    const site = `sections:\n  - path: /zoeken\n    title: Zoeken\nmenu:\n  - label: Weg\n    path: /bestaat-niet/\nfeatured:\n  title: T\n  text: Tekst\n  url: /ook-niet\n`;
    expect(problems([{ file: 'site.yaml', text: site }, ...pages])).toEqual([
      'site.yaml:2: the section path /zoeken is a page of this site itself',
      'site.yaml:10: featured.url /ook-niet leads to no page of this site',
      'site.yaml:5: the menu item /bestaat-niet/ leads to no page of this site',
    ]);
  });

  it('redirects.yaml sends an address no document owns to one that answers, as it is served', () => {
    const redirects = '/organisatie/oud/: /organisatie/achtergrond\n/over-ons: /organisatie/\n';
    const { structure } = parse([...pages, { file: 'redirects.yaml', text: redirects }]);
    expect(structure.redirects).toEqual([
      { path: '/organisatie/oud', target: '/organisatie/achtergrond/' },
      { path: '/over-ons', target: '/organisatie/' },
    ]);
  });

  it.each([
    [
      'an address in use',
      '/organisatie/achtergrond: /organisatie/',
      'redirects.yaml:1: /organisatie/achtergrond is the page of p.txt:2: an address in use cannot be redirected',
    ],
    [
      'a target that does not answer',
      '/oud: /nergens/',
      'redirects.yaml:1: /nergens/ leads to no page of this site',
    ],
    [
      'another host',
      '/oud: https://evil.example/',
      'redirects.yaml:1: the new address of /oud must be a path of this site, starting with one "/" (no host, query or spaces)',
    ],
    [
      'a chain',
      '/a: /b\n/b: /organisatie/',
      'redirects.yaml:1: /b is itself redirected in this file: send /a straight to where that leads',
    ],
    [
      'a loop',
      '/a: /a',
      'redirects.yaml:1: /a is itself redirected in this file: send /a straight to where that leads',
    ],
    [
      'one old address twice',
      '/a: /organisatie/\n/a/: /organisatie/',
      'redirects.yaml:2: /a/ is the same address as the one on line 1',
    ],
  ])('refuses %s, at its line', (_, text, expected) => {
    expect(problems([...pages, { file: 'redirects.yaml', text }])).toEqual([expected]);
  });

  it('an earlier URL of a page cannot be an address the site answers', () => {
    const text = textPage('url: /organisatie/nieuw/\naliases:\n  - /organisatie/achtergrond/');
    expect(problems([...pages, { file: 'r.txt', text }])).toEqual([
      'r.txt:4: the earlier URL /organisatie/achtergrond is the current URL of the page of p.txt:2',
    ]);
  });
});
