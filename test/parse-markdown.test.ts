import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocuments } from '../pipeline/content-files.ts';
import { parseDocument } from '../pipeline/parse-document.ts';
import { formatProblem, type ParsedArticle, parseDocuments } from '../pipeline/parse-documents.ts';
import { parseMarkdown } from '../pipeline/parse-markdown.ts';
import type { Block } from '../schema/blocks.ts';
import { TITLE_MAX_LENGTH } from '../schema/document.ts';
import { SLUG_MAX_LENGTH } from '../schema/slug.ts';
import { EQUIVALENT, RICH_MARKDOWN } from './support/markdown-documents.ts';

const ROOT = join(import.meta.dirname, '..');

function parse(text: string, file = 'doc.md') {
  const result = parseMarkdown(text, file);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  if (result.parsed.document.kind !== 'article') throw new Error('expected an article');
  return result.parsed as ParsedArticle;
}

function problems(text: string | Uint8Array, file = 'doc.md') {
  const result = parseMarkdown(text, file);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.problems.map(formatProblem);
}

/** A Markdown document: front matter lines (title and date unless given), a blank line, the body. */
const md = (body: string, front = 'title: Een kort bericht\ndate: 2019-02-12') =>
  `---\n${front}\n---\n\n${body}\n`;

/** The blocks as a client that knows nothing of inline runs reads them. */
const plain = (blocks: Block[]) =>
  blocks.map((block) => (block.type === 'image' ? block : (({ inline: _, ...rest }) => rest)(block)));

describe('a Markdown document', () => {
  it('maps every construct the blocks can show', () => {
    const { document, titleLine } = parse(RICH_MARKDOWN.text);
    expect(titleLine).toBe(2);
    expect(document.site).toEqual({ about: null, featured: null, participants: null });
    expect(document.article).toEqual({
      slug: 'alles-in-markdown-2010',
      title: 'Alles in Markdown',
      publishedAt: '2010-03-01',
      source: 'VSO Werkgevers',
      excerpt: 'Een samenvatting voor de lijst.',
      section: '/banenafspraak/nieuws',
      body: [
        {
          type: 'paragraph',
          text:
            'Een alinea met nadruk, vet, een link en\neen link met vet, een verwijzing en https://example.nl/pad.\n' +
            'Een harde regelbreuk\ndaarna, en een kale www.werk.nl die als vanouds een link wordt.',
          inline: [
            { text: 'Een alinea met ' },
            { text: 'nadruk', emphasis: true },
            { text: ', ' },
            { text: 'vet', strong: true },
            { text: ', een ' },
            { text: 'link', href: 'https://www.vso-werkgevers.nl/over' },
            { text: ' en\neen ' },
            { text: 'link met ', href: 'mailto:info@vso-werkgevers.nl' },
            { text: 'vet', href: 'mailto:info@vso-werkgevers.nl', strong: true },
            { text: ', een ' },
            { text: 'verwijzing', href: 'https://www.vso-werkgevers.nl' },
            { text: ' en ' },
            { text: 'https://example.nl/pad', href: 'https://example.nl/pad' },
            {
              text: '.\nEen harde regelbreuk\ndaarna, en een kale www.werk.nl die als vanouds een link wordt.',
            },
          ],
        },
        {
          type: 'heading',
          text: 'Een kop met nadruk',
          inline: [{ text: 'Een kop met ' }, { text: 'nadruk', emphasis: true }],
        },
        { type: 'heading', text: 'Een kleinere kop' },
        { type: 'paragraph', text: 'Een alinea onder de kop.' },
        {
          type: 'list',
          ordered: true,
          items: ['eerste met link', 'tweede'],
          inline: [[{ text: 'eerste met ' }, { text: 'link', href: 'https://a.nl' }], [{ text: 'tweede' }]],
        },
        {
          type: 'list',
          ordered: false,
          items: ['een bullet', 'nog een'],
          inline: [[{ text: 'een ' }, { text: 'bullet', emphasis: true }], [{ text: 'nog een' }]],
        },
        { type: 'paragraph', text: 'Setext-kop hieronder is een gewone kop:' },
        { type: 'heading', text: 'Tweede niveau' },
        { type: 'list', ordered: true, items: ['begint bij drie, telt op de site vanaf 1'] },
        { type: 'list', ordered: false, items: ['plus', 'lijst'] },
      ],
    });
  });

  it('makes the slug from the title and the excerpt from the first paragraph when they are not given', () => {
    const { article } = parse(md('## Eerst een kop\n\nDe eerste alinea.\n\nDe tweede.')).document;
    expect(article.slug).toBe('een-kort-bericht');
    expect(article.excerpt).toBe('De eerste alinea.');
    expect(article.source).toBeNull();
  });

  it('keeps soft and hard line breaks in paragraphs and trims each line, as a .txt', () => {
    const { body } = parse(md('Eerste regel  \nTweede regel\\\n   Derde\u00a0\nVierde')).document.article;
    expect(body).toEqual([{ type: 'paragraph', text: 'Eerste regel\nTweede regel\nDerde\nVierde' }]);
  });

  it('reads escapes and entities as the characters they stand for, with no markup', () => {
    const { body } = parse(md('Geen \\*nadruk\\* en R&amp;D &copy; 2019.')).document.article;
    expect(body).toEqual([{ type: 'paragraph', text: 'Geen *nadruk* en R&D © 2019.' }]);
  });

  it('accepts a YAML block scalar, quoted values and comments in the front matter', () => {
    const { article } = parse(
      md(
        'Tekst.',
        '# een opmerking\ntitle: "Een titel: met dubbele punt"\ndate: \'2019-02-12\'\nexcerpt: >\n  Een samenvatting\n  over twee regels.',
      ),
    ).document;
    expect(article.title).toBe('Een titel: met dubbele punt');
    expect(article.publishedAt).toBe('2019-02-12');
    expect(article.excerpt).toBe('Een samenvatting over twee regels.');
  });
});

