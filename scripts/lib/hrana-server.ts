/**
 * A small libSQL server: Hrana v2 over HTTP (the JSON protocol of sqld/Turso) on top of the embedded
 * `libsql` engine, so `@libsql/client` can talk to a local database file exactly as it talks to Turso.
 *
 * Protocol: github.com/tursodatabase/libsql docs/HTTP_V2_SPEC.md and docs/HRANA_2_SPEC.md; the
 * requests the client really sends and the engine's pitfalls are in shared/reference/hrana-v2.md.
 *
 * The engine is synchronous, so a pipeline runs from start to finish in one go. The only cross-stream
 * conflict is a stream that keeps a transaction open between HTTP requests (interactive transactions):
 * while one stream does, pipelines of other streams wait in a FIFO queue instead of failing with
 * SQLITE_BUSY, and an owner that idles longer than `txTimeoutMs` while others wait loses its turn.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'libsql';
import * as v from 'valibot';

export interface HranaServerOptions {
  /** Database file path. */
  file: string;
  /** Default 8080; 0 = a random free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** When set, pipelines need `Authorization: Bearer <token>`, else 401 JSON. */
  authToken?: string;
  /** Simulated network round trip: every HTTP response is delayed by this many ms. */
  latencyMs?: number;
  /** Idle stream expiry, default 10_000 (as sqld). */
  streamExpiryMs?: number;
  /** A stream idle inside a transaction while others wait loses its turn after this, default 5_000. */
  txTimeoutMs?: number;
  /** Default 32 MiB; larger bodies get 413 JSON. */
  maxBodyBytes?: number;
}

