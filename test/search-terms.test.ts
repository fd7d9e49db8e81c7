import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { describe, expect, it } from 'vitest';
import { startHranaServer } from '../dev/hrana-server.ts';
import { readDocuments } from '../pipeline/content-files.ts';
import { seededLetters } from '../pipeline/generated-documents.ts';
import { readGlossary } from '../pipeline/glossary.ts';
import { migrateDatabase } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { SEARCH_TEXT_VERSION, searchText, searchTexts } from '../pipeline/search-seed.ts';
import { seedDatabase } from '../pipeline/seed-database.ts';
import { entriesNamedIn, partsOf, queryPlan, searchColumns, stem, wordsOf } from '../schema/search-terms.ts';
import * as schema from '../schema/tables.ts';
import { editDistance, suggestQuery, trigramQuery } from '../worker/lib/suggest.ts';
import { searchArticles } from '../worker/queries/search.ts';
import { ROOT } from './support/cli.ts';

describe('index text', () => {
  it('folds, stems (Snowball Dutch) and splits compounds into parts', () => {
    expect(wordsOf('Creëren van 125.000 banen!')).toEqual(['creeren', 'van', '125', '000', 'banen']);
    for (const [a, b] of [
      ['baan', 'banen'],
      ['werkgever', 'werkgevers'],
      ['gemeente', 'gemeenten'],
      ['afspraak', 'afspraken'],
    ]) {
      expect(stem(a as string)).toBe(stem(b as string));
    }
    expect(partsOf('banenafspraak')).toContain('afspraak');
    expect(partsOf('banenafspraak')).toContain('banenafspraa');
    expect(partsOf('banenafspraak')).not.toContain('banenafspraak');
    expect(partsOf('baan')).toEqual([]);
    expect(partsOf('12345')).toEqual([]);
  });

  it('adds every form of a glossary entry the text names, as whole words in sequence', () => {
    const glossary = [
      { term: 'BZK', names: ['Binnenlandse Zaken'] },
      { term: 'SZW', names: ['Sociale Zaken en Werkgelegenheid'] },
    ];
    expect(entriesNamedIn(wordsOf('Het ministerie van Binnenlandse zaken.'), glossary)).toEqual([
      glossary[0],
    ]);
    expect(entriesNamedIn(wordsOf('Zaken en binnenlandse werkgelegenheid'), glossary)).toEqual([]);
    expect(searchColumns('Nieuws van SZW', 'Een tekst.', glossary).aliases).toBe(
      'szw sociale zaken en werkgelegenheid',
    );
  });
});

describe('the version of the index text code', () => {
  it('is what this code makes of a sample: a change to the index text needs a new SEARCH_TEXT_VERSION', () => {
    // The seed makes an article's index text again only when what it is made from changed, and the
    // code's version is part of that (pipeline/search-seed.ts). When this hash changes, so does
    // every index text: bump SEARCH_TEXT_VERSION and write both new values here, so that the next
    // seed makes them all again instead of keeping the old ones.
    const text = searchText(
      'Werkgevers creëren 125.000 banen',
      'De banenafspraak van BZK en de Vereniging van Nederlandse Gemeenten.\n\nArbeidsongeschiktheidsverzekeringen, gemeenten en onderwijswerkgevers.',
      [
        { term: 'BZK', names: ['Binnenlandse Zaken', 'Binnenlandse Zaken en Koninkrijksrelaties'] },
        { term: 'VNG', names: ['Vereniging van Nederlandse Gemeenten'] },
        { term: 'SZW', names: ['Sociale Zaken en Werkgelegenheid'] },
      ],
    );
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    expect({ version: SEARCH_TEXT_VERSION, hash }).toEqual({ version: 1, hash: '2f964a94f6cd2323' });
  });

  it('is part of what an index text is made from, with the glossary, the content and whether search finds it', () => {
    const glossary = [{ term: 'BZK', names: ['Binnenlandse Zaken'] }];
    const input = searchTexts(glossary).inputOf('content', true);
    expect(searchTexts(glossary).inputOf('content', true)).toBe(input);
    expect(searchTexts([]).inputOf('content', true)).not.toBe(input);
    expect(
      searchTexts([{ term: 'BZK', names: ['Binnenlandse Zaken', 'BiZa'] }]).inputOf('content', true),
    ).not.toBe(input);
    expect(searchTexts(glossary).inputOf('other content', true)).not.toBe(input);
    expect(searchTexts(glossary).inputOf('content', false)).not.toBe(input);
  });
});

