import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocuments } from '../pipeline/content-files.ts';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { searchText } from '../pipeline/search-seed.ts';
import { articleIdSql } from '../schema/search-terms.ts';
import { runScript } from './support/cli.ts';
import { lineOf, makeDocument } from './support/documents.ts';
import { openSeedFolder, type SeedFolder, seedDir } from './support/seed-folder.ts';

const TABLES = [
  'articles',
  'participants',
  'site_blocks',
  'share_counts',
  'site_meta',
  'social_cards',
  'glossary',
];

/** Slugs of the articles the search index finds for an FTS5 expression, newest first. */
async function indexed(client: Client, expression: string) {
  const hits = await client.execute({
    sql: `select a.slug from articles_search s join articles a on a.id = ${articleIdSql('s.rowid')}
      where articles_search match ? order by s.rowid`,
    args: [expression],
  });
  return hits.rows.map((r) => r.slug);
}

async function dump(client: Client) {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = (await client.execute(`select * from ${table} order by 1`)).rows;
  out.search = (await client.execute('select rowid from articles_search order by rowid')).rows;
  out.vocabulary = (await client.execute('select term, docs from search_vocabulary order by term')).rows;
  return out;
}

let docs: string;
let client: Client;
let url: string;
let folder: SeedFolder;

beforeEach(async () => {
  folder = await openSeedFolder({ withSeed: true });
  ({ docs, client, url } = folder);
});
afterEach(() => folder.close());

