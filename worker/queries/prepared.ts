import type { InArgs, ResultSet } from '@libsql/client';
import { type Placeholder, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql/http';
import { fillPlaceholders } from 'drizzle-orm/sql';
import type { Database } from '../database.ts';

/**
 * Statements built once per isolate. drizzle builds a statement's SQL anew each time a builder runs
 * (about 0.3 ms for an article page's seven, measured in Node: most of drizzle's share of a page's
 * CPU in the Worker's profile); a prepared statement keeps its SQL and fills only its placeholders.
 * `db.batch()` cannot take prepared statements (drizzle-team/drizzle-orm#2197), so a page sends them
 * itself with `readBatch`: still one `client.batch`, one libSQL pipeline, one round trip, and each
 * result mapped by drizzle's own code.
 *
 * Each statement is a function of a builder and its values (`Param`): with placeholders on the
 * builder below it is prepared once, lazily (`once`); with the values themselves on a request's
 * `db` it is the plain builder query (the tests compare the two).
 */

/** A statement's value: given as it is (a builder query) or a placeholder filled per request. */
export type Param<T> = T | Placeholder;

/** The values a request fills placeholders with: text and numbers only (no column encoder runs). */
export type Values = Record<string, string | number>;

/** What builds the statements: any drizzle libSQL database (the prepared ones use one without a client). */
export type Builder = Pick<Database, 'select' | 'all'>;

let builder: Builder | undefined;

/**
 * The database the prepared statements are built on: drizzle without a client (it only builds SQL
 * and maps rows), made the first time a statement is prepared, never at startup.
 */
function statementBuilder(): Builder {
  builder ??= drizzle.mock();
  return builder;
}

/** `build` run once per isolate, the first time a request needs it, on the statement builder. */
function once<T>(build: (db: Builder) => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build(statementBuilder());
    return built;
  };
}

/** One placeholder per name, named as the value that fills it. */
function placeholders<const K extends string>(...names: K[]): Record<K, Placeholder> {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as unknown as Record<
    K,
    Placeholder
  >;
}

/** A built statement (a prepared query, or a raw one from `db.all`): its SQL and its own mapping. */
interface Built<R> {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch?: boolean): unknown;
  execute(...args: never[]): Promise<R>;
}

/** A statement with its values, ready to send, and how its result becomes typed rows. */
export interface Bound<R> {
  sql: string;
  args: InArgs;
  map(result: ResultSet): R;
}

/** A built statement with the values of its placeholders. */
export function bind<R>(query: Built<R>, values: Values = {}): Bound<R> {
  const { sql: text, params } = query.getQuery();
  return {
    sql: text,
    args: fillPlaceholders(params, values) as InArgs,
    map: (result) => query.mapResult(result, true) as R,
  };
}

/** What a statement's builder returns: a select that can be prepared. */
interface Preparable {
  prepare(): Built<unknown>;
  toSQL(): { sql: string; params: unknown[] };
}
type Given<P> = { [K in keyof P]: Exclude<P[K], Placeholder> };
type PreparedOf<Q extends Preparable> = ReturnType<Q['prepare']>;
type ResultOf<Q extends Preparable> = PreparedOf<Q> extends Built<infer R> ? R : never;

/** A statement of the site: its builder, prepared once per isolate, bound per request. */
export interface Statement<P extends Record<string, Param<string | number>>, Q extends Preparable> {
  name: string;
  /** The names of its placeholders (P's keys). */
  names: readonly (keyof P & string)[];
  /** The builder query: with values, the statement as drizzle builds it on every call. */
  build(db: Builder, params: P): Q;
  /** The prepared statement with this request's values. */
  bind(values: Given<P>): Bound<ResultOf<Q>>;
}

const statements: Statement<never, Preparable>[] = [];

/**
 * A statement, named for the tests and prepared the first time `bind` or `prepared` is called. Its
 * values must be text or numbers: placeholders skip drizzle's column encoders.
 */
export function statement<P extends Record<string, Param<string | number>>, Q extends Preparable>(
  name: string,
  names: readonly (keyof P & string)[],
  build: (db: Builder, params: P) => Q,
): Statement<P, Q> {
  const prepared = once((db) => build(db, placeholders(...names) as P).prepare() as PreparedOf<Q>);
  const defined: Statement<P, Q> = {
    name,
    names,
    build,
    bind: (values) => bind(prepared() as Built<ResultOf<Q>>, values as Values),
  };
  statements.push(defined as unknown as Statement<never, Preparable>);
  return defined;
}

/** Every statement defined so far (the modules that define them imported): for the tests. */
export function definedStatements(): readonly Statement<never, Preparable>[] {
  return statements;
}

type Rows<B extends readonly Bound<unknown>[]> = {
  -readonly [K in keyof B]: B[K] extends Bound<infer R> ? R : never;
};

/**
 * The statements in one `client.batch`: one pipeline, one round trip, in the mode drizzle's own
 * `db.batch` uses (the client's default, `deferred`), each result mapped as `db.batch` maps it.
 */
export async function readBatch<const B extends readonly Bound<unknown>[]>(
  db: Database,
  statements: B,
): Promise<Rows<B>> {
  const results = await db.$client.batch([...statements], 'deferred');
  return statements.map((statement, i) => statement.map(results[i] as ResultSet)) as Rows<B>;
}

/** One statement on its own (`client.execute`: one round trip, no transaction around it). */
export async function readOne<R>(db: Database, statement: Bound<R>): Promise<R> {
  return statement.map(await db.$client.execute(statement));
}