describe('bounded index text', () => {
  const letters = (count: number, seed = 7) => seededLetters(count, seed);

  it('gives a word of over 40 letters no stem and no parts: a 20,000-letter word is in the index once', {
    timeout: 10_000,
  }, () => {
    expect(partsOf('arbeidsongeschiktheidsverzekeringen')).toContain('verzekeringen');
    expect(partsOf(letters(41))).toEqual([]);
    const word = letters(20_000);
    expect(stem(word)).toBe(word);
    const columns = searchColumns('Een titel', `Een ${word} woord.`, []);
    expect(columns.body).toBe(`een ${word} woord`);
    expect(columns.bodyStems).toBe(`een ${word} woord`);
    expect(columns.bodyParts).toBe('0woor 0oord');
    // Before: every ending of the word, 200 million letters.
    expect(JSON.stringify(columns).length).toBeLessThan(3 * word.length);
  });

  it('keeps at most 25,000 distinct parts per column, those of the first words', () => {
    const words = Array.from({ length: 6_000 }, (_, i) => letters(40, i + 1));
    const parts = searchColumns('Een titel', words.join(' '), []).bodyParts.split(' ');
    expect(parts).toHaveLength(25_000);
    expect(parts).toContain(`0${words[0]?.slice(1)}`);
    expect(parts).not.toContain(`0${words.at(-1)?.slice(1)}`);
  });

  it('finds glossary names in a text that repeats one word 40,000 times, in one pass', {
    timeout: 10_000,
  }, () => {
    const words = wordsOf('a. '.repeat(40_000));
    expect(words).toHaveLength(40_000);
    const glossary = [
      { term: 'AA', names: ['a a'] },
      { term: 'AB', names: ['a b'] },
    ];
    // Before: 40,000 copies of a growing list of positions (51 s for a seed of this text).
    expect(entriesNamedIn(words, glossary)).toEqual([glossary[0]]);
  });
});

describe('queries', () => {
  it.each([
    '"banen" OR title:x',
    'NEAR(banen afspraak, 2)',
    '{title body}: banen',
    'banen* ^werk -afspraak',
    "'; drop table articles; --",
    'AND OR NOT',
  ])('%s: every term is letters and digits between quotes', (input) => {
    const plan = queryPlan(input);
    if (!plan) throw new Error('no plan');
    for (const expression of [plan.any, plan.title, plan.exact, plan.stemmed]) {
      const outside = expression.replace(/"[\p{L}\p{N}]+"\*?/gu, '');
      // Only the plan's own syntax is left outside the quoted terms: column lists, OR, AND, ( ) :.
      expect(outside.replace(/\{[a-z_ ]+\}|\bOR\b|\bAND\b|[\s():]/g, '')).toBe('');
    }
  });

  it('has no plan without letters or digits', () => {
    expect(queryPlan(' "*" ( ) ')).toBeNull();
  });
});

describe('suggestions', () => {
  it('measure edits, a swap of neighbours as one', () => {
    expect(editDistance('banenafsrpaak', 'banenafspraak')).toBe(1);
    expect(editDistance('baan', 'banen')).toBe(2);
    expect(trigramQuery('banen')).toBe('"ban" OR "ane" OR "nen"');
  });

  it('replace only words the index does not hold, with the closest and most common word', () => {
    const plan = queryPlan('centrale banenafsrpaak');
    if (!plan) throw new Error('no plan');
    const rows = [
      { word: 0, term: 'centrale', docs: -1 },
      { word: 1, term: 'banenafspraak', docs: 2 },
      { word: 1, term: 'banen', docs: 2 },
    ];
    expect(suggestQuery(plan, ['Centrale', 'banenafsrpaak'], rows, 0)).toEqual(['Centrale banenafspraak']);
    // Results, and no closer word in more articles: nothing to suggest.
    expect(suggestQuery(plan, ['Centrale', 'banenafsrpaak'], rows, 2)).toEqual([]);
  });
});

describe('through the local libSQL server', () => {
  it('migrates, seeds and answers a search in one pipeline: trigram, fts5vocab and contentless FTS5 pass its checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-hrana-'));
    const server = await startHranaServer({ file: join(dir, 'db.db'), port: 0 });
    let pipelines = 0;
    const client = createClient({ url: server.url });
    try {
      await migrateDatabase(client);
      const parsed = parseDocuments(await readDocuments(join(ROOT, 'content-seed')));
      const glossary = await readGlossary(join(ROOT, 'content-seed'));
      if (!parsed.ok || !glossary.ok) throw new Error('content-seed is invalid');
      await seedDatabase(client, parsed.parsed, { site: parsed.site, glossary: glossary.entries });
      const batch = client.batch.bind(client);
      client.batch = ((...args: Parameters<typeof batch>) => {
        pipelines++;
        return batch(...args);
      }) as typeof client.batch;
      const db = drizzle(client, { schema });
      const found = await searchArticles(db, 'afspraak', { today: '2026-12-02' });
      expect(found.results.map((r) => r.slug).sort()).toEqual([
        'centrale-postbus-voor-vragen-over-de-banenafspraak',
        'met-elkaar-voor-125000-banen',
      ]);
      expect((await searchArticles(db, 'banenafsrpaak', { today: '2026-12-02' })).suggestions).toEqual([
        'banenafspraak',
      ]);
      expect(pipelines).toBe(2);
    } finally {
      client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