describe('seedDatabase', () => {
  it('writes the articles, the site blocks, the participants and the full-text index', async () => {
    const summary = await seedDir(client, docs);
    expect(summary.inserted.sort()).toEqual([
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
      'met-elkaar-voor-125000-banen',
    ]);
    const rows = await dump(client);
    expect(rows.articles).toHaveLength(2);
    expect(rows.participants).toHaveLength(13);
    expect(rows.site_blocks).toHaveLength(2);
    expect(await indexed(client, 'creeren')).toEqual(['met-elkaar-voor-125000-banen']);
    // Stems, compound parts and glossary forms are indexed too; the suggestions' vocabulary is built.
    expect(await indexed(client, '{body_stems}: ban')).toHaveLength(2);
    expect(await indexed(client, '{body_parts}: 0afspraak*')).toHaveLength(2);
    expect(await indexed(client, '{aliases}: szw')).toHaveLength(2);
    const vocabulary = await client.execute(
      "select docs from search_vocabulary where term = 'banenafspraak'",
    );
    expect(vocabulary.rows.map((r) => r.docs)).toEqual([2]);
  });

  it('is idempotent: a second run writes nothing and says so', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const before = await dump(client);
    const again = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(again).toMatchObject({
      changed: false,
      inserted: [],
      updated: [],
      unchanged: 2,
      site: [],
      cards: 0,
    });
    expect(await dump(client)).toEqual(before);
  });

  it('updates a changed document in place: id and created_at survive, updated_at moves', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const [before] = (await client.execute("select * from articles where source_file like '001_%'")).rows;
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    const text = makeDocument({
      title: 'Centrale postbus voor vragen over de banenafspraak',
      date: 'dinsdag 22 januari 2019',
    });
    writeFileSync(file, text);
    const summary = await seedDir(client, docs, { now: '2026-03-03T00:00:00.000Z' });
    expect(summary.updated).toEqual(['centrale-postbus-voor-vragen-over-de-banenafspraak']);
    expect(summary.unchanged).toBe(1);
    const [after] = (await client.execute("select * from articles where source_file like '001_%'")).rows;
    expect(after?.id).toBe(before?.id);
    expect(after?.created_at).toBe('2026-01-01T00:00:00.000Z');
    expect(after?.updated_at).toBe('2026-03-03T00:00:00.000Z');
    expect(after?.excerpt).toBe('De eerste alinea van het artikel.');
    // The search index follows the update.
    expect(await indexed(client, 'eerste')).toEqual(['centrale-postbus-voor-vragen-over-de-banenafspraak']);
    expect(await indexed(client, 'kennisalliantie')).toEqual([]);
  });

  it('renders a social card per article, again only when its title or date changes', async () => {
    const first = await seedDir(client, docs);
    expect(first.cards).toBe(2);
    const cards = async () =>
      (
        await client.execute(
          'select a.slug, a.card_hash, length(c.png) as bytes, hex(substr(c.png, 1, 8)) as magic from articles a join social_cards c on c.article_id = a.id order by a.slug',
        )
      ).rows.map((row) => ({ ...row }));
    const before = await cards();
    expect(before).toHaveLength(2);
    for (const card of before) {
      expect(card.card_hash).toMatch(/^[0-9a-f]{16}$/);
      expect(card.magic).toBe('89504E470D0A1A0A'); // PNG signature
      expect(Number(card.bytes)).toBeLessThanOrEqual(300 * 1024);
    }
    expect((await seedDir(client, docs)).cards).toBe(0);

    // Same slug, another title: a new card under a new hash; the other article keeps its card.
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(
      file,
      makeDocument({
        title: 'Centrale postbus voor vragen over de banenafspraak!',
        date: 'dinsdag 22 januari 2019',
      }),
    );
    const changed = await seedDir(client, docs);
    expect(changed.cards).toBe(1);
    const after = await cards();
    expect(after[0]?.card_hash).not.toBe(before[0]?.card_hash);
    expect(after[1]).toEqual(before[1]);
  });

  it('renders the missing card of an article seeded before cards existed, without touching the article', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const dates = async () =>
      (await client.execute('select updated_at from articles order by slug')).rows.map(
        (row) => row.updated_at,
      );
    const before = await dates();
    await client.execute("update articles set card_hash = null where slug = 'met-elkaar-voor-125000-banen'");
    await client.execute(
      'delete from social_cards where article_id = (select id from articles where card_hash is null)',
    );
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary).toMatchObject({ cards: 1, inserted: [], updated: [], unchanged: 2, changed: true });
    const rows = (await client.execute('select slug, card_hash, updated_at from articles order by slug'))
      .rows;
    expect(rows.every((row) => /^[0-9a-f]{16}$/.test(String(row.card_hash)))).toBe(true);
    expect(await dates()).toEqual(before);
    expect((await client.execute('select count(*) as n from social_cards')).rows[0]?.n).toBe(2);
  });

  it('keeps the card of an article whose body changed: the card shows only its title and date', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const card = async () =>
      (
        await client.execute(
          "select a.card_hash, a.card_input, c.png from articles a join social_cards c on c.article_id = a.id where a.source_file like '001_%'",
        )
      ).rows.map((row) => ({ ...row }));
    const before = await card();
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^(Centrale postbus voor vragen over de banenafspraak\n\n)/m,
        '$1Nieuw. ',
      ),
    );
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary).toMatchObject({
      updated: ['centrale-postbus-voor-vragen-over-de-banenafspraak'],
      cards: 0,
    });
    expect(await card()).toEqual(before);
  });

  it('renders again the cards an older renderer drew, and touches nothing else of the articles', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const articleRows = async () =>
      (await client.execute('select * from articles order by id')).rows.map(
        ({ card_hash, card_input, ...row }) => ({
          ...row,
        }),
      );
    const before = await articleRows();
    const inputs = (await client.execute('select card_input from articles order by id')).rows.map(
      (r) => r.card_input,
    );
    expect(inputs.every((input) => /^[0-9a-f]{16}$/.test(String(input)))).toBe(true);
    // As a database seeded by the renderer before this one has it: another input for one card.
    await client.execute(
      "update articles set card_input = 'an-older-render' where slug = 'met-elkaar-voor-125000-banen'",
    );
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary).toMatchObject({ cards: 1, inserted: [], updated: [], unchanged: 2, changed: true });
    expect(await articleRows()).toEqual(before);
    expect(
      (await client.execute('select card_input from articles order by id')).rows.map((r) => r.card_input),
    ).toEqual(inputs);
    expect((await seedDir(client, docs)).cards).toBe(0);
  });

  it('writes nothing when a write fails late in the transaction', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    for (const [i, doc] of generatedDocuments(12).entries())
      writeFileSync(join(docs, `1${i}_${doc.name}`), doc.text);
    writeFileSync(
      join(docs, '001_f3f85d6d71f8b7af.txt'),
      makeDocument({ title: 'Een andere titel', date: 'dinsdag 22 januari 2019' }),
    );
    const before = await dump(client);
    // The content version is the last write of a seed: everything before it is in the transaction.
    await client.execute(
      "create trigger refuse_version before update on site_meta begin select raise(abort, 'refused for the test'); end",
    );
    await expect(seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' })).rejects.toThrow(
      /refused for the test/,
    );
    await client.execute('drop trigger refuse_version');
    expect(await dump(client)).toEqual(before);
    // And the same seed then goes through: 12 new cards and one for the new title.
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary).toMatchObject({ cards: 13, updated: ['een-andere-titel'] });
    expect(summary.inserted).toHaveLength(12);
    expect((await client.execute('select count(*) as n from social_cards')).rows[0]?.n).toBe(14);
  });

  it('keeps an article whose document is gone, unless pruned', async () => {
    await seedDir(client, docs);
    rmSync(join(docs, '000_2e0dd2dc981fcdfb.txt'));
    const kept = await seedDir(client, docs);
    expect(kept.kept).toEqual(['met-elkaar-voor-125000-banen']);
    expect((await client.execute('select count(*) as n from articles')).rows[0]?.n).toBe(2);
    const pruned = await seedDir(client, docs, { prune: true });
    expect(pruned.pruned).toEqual(['met-elkaar-voor-125000-banen']);
    expect((await client.execute('select slug from articles')).rows.map((r) => r.slug)).toEqual([
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
    ]);
  });

  it('rewrites a row seeded before lists had `ordered` once, then is idempotent again', async () => {
    writeFileSync(
      join(docs, '002_lists.txt'),
      makeDocument({ title: 'Lijsten', body: ['Inleiding.', '• een\n• twee', '1. drie\n2. vier'] }),
    );
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const body = async () =>
      JSON.parse(
        String((await client.execute("select body from articles where slug = 'lijsten'")).rows[0]?.body),
      );
    expect(await body()).toEqual([
      { type: 'paragraph', text: 'Inleiding.' },
      { type: 'list', ordered: false, items: ['een', 'twee'] },
      { type: 'list', ordered: true, items: ['drie', 'vier'] },
    ]);
    // The row as an older seed wrote it: lists without `ordered`, under the hash of that JSON.
    await client.execute({
      sql: "update articles set body = ?, content_hash = 'hash-of-the-old-json' where slug = 'lijsten'",
      args: [
        JSON.stringify([
          { type: 'paragraph', text: 'Inleiding.' },
          { type: 'list', items: ['een', 'twee'] },
        ]),
      ],
    });
    const rewrite = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(rewrite).toMatchObject({ updated: ['lijsten'], inserted: [], unchanged: 2 });
    expect((await body())[1]).toEqual({ type: 'list', ordered: false, items: ['een', 'twee'] });
    const before = await dump(client);
    const again = await seedDir(client, docs, { now: '2026-03-03T00:00:00.000Z' });
    expect(again).toMatchObject({ changed: false, updated: [], unchanged: 3 });
    expect(await dump(client)).toEqual(before);
  });

  const names = async () =>
    (await client.execute('select name from participants order by name')).rows.map((r) => String(r.name));
  const featuredTitle = async () =>
    (await client.execute("select title from site_blocks where key = 'featured'")).rows[0]?.title;
  const shortList = () =>
    makeDocument({
      title: 'Nieuw',
      date: 'vrijdag 1 maart 2024',
      participants: ['VNG', 'Nieuwe Raad'],
      featuredTitle: 'Anders uitgelicht',
    });

  it('takes the site parts from the site document: a newer short list keeps all thirteen, and the seed says so', async () => {
    await seedDir(client, docs);
    const thirteen = await names();
    expect(thirteen).toHaveLength(13);
    writeFileSync(join(docs, '002_new.txt'), shortList());
    const summary = await seedDir(client, docs);
    expect(summary.site).toEqual([]);
    expect(await names()).toEqual(thirteen);
    expect(await featuredTitle()).toBe('Zelfstandige Publieke Werkgevers');
    const site = join(docs, 'site.yaml');
    const siteText = readFileSync(site, 'utf8');
    expect(summary.notices).toEqual([
      `${join(docs, '002_new.txt')}:1: "Over VSO Werkgevers" differs from what the site uses; the site uses ${site}:${lineOf(siteText, 'about:')}`,
      `${join(docs, '002_new.txt')}:${lineOf(shortList(), 'Uitgelicht')}: "Uitgelicht" differs from what the site uses; the site uses ${site}:${lineOf(siteText, 'featured:')}`,
      `${join(docs, '002_new.txt')}:${lineOf(shortList(), 'Participanten')}: "Participanten" differs from what the site uses: it lacks Interprovinciaal Overleg, MBO raad, Ministerie van Binnenlandse Zaken en Koninkrijksrelaties and 9 more and it adds Nieuwe Raad; the site uses ${site}:${lineOf(siteText, 'participants:')}`,
    ]);
  });

  it('without a site document, each part from the newest document, but never fewer participants', async () => {
    rmSync(join(docs, 'site.yaml'));
    await seedDir(client, docs);
    const thirteen = await names();
    writeFileSync(join(docs, '002_new.txt'), shortList());
    const summary = await seedDir(client, docs);
    expect((await names()).sort()).toEqual([...thirteen, 'Nieuwe Raad'].sort());
    expect(await featuredTitle()).toBe('Anders uitgelicht');
    expect(summary.site).toEqual(['about', 'featured', 'participants']);
    // Each copy that differs once, at its file and section, saying what the site uses: the seeds'
    // chrome (one notice for both) and the new document's short list.
    const newDoc = `${join(docs, '002_new.txt')}:`;
    const seeds = `${join(docs, '000_2e0dd2dc981fcdfb.txt')}:`;
    const others = ' (so do 1 other document(s): 001_f3f85d6d71f8b7af.txt)';
    expect(summary.notices).toEqual([
      `${seeds}1: "Over VSO Werkgevers" differs from what the site uses${others}; the site uses ${newDoc}1, the newest document that has it`,
      `${seeds}59: "Uitgelicht" differs from what the site uses${others}; the site uses ${newDoc}15, the newest document that has it`,
      expect.stringMatching(
        new RegExp(
          `^${seeds}5: "Participanten" differs from what the site uses: it lacks Nieuwe Raad \\(so do 1 other`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${newDoc}5: "Participanten" differs from what the site uses: it lacks .* and 9 more; the site uses the newest document's list \\(${newDoc}5\\) with the 12 name\\(s\\) only older documents list`,
        ),
      ),
    ]);
  });

  it('removes a participant only when the site document leaves it out, and says so', async () => {
    await seedDir(client, docs);
    const site = join(docs, 'site.yaml');
    writeFileSync(site, readFileSync(site, 'utf8').replace('  - WVOI\n', ''));
    const summary = await seedDir(client, docs);
    expect(await names()).toHaveLength(12);
    expect(await names()).not.toContain('WVOI');
    expect(summary.site).toEqual(['participants']);
    expect(summary.notices).toEqual([
      expect.stringMatching(
        /000_2e0dd2dc981fcdfb\.txt:5: "Participanten" differs from what the site uses: it adds WVOI \(so do 1 other document\(s\): 001_f3f85d6d71f8b7af\.txt\); the site uses .*site\.yaml:\d+$/,
      ),
      expect.stringMatching(/^participants removed from the site: WVOI \(not in .*site\.yaml:\d+\)$/),
    ]);
    const again = await seedDir(client, docs);
    expect(again.changed).toBe(false);
  });

  it('takes each site part from the newest document that has it: an article-only one changes none', async () => {
    rmSync(join(docs, 'site.yaml'));
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const site = async () => ({
      blocks: (await client.execute('select key, title, text from site_blocks order by key')).rows.map(
        (r) => ({
          ...r,
        }),
      ),
      participants: (await client.execute('select name from participants order by name')).rows.map(
        (r) => r.name,
      ),
    });
    const before = await site();
    expect(before.participants).toHaveLength(13);
    // The newest document is only an article: every site part stays as the seed documents have it.
    writeFileSync(
      join(docs, '002_only_article.txt'),
      makeDocument({
        title: 'Alleen een artikel',
        date: 'vrijdag 1 maart 2024',
        about: null,
        participants: null,
        featured: false,
      }),
    );
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary).toMatchObject({ inserted: ['alleen-een-artikel'], site: [] });
    expect(await site()).toEqual(before);
    // A newer one with only "Uitgelicht": that part comes from it, the others stay.
    writeFileSync(
      join(docs, '003_featured.txt'),
      makeDocument({
        title: 'Nieuw uitgelicht',
        date: 'zaterdag 2 maart 2024',
        about: null,
        participants: null,
        featuredTitle: 'Anders uitgelicht',
      }),
    );
    const featured = await seedDir(client, docs, { now: '2026-03-03T00:00:00.000Z' });
    expect(featured.site).toEqual(['featured']);
    const after = await site();
    expect(after.participants).toEqual(before.participants);
    expect(after.blocks.find((b) => b.key === 'about')).toEqual(before.blocks.find((b) => b.key === 'about'));
    expect(after.blocks.find((b) => b.key === 'featured')?.title).toBe('Anders uitgelicht');
    expect((await seedDir(client, docs)).changed).toBe(false);
  });
});

