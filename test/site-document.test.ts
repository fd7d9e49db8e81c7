import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { parseSiteDocument } from '../pipeline/site-document.ts';
import { chooseSiteParts } from '../pipeline/site-parts.ts';
import { ROOT } from './support/cli.ts';
import { lineOf, makeDocument } from './support/documents.ts';

const FILE = 'content/site.yaml';
const problems = (text: string) => {
  const result = parseSiteDocument(text, FILE);
  return result.ok ? [] : result.problems.map(formatProblem);
};

const readSeed = (name: string) => ({
  file: `content-seed/${name}`,
  bytes: readFileSync(join(ROOT, 'content-seed', name)),
});

describe('the site document (site.yaml)', () => {
  it('holds what the seeds’ chrome holds: the same parts, with no notices', () => {
    // With the pages the menu and the links of site.yaml lead to.
    const pages = readdirSync(join(ROOT, 'content-seed')).filter((name) => !/^00|\.yaml$/.test(name));
    const withSite = parseDocuments([
      readSeed('000_2e0dd2dc981fcdfb.txt'),
      readSeed('001_f3f85d6d71f8b7af.txt'),
      readSeed('site.yaml'),
      ...pages.map(readSeed),
    ]);
    const withoutSite = parseDocuments([
      readSeed('000_2e0dd2dc981fcdfb.txt'),
      readSeed('001_f3f85d6d71f8b7af.txt'),
    ]);
    if (!withSite.ok || !withoutSite.ok) throw new Error('the seed documents must parse');
    expect(withSite.site?.file).toBe('content-seed/site.yaml');
    const fromSite = chooseSiteParts(withSite.parsed, withSite.site);
    const fromChrome = chooseSiteParts(withoutSite.parsed, null);
    expect(fromSite.notices).toEqual([]);
    expect(fromSite.sources.participants).toMatch(/^content-seed\/site\.yaml:\d+$/);
    expect(fromChrome.sources.participants).toMatch(/^content-seed\/000_2e0dd2dc981fcdfb\.txt:5/);
    expect(fromSite.parts?.about).toBe(fromChrome.parts?.about);
    expect(fromSite.parts?.featured).toEqual(fromChrome.parts?.featured);
    expect([...(fromSite.parts?.participants ?? [])].sort()).toEqual(
      [...(fromChrome.parts?.participants ?? [])].sort(),
    );
    expect(fromSite.parts?.participants).toHaveLength(13);
  });

  it('may leave parts out, and an empty one leaves all of them to the documents', () => {
    const result = parseSiteDocument('participants:\n  - VNG\n', FILE);
    expect(result.ok && result.site.parts).toEqual({ about: null, featured: null, participants: ['VNG'] });
    const empty = parseSiteDocument('# nothing yet\n', FILE);
    expect(empty.ok && empty.site.parts).toEqual({ about: null, featured: null, participants: null });
  });

  it.each([
    [
      'an unknown key, at the key',
      'about: Tekst\nparticpants:\n  - VNG\n',
      [
        `${FILE}:2: unknown key "particpants" in the site document: expected about, featured, participants, sections and menu`,
      ],
    ],
    [
      'an unknown key under featured',
      'featured:\n  title: T\n  text: U\n  link: /x\n',
      [`${FILE}:4: unknown key "link" in "featured": expected title, text and url`],
    ],
    [
      'featured without its text',
      'about: A\nfeatured:\n  title: Titel\n',
      [`${FILE}:2: "featured" has no "text": expected title, text and url`],
    ],
    [
      'a participant given twice, at the second',
      'participants:\n  - VNG\n  - NFU\n  - VNG\n',
      [`${FILE}:4: "VNG" is listed twice (also item 1)`],
    ],
    [
      'a participant that is not a name',
      'participants:\n  - VNG\n  - [NFU, IPO]\n',
      [`${FILE}:3: a participant name is missing`],
    ],
    [
      'an empty list',
      'participants: []\n',
      [`${FILE}:1: participants is an empty list: leave it out to keep the documents’ list`],
    ],
    ['an empty blurb', 'about: ""\n', [`${FILE}:1: the about blurb ("about") is empty`]],
    [
      'a list instead of a mapping',
      '- VNG\n- NFU\n',
      [`${FILE}:1: the site document must be a mapping of about, featured, participants, sections and menu`],
    ],
    ['a key given twice', 'about: A\nabout: B\n', [`${FILE}:2: Map keys must be unique`]],
    [
      'an alias',
      'about: &a Tekst\nfeatured:\n  title: *a\n  text: U\n',
      [`${FILE}:1: aliases (*name) are not allowed; write the value out`],
    ],
    [
      'a control character, at its line',
      'about: A\nfeatured:\n  title: "T\u0007"\n',
      [
        `${FILE}:3: control character U+0007 (BEL) at column 12: only tabs and line breaks may be in a document`,
      ],
    ],
  ])('refuses %s, once, at its line', (_, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('reports a YAML syntax error at its line, and the set of documents fails with it', () => {
    const [problem, ...rest] = problems('about: A\nparticipants:\n  - VNG\n - NFU\n');
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${FILE}:4: `));
    const set = parseDocuments([
      { file: 'content/a.txt', text: makeDocument() },
      { file: FILE, text: 'about: [\n' },
    ]);
    expect(set.ok).toBe(false);
  });
});

describe('choosing the site parts', () => {
  const doc = (file: string, date: string, parts: Parameters<typeof makeDocument>[0]) => ({
    file,
    text: makeDocument({ title: `Artikel ${file}`, date, ...parts }),
  });
  const THIRTEEN = [
    'Interprovinciaal Overleg',
    'MBO raad',
    'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties',
    'Ministerie van Defensie',
    'Ministerie van Justitie en Veiligheid',
    'NFU',
    'PO-Raad',
    'Unie van Waterschappen',
    'Vereniging Hogescholen',
    'VNG',
    'VO Raad',
    'VSNU',
    'WVOI',
  ];
  const choose = (files: { file: string; text: string }[]) => {
    const set = parseDocuments(files);
    if (!set.ok) throw new Error(JSON.stringify(set.problems));
    return chooseSiteParts(set.parsed, set.site);
  };

  it('without a site document, a newer short list never shrinks the participants, and says so', () => {
    const chosen = choose([
      doc('d/a.txt', 'dinsdag 12 februari 2019', { participants: THIRTEEN }),
      doc('d/b.txt', 'dinsdag 22 januari 2019', { participants: THIRTEEN }),
      doc('d/c.txt', 'vrijdag 1 maart 2024', { participants: ['VNG', 'Nieuwe Raad'] }),
    ]);
    expect(chosen.parts?.participants).toEqual([
      'VNG',
      'Nieuwe Raad',
      ...THIRTEEN.filter((n) => n !== 'VNG'),
    ]);
    const source =
      "the newest document's list (d/c.txt:5) with the 12 name(s) only older documents list, since a document never removes participants (a site document does)";
    expect(chosen.notices).toEqual([
      `d/a.txt:5: "Participanten" differs from what the site uses: it lacks Nieuwe Raad (so do 1 other document(s): b.txt); the site uses ${source}`,
      `d/c.txt:5: "Participanten" differs from what the site uses: it lacks Interprovinciaal Overleg, MBO raad, Ministerie van Binnenlandse Zaken en Koninkrijksrelaties and 9 more; the site uses ${source}`,
    ]);
  });

  it('with a site document, uses it and names every document that differs, with which section', () => {
    const site = `about: Over ons.\nparticipants:\n${THIRTEEN.map((n) => `  - ${n}`).join('\n')}\n`;
    const a = doc('d/a.txt', 'dinsdag 12 februari 2019', {
      participants: THIRTEEN,
      about: 'Oud. Lees verder.',
    });
    const c = doc('d/c.txt', 'vrijdag 1 maart 2024', {
      participants: ['VNG', 'Nieuwe Raad'],
      featuredTitle: 'Nieuw',
    });
    const chosen = choose([a, c, { file: 'd/site.yaml', text: site }]);
    expect(chosen.parts).toEqual({
      about: 'Over ons.',
      // The site document has no featured item: the newest document's.
      featured: { title: 'Nieuw', text: 'Een andere relatie met het kabinet.' },
      participants: THIRTEEN,
    });
    expect(chosen.notices).toEqual([
      'd/a.txt:1: "Over VSO Werkgevers" differs from what the site uses; the site uses d/site.yaml:1',
      'd/c.txt:1: "Over VSO Werkgevers" differs from what the site uses; the site uses d/site.yaml:1',
      `d/a.txt:${lineOf(a.text, 'Uitgelicht')}: "Uitgelicht" differs from what the site uses; the site uses d/c.txt:${lineOf(c.text, 'Uitgelicht')}, the newest document that has it`,
      'd/c.txt:5: "Participanten" differs from what the site uses: it lacks Interprovinciaal Overleg, MBO raad, Ministerie van Binnenlandse Zaken en Koninkrijksrelaties and 9 more and it adds Nieuwe Raad; the site uses d/site.yaml:2',
    ]);
  });

  it('says nothing when the copies agree, in whatever order they list the participants', () => {
    const chosen = choose([
      doc('d/a.txt', 'dinsdag 12 februari 2019', { participants: THIRTEEN }),
      doc('d/b.txt', 'dinsdag 22 januari 2019', { participants: [...THIRTEEN].reverse() }),
    ]);
    expect(chosen.notices).toEqual([]);
    expect(chosen.parts?.participants).toEqual(THIRTEEN);
  });
});
