import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../pipeline/parse-document.ts';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { DOCUMENT_MAX_BYTES, TITLE_MAX_LENGTH } from '../schema/document.ts';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../schema/slug.ts';
import { lineOf, makeDocument } from './support/documents.ts';

const seedDir = join(import.meta.dirname, '..', 'content-seed');
const read = (name: string) => ({
  file: `content-seed/${name}`,
  text: readFileSync(join(seedDir, name), 'utf8'),
});

function parse(text: string | Uint8Array, file = 'doc.txt') {
  const result = parseDocument(text, file);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const { document } = result.parsed;
  if (document.kind !== 'article') throw new Error('expected an article');
  return document;
}

function problems(text: string | Uint8Array, file = 'doc.txt') {
  const result = parseDocument(text, file);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.problems.map(formatProblem);
}

describe('the seed documents', () => {
  it('parses "Met elkaar voor 125.000 banen"', () => {
    const doc = read('000_2e0dd2dc981fcdfb.txt');
    const { article, site } = parse(doc.text);
    expect(article.title).toBe('Met elkaar voor 125.000 banen');
    expect(article.slug).toBe('met-elkaar-voor-125000-banen');
    expect(article.publishedAt).toBe('2019-02-12');
    expect(article.source).toBe('Op naar de 100.000 banen');
    expect(article.excerpt).toBe(
      'Hoe kunnen overheidssectoren, samen met de markt, invulling geven aan de centrale doelstelling van de Banenafspraak, te weten het creëren van 125.000 banen?',
    );
    expect(article.body.map((b) => b.type)).toEqual(Array(6).fill('paragraph'));
    expect(article.body[0]).toEqual({ type: 'paragraph', text: article.excerpt });
    expect(article.body[3]).toEqual({
      type: 'paragraph',
      text: 'Duidelijk is dat in alle overheidssectoren (overheden en onderwijs) veel aandacht is voor de Banenafspraak en inclusie in het algemeen. Er werden dan ook mooie voorbeelden van aanpakken in de verschillende sectoren gedeeld. Thema’s als het creëren van intern draagvlak en het versnellen van de uitvoering van bestuurlijke afspraken kwamen aan de orde.',
    });
    expect(article.body.at(-1)).toEqual({
      type: 'paragraph',
      text: 'De bijeenkomst bood de nodige input om dat plan vorm te geven. Door de samenwerking worden alle partijen sterker; de bijeenkomst zal dan ook zeker opvolging krijgen in een gezamenlijk plan en meer bijeenkomsten om te leren van elkaar, vooral in de regio!',
    });
    // Neither the source nor the date line nor the trailer leaks into the body.
    expect(JSON.stringify(article.body)).not.toMatch(/Bron:|Geplaatst op|Deel dit artikel|Ga naar/);
    expect(site.participants).toHaveLength(13);
    expect(new Set(site.participants).size).toBe(13);
    expect(site.participants?.[0]).toBe('Vereniging Hogescholen');
    expect(site.about).toBe(
      'Het VSO vertegenwoordigt de gezamenlijke belangen van de werkgevers in het publieke domein. Bij elkaar opgeteld hebben overheids- en onderwijswerkgevers bijna één miljoen werknemers in dienst.',
    );
    expect(site.featured).toEqual({
      title: 'Zelfstandige Publieke Werkgevers',
      text: 'In 2008 namen de ‘niet-kabinetssectoren’ het besluit zich te verenigen als Zelfstandige Publieke Werkgevers. Deze groep werkgevers heeft immers een iets andere relatie met het kabinet.',
    });
  });

  it('parses "Centrale postbus voor vragen over de banenafspraak" with its heading', () => {
    const doc = read('001_f3f85d6d71f8b7af.txt');
    const { article, site } = parse(doc.text);
    expect(article.title).toBe('Centrale postbus voor vragen over de banenafspraak');
    expect(article.slug).toBe('centrale-postbus-voor-vragen-over-de-banenafspraak');
    expect(article.publishedAt).toBe('2019-01-22');
    expect(article.source).toBeNull();
    expect(article.body.map((b) => b.type)).toEqual([
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'heading',
      'paragraph',
      'paragraph',
    ]);
    // "Kennisalliantie" ends in a no-break space in the document: trimmed.
    expect(article.body[4]).toEqual({ type: 'heading', text: 'Kennisalliantie' });
    expect(article.body[5]).toEqual({
      type: 'paragraph',
      text: 'De bewindslieden van BZK en SZW hebben deze aanbeveling overgenomen en opdracht gegeven een Kennisalliantie Banenafspraak in te richten. De Kennisalliantie ondersteunt actief de sectoren en de achterban in de regio, maar neemt – vanzelfsprekend de verantwoordelijkheid om banen te realiseren niet van hen over.',
    });
    // A no-break space inside a line is text, and stays.
    expect(article.body[2]?.type === 'paragraph' && article.body[2].text).toContain(
      'Kennisdocument\u00a0biedt',
    );
    expect(article.excerpt).toContain('kennisalliantiebanenafspraak@minbzk.nl.');
    expect(site.participants?.[0]).toBe('VNG');
    expect([...(site.participants ?? [])].sort()).toEqual(
      [...(parse(read('000_2e0dd2dc981fcdfb.txt').text).site.participants ?? [])].sort(),
    );
  });

  it('accepts both documents together', () => {
    const result = parseDocuments([read('000_2e0dd2dc981fcdfb.txt'), read('001_f3f85d6d71f8b7af.txt')]);
    expect(result.ok).toBe(true);
  });
});