describe('a document of the worst shape for the search index', () => {
  const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  const dbBytes = () => sizeOf(join(folder.dir, 'vso.db')) + sizeOf(join(folder.dir, 'vso.db-wal'));

  it('seeds a 20,000-letter word and 40,000 × "a." with a bounded index, and finds them', async () => {
    await seedDir(client, docs);
    let state = 7;
    const word = Array.from({ length: 20_000 }, () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return String.fromCharCode(97 + (state % 26));
    }).join('');
    writeFileSync(
      join(docs, '002_word.txt'),
      makeDocument({ title: 'Een lang woord', body: [`Het woord ${word}.`] }),
    );
    writeFileSync(
      join(docs, '003_a.txt'),
      makeDocument({ title: 'Veel keer a', body: ['a. '.repeat(40_000).trim()] }),
    );
    const before = dbBytes();
    const summary = await seedDir(client, docs);
    expect(summary.inserted).toEqual(['een-lang-woord', 'veel-keer-a']);
    // Before: every ending of the word in the index, 879 MB for one such document.
    expect(dbBytes() - before).toBeLessThan(4 * 1024 * 1024);
    const terms = await client.execute(
      `select count(*) as n from articles_search_terms where col in ('body_parts', 'body_stems') and term like '%' || substr(?, 100, 20) || '%'`,
      [word],
    );
    expect(terms.rows[0]?.n).toBe(1); // the word as its own stem; no parts
    expect(await indexed(client, `{body} : "${word}"`)).toEqual(['een-lang-woord']);
    expect(await indexed(client, '{body} : "a"')).toContain('veel-keer-a');
  });
});

