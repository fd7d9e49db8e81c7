import type { Client, InArgs } from '@libsql/client';

/**
 * How a seed's statements reach the database: many rows a statement, a bounded number of statements
 * and bytes a request, and every request of one seed in one write transaction.
 */

/** A statement as drizzle's `toSQL()` gives it. */
export type Statement = { sql: string; params: unknown[] };

/** Reports a phase of the seed: `done` of `total`. */
export type Progress = (phase: 'read' | 'media' | 'cards' | 'write', done: number, total: number) => void;

/**
 * Statements take many rows each (multi-row VALUES): up to this many bound values (SQLite's
 * SQLITE_MAX_VARIABLE_NUMBER is 32,766 since 3.32) …
 */
const MAX_VALUES = 8000;
/** … and about this many bytes, so that one statement stays a small part of a request to the server. */
const MAX_STATEMENT_BYTES = 1024 * 1024;

/**
 * `items` in consecutive groups of at most `maxItems` items and about `maxBytes` (by `bytes`), each of
 * at least one item: the one packing behind both statements (rows) and requests (statements).
 */
function packed<T>(items: T[], bytes: (item: T) => number, maxItems: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemBytes = bytes(item);
    if (group.length > 0 && (group.length + 1 > maxItems || size + itemBytes > maxBytes)) {
      out.push(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += itemBytes;
  }
  if (group.length > 0) out.push(group);
  return out;
}

/**
 * `items` in consecutive groups of at most MAX_STATEMENT_BYTES (by `bytes`, of at least one item
 * each) and MAX_VALUES / `values` items.
 */
export function chunks<T>(items: T[], bytes: (item: T) => number, values = 1): T[][] {
  return packed(items, bytes, Math.floor(MAX_VALUES / values), MAX_STATEMENT_BYTES);
}

/** A request to the server carries at most this many statements and about this many bytes. */
const MAX_BATCH_STATEMENTS = 250;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** About the bytes a statement takes in a request: its SQL and its values (blobs as base64). */
const statementBytes = ({ sql: text, params }: Statement) =>
  text.length +
  params.reduce<number>(
    (sum, value) =>
      sum +
      (value instanceof Uint8Array
        ? Math.ceil(value.byteLength / 3) * 4
        : typeof value === 'string'
          ? value.length
          : 8),
    0,
  );

/** One write transaction, sent in parts so that thousands of documents do not make one huge request. */
export async function writeInOneTransaction(client: Client, statements: Statement[], progress?: Progress) {
  const toStatement = (s: Statement) => ({ sql: s.sql, args: s.params as InArgs });
  const tx = await client.transaction('write');
  try {
    let done = 0;
    for (const batch of requestBatches(statements)) {
      await tx.batch(batch.map(toStatement));
      done += batch.length;
      progress?.('write', done, statements.length);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    tx.close();
  }
}

/** The statements in consecutive requests of at most MAX_BATCH_STATEMENTS and about MAX_BATCH_BYTES. */
function requestBatches(statements: Statement[]): Statement[][] {
  return packed(statements, statementBytes, MAX_BATCH_STATEMENTS, MAX_BATCH_BYTES);
}
