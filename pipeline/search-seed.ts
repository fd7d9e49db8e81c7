/**
 * The seed's part of search: the index text of an article, the glossary table, and the suggestion
 * vocabulary, as statements for the seed's one transaction.
 */
import { createHash } from 'node:crypto';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Block } from '../schema/blocks.ts';
import { type GlossaryEntry, searchColumns } from '../schema/search-terms.ts';
import { glossary as glossaryTable } from '../schema/tables.ts';

type Statement = { sql: string; params: unknown[] };

/** articles.search_text of an article: the index columns as JSON (the migration's triggers read it). */
export function searchText(title: string, bodyText: string, glossary: GlossaryEntry[]): string {
  return JSON.stringify(searchColumns(title, bodyText, glossary));
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
 * After the article and page writes, in the same transaction: merges each index into one b-tree (FTS5's
 * 'optimize': the Worker only reads it, and a query then reads one doclist per term instead of one
 * per segment the seed's chunks left), then rebuilds the suggestion vocabulary from it: every word of
 * four to forty letters (no digits) of the titles and bodies, with the number of articles holding it.
 * A longer word is no suggestion anyone needs, and its trigrams grow with its length (a 256 KiB word
 * is 256 Ki trigrams).
 */
export function vocabularyStatements(): Statement[] {
  return [
    { sql: "insert into articles_search (articles_search) values ('optimize')", params: [] },
    { sql: "insert into pages_search (pages_search) values ('optimize')", params: [] },
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