describe('the glossary', () => {
  it('is seeded into its table; a change rewrites the articles whose index text it changes, then nothing', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const glossary = await client.execute("select names from glossary where term = 'BZK'");
    expect(JSON.parse(String(glossary.rows[0]?.names))).toContain('Binnenlandse Zaken');
    expect(await indexed(client, '{aliases}: normaalste')).toEqual([]);

    // De Normaalste Zaak is only in the first article: only that one is rewritten.
    writeFileSync(
      join(docs, 'glossary.yaml'),
      `${readFileSync(join(docs, 'glossary.yaml'), 'utf8')}- term: DNZ\n  names: [De Normaalste Zaak]\n`,
    );
    const version = await client.execute("select value from site_meta where key = 'content_version'");
    const summary = await seedDir(client, docs, { now: '2026-02-02T00:00:00.000Z' });
    expect(summary.updated).toEqual(['met-elkaar-voor-125000-banen']);
    expect(await indexed(client, 'dnz')).toEqual(['met-elkaar-voor-125000-banen']);
    const after = await client.execute("select value from site_meta where key = 'content_version'");
    expect(after.rows[0]?.value).not.toBe(version.rows[0]?.value);
    expect((await seedDir(client, docs)).changed).toBe(false);
  });
});

describe('the index texts a seed makes', () => {
  /** A searchText that records the title of every index text it makes. */
  const counting = () => {
    const made: string[] = [];
    const make: typeof searchText = (title, body, glossary) => {
      made.push(title);
      return searchText(title, body, glossary);
    };
    return { made, make };
  };
  /** Articles and pages that search finds: each has an index text made from its document. */
  const found = async () => {
    const rows = await client.execute(
      "select (select count(*) from articles where search_text <> '{}') + (select count(*) from pages where search_text <> '{}') as n",
    );
    return Number(rows.rows[0]?.n);
  };

  it('makes none for a reseed with nothing changed', async () => {
    const first = counting();
    await seedDir(client, docs, { searchText: first.make });
    expect(first.made.length).toBe(await found());
    expect(first.made.length).toBeGreaterThan(2); // the two articles and the pages
    const again = counting();
    expect(await seedDir(client, docs, { searchText: again.make })).toMatchObject({ changed: false });
    expect(again.made).toEqual([]);
  });

  it("makes only the changed document's, and search finds its new word instead of the old one", async () => {
    await seedDir(client, docs);
    expect(await indexed(client, 'splinternieuwe')).toEqual([
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
    ]);
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('splinternieuwe', 'gloednieuwe'));
    const edit = counting();
    const summary = await seedDir(client, docs, { searchText: edit.make });
    expect(summary.updated).toEqual(['centrale-postbus-voor-vragen-over-de-banenafspraak']);
    expect(edit.made).toEqual(['Centrale postbus voor vragen over de banenafspraak']);
    expect(await indexed(client, 'gloednieuwe')).toEqual([
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
    ]);
    expect(await indexed(client, 'splinternieuwe')).toEqual([]);
  });

  it('makes them all again when the glossary changes, and rewrites only those it changes', async () => {
    await seedDir(client, docs);
    writeFileSync(
      join(docs, 'glossary.yaml'),
      `${readFileSync(join(docs, 'glossary.yaml'), 'utf8')}- term: DNZ\n  names: [De Normaalste Zaak]\n`,
    );
    const change = counting();
    const summary = await seedDir(client, docs, { searchText: change.make });
    expect(change.made.length).toBe(await found());
    expect(summary.updated).toEqual(['met-elkaar-voor-125000-banen']);
    expect(await indexed(client, 'dnz')).toEqual(['met-elkaar-voor-125000-banen']);
    const again = counting();
    expect((await seedDir(client, docs, { searchText: again.make })).changed).toBe(false);
    expect(again.made).toEqual([]);
  });

  it('fills in search_input of rows seeded before it once, changing nothing else, not even the content version', async () => {
    await seedDir(client, docs, { now: '2026-01-01T00:00:00.000Z' });
    const before = await dump(client);
    const inputs = async () =>
      (
        await client.execute(
          'select search_input from articles union all select search_input from pages order by 1',
        )
      ).rows.map((row) => row.search_input);
    const filled = await inputs();
    expect(filled.every((input) => typeof input === 'string')).toBe(true);
    await client.execute('update articles set search_input = null');
    await client.execute('update pages set search_input = null');

    const backfill = counting();
    const summary = await seedDir(client, docs, {
      now: '2026-02-02T00:00:00.000Z',
      searchText: backfill.make,
    });
    expect(summary).toMatchObject({ changed: false, inserted: [], updated: [] });
    expect(summary.pages).toMatchObject({ inserted: [], updated: [] });
    expect(backfill.made.length).toBe(await found());
    expect(await inputs()).toEqual(filled);
    expect(await dump(client)).toEqual(before); // site_meta too: the same content version and date
    const again = counting();
    await seedDir(client, docs, { searchText: again.make });
    expect(again.made).toEqual([]);
  });
});