describe('blocks', () => {
  it('makes lists of •, - and * lines, also after a paragraph line in the same block', () => {
    const { article } = parse(
      makeDocument({
        body: ['Inleiding.', '• een\n• twee', 'De punten zijn:\n- drie\n* vier', 'Slot.'],
      }),
    );
    expect(article.body).toEqual([
      { type: 'paragraph', text: 'Inleiding.' },
      { type: 'list', ordered: false, items: ['een', 'twee'] },
      { type: 'paragraph', text: 'De punten zijn:' },
      { type: 'list', ordered: false, items: ['drie', 'vier'] },
      { type: 'paragraph', text: 'Slot.' },
    ]);
  });

  it('makes numbered lists of "1. " and "2) " lines, which the heading rule leaves alone', () => {
    const { article } = parse(
      makeDocument({
        body: [
          'Inleiding.',
          '1. meer functies in de sector\n2. minder regels\n3. betere begeleiding',
          'De stappen zijn:\n1) aanmelden\n2) een gesprek\n• daarna een bullet',
          '10. tien\n11. elf',
          '2019 was een goed jaar\nvoor de banenafspraak.',
        ],
      }),
    );
    expect(article.body).toEqual([
      { type: 'paragraph', text: 'Inleiding.' },
      {
        type: 'list',
        ordered: true,
        items: ['meer functies in de sector', 'minder regels', 'betere begeleiding'],
      },
      { type: 'paragraph', text: 'De stappen zijn:' },
      { type: 'list', ordered: true, items: ['aanmelden', 'een gesprek'] },
      { type: 'list', ordered: false, items: ['daarna een bullet'] },
      { type: 'list', ordered: true, items: ['tien', 'elf'] },
      { type: 'heading', text: '2019 was een goed jaar' },
      { type: 'paragraph', text: 'voor de banenafspraak.' },
    ]);
  });

  it('makes a short question line followed by more lines a heading', () => {
    const { article } = parse(
      makeDocument({
        body: [
          'Eerste alinea.',
          'Wat betekent dit?\nDe sector krijgt meer ruimte.\nEn meer tijd.',
          'Waarom?',
        ],
      }),
    );
    expect(article.body).toEqual([
      { type: 'paragraph', text: 'Eerste alinea.' },
      { type: 'heading', text: 'Wat betekent dit?' },
      { type: 'paragraph', text: 'De sector krijgt meer ruimte.\nEn meer tijd.' },
      // A question on its own line is a paragraph, as any single line is.
      { type: 'paragraph', text: 'Waarom?' },
    ]);
  });

  it('applies the heading rule only to a short first line without closing punctuation', () => {
    const long = 'L'.repeat(81);
    const exactly80 = 'K'.repeat(80);
    const { article } = parse(
      makeDocument({
        body: [
          'Eerste alinea.',
          `${exactly80}\nTekst onder de kop.`,
          `${long}\nGeen kop: te lang.`,
          'Eindigt op een dubbele punt:\nGeen kop.',
          'Een losse korte regel',
          'Uitroep!\nGeen kop.',
          'Punt komma;\nGeen kop.',
        ],
      }),
    );
    expect(article.body).toEqual([
      { type: 'paragraph', text: 'Eerste alinea.' },
      { type: 'heading', text: exactly80 },
      { type: 'paragraph', text: 'Tekst onder de kop.' },
      { type: 'paragraph', text: `${long}\nGeen kop: te lang.` },
      { type: 'paragraph', text: 'Eindigt op een dubbele punt:\nGeen kop.' },
      { type: 'paragraph', text: 'Een losse korte regel' },
      { type: 'paragraph', text: 'Uitroep!\nGeen kop.' },
      { type: 'paragraph', text: 'Punt komma;\nGeen kop.' },
    ]);
  });

  it('keeps typographic characters and trims (no-break) spaces', () => {
    const { article } = parse(
      makeDocument({
        title: '\u00a0 „Zo’n” 40% – €5.000 \u00a0',
        body: ['  Tekst met ‘quotes’, — streepjes, € en %.\u00a0 '],
      }),
    );
    expect(article.title).toBe('„Zo’n” 40% – €5.000');
    expect(article.slug).toBe('zon-40-5000');
    expect(article.body).toEqual([{ type: 'paragraph', text: 'Tekst met ‘quotes’, — streepjes, € en %.' }]);
  });

  it('reads a document that is only an article: title, paragraphs, date', () => {
    const text =
      'Een kort bericht\n\nDe eerste alinea.\n\nNog een alinea.\n\nGeplaatst op dinsdag 12 februari 2019\n';
    const { article, site } = parse(text);
    expect(article).toMatchObject({
      title: 'Een kort bericht',
      slug: 'een-kort-bericht',
      publishedAt: '2019-02-12',
      excerpt: 'De eerste alinea.',
      body: [
        { type: 'paragraph', text: 'De eerste alinea.' },
        { type: 'paragraph', text: 'Nog een alinea.' },
      ],
    });
    expect(site).toEqual({ about: null, featured: null, participants: null });
    // The same article with the trailer and with a source, still without any chrome.
    const trailer = makeDocument({ about: null, participants: null, featured: false, source: 'VSO' });
    expect(parse(trailer).article).toMatchObject({ title: 'Een artikel over banen', source: 'VSO' });
    const bare = makeDocument({ about: null, participants: null, featured: false, trailer: false });
    expect(parse(bare).article.title).toBe('Een artikel over banen');
  });

  it('reads each chrome section on its own: every one is optional', () => {
    const all = parse(makeDocument());
    const cases = [
      [{ featured: false }, { ...all.site, featured: null }],
      [{ participants: null }, { ...all.site, participants: null }],
      [{ about: null }, { ...all.site, about: null }],
      [
        { about: null, participants: null },
        { ...all.site, about: null, participants: null },
      ],
      [
        { participants: null, featured: false },
        { ...all.site, participants: null, featured: null },
      ],
      [
        { about: null, featured: false },
        { ...all.site, about: null, featured: null },
      ],
    ] as const;
    for (const [parts, site] of cases) {
      const doc = parse(makeDocument(parts));
      expect(doc.site, JSON.stringify(parts)).toEqual(site);
      expect(doc.article, JSON.stringify(parts)).toEqual(all.article);
    }
  });

  it('reads a seed document without its "Uitgelicht" section: all thirteen participants, the same article', () => {
    const text = read('000_2e0dd2dc981fcdfb.txt').text;
    const start = text.indexOf('Uitgelicht');
    const end = text.indexOf('Met elkaar voor 125.000 banen');
    const { article, site } = parse(text.slice(0, start) + text.slice(end));
    const whole = parse(text);
    expect(site).toEqual({ ...whole.site, featured: null });
    expect(site.participants).toHaveLength(13);
    expect(article).toEqual(whole.article);
  });

  it('reads CRLF documents and documents with page chrome before "Over VSO Werkgevers"', () => {
    const text = makeDocument({ chrome: ['VSO Werkgevers', 'Menu\nHome\nNieuws'] }).replaceAll('\n', '\r\n');
    const { article } = parse(text);
    expect(article.title).toBe('Een artikel over banen');
    expect(article.excerpt).toBe('De eerste alinea van het artikel.');
  });
});