export interface HranaServer {
  /** E.g. 'http://127.0.0.1:41234'. */
  url: string;
  port: number;
  /** Counts HTTP requests received: total, and POST pipeline requests. Tests use this to count database round trips. */
  stats: { requests: number; pipelines: number };
  resetStats(): void;
  /** Changes the simulated round trip while running, e.g. to make the database slower than a client's time limit. */
  setLatency(ms: number): void;
  /** Stops listening, destroys open sockets, rolls back open transactions, closes every connection. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Request schemas (HRANA_2_SPEC.md "Requests", HTTP_V2_SPEC.md "Pipeline")

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const NullValue = v.object({ type: v.literal('null') });
const IntegerValue = v.object({
  type: v.literal('integer'),
  value: v.pipe(
    v.union([v.pipe(v.string(), v.regex(/^[+-]?\d{1,20}$/)), v.pipe(v.number(), v.safeInteger())]),
    v.transform((x) => BigInt(x)),
    v.check((x) => x >= I64_MIN && x <= I64_MAX, 'integer value out of the 64-bit range'),
  ),
});
const FloatValue = v.object({ type: v.literal('float'), value: v.number() });
const TextValue = v.object({ type: v.literal('text'), value: v.string() });
const BlobValue = v.object({
  type: v.literal('blob'),
  base64: v.pipe(
    v.string(),
    v.check((s) => BASE64.test(s) && s.replace(/=+$/, '').length % 4 !== 1, 'invalid base64'),
  ),
});
const Value = v.variant('type', [NullValue, IntegerValue, FloatValue, TextValue, BlobValue]);
type Value = v.InferOutput<typeof Value>;

const SqlId = v.pipe(v.number(), v.integer(), v.minValue(-2147483648), v.maxValue(2147483647));
const StepIndex = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2147483647));

const NamedArg = v.object({ name: v.string(), value: Value });
const Stmt = v.pipe(
  v.object({
    sql: v.nullish(v.string()),
    sql_id: v.nullish(SqlId),
    args: v.nullish(v.array(Value)),
    named_args: v.nullish(v.array(NamedArg)),
    want_rows: v.nullish(v.boolean()),
  }),
  v.check((s) => (s.sql == null) !== (s.sql_id == null), 'a statement needs exactly one of sql and sql_id'),
);
type Stmt = v.InferOutput<typeof Stmt>;

type BatchCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and'; conds: BatchCond[] }
  | { type: 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };
const BatchCond: v.GenericSchema<BatchCond> = v.lazy(() =>
  v.variant('type', [
    v.object({ type: v.literal('ok'), step: StepIndex }),
    v.object({ type: v.literal('error'), step: StepIndex }),
    v.object({ type: v.literal('not'), cond: BatchCond }),
    v.object({ type: v.literal('and'), conds: v.array(BatchCond) }),
    v.object({ type: v.literal('or'), conds: v.array(BatchCond) }),
    v.object({ type: v.literal('is_autocommit') }),
  ]),
);
const BatchStep = v.object({ condition: v.nullish(BatchCond), stmt: Stmt });

const SqlSource = {
  sql: v.nullish(v.string()),
  sql_id: v.nullish(SqlId),
};
const hasOneSource = (r: { sql?: string | null; sql_id?: number | null }) =>
  (r.sql == null) !== (r.sql_id == null);

const StreamRequest = v.pipe(
  v.variant('type', [
    v.object({ type: v.literal('close') }),
    v.object({ type: v.literal('execute'), stmt: Stmt }),
    v.object({ type: v.literal('batch'), batch: v.object({ steps: v.array(BatchStep) }) }),
    v.object({ type: v.literal('sequence'), ...SqlSource }),
    v.object({ type: v.literal('describe'), ...SqlSource }),
    v.object({ type: v.literal('store_sql'), sql_id: SqlId, sql: v.string() }),
    v.object({ type: v.literal('close_sql'), sql_id: SqlId }),
    v.object({ type: v.literal('get_autocommit') }),
  ]),
  v.check(
    (r) => (r.type !== 'sequence' && r.type !== 'describe') || hasOneSource(r),
    'sequence and describe need exactly one of sql and sql_id',
  ),
);
type StreamRequest = v.InferOutput<typeof StreamRequest>;

const PipelineReqBody = v.object({
  baton: v.nullish(v.string()),
  requests: v.array(StreamRequest),
});

// ---------------------------------------------------------------------------------------------------
// Response shapes

interface HranaError {
  message: string;
  code: string;
}
type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  query_duration_ms: number;
}
type StreamResult =
  | { type: 'ok'; response: { type: string } & Record<string, unknown> }
  | { type: 'error'; error: HranaError };

/** An error reported inside a pipeline result (HTTP 200), not at the HTTP level. */
class RequestError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------
// SQL lexer: the engine silently runs only the first statement of `select 1; select 2` and silently
// ignores missing or extra arguments, so statements and parameters are counted here.

const TK_SEMI = 0; // 1 is whitespace and comments, skipped before the state machine
const TK_OTHER = 2;
const TK_EXPLAIN = 3;
const TK_CREATE = 4;
const TK_TEMP = 5;
const TK_TRIGGER = 6;
const TK_END = 7;
/** The state machine of SQLite's sqlite3_complete() (complete.c): `;` inside CREATE TRIGGER … END does not end the statement. */
const COMPLETE_TRANS: readonly (readonly number[])[] = [
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];
const KEYWORD_TOKENS: Record<string, number> = {
  EXPLAIN: TK_EXPLAIN,
  CREATE: TK_CREATE,
  TEMP: TK_TEMP,
  TEMPORARY: TK_TEMP,
  TRIGGER: TK_TRIGGER,
  END: TK_END,
};
const MAX_VARIABLE_NUMBER = 32766;

interface SqlInfo {
  /** Non-empty statements in the text. */
  statements: number;
  /** Parameter slots of the first statement: index i is parameter i+1; its name (with prefix) or null. */
  params: (string | null)[];
  /** Whether parameter i+1 occurs in the SQL (`?3` alone leaves 1 and 2 unused). */
  used: boolean[];
  /** Named parameters (with prefix) → 1-based index. */
  names: Map<string, number>;
  /** A `?0` or `?40000`: leave the error to the engine, do not check arguments. */
  badParam: boolean;
  /** The first two bare words of the first statement, upper-cased. */
  keywords: string[];
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
/** SQLite's IdChar(): letters, digits, `_`, `$` and every non-ASCII byte. */
const isIdChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c >= 128;

function skipQuoted(sql: string, start: number, quote: number): number {
  let i = start + 1;
  for (;;) {
    const end = sql.indexOf(String.fromCharCode(quote), i);
    if (end < 0) return sql.length;
    if (sql.charCodeAt(end + 1) === quote) {
      i = end + 2;
      continue;
    }
    return end + 1;
  }
}

function analyzeSql(sql: string): SqlInfo {
  const info: SqlInfo = {
    statements: 0,
    params: [],
    used: [],
    names: new Map(),
    badParam: false,
    keywords: [],
  };
  const n = sql.length;
  let state = 1;
  let inStmt = false;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const start = i;
    let tok = TK_OTHER;
    let param: string | null | undefined; // undefined: no parameter; null: anonymous `?`
    let word: string | undefined;
    if (isSpace(c)) {
      i++;
      continue;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const eol = sql.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol + 1;
      continue;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    } else if (c === 59 /* ; */) {
      tok = TK_SEMI;
      i++;
    } else if (c === 39 /* ' */ || c === 34 /* " */ || c === 96 /* ` */) {
      i = skipQuoted(sql, i, c);
    } else if (c === 91 /* [ */) {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
    } else if (c === 63 /* ? */) {
      i++;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      param = i - start > 1 ? sql.slice(start, i) : null;
    } else if (c === 58 /* : */ || c === 64 /* @ */ || c === 35 /* # */ || c === 36 /* $ */) {
      // tokenize.c, CC_VARALPHA/CC_DOLLAR: identifier chars, TCL-style `::` and a `(…)` suffix
      let j = i + 1;
      let chars = 0;
      while (j < n) {
        const d = sql.charCodeAt(j);
        if (isIdChar(d)) {
          chars++;
          j++;
        } else if (d === 40 /* ( */ && chars > 0) {
          j++;
          while (j < n && !isSpace(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 41) j++;
          if (j < n && sql.charCodeAt(j) === 41) j++;
          break;
        } else if (d === 58 && sql.charCodeAt(j + 1) === 58) {
          j += 2;
        } else {
          break;
        }
      }
      if (chars > 0) {
        param = sql.slice(start, j);
        i = j;
      } else {
        i++;
      }
    } else if (isIdChar(c) && !isDigit(c)) {
      let j = i + 1;
      while (j < n && isIdChar(sql.charCodeAt(j))) j++;
      if (j - i === 1 && (c === 120 || c === 88) && sql.charCodeAt(j) === 39) {
        i = skipQuoted(sql, j, 39); // blob literal x'…'
      } else {
        word = sql.slice(i, j).toUpperCase();
        tok = KEYWORD_TOKENS[word] ?? TK_OTHER;
        i = j;
      }
    } else if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = sql.charCodeAt(j);
        const prev = sql.charCodeAt(j - 1);
        if (isIdChar(d) || d === 46 || ((d === 43 || d === 45) && (prev === 101 || prev === 69))) j++;
        else break;
      }
      i = j;
    } else {
      i++;
    }

