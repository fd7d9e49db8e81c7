/**
 * The seed's part of search: the index text of an article, the glossary table, and the suggestion
 * vocabulary, as statements for the seed's one transaction.
 */
import { createHash, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Block } from '../schema/blocks.ts';
import { type GlossaryEntry, searchColumns } from '../schema/search-terms.ts';
import { glossary as glossaryTable } from '../schema/tables.ts';
import { chunks, type Statement } from './seed-write.ts';

const sha256 = (value: string) => hash('sha256', value);

/**
 * The version of the code that makes an index text from a document and the glossary: searchText
 * and bodyText here, searchColumns and everything it calls in schema/search-terms.ts. Bump it with
 * every change to what they make: the seed makes an index text again only when what it is made from
 * changed (SearchTexts.inputOf), and this number is part of that. test/search-terms.test.ts holds what
 * this version makes of a sample, and fails until both are updated together.
 */
export const SEARCH_TEXT_VERSION = 1;

/** articles.search_text of an article: the index columns as JSON (the migration's triggers read it). */
export function searchText(title: string, bodyText: string, glossary: GlossaryEntry[]): string {
  return JSON.stringify(searchColumns(title, bodyText, glossary));
}

/** The Snowball stemmer's package and version: a new one may stem words differently. */
function stemmerVersion(): string {
  const manifest = readFileSync(
    join(import.meta.dirname, '..', 'node_modules', '@orama', 'stemmers', 'package.json'),
    'utf8',
  );
  return `@orama/stemmers@${(JSON.parse(manifest) as { version: string }).version}`;
}

/** How one seed makes the index texts of its articles and pages, and what each is made from. */
export interface SearchTexts {
  /** The index text of a document that search finds, with the seed's glossary. */
  make(title: string, bodyText: string): string;
  /**
   * The hash of what a document's index text is made from: its content (`contentHash`, which holds
   * its title and body), whether search finds it (a draft's text is '{}'), the glossary and the
   * code (SEARCH_TEXT_VERSION, the stemmer). While it is the one its row holds (search_input), the
   * row's search_text is what `make` would make, and is not made again: at 10,000 articles making
   * them all took most of a publish of one changed document.
   */
  inputOf(contentHash: string, found: boolean): string;
}

/**
 * The index texts of a seed with `glossary`, in its order (which orders the aliases column).
 * `make` is searchText; tests pass their own to count the texts made.
 */
export function searchTexts(glossary: GlossaryEntry[], make = searchText): SearchTexts {
  const key = sha256(
    JSON.stringify([
      SEARCH_TEXT_VERSION,
      stemmerVersion(),
      glossary.map((entry) => [entry.term, entry.names]),
    ]),
  );
  return {
    make: (title, bodyText) => make(title, bodyText, glossary),
    inputOf: (contentHash, found) =>
      sha256(`${key}:${contentHash}:${found ? 'found' : 'hidden'}`).slice(0, 16),
  };
}

/**
 * Stores the new search_input of rows whose index text stayed the same (their hash of it did not
 * change): the one-time fill of rows from before search_input, and the rows a glossary change or
 * a new SEARCH_TEXT_VERSION left as they were. Nothing a visitor sees changes, so no trigger runs.
 */
export function searchInputStatements(
  table: 'articles' | 'pages',
  rows: { id: number; searchInput: string }[],
): Statement[] {
  return chunks(rows, () => 64, 2).map((group) => ({
    sql: `update ${table} set search_input = v.column2 from (values ${group.map(() => '(?, ?)').join(', ')}) as v where ${table}.id = v.column1`,
    params: group.flatMap((row) => [row.id, row.searchInput]),
  }));
}

/** The glossary as the table holds it, to compare with the document. */
export async function readGlossaryRows(db: LibSQLDatabase): Promise<GlossaryEntry[]> {
  return (await db.select().from(glossaryTable)).map((row) => ({ term: row.term, names: row.names }));
}

/**
 * Writes of the glossary table when it differs from `entries` (all rows anew: it is small), and the
 * hash of the glossary for the content version: the Worker marks glossary forms in snippets.
 */
export function glossaryStatements(
  db: LibSQLDatabase,
  entries: GlossaryEntry[],
  existing: GlossaryEntry[],
): { statements: Statement[]; hash: string } {
  const canonical = (list: GlossaryEntry[]) =>
    JSON.stringify([...list].sort((a, b) => a.term.localeCompare(b.term)).map((e) => [e.term, e.names]));
  const hash = `glossary:${createHash('sha256').update(canonical(entries)).digest('hex')}`;
  if (canonical(entries) === canonical(existing)) return { statements: [], hash };
  const statements: Statement[] = [db.delete(glossaryTable).toSQL()];
  if (entries.length > 0) statements.push(db.insert(glossaryTable).values(entries).toSQL());
  return { statements, hash };
}

/**
 * A seed that writes the index text of this many rows or more merges each index into one b-tree
 * (FTS5's 'optimize'): a large seed leaves a segment for about every megabyte of index text, and the
 * Worker only reads the index, so a query then reads one doclist per term instead of one per
 * segment. 'optimize' rewrites the whole index, though: 0.25–0.45 s at 10,000 articles, as much as
 * the rest of publishing one changed document. The one or two small segments a smaller seed leaves
 * are merged by FTS5 itself (its automerge, whenever four segments of a size have gathered).
 */
const OPTIMIZE_FROM_ROWS = 100;

/**
 * After the article and page writes, in the same transaction: merges each index into one b-tree
 * when the seed wrote `indexRows` rows of index text or more (OPTIMIZE_FROM_ROWS), then rebuilds the
 * suggestion vocabulary from it: every word of four to forty letters (no digits) of the titles and
 * bodies, with the number of articles holding it. A longer word is no suggestion anyone needs, and
 * its trigrams grow with its length (a 256 KiB word is 256 Ki trigrams).
 */
export function vocabularyStatements(indexRows: number): Statement[] {
  const optimize =
    indexRows < OPTIMIZE_FROM_ROWS
      ? []
      : [
          { sql: "insert into articles_search (articles_search) values ('optimize')", params: [] },
          { sql: "insert into pages_search (pages_search) values ('optimize')", params: [] },
        ];
  return [
    ...optimize,
    { sql: 'delete from search_vocabulary', params: [] },
    {
      sql: `insert into search_vocabulary (term, docs)
        select term, max(doc) from articles_search_terms
        where col in ('title', 'body') and length(term) between 4 and 40 and term not glob '*[0-9]*'
        group by term`,
      params: [],
    },
  ];
}

/** Plain text of the body blocks, for the full-text index. */
export function bodyText(body: Block[]): string {
  // An image is no text: neither its file name nor its alt text is searched or shown in a snippet.
  return body
    .flatMap((block) =>
      block.type === 'list' ? [block.items.join('\n')] : block.type === 'image' ? [] : [block.text],
    )
    .join('\n\n');
}