describe('problems are reported as file:line', () => {
  it('a weekday that does not match the date', () => {
    const text = makeDocument({ date: 'maandag 12 februari 2019' });
    expect(problems(text, 'x.txt')).toEqual([
      `x.txt:${lineOf(text, 'Geplaatst op')}: weekday "maandag" does not match 12 februari 2019, which is a dinsdag`,
    ]);
  });

  it('an unknown month, an unknown weekday, a date that does not exist', () => {
    const month = makeDocument({ date: 'dinsdag 12 febuari 2019' });
    expect(problems(month)).toEqual([`doc.txt:${lineOf(month, 'Geplaatst op')}: unknown month "febuari"`]);
    const weekday = makeDocument({ date: 'dinsdagg 12 februari 2019' });
    expect(problems(weekday)).toEqual([
      `doc.txt:${lineOf(weekday, 'Geplaatst op')}: unknown weekday "dinsdagg"`,
    ]);
    const day = makeDocument({ date: 'zaterdag 30 februari 2019' });
    expect(problems(day)).toEqual([`doc.txt:${lineOf(day, 'Geplaatst op')}: no such date: 30 februari 2019`]);
  });

  it('no date', () => {
    const text = makeDocument({ date: null });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Deel dit artikel')}: no date: expected a line "Geplaatst op <weekday> <day> <month> <year>"`,
    ]);
  });

  it('a malformed date line', () => {
    const text = makeDocument({ date: '12-02-2019' });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Geplaatst op')}: malformed date "Geplaatst op 12-02-2019": expected "Geplaatst op <weekday> <day> <month> <year>"`,
    ]);
  });

  it('no title and an empty body', () => {
    const text = makeDocument({ title: null, body: [] });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Geplaatst op')}: the article title is missing`,
      `doc.txt:${lineOf(text, 'Geplaatst op')}: the article has an empty body`,
    ]);
  });

  it('a title without letters or digits', () => {
    const text = makeDocument({ title: '‘…’' });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, '‘…’')}: the title has no letters or digits to make a slug from`,
    ]);
  });

  it('an empty source', () => {
    const text = makeDocument({ source: ' ' });
    expect(problems(text)).toEqual([`doc.txt:${lineOf(text, 'Bron:')}: the source after "Bron:" is empty`]);
  });

  it('a chrome section that is there but empty, once, at its marker', () => {
    const about = makeDocument({ about: '' }).replace('\n\n\n\n', '\n\n');
    expect(problems(about)).toEqual([
      `doc.txt:${lineOf(about, 'Over VSO Werkgevers')}: the "Over VSO Werkgevers" blurb is missing`,
    ]);
    const people = makeDocument({ participants: [] });
    expect(problems(people)).toEqual([
      `doc.txt:${lineOf(people, 'Participanten')}: no participants under "Participanten"`,
    ]);
    const alone = makeDocument({ participants: [], featured: false });
    expect(problems(alone)).toEqual([
      `doc.txt:${lineOf(alone, 'Participanten')}: no participants under "Participanten"`,
    ]);
  });

  it('two documents with one slug, and every problem of every document at once', () => {
    const a = makeDocument({ title: 'Banen voor iedereen' });
    const b = makeDocument({ title: 'Banen voor iedereen!' });
    const c = makeDocument({ date: 'woensdag 12 februari 2019' });
    const result = parseDocuments([
      { file: 'a.txt', text: a },
      { file: 'b.txt', text: b },
      { file: 'c.txt', text: c },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      `c.txt:${lineOf(c, 'Geplaatst op')}: weekday "woensdag" does not match 12 februari 2019, which is a dinsdag`,
      `b.txt:${lineOf(b, 'Banen voor iedereen!')}: duplicate slug "banen-voor-iedereen": a.txt:${lineOf(a, 'Banen voor iedereen')} has the same`,
    ]);
  });
});

/** The document as Latin-1 bytes: one byte per character, as an editor saving "ANSI" writes it. */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('what editors really produce', () => {
  it('refuses a title longer than TITLE_MAX_LENGTH, and the longest allowed one makes a slug the routes accept', () => {
    const longest = 'Banen voor iedereen '.repeat(8).slice(0, TITLE_MAX_LENGTH);
    expect([...longest].length).toBe(TITLE_MAX_LENGTH);
    const { article } = parse(makeDocument({ title: longest }));
    expect(article.slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(article.slug).toMatch(SLUG_PATTERN);

    const title = 'Financiële ruimte voor één cao '.repeat(10).trim();
    const text = makeDocument({ title });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Financiële')}: the title is ${[...title].length} characters long; at most ${TITLE_MAX_LENGTH} are allowed, so that its URL and social card hold it`,
    ]);
  });

  it('refuses a file that is not UTF-8 at the line of its first invalid byte, once', () => {
    const text = makeDocument({
      title: 'Financiële ruimte voor één cao',
      body: ['De eerste alinea.', 'Een tweede alinea over één cao.'],
    });
    // The first byte that is not UTF-8 is the "»" (0xBB in Latin-1) of the featured blurb.
    expect(problems(latin1(text))).toEqual([
      `doc.txt:${lineOf(text, 'Lees verder »')}: not valid UTF-8 (byte 0xBB): save the document as UTF-8; other encodings such as Latin-1 or Windows-1252 are not read`,
    ]);
    expect(problems(latin1(text.replace('»', '>')))[0]).toMatch(
      new RegExp(`^doc\\.txt:${lineOf(text, 'Financiële')}: not valid UTF-8 \\(byte 0xEB\\)`),
    );
    // A lone continuation byte, and a lead byte cut off by the line break, on lines of their own.
    const withX = makeDocument({ body: ['Een alinea.', 'X'] });
    for (const byte of [0x80, 0xc3]) {
      const bytes = utf8(withX);
      bytes[bytes.lastIndexOf(0x58)] = byte; // the "X"
      expect(problems(bytes)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^doc\\.txt:${lineOf(withX, 'X')}: not valid UTF-8 \\(byte 0x${byte.toString(16).toUpperCase()}\\)`,
          ),
        ),
      ]);
    }
  });

  it('reads UTF-8 bytes, with or without a byte order mark, as the same document', () => {
    const text = makeDocument({ title: 'Financiële ruimte voor één cao' });
    const plain = parse(utf8(text));
    expect(plain.article.title).toBe('Financiële ruimte voor één cao');
    expect(parse(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(text)))).toEqual(plain);
    expect(parse(`\uFEFF${text}`)).toEqual(plain);
  });

  it('refuses control characters other than tab at their line, naming them; CRLF is read as LF', () => {
    const text = makeDocument({
      body: [
        'Een regel\u000Bmet een zachte return uit Word.',
        'Tekst met \u0002markers\u0003 en \u0000.',
        'Met\ttab.',
      ],
    });
    expect(problems(text.replaceAll('\n', '\r\n'))).toEqual([
      `doc.txt:${lineOf(text, 'zachte return')}: control character U+000B (VT) at column 10: only tabs and line breaks may be in a document`,
      `doc.txt:${lineOf(text, 'markers')}: control characters U+0002 (STX), U+0003 (ETX), U+0000 (NUL) at column 11: only tabs and line breaks may be in a document`,
    ]);
    const c1 = makeDocument({ body: ['Een \u0085 alinea.'] });
    expect(problems(c1)).toEqual([
      `doc.txt:${lineOf(c1, 'alinea.')}: control character U+0085 at column 5: only tabs and line breaks may be in a document`,
    ]);
  });

  it('refuses text that lost characters in an earlier conversion (U+FFFD)', () => {
    const text = makeDocument({ title: 'Financi\uFFFDle ruimte' });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Financi')}: replacement character U+FFFD at column 8: a character was lost when the text was converted; restore it from the original`,
    ]);
  });

  it('refuses a document over DOCUMENT_MAX_BYTES with one problem, at the line that passes the limit', () => {
    const paragraph = 'Een alinea over de banenafspraak, herhaald tot het document te groot is. '.repeat(20);
    const count = Math.ceil(DOCUMENT_MAX_BYTES / paragraph.length) + 10;
    const body = Array.from({ length: count }, () => paragraph.trim());
    const text = makeDocument({ body });
    const size = utf8(text).byteLength;
    // The limit falls in the paragraph that starts at this byte offset: find its line.
    let offset = 0;
    let line = 1;
    for (const [index, content] of text.split('\n').entries()) {
      offset += utf8(content).byteLength + 1;
      if (offset > DOCUMENT_MAX_BYTES) {
        line = index + 1;
        break;
      }
    }
    const expected = [
      `doc.txt:${line}: the document is ${size.toLocaleString('en')} bytes; at most 262,144 (256 KiB) are read, and this line passes that`,
    ];
    expect(problems(text)).toEqual(expected);
    expect(problems(utf8(text))).toEqual(expected);
    // Just under the limit is fine.
    const fits = makeDocument({ body: body.slice(0, Math.floor(count / 2)) });
    expect(utf8(fits).byteLength).toBeLessThan(DOCUMENT_MAX_BYTES);
    expect(parse(fits).article.body.length).toBe(Math.floor(count / 2));
  });

  it('refuses a second "Bron:" line at that line', () => {
    const base = makeDocument({ source: 'Eerste bron' });
    const twoLines = base.replace('Bron: Eerste bron', 'Bron: Eerste bron\nBron: Tweede bron');
    expect(problems(twoLines)).toEqual([
      `doc.txt:${lineOf(twoLines, 'Tweede bron')}: another "Bron:" line: the article's source is on line ${lineOf(twoLines, 'Eerste bron')}, and an article has one`,
    ]);
    const twoBlocks = base.replace('Bron: Eerste bron', 'Bron: Eerste bron\n\nBron: Tweede bron');
    expect(problems(twoBlocks)).toEqual([
      `doc.txt:${lineOf(twoBlocks, 'Eerste bron')}: another "Bron:" line: the article's source is on line ${lineOf(twoBlocks, 'Tweede bron')}, and an article has one`,
    ]);
    const inside = makeDocument({ body: ['Een alinea.', 'Bron: verkeerde plek', 'Nog een alinea.'] });
    expect(problems(inside)).toEqual([
      `doc.txt:${lineOf(inside, 'verkeerde plek')}: a "Bron:" line inside the article: the source belongs on its own line, just before the date`,
    ]);
  });

  it('refuses title characters the social card cannot draw, and accepts emoji', () => {
    const text = makeDocument({ title: 'Banen in 日本 en ﷺ' });
    expect(problems(text)).toEqual([
      `doc.txt:${lineOf(text, 'Banen in')}: the title holds "日" (U+65E5), "本" (U+672C), "ﷺ" (U+FDFA), which the social card cannot draw: a title may use Latin, Greek and Cyrillic letters, digits, punctuation and emoji`,
    ]);
    const title = 'Feest 🎉 voor 👩🏽‍💻 in 🇳🇱 – Ελλάδα, Київ ❤️ 1️⃣';
    const { article } = parse(makeDocument({ title }));
    expect(article).toMatchObject({ title, slug: 'feest-voor-in-1' });
  });
});

describe('problems as the commands print them', () => {
  it('escape every control character of a file name and a message: C0, ESC sequences, DEL, C1', () => {
    const problem = {
      file: 'docs/\x1b]0;title\x07\x1b[2J.txt',
      line: 3,
      message: 'participant "\x1b[31mrood\x7f\x9b" is listed twice\nfake: line',
    };
    expect(formatProblem(problem)).toBe(
      'docs/\\x1B]0;title\\x07\\x1B[2J.txt:3: participant "\\x1B[31mrood\\x7F\\x9B" is listed twice\\x0Afake: line',
    );
    expect(formatProblem({ file: 'docs/banen één.txt', line: 1, message: 'ok\ttab' })).toBe(
      'docs/banen één.txt:1: ok\\x09tab',
    );
  });
});