    const row = COMPLETE_TRANS[state];
    state = row?.[tok] ?? 2;
    if (tok === TK_SEMI) {
      if (state === 1) inStmt = false;
      continue;
    }
    if (!inStmt) {
      inStmt = true;
      info.statements++;
    }
    if (info.statements !== 1) continue;
    if (word !== undefined && info.keywords.length < 2) info.keywords.push(word);
    if (param === undefined) continue;
    // expr.c, sqlite3ExprAssignVarNumber(): `?` takes the next index, `?NNN` sets it, a name keeps its first index
    let index: number;
    if (param === null) {
      index = info.params.length + 1;
    } else if (param.startsWith('?')) {
      index = Number(param.slice(1));
      if (!(index >= 1 && index <= MAX_VARIABLE_NUMBER)) {
        info.badParam = true;
        continue;
      }
    } else {
      index = info.names.get(param) ?? info.params.length + 1;
    }
    while (info.params.length < index) {
      info.params.push(null);
      info.used.push(false);
    }
    if (param !== null && !info.names.has(param)) {
      info.names.set(param, index);
      if (info.params[index - 1] === null) info.params[index - 1] = param;
    }
    info.used[index - 1] = true;
  }
  return info;
}

const sqlInfoCache = new Map<string, SqlInfo>();

/** SqlInfo is never mutated after analysis, so one per SQL text serves every connection. */
function analyzeSqlCached(sql: string): SqlInfo {
  const hit = sqlInfoCache.get(sql);
  if (hit) return hit;
  const info = analyzeSql(sql);
  if (sql.length <= 16 * 1024) {
    sqlInfoCache.set(sql, info);
    if (sqlInfoCache.size > 500) {
      const oldest = sqlInfoCache.keys().next().value;
      if (oldest !== undefined) sqlInfoCache.delete(oldest);
    }
  }
  return info;
}

// ---------------------------------------------------------------------------------------------------
// Values and errors

type BindValue = bigint | number | string | Buffer | null;

function toBindValue(value: Value): BindValue {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return value.value;
    case 'float':
      return value.value; // the engine binds every JS number as REAL, as sqld does for `float`
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
  }
}

function toProtoValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // JSON has no Infinity/NaN (`select 1e999`): null is the only value the client can decode
    return Number.isFinite(value) ? { type: 'float', value } : { type: 'null' };
  }
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return {
      type: 'blob',
      base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  return { type: 'text', value: String(value) };
}

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  27: 'SQLITE_NOTICE',
  28: 'SQLITE_WARNING',
};

/** Engine errors carry extended codes (`SQLITE_CONSTRAINT_PRIMARYKEY`); Hrana reports the base code. */
function toHranaError(err: unknown): HranaError {
  if (err instanceof RequestError) return { message: err.message, code: err.code };
  const e = err as { message?: unknown; code?: unknown; rawCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.rawCode === 'number') {
    const base = SQLITE_BASE_CODES[e.rawCode & 0xff];
    if (base) return { message, code: base };
  }
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) {
    const base = Object.values(SQLITE_BASE_CODES).find(
      (b) => e.code === b || String(e.code).startsWith(`${b}_`),
    );
    return { message, code: base ?? 'SQLITE_ERROR' };
  }
  return { message, code: 'SQLITE_ERROR' };
}

// ---------------------------------------------------------------------------------------------------
// Connections and streams

type Db = InstanceType<typeof Database>;
type Statement = ReturnType<Db['prepare']>;

interface Conn {
  db: Db;
  /** `select changes(), total_changes(), last_insert_rowid()`, prepared once. */
  meta: Statement;
  /** Counts statements left busy (null when the engine lacks the sqlite_stmt table). */
  busyCheck: Statement | null;
  /** Temp objects, busy statements and the foreign_keys setting: what makes a connection differ from a fresh one. */
  stateCheck: Statement | null;
  /**
   * Prepared statements by SQL text, least recently used first. Besides saving the prepare, this
   * bounds the native statements a connection holds: the engine finalizes one only when the JS
   * object is garbage-collected, and thousands of live statements make schema changes and PRAGMAs slow.
   */
  cache: Map<string, CachedStmt>;
}

interface CachedStmt {
  stmt: Statement;
  reader: boolean;
}

interface Stream {
  conn: Conn | null;
  sqls: Map<number, string>;
  baton: string | null;
  /** A request of this stream is queued or running. */
  busy: boolean;
  closed: boolean;
  /** Lost its turn (TRANSACTION_TIMEOUT) and has not acknowledged with ROLLBACK or close yet. */
  txTimedOut: boolean;
  idleSince: number;
  expiryTimer: NodeJS.Timeout | null;
}

