/**
 * Images and downloads as editors write them, in both formats (docs/media.md): image blocks and
 * download runs, each checked against the folder's files at the line that names it.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import type { Block } from '../schema/blocks.ts';

const FILES = new Set([
  'zaal.jpg',
  'sier.png',
  'oud foto.png',
  'cijfers-gemeenten.pdf',
  'Titel van het stuk 2003.pdf',
]);

const markdown = (body: string) =>
  `---\ntitle: Een bericht met beelden\ndate: 2019-02-12\n---\n\nDe eerste alinea.\n\n${body}\n`;
const pageText = (body: string) =>
  `Een bericht met beelden\n\nDe eerste alinea.\n\n${body}\n\nGeplaatst op dinsdag 12 februari 2019`;

function parse(file: string, text: string) {
  const result = parseDocuments([{ file, text }], FILES);
  return result.ok
    ? {
        body: result.parsed[0]?.document.article.body as Block[],
        media: result.media,
        notices: result.mediaNotices.map(formatProblem),
      }
    : { problems: result.problems.map(formatProblem) };
}

describe('Markdown', () => {
  it('makes an image of a paragraph that is only ![alt](file), and a download of a link to a file', () => {
    const parsed = parse(
      'a.md',
      markdown(
        '![De zaal vol werkgevers](zaal.jpg)\n\n![-](./sier.png)\n\nLees [het stuk](<Titel van het stuk 2003.pdf>).',
      ),
    );
    expect(parsed.body?.slice(1)).toEqual([
      { type: 'image', src: 'zaal.jpg', alt: 'De zaal vol werkgevers' },
      { type: 'image', src: 'sier.png', alt: '', decorative: true },
      {
        type: 'paragraph',
        text: 'Lees het stuk.',
        inline: [{ text: 'Lees ' }, { text: 'het stuk', file: 'Titel van het stuk 2003.pdf' }, { text: '.' }],
      },
    ]);
    expect(parsed.media?.map((m) => `${m.name}:${m.line}`)).toEqual([
      'zaal.jpg:8',
      'sier.png:10',
      'Titel van het stuk 2003.pdf:12',
    ]);
  });

  it('refuses an image without alt text, one from elsewhere, one in text and files that are not there', () => {
    const parsed = parse(
      'a.md',
      markdown('![](zaal.jpg)\n\n![Logo](https://example.org/logo.png)\n\nTekst met ![Logo](sier.png) erin.'),
    );
    expect(parsed.problems).toEqual([
      expect.stringMatching(/^a\.md:8: an image without alt text: /),
      expect.stringMatching(/^a\.md:10: an image from another address: /),
      'a.md:12: an image inside text: put ![alt text](naam.jpg) in a paragraph of its own',
    ]);
    // Files are looked for in documents that are otherwise good.
    expect(parse('b.md', markdown('![Weg](weg.jpg)\n\nZie [de bijlage](weg.pdf).')).problems).toEqual([
      'b.md:8: the image weg.jpg is not beside the document: no file in the folder has that name',
      'b.md:10: the download weg.pdf is not beside the document: no file in the folder has that name',
    ]);
  });
});

describe('page text', () => {
  it('makes an image of a line that is only an image file name, with its alt text after "|"', () => {
    const parsed = parse(
      'a.txt',
      pageText('zaal.jpg | De zaal vol werkgevers\n\nsier.png | -\n\noud foto.png'),
    );
    expect(parsed.body?.slice(1)).toEqual([
      { type: 'image', src: 'zaal.jpg', alt: 'De zaal vol werkgevers' },
      { type: 'image', src: 'sier.png', alt: '', decorative: true },
      { type: 'image', src: 'oud foto.png', alt: '' },
    ]);
    expect(parsed.notices).toEqual([
      'a.txt:9: the image oud foto.png has no alt text: write "oud foto.png | what it shows", or "oud foto.png | -" for decoration',
    ]);
  });

  it('links the file names in running text to the files, the longest name that is there', () => {
    const parsed = parse(
      'a.txt',
      pageText('Lees de cijfers in cijfers-gemeenten.pdf.\nOok te lezen: Titel van het stuk 2003.pdf.'),
    );
    expect(parsed.body?.[1]).toEqual({
      type: 'paragraph',
      text: 'Lees de cijfers in cijfers-gemeenten.pdf.\nOok te lezen: Titel van het stuk 2003.pdf.',
      inline: [
        { text: 'Lees de cijfers in ' },
        { text: 'cijfers-gemeenten.pdf', file: 'cijfers-gemeenten.pdf' },
        { text: '.\nOok te lezen: ' },
        { text: 'Titel van het stuk 2003.pdf', file: 'Titel van het stuk 2003.pdf' },
        { text: '.' },
      ],
    });
    expect(parsed.media?.map((m) => `${m.name}:${m.line}`)).toEqual([
      'cijfers-gemeenten.pdf:5',
      'Titel van het stuk 2003.pdf:6',
    ]);
  });

  it('reports a name that points to no file at its line, and leaves URLs alone', () => {
    const parsed = parse(
      'a.txt',
      pageText(
        'Zie https://www.werk.nl/stuk.pdf voor meer.\nDownload bijlage: weg.pdf\n\nweg.png | Een foto',
      ),
    );
    expect(parsed.problems).toEqual([
      'a.txt:6: the download weg.pdf is not beside the document: no file in the folder has that name',
      'a.txt:8: the image weg.png is not beside the document: no file in the folder has that name',
    ]);
  });
});

describe('the share image (share_image: true)', () => {
  const shared = (front: string, body: string) =>
    `---\ntitle: Een bericht met beelden\ndate: 2019-02-12\n${front}---\n\nDe eerste alinea.\n\n${body}\n`;

  it('marks the first image of the article as its share image, and only that one', () => {
    const parsed = parse(
      'a.md',
      shared('share_image: true\n', '![De zaal](zaal.jpg)\n\n![Het podium](sier.png)'),
    );
    expect(parsed.body?.filter((block) => block.type === 'image')).toEqual([
      { type: 'image', src: 'zaal.jpg', alt: 'De zaal', share: true },
      { type: 'image', src: 'sier.png', alt: 'Het podium' },
    ]);
    const without = parse('a.md', shared('', '![De zaal](zaal.jpg)'));
    expect(without.body?.[1]).toEqual({ type: 'image', src: 'zaal.jpg', alt: 'De zaal' });
  });

  it('takes it in page text too', () => {
    const text = `---\nshare_image: true\n---\n${pageText('zaal.jpg | De zaal')}`;
    expect(parse('a.txt', text).body?.find((block) => block.type === 'image')).toMatchObject({ share: true });
  });

  it('refuses it at its line for an article without an image, and for a page', () => {
    expect(parse('a.md', shared('share_image: true\n', 'Nog een alinea.')).problems).toEqual([
      'a.md:4: share_image: true, but the article has no image: add one, or leave share_image out for the generated card',
    ]);
    expect(parse('a.txt', `---\nshare_image: true\n---\n${pageText('Nog een alinea.')}`).problems).toEqual([
      'a.txt:2: share_image: true, but the article has no image: add one, or leave share_image out for the generated card',
    ]);
    const page = '---\ntitle: Over ons\nurl: /organisatie/over-ons/\nshare_image: true\n---\n\nTekst.\n';
    expect(parse('p.md', page).problems).toEqual([
      'p.md:4: a page (no date) has no share_image: its link preview shows the site card',
    ]);
    expect(parse('a.md', shared('share_image: ja\n', '![De zaal](zaal.jpg)')).problems).toEqual([
      "a.md:4: the front matter's share_image must be true or false",
    ]);
  });
});