describe('npm run seed', () => {
  it('seeds, then reports that nothing changed', () => {
    const first = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 documents: 2 inserted, 0 updated, 0 unchanged');
    const second = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2 documents: 0 inserted, 0 updated, 2 unchanged');
    expect(second.stdout).toContain('nothing changed');
  });

  it('prints where a document disagrees with the site document, and a broken site document writes nothing', async () => {
    writeFileSync(join(docs, '002_new.txt'), makeDocument({ title: 'Nieuw', participants: ['VNG'] }));
    const seeded = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('3 documents: 3 inserted');
    expect(seeded.stdout).toMatch(
      /^notice: .*002_new\.txt:5: "Participanten" differs from what the site uses: it lacks .* and 9 more; the site uses .*site\.yaml:\d+$/m,
    );
    const before = await dump(client);
    writeFileSync(join(docs, 'site.yaml'), 'participants:\n  - VNG\n  - VNG\n');
    const refused = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${join(docs, 'site.yaml')}:3: "VNG" is listed twice (also item 1)`);
    expect(await dump(client)).toEqual(before);
  });

  it('writes nothing when one document among good ones is broken, and names file:line', async () => {
    runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    const before = await dump(client);
    const good = makeDocument({ title: 'Een goed nieuw artikel' });
    const bad = makeDocument({ title: 'Een kapot artikel', date: 'maandag 12 februari 2019' });
    writeFileSync(join(docs, '002_good.txt'), good);
    writeFileSync(join(docs, '003_bad.txt'), bad);
    writeFileSync(join(docs, '001_f3f85d6d71f8b7af.txt'), makeDocument({ title: 'Gewijzigd' }));
    const result = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `${join(docs, '003_bad.txt')}:${lineOf(bad, 'Geplaatst op')}: weekday "maandag" does not match 12 februari 2019, which is a dinsdag`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await dump(client)).toEqual(before);
  });

  it('writes nothing when the glossary is broken, and names file:line', async () => {
    runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    const before = await dump(client);
    writeFileSync(join(docs, '002_good.txt'), makeDocument({ title: 'Een goed nieuw artikel' }));
    writeFileSync(
      join(docs, 'glossary.yaml'),
      '- term: BZK\n  names: [Binnenlandse Zaken]\n- term: bzk\n  naam: x\n',
    );
    const result = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(result.code).not.toBe(0);
    const file = join(docs, 'glossary.yaml');
    expect(result.stderr).toContain(`${file}:3: names: is missing`);
    expect(result.stderr).toContain(`${file}:4: naam: unknown key: an entry has only term and names`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await dump(client)).toEqual(before);
  });

  it('prints file names with their control characters escaped: a name cannot set the title or clear the screen', () => {
    // OSC 0 (set the window title, ended by BEL) and CSI 2J (clear the screen).
    const title = '\x1b]0;title\x07.txt';
    const clear = '\x1b[2J.md';
    writeFileSync(join(docs, title), makeDocument({ title: 'Een titel', date: 'maandag 12 februari 2019' }));
    writeFileSync(join(docs, clear), '---\ntitle: Leeg\n---\n');
    const refused = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toMatch(/[^\P{Cc}\n]/u);
    expect(refused.stderr).toContain(`${docs}/\\x1B]0;title\\x07.txt:`);
    expect(refused.stderr).toContain(`${docs}/\\x1B[2J.md:`);

    // A notice names a file too (its copy of the site parts differs from the site document's).
    rmSync(join(docs, clear));
    writeFileSync(join(docs, title), makeDocument({ title: 'Een titel', participants: ['VNG'] }));
    const seeded = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).not.toMatch(/[^\P{Cc}\n]/u);
    expect(seeded.stdout).toMatch(/^notice: .*\\x1B\]0;title\\x07\.txt:\d+: "Participanten" differs/m);
  });

  it('reads documents as bytes: a Latin-1 file is refused at its line, a UTF-8 one with a BOM is read', async () => {
    runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    const before = await dump(client);
    const text = makeDocument({ title: 'Financiële ruimte voor één cao' });
    const bom = makeDocument({ title: 'Een artikel met een BOM' });
    writeFileSync(join(docs, '002_bom.txt'), Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(bom)]));
    writeFileSync(join(docs, '003_latin1.txt'), Buffer.from(text, 'latin1'));
    const read = await readDocuments(docs);
    expect(parseDocuments(read.filter((doc) => doc.file.endsWith('002_bom.txt'))).ok).toBe(true);

    const result = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `${join(docs, '003_latin1.txt')}:${lineOf(text, 'Lees verder »')}: not valid UTF-8 (byte 0xBB)`,
    );
    expect(result.stderr).toContain('1 problem(s); nothing was written');
    expect(await dump(client)).toEqual(before);
  });
});