interface PipelineOutcome {
  status: number;
  body: unknown;
}

interface QueueEntry {
  stream: Stream;
  run: () => void;
  abort: () => void;
}

const POOL_SIZE = 8;
const BUSY_TIMEOUT_MS = 100;
const MAX_STORED_SQL = 1000;
const MAX_EXPIRED_BATONS = 10_000;
const MAX_LIVE_STREAMS = 1000;
const STMT_CACHE_SIZE = 100;
const MAX_CACHED_SQL_LENGTH = 16 * 1024;
const DML_KEYWORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']);
/** The checking statement counts itself. */
const BUSY_STMTS_SQL = 'select count(*) - 1 from sqlite_stmt where busy';
const STATE_CHECK_SQL = `select (select count(*) from temp.sqlite_schema), (${BUSY_STMTS_SQL}),
  (select foreign_keys from pragma_foreign_keys)`;

function errorBody(message: string, code: string) {
  return { message, code };
}

export async function startHranaServer(opts: HranaServerOptions): Promise<HranaServer> {
  const file = opts.file;
  const host = opts.host ?? '127.0.0.1';
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const streamExpiryMs = opts.streamExpiryMs ?? 10_000;
  const txTimeoutMs = opts.txTimeoutMs ?? 5_000;
  const maxBodyBytes = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const tokenDigest =
    opts.authToken === undefined ? null : createHash('sha256').update(opts.authToken).digest();

  const stats = { requests: 0, pipelines: 0 };
  const pool: Conn[] = [];
  const streamsByBaton = new Map<string, Stream>();
  const liveStreams = new Set<Stream>();
  const expiredBatons = new Map<string, number>();
  const queue: QueueEntry[] = [];
  let lockOwner: Stream | null = null;
  let txTimer: NodeJS.Timeout | null = null;
  let draining = false;
  let closed = false;

  // Fail fast (bad path, not a database) before listening, and switch the file to WAL once.
  const first = openConn();
  releaseConn(first);

  function openConn(): Conn {
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL');
      const meta = db.prepare('select changes(), total_changes(), last_insert_rowid()');
      meta.raw(true);
      meta.safeIntegers(true);
      let busyCheck: Statement | null = null;
      let stateCheck: Statement | null = null;
      try {
        busyCheck = db.prepare(BUSY_STMTS_SQL);
        busyCheck.raw(true);
        busyCheck.safeIntegers(false);
        stateCheck = db.prepare(STATE_CHECK_SQL);
        stateCheck.raw(true);
        stateCheck.safeIntegers(false);
      } catch (err) {
        console.warn('hrana-server: no sqlite_stmt table, connections are not pooled:', err);
      }
      return { db, meta, busyCheck, stateCheck, cache: new Map() };
    } catch (err) {
      closeConn(db);
      throw err;
    }
  }

  function closeConn(db: Db) {
    // Pitfall: close() with an open transaction can keep the write lock; never read inTransaction after close().
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch (err) {
      console.error('hrana-server: rollback before close failed:', err);
    }
    try {
      db.close();
    } catch (err) {
      console.error('hrana-server: close failed:', err);
    }
  }

  /**
   * A statement left busy keeps the connection's read snapshot (it would never see newer commits).
   * EXPLAIN is reset where it runs; this catches whatever else the engine leaves busy.
   */
  function hasBusyStatements(conn: Conn): boolean {
    if (conn.busyCheck === null) return false;
    const row = conn.busyCheck.all([])[0] as unknown[] | undefined;
    return Number(row?.[0]) > 0;
  }

  function prepareCached(conn: Conn, sql: string): CachedStmt {
    const hit = conn.cache.get(sql);
    if (hit) {
      conn.cache.delete(sql);
      conn.cache.set(sql, hit);
      return hit;
    }
    const stmt = conn.db.prepare(sql);
    const entry = { stmt, reader: stmt.reader };
    if (entry.reader) stmt.raw(true);
    stmt.safeIntegers(true);
    if (sql.length <= MAX_CACHED_SQL_LENGTH) {
      conn.cache.set(sql, entry);
      if (conn.cache.size > STMT_CACHE_SIZE) {
        const oldest = conn.cache.keys().next().value;
        if (oldest !== undefined) conn.cache.delete(oldest);
      }
    }
    return entry;
  }

  function acquireConn(): Conn {
    return pool.pop() ?? openConn();
  }

  /** Back to the pool in the state of a fresh connection, or closed when that cannot be ensured. */
  function releaseConn(conn: Conn) {
    let reusable = !closed && pool.length < POOL_SIZE && conn.stateCheck !== null;
    try {
      if (conn.db.inTransaction) conn.db.exec('ROLLBACK');
      if (reusable && conn.stateCheck) {
        const [temp, busy, foreignKeys] = (conn.stateCheck.all([])[0] ?? []) as unknown[];
        reusable = temp === 0 && busy === 0;
        // sqld opens a connection per stream, so a PRAGMA must not outlive the stream here either.
        if (reusable && foreignKeys !== 0) conn.db.exec('PRAGMA foreign_keys=OFF');
      }
    } catch {
      reusable = false; // a connection we cannot reset is not reused
    }
    if (reusable) pool.push(conn);
    else closeConn(conn.db);
  }

  function newBaton(): string {
    return randomBytes(24).toString('base64url');
  }

  function rememberExpired(baton: string) {
    expiredBatons.set(baton, Date.now());
    if (expiredBatons.size > MAX_EXPIRED_BATONS) {
      const oldest = expiredBatons.keys().next().value;
      if (oldest !== undefined) expiredBatons.delete(oldest);
    }
  }

  /** Frees the stream's connection (rolling back) and gives up the lock. */
  function freeStream(stream: Stream) {
    stream.closed = true;
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.expiryTimer = null;
    if (stream.baton !== null) streamsByBaton.delete(stream.baton);
    stream.baton = null;
    stream.sqls.clear();
    liveStreams.delete(stream);
    if (stream.conn) {
      const conn = stream.conn;
      stream.conn = null;
      releaseConn(conn);
    }
    if (lockOwner === stream) releaseLock();
  }

  function releaseLock() {
    lockOwner = null;
    if (txTimer) clearTimeout(txTimer);
    txTimer = null;
    queueMicrotask(drain);
  }

  function expireStream(stream: Stream) {
    stream.expiryTimer = null;
    if (stream.busy || stream.closed) return;
    const baton = stream.baton;
    freeStream(stream);
    if (baton !== null) rememberExpired(baton);
  }

  /** An owner idle inside its transaction while others wait loses its turn after txTimeoutMs. */
  function armTxTimer() {
    if (txTimer || closed || lockOwner === null || lockOwner.busy || queue.length === 0) return;
    const owner = lockOwner;
    const wait = Math.max(0, owner.idleSince + txTimeoutMs - Date.now());
    txTimer = setTimeout(() => {
      txTimer = null;
      if (lockOwner !== owner || owner.busy || queue.length === 0) return;
      if (Date.now() - owner.idleSince < txTimeoutMs) {
        armTxTimer();
        return;
      }
      owner.txTimedOut = true;
      try {
        if (owner.conn?.db.inTransaction) owner.conn.db.exec('ROLLBACK');
      } catch (err) {
        // Without a rollback the connection may still hold the lock: drop it altogether.
        console.error('hrana-server: rollback after transaction timeout failed:', err);
        if (owner.conn) closeConn(owner.conn.db);
        owner.conn = null;
      }
      releaseLock();
    }, wait);
  }

  function drain() {
    if (draining) return;
    draining = true;
    try {
      while (!closed && lockOwner === null && queue.length > 0) {
        queue.shift()?.run();
      }
    } finally {
      draining = false;
    }
    armTxTimer();
  }

  // ------------------------------------------------------------------------------------------------
  // Executing requests (synchronous)

  function resolveSql(stream: Stream, src: { sql?: string | null; sql_id?: number | null }): string {
    if (src.sql != null) return src.sql;
    const sql = src.sql_id == null ? undefined : stream.sqls.get(src.sql_id);
    if (sql === undefined)
      throw new RequestError(`SQL text with id ${src.sql_id} was not stored`, 'SQL_NOT_FOUND');
    return sql;
  }

  function singleStatement(sql: string): SqlInfo {
    const info = analyzeSqlCached(sql);
    if (info.statements === 0)
      throw new RequestError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
    if (info.statements > 1) {
      throw new RequestError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
    }
    return info;
  }

  /** Every argument as one array in parameter order: the engine binds an array by index. */
  function bindArgs(stmt: Stmt, info: SqlInfo): BindValue[] {
    const args = stmt.args ?? [];
    const named = stmt.named_args ?? [];
    const nParams = info.params.length;
    if (info.badParam) return args.map(toBindValue);
    if (args.length > nParams) {
      throw new RequestError(
        `${args.length} positional arguments given, but the statement has ${nParams} parameters`,
        'ARGS_INVALID',
      );
    }
    const values: BindValue[] = new Array(nParams).fill(null);
    const bound: boolean[] = new Array(nParams).fill(false);
    args.forEach((value, i) => {
      values[i] = toBindValue(value);
      bound[i] = true;
    });
    for (const { name, value } of named) {
      // Named arguments may come with or without their prefix (`:a` or `a`); sqld tries `:`, `@`, `$`.
      const index = /^[:@$#?]/.test(name)
        ? info.names.get(name)
        : (info.names.get(`:${name}`) ?? info.names.get(`@${name}`) ?? info.names.get(`$${name}`));
      if (index === undefined)
        throw new RequestError(`The statement has no parameter named ${name}`, 'ARGS_INVALID');
      values[index - 1] = toBindValue(value);
      bound[index - 1] = true;
    }
    for (let i = 0; i < nParams; i++) {
      if (info.used[i] && !bound[i]) {
        throw new RequestError(
          `No value given for parameter ${info.params[i] ?? `?${i + 1}`}`,
          'ARGS_INVALID',
        );
      }
    }
    return values;
  }

  /**
   * Engine quirk: an EXPLAIN statement stays busy after all() has read every row, and a busy statement
   * pins the connection's read snapshot (later reads on it never see newer commits). get() resets it;
   * EXPLAIN never executes its statement, so running it once more has no effect.
   */
  function resetExplain(prepared: Statement, args: BindValue[]) {
    prepared.get(args);
  }

  function readMeta(conn: Conn): [bigint, bigint, bigint] {
    const row = conn.meta.all([])[0] as [bigint, bigint, bigint] | undefined;
    return row ?? [0n, 0n, 0n];
  }

  function executeStmt(stream: Stream, conn: Conn, stmt: Stmt): StmtResult {
    const sql = resolveSql(stream, stmt);
    const info = singleStatement(sql);
    const started = performance.now();
    const { stmt: prepared, reader } = prepareCached(conn, sql);
    const args = bindArgs(stmt, info);
    const before = readMeta(conn)[1];
    let cols: StmtResult['cols'] = [];
    let rows: ProtoValue[][] = [];
    if (reader) {
      cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
      const raw = prepared.all(args) as unknown[][];
      if (info.keywords[0] === 'EXPLAIN') resetExplain(prepared, args);
      if (stmt.want_rows !== false) rows = raw.map((row) => row.map(toProtoValue));
    } else {
      prepared.run(args);
    }
    const [changes, total, rowid] = readMeta(conn);
    // `total_changes()` moves only when this statement changed rows (as better-sqlite3's run()), which
    // also covers `INSERT … RETURNING`, run as a reader; DDL such as CREATE VIRTUAL TABLE … fts5 also
    // writes rows (shadow tables), which sqld does not count either.
    const changed = total !== before && DML_KEYWORDS.has(info.keywords[0] ?? '');
    return {
      cols,
      rows,
      affected_row_count: changed ? Number(changes) : 0,
      last_insert_rowid: changed ? rowid.toString() : null,
      query_duration_ms: performance.now() - started,
    };
  }

  function evalCond(
    cond: BatchCond,
    outcomes: ('ok' | 'error' | 'skipped')[],
    conn: Conn,
    depth: number,
  ): boolean {
    if (depth > 1000) throw new RequestError('Batch condition nested too deeply', 'BATCH_COND_INVALID');
    switch (cond.type) {
      case 'ok':
        return outcomes[cond.step] === 'ok';
      case 'error':
        return outcomes[cond.step] === 'error';
      case 'not':
        return !evalCond(cond.cond, outcomes, conn, depth + 1);
      case 'and':
        return cond.conds.every((c) => evalCond(c, outcomes, conn, depth + 1));
      case 'or':
        return cond.conds.some((c) => evalCond(c, outcomes, conn, depth + 1));
      case 'is_autocommit':
        return !conn.db.inTransaction;
    }
  }

  /** A step may only refer to earlier steps (HRANA_2_SPEC.md, "Batches"). */
  function checkCond(cond: BatchCond, stepIndex: number, depth: number) {
    if (depth > 1000) throw new RequestError('Batch condition nested too deeply', 'BATCH_COND_INVALID');
    switch (cond.type) {
      case 'ok':
      case 'error':
        if (cond.step >= stepIndex) {
          throw new RequestError(
            `Step ${stepIndex} refers to step ${cond.step}, which is not an earlier step`,
            'BATCH_COND_INVALID',
          );
        }
        return;
      case 'not':
        checkCond(cond.cond, stepIndex, depth + 1);
        return;
      case 'and':
      case 'or':
        for (const c of cond.conds) checkCond(c, stepIndex, depth + 1);
        return;
      case 'is_autocommit':
        return;
    }
  }

  function executeBatch(stream: Stream, conn: Conn, steps: { condition?: BatchCond | null; stmt: Stmt }[]) {
    steps.forEach((step, i) => {
      if (step.condition) checkCond(step.condition, i, 0);
    });
    const outcomes: ('ok' | 'error' | 'skipped')[] = [];
    const stepResults: (StmtResult | null)[] = [];
    const stepErrors: (HranaError | null)[] = [];
    for (const step of steps) {
      if (step.condition && !evalCond(step.condition, outcomes, conn, 0)) {
        outcomes.push('skipped');
        stepResults.push(null);
        stepErrors.push(null);
        continue;
      }
      try {
        stepResults.push(executeStmt(stream, conn, step.stmt));
        stepErrors.push(null);
        outcomes.push('ok');
      } catch (err) {
        stepResults.push(null);
        stepErrors.push(toHranaError(err));
        outcomes.push('error');
      }
    }
    return { step_results: stepResults, step_errors: stepErrors };
  }

  function describe(conn: Conn, sql: string) {
    const info = singleStatement(sql);
    const { stmt: prepared, reader } = prepareCached(conn, sql);
    const cols = reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
    const isExplain = info.keywords[0] === 'EXPLAIN';
    // Best effort for sqlite3_stmt_readonly(), which the engine does not expose: a statement that
    // writes opens a write transaction (OP_Transaction with p2 != 0) in its bytecode.
    let isReadonly = true;
    if (!isExplain) {
      const explain = conn.db.prepare(`EXPLAIN ${sql}`);
      explain.safeIntegers(false);
      const explainArgs = new Array(info.params.length).fill(null);
      const ops = explain.all(explainArgs) as {
        opcode?: unknown;
        p2?: unknown;
      }[];
      isReadonly = !ops.some((op) => op.opcode === 'Transaction' && op.p2 !== 0);
      resetExplain(explain, explainArgs);
    }
    return {
      params: info.params.map((name) => ({ name })),
      cols,
      is_explain: isExplain,
      is_readonly: isReadonly,
    };
  }

  function isRollback(sql: string): boolean {
    const info = analyzeSqlCached(sql);
    return info.statements === 1 && info.keywords[0] === 'ROLLBACK' && info.keywords[1] !== 'TO';
  }

  function timeoutError() {
    return new RequestError(
      'The transaction was rolled back: it stayed idle too long while other streams waited',
      'TRANSACTION_TIMEOUT',
    );
  }

  function connOf(stream: Stream): Conn {
    stream.conn ??= acquireConn();
    return stream.conn;
  }

  function executeRequest(stream: Stream, req: StreamRequest): Record<string, unknown> & { type: string } {
    switch (req.type) {
      case 'close':
        freeStream(stream);
        return { type: 'close' };
      case 'store_sql':
        if (stream.sqls.has(req.sql_id))
          throw new RequestError(`SQL id ${req.sql_id} is already in use`, 'SQL_STORE_ID');
        if (stream.sqls.size >= MAX_STORED_SQL)
          throw new RequestError('Too many stored SQL texts', 'SQL_STORE_FULL');
        stream.sqls.set(req.sql_id, req.sql);
        return { type: 'store_sql' };
      case 'close_sql':
        stream.sqls.delete(req.sql_id);
        return { type: 'close_sql' };
      case 'execute': {
        if (stream.txTimedOut) {
          // The client's rollback() after a timeout: the transaction is already gone.
          if (isRollback(resolveSql(stream, req.stmt))) {
            stream.txTimedOut = false;
            return { type: 'execute', result: emptyResult() };
          }
          throw timeoutError();
        }
        return { type: 'execute', result: executeStmt(stream, connOf(stream), req.stmt) };
      }
      case 'batch':
        if (stream.txTimedOut) throw timeoutError();
        return { type: 'batch', result: executeBatch(stream, connOf(stream), req.batch.steps) };
      case 'sequence': {
        if (stream.txTimedOut) throw timeoutError();
        // exec() runs the `;`-separated statements in order and stops at the first error.
        connOf(stream).db.exec(resolveSql(stream, req));
        return { type: 'sequence' };
      }
      case 'describe':
        if (stream.txTimedOut) throw timeoutError();
        return { type: 'describe', result: describe(connOf(stream), resolveSql(stream, req)) };
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: !(stream.conn?.db.inTransaction ?? false) };
    }
  }

  function emptyResult(): StmtResult {
    return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null, query_duration_ms: 0 };
  }

  /** Runs a whole pipeline synchronously; every request runs even after an error. */
  function runPipeline(stream: Stream, requests: StreamRequest[]): PipelineOutcome {
    const results: StreamResult[] = [];
    for (const req of requests) {
      if (stream.closed) {
        results.push(
          req.type === 'close'
            ? { type: 'ok', response: { type: 'close' } }
            : { type: 'error', error: errorBody('The stream has been closed', 'STREAM_CLOSED') },
        );
        continue;
      }
      try {
        results.push({ type: 'ok', response: executeRequest(stream, req) });
      } catch (err) {
        results.push({ type: 'error', error: toHranaError(err) });
      }
    }
    stream.busy = false;
    if (stream.closed) return { status: 200, body: { baton: null, base_url: null, results } };

    let inTx = false;
    try {
      inTx = stream.conn?.db.inTransaction ?? false;
      if (stream.conn && !inTx && hasBusyStatements(stream.conn)) {
        console.warn('hrana-server: a statement was left busy; replacing the connection');
        closeConn(stream.conn.db);
        stream.conn = null;
      }
    } catch (err) {
      console.error('hrana-server: cannot read the connection state:', err);
    }
    if (inTx) {
      lockOwner = stream;
      stream.idleSince = Date.now();
    } else if (lockOwner === stream) {
      releaseLock();
    }
    stream.baton = newBaton();
    streamsByBaton.set(stream.baton, stream);
    stream.expiryTimer = setTimeout(() => expireStream(stream), streamExpiryMs);
    stream.expiryTimer.unref();
    armTxTimer();
    return { status: 200, body: { baton: stream.baton, base_url: null, results } };
  }

  function schedulePipeline(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome> {
    stream.busy = true;
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.expiryTimer = null;
    if (lockOwner === stream && txTimer) {
      clearTimeout(txTimer);
      txTimer = null;
    }
    return new Promise((resolve) => {
      const run = () => {
        try {
          resolve(runPipeline(stream, requests));
        } catch (err) {
          console.error('hrana-server: pipeline failed:', err);
          stream.busy = false;
          freeStream(stream);
          resolve({ status: 500, body: errorBody('Internal server error', 'INTERNAL_ERROR') });
        }
      };
      const touchesDb = requests.some(
        (r) => r.type !== 'store_sql' && r.type !== 'close_sql' && r.type !== 'close',
      );
      const inTx = lockOwner === stream;
      const mustWait = touchesDb && !inTx && (lockOwner !== null || queue.length > 0);
      if (!mustWait) {
        run();
        return;
      }
      queue.push({
        stream,
        run,
        abort: () => {
          stream.busy = false;
          freeStream(stream);
          resolve({ status: 503, body: errorBody('The server is shutting down', 'SERVER_CLOSING') });
        },
      });
      if (lockOwner === null) queueMicrotask(drain);
      armTxTimer();
    });
  }

  // ------------------------------------------------------------------------------------------------
  // HTTP

  function isAuthorized(req: IncomingMessage): boolean {
    if (tokenDigest === null) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    // Constant time: both sides are fixed-length digests.
    return timingSafeEqual(given, tokenDigest) && match !== null;
  }

  /** The whole body, or null when it exceeds maxBodyBytes (then drained up to a hard cap). */
  function readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      const hardCap = maxBodyBytes * 2 + 16 * 1024 * 1024;
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > hardCap) {
        resolve(null);
        return;
      }
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          tooLarge = true;
          chunks.length = 0;
          if (size > hardCap) {
            resolve(null);
            req.destroy();
          }
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ) {
    if (latencyMs > 0) await sleep(latencyMs);
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extraHeaders,
    });
    res.end(text);
  }

  async function handlePipeline(req: IncomingMessage, res: ServerResponse) {
    if (!isAuthorized(req)) {
      req.resume();
      await send(
        res,
        401,
        errorBody('Unauthorized: a valid `Authorization: Bearer` token is required', 'UNAUTHORIZED'),
      );
      return;
    }
    const raw = await readBody(req);
    if (raw === null) {
      await send(res, 413, errorBody(`Request body larger than ${maxBodyBytes} bytes`, 'BODY_TOO_LARGE'), {
        connection: 'close',
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      await send(res, 400, errorBody(`Invalid JSON body: ${(err as Error).message}`, 'INVALID_JSON'));
      return;
    }
    let parsed: ReturnType<typeof v.safeParse<typeof PipelineReqBody>>;
    try {
      parsed = v.safeParse(PipelineReqBody, json);
    } catch (err) {
      // Recursive schemas (batch conditions) overflow the stack on absurd nesting.
      await send(
        res,
        400,
        errorBody(`Invalid pipeline request: ${(err as Error).message}`, 'INVALID_REQUEST'),
      );
      return;
    }
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
      await send(
        res,
        400,
        errorBody(
          `Invalid pipeline request${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}`,
          'INVALID_REQUEST',
        ),
      );
      return;
    }
    if (closed) {
      await send(res, 503, errorBody('The server is shutting down', 'SERVER_CLOSING'));
      return;
    }
    const { baton, requests } = parsed.output;
    let stream: Stream;
    if (baton == null) {
      if (liveStreams.size >= MAX_LIVE_STREAMS) {
        await send(res, 503, errorBody('Too many open streams', 'STREAMS_EXHAUSTED'));
        return;
      }
      stream = {
        conn: null,
        sqls: new Map(),
        baton: null,
        busy: false,
        closed: false,
        txTimedOut: false,
        idleSince: Date.now(),
        expiryTimer: null,
      };
      liveStreams.add(stream);
    } else {
      const found = streamsByBaton.get(baton);
      if (found === undefined) {
        if (expiredBatons.has(baton)) {
          await send(res, 400, errorBody('The stream has expired due to inactivity', 'STREAM_EXPIRED'));
        } else {
          await send(res, 400, errorBody('Unknown or already used baton', 'BATON_INVALID'));
        }
        return;
      }
      // A baton is good for one request: the next one must carry the baton of this response.
      streamsByBaton.delete(baton);
      found.baton = null;
      stream = found;
    }
    const outcome = await schedulePipeline(stream, requests);
    await send(res, outcome.status, outcome.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    stats.requests++;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.endsWith('/v2/pipeline')) {
      if (method !== 'POST') {
        req.resume();
        await send(res, 405, errorBody(`Method ${method} not allowed`, 'METHOD_NOT_ALLOWED'), {
          allow: 'POST',
        });
        return;
      }
      stats.pipelines++;
      await handlePipeline(req, res);
      return;
    }
    req.resume();
    // The client may probe `GET /v3-protobuf` first: anything but 2xx makes it fall back to v2.
    if (/\/v3(-protobuf)?(\/|$)/.test(path)) {
      await send(res, 404, errorBody('Only Hrana v2 is supported', 'NOT_FOUND'));
      return;
    }
    if (path !== '/health' && !path.endsWith('/v2')) {
      await send(res, 404, errorBody(`Not found: ${path}`, 'NOT_FOUND'));
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      await send(res, 405, errorBody(`Method ${method} not allowed`, 'METHOD_NOT_ALLOWED'), { allow: 'GET' });
      return;
    }
    await send(res, 200, path === '/health' ? { status: 'ok' } : { version: 2 });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('hrana-server: request failed:', err);
      if (!res.headersSent && !res.destroyed) {
        const text = JSON.stringify(errorBody('Internal server error', 'INTERNAL_ERROR'));
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      } else {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats,
    setLatency(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    resetStats() {
      stats.requests = 0;
      stats.pipelines = 0;
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (txTimer) clearTimeout(txTimer);
        txTimer = null;
        for (const entry of queue.splice(0)) entry.abort();
        for (const stream of [...liveStreams]) freeStream(stream);
        lockOwner = null;
        for (const conn of pool.splice(0)) closeConn(conn.db);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