describe('the problems of a Markdown document, each at its line', () => {
  const cases: [string, string, string[]][] = [
    [
      'no front matter',
      'Gewoon tekst.\n',
      [
        '1: no front matter: a Markdown document starts with a line "---", then "title: …" and "date: yyyy-mm-dd", then "---"',
      ],
    ],
    [
      'a front matter left open',
      '---\ntitle: x\n\nTekst.\n',
      [
        '1: no front matter: a Markdown document starts with a line "---", then "title: …" and "date: yyyy-mm-dd", then "---"',
      ],
    ],
    [
      'no title or date',
      md('Tekst.', 'source: VSO'),
      ['1: the front matter has no title:', '1: the front matter has no date:'],
    ],
    [
      'YAML that does not parse',
      md('Tekst.', 'title: Een: twee\ndate: 2019-02-12'),
      ['2: the front matter is not valid YAML: Nested mappings are not allowed in compact mappings'],
    ],
    [
      'a key twice',
      md('Tekst.', 'title: Een\ndate: 2019-02-12\ntitle: Twee'),
      ['4: the front matter is not valid YAML: Map keys must be unique'],
    ],
    [
      'a list as front matter',
      md('Tekst.', '- title\n- date'),
      ['1: the front matter must be "key: value" lines (title:, date:, url: …)'],
    ],
    [
      'unknown keys',
      md('Tekst.', 'title: Een\nauteur: Piet\ndate: 2019-02-12\ntags: [a]'),
      [
        '3: unknown front-matter key "auteur": the keys are title, date, source, slug, excerpt, draft, aliases, url, section, share_image, sidebar, order',
        '5: unknown front-matter key "tags": the keys are title, date, source, slug, excerpt, draft, aliases, url, section, share_image, sidebar, order',
      ],
    ],
    [
      'a title that is a number',
      md('Tekst.', 'title: 2019\ndate: 2019-02-12'),
      ["2: the front matter's title must be text"],
    ],
    [
      'an empty title',
      md('Tekst.', 'title: "  "\ndate: 2019-02-12'),
      ["2: the front matter's title is empty"],
    ],
    [
      'a title of two lines',
      md('Tekst.', 'title: |\n  Een\n  Twee\ndate: 2019-02-12'),
      ["2: the front matter's title must be one line"],
    ],
    [
      'a title without letters or digits',
      md('Tekst.', 'title: "!!!"\ndate: 2019-02-12'),
      ['2: the title has no letters or digits to make a slug from'],
    ],
    [
      'a title that is too long',
      md('Tekst.', `title: ${'a'.repeat(TITLE_MAX_LENGTH + 1)}\ndate: 2019-02-12`),
      [
        `2: the title is ${TITLE_MAX_LENGTH + 1} characters long; at most ${TITLE_MAX_LENGTH} are allowed, so that its URL and social card hold it`,
      ],
    ],
    [
      'a title the card cannot draw',
      md('Tekst.', 'title: 你好 banen\ndate: 2019-02-12'),
      [
        '2: the title holds "你" (U+4F60), "好" (U+597D), which the social card cannot draw: a title may use Latin, Greek and Cyrillic letters, digits, punctuation and emoji',
      ],
    ],
    [
      'a date that is not yyyy-mm-dd',
      md('Tekst.', 'title: Een\ndate: 12 februari 2019'),
      ["3: the front matter's date must be a date written yyyy-mm-dd, e.g. 2019-02-12"],
    ],
    [
      'a date that does not exist',
      md('Tekst.', 'title: Een\ndate: 2019-02-29'),
      ['3: no such date: 2019-02-29'],
    ],
    [
      'a slug that is not a slug',
      md('Tekst.', 'title: Een\ndate: 2019-02-12\nslug: Een_Bericht'),
      [`4: the front matter's slug "Een_Bericht" may only hold a–z, 0–9 and single hyphens`],
    ],
    [
      'a slug that is too long',
      md('Tekst.', `title: Een\ndate: 2019-02-12\nslug: ${'a'.repeat(SLUG_MAX_LENGTH + 1)}`),
      [
        `4: the front matter's slug is ${SLUG_MAX_LENGTH + 1} characters long; the routes accept at most ${SLUG_MAX_LENGTH}`,
      ],
    ],
    [
      'an empty source',
      md('Tekst.', 'title: Een\ndate: 2019-02-12\nsource: ""'),
      ["4: the front matter's source is empty"],
    ],
    ['an empty body', md(''), ['4: the article has an empty body']],
    [
      'a body without a paragraph',
      md('## Kop\n\n- een'),
      ['4: the article body has no paragraph to use as its excerpt'],
    ],
    [
      'a "#" heading',
      md('# Titel\n\nTekst.'),
      [
        '6: a "#" heading: the title is the front matter\'s title:, and headings in the body start with "##" or "###"',
      ],
    ],
    [
      'a "####" heading',
      md('Tekst.\n\n#### Diep'),
      ['8: a heading deeper than "###": the body has "##" and "###" headings only'],
    ],
    ['a heading of two lines', md('Tekst.\n\nEen\nkop\n---'), ['8: a heading is one line']],
    [
      'an image inside text',
      md('Tekst ![logo](logo.png).'),
      ['6: an image inside text: put ![alt text](naam.jpg) in a paragraph of its own'],
    ],
    [
      'HTML',
      md('Tekst.\n\n<div>blok</div>\n\nMet <b>vet</b>.\n\n<!-- opmerking -->'),
      [
        '8: HTML (or an HTML comment): the site shows only paragraphs, headings, lists, links, bold and italics',
        '10: HTML (or an HTML comment): the site shows only paragraphs, headings, lists, links, bold and italics',
        '10: HTML (or an HTML comment): the site shows only paragraphs, headings, lists, links, bold and italics',
        '12: HTML (or an HTML comment): the site shows only paragraphs, headings, lists, links, bold and italics',
      ],
    ],
    [
      'a code block, fenced or indented',
      md('Tekst.\n\n```\ncode\n```\n\n    ingesprongen'),
      [
        '8: a code block: the site cannot show code; write it as a paragraph',
        '12: a code block: the site cannot show code; write it as a paragraph',
      ],
    ],
    [
      'inline code',
      md('Typ `npm run seed`.'),
      ['6: code in the text (`…`): the site cannot show code; write it as plain text'],
    ],
    [
      'a quote',
      md('Tekst.\n\n> Een citaat.'),
      ['8: a quote (">"): the site cannot show quotes as such; write it as a paragraph'],
    ],
    [
      'a horizontal rule',
      md('Tekst.\n\n***\n\nMeer.'),
      ['8: a horizontal rule ("---", "***" or "___"): the site cannot show it; leave it out'],
    ],
    [
      'a table',
      md('Tekst.\n\n| a | b |\n|---|---|\n| 1 | 2 |'),
      ['8: a table: the site cannot show tables; write it as a list'],
    ],
    [
      'a footnote',
      md('Tekst[^1].\n\n[^1]: De noot.'),
      [
        '6: a footnote: the site cannot show footnotes; write the note in the text',
        '8: a footnote: the site cannot show footnotes; write the note in the text',
      ],
    ],
    [
      'struck-through text',
      md('Tekst ~~weg~~.'),
      ['6: struck-through text ("~~…~~"): the site cannot show it'],
    ],
    [
      'a task list',
      md('Tekst.\n\n- [ ] doen\n- [x] gedaan'),
      [
        '8: a task list item ("- [ ]" or "- [x]"): the site cannot show checkboxes',
        '9: a task list item ("- [ ]" or "- [x]"): the site cannot show checkboxes',
      ],
    ],
    [
      'a nested list',
      md('Tekst.\n\n- een\n  - twee'),
      ['9: a list inside a list item: lists on the site have one level'],
    ],
    [
      'a list item of two paragraphs',
      md('Tekst.\n\n- een\n\n  nog meer'),
      ['10: a list item with more than one paragraph, or a heading in a list item: an item is one paragraph'],
    ],
    ['an empty list item', md('Tekst.\n\n- een\n-\n- drie'), ['9: a list item is empty']],
    [
      'a link that is not http(s) or mailto',
      md('Tekst.\n\nZie [dit](javascript:alert(1)), [dat](//evil.example/pad) en [zo](ftp://x.nl).'),
      [
        '8: a link to "javascript:alert(1)": only http(s), mailto: and paths of this site (/…) can be links',
        '8: a link to "//evil.example/pad": only http(s), mailto: and paths of this site (/…) can be links',
        '8: a link to "ftp://x.nl": only http(s), mailto: and paths of this site (/…) can be links',
      ],
    ],
    [
      'a link with a title',
      md('Zie [dit](https://x.nl "Titel").'),
      ['6: a link title ("…" after the address): the site does not show it; leave it out'],
    ],
    [
      'a link without text',
      md('Zie [](https://x.nl).'),
      ['6: a link without text: write its text between [ and ]'],
    ],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected.map((problem) => `doc.md:${problem}`));
  });

  it('reports the file itself as a .txt does: a control character at its line', () => {
    expect(problems(md('Een\u000bregel.'))).toEqual([
      'doc.md:6: control character U+000B (VT) at column 4: only tabs and line breaks may be in a document',
    ]);
    expect(problems(new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]))).toEqual([
      'doc.md:2: not valid UTF-8 (byte 0xE9): save the document as UTF-8; other encodings such as Latin-1 or Windows-1252 are not read',
    ]);
  });

  it('reports every problem of a document at once, in the order of the file', () => {
    expect(
      problems(md('# Titel\n\n![](y.png)\n\n> citaat', 'title: Een\ndate: 2019-13-01\nconcept: ja')),
    ).toEqual([
      'doc.md:3: no such date: 2019-13-01',
      'doc.md:4: unknown front-matter key "concept": the keys are title, date, source, slug, excerpt, draft, aliases, url, section, share_image, sidebar, order',
      'doc.md:7: a "#" heading: the title is the front matter\'s title:, and headings in the body start with "##" or "###"',
      'doc.md:9: an image without alt text: say what it shows between [ and ], or write ![-](naam.jpg) for an image that is only decoration',
      'doc.md:11: a quote (">"): the site cannot show quotes as such; write it as a paragraph',
    ]);
  });
});

describe('the two formats', () => {
  it('a .md and a .txt with the same content give the same article', () => {
    const markdown = parseDocuments([{ file: EQUIVALENT.md.name, text: EQUIVALENT.md.text }]);
    const text = parseDocuments([{ file: EQUIVALENT.txt.name, text: EQUIVALENT.txt.text }]);
    if (!markdown.ok || !text.ok) throw new Error('both documents must parse');
    const [fromMarkdown] = markdown.parsed;
    const [fromText] = text.parsed;
    expect(fromText?.document.article.body.map((block) => block.type)).toEqual([
      'paragraph',
      'heading',
      'paragraph',
      'list',
      'list',
    ]);
    expect(fromMarkdown?.document.article).toEqual(fromText?.document.article);
    // The same JSON, key order included: the seed's content hash is of that JSON.
    expect(JSON.stringify(fromMarkdown?.document.article)).toBe(JSON.stringify(fromText?.document.article));
  });

  it('parseDocuments reads .md as Markdown and .txt as page text, and sees one slug in both', () => {
    const result = parseDocuments([
      { file: 'a.txt', text: EQUIVALENT.txt.text },
      { file: 'b.md', text: EQUIVALENT.md.text },
    ]);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'b.md:2: duplicate slug "gelijk-in-beide-vormen": a.txt:1 has the same',
    ]);
  });

  it('readDocuments reads the .md documents of a folder with the .txt ones, site.yaml and redirects.yaml', async () => {
    const names = (await readDocuments(join(ROOT, 'docs', 'examples'))).map((doc) => doc.file);
    expect(names).toEqual(
      [
        'article-in-section.md',
        'article.md',
        'article.txt',
        'page.md',
        'page.txt',
        'redirects.yaml',
        'site.yaml',
      ].map((name) => join(ROOT, 'docs/examples', name)),
    );
  });

  it('the seeds parse as before: through parseDocuments as through parseDocument, with plain blocks', async () => {
    // The two articles of the original site (the sample pages beside them are newer).
    const seeds = (await readDocuments(join(ROOT, 'content-seed'))).filter((doc) =>
      /\/00[01]_[0-9a-f]+\.txt$/.test(doc.file),
    );
    expect(seeds).toHaveLength(2);
    const result = parseDocuments(seeds);
    if (!result.ok) throw new Error('the seeds must parse');
    result.parsed.forEach((item, i) => {
      const alone = parseDocument((seeds[i] as { bytes: Uint8Array }).bytes, item.file);
      expect(alone.ok && alone.parsed).toEqual(item);
      expect(JSON.stringify(item.document.article.body)).not.toContain('"inline"');
    });
  });
});

describe('the samples in docs/examples', () => {
  const sample = (name: string) => {
    const file = join(ROOT, 'docs', 'examples', name);
    const result = name.endsWith('.md')
      ? parseMarkdown(readFileSync(file), name)
      : parseDocument(readFileSync(file), name);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const { document } = result.parsed;
    if (document.kind !== 'article') throw new Error('expected an article');
    return document;
  };

  it('both parse, and say the same article; the Markdown one adds its links and emphasis', () => {
    const markdown = sample('article.md');
    const text = sample('article.txt');
    expect(text.site).toEqual({ about: null, featured: null, participants: null });
    expect({ ...markdown.article, body: plain(markdown.article.body) }).toEqual(text.article);
    expect(text.article.body).toEqual(plain(text.article.body));
    const runs = markdown.article.body.flatMap((block) =>
      block.type === 'list'
        ? (block.inline ?? []).flat()
        : block.type === 'image'
          ? []
          : (block.inline ?? []),
    );
    expect(runs.filter((run) => run.href || run.strong || run.emphasis)).toEqual([
      { text: 'de site van het VSO', href: 'https://www.vso-werkgevers.nl' },
      { text: 'meer ruimte', strong: true },
      { text: 'creëren', emphasis: true },
      { text: 'het postadres', href: 'mailto:info@vso-werkgevers.nl' },
    ]);
  });

  it('the page, the article in a section, site.yaml and redirects.yaml make one valid site', () => {
    const names = ['page.md', 'page.txt', 'article-in-section.md', 'site.yaml', 'redirects.yaml'];
    const result = parseDocuments(
      names.map((name) => ({ file: name, bytes: readFileSync(join(ROOT, 'docs', 'examples', name)) })),
    );
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.pages.map((page) => page.document.page.path)).toEqual([
      '/banenafspraak/sectorinformatie/onderwijs',
      '/organisatie/waar-staan-wij-voor/',
    ]);
    expect(result.parsed[0]?.document.article).toMatchObject({
      section: '/nieuws/algemeen',
      slug: 'cao-rijk-akkoord',
    });
    expect(result.structure.redirects).toEqual([
      { path: '/organisatie/missie', target: '/organisatie/waar-staan-wij-voor/' },
      { path: '/oud/nieuws', target: '/nieuws/algemeen' },
    ]);
  });
});
