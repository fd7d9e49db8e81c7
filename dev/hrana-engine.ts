/**
 * One connection of the local libSQL server to its database file, on the `libsql` engine (npm, SQLite
 * 3.45 with FTS5), with the limits that keep any SQL from taking the server down.
 *
 * Statements run through the engine's promise API (`libsql/promise`): the first step of a statement
 * (where a write, an aggregate or a sort does all its work) runs off the main thread, so the event loop
 * keeps serving HTTP and signals, and a timer can stop it with the engine's own `interrupt()`
 * (sqlite3_interrupt). Later rows are stepped on the main thread in batches; the time limit is checked
 * between them, and the row budget bounds what a result may hold.
 *
 * Pitfalls of the engine, each reproduced: a single Buffer as the bind argument aborts the process
 * (always pass one array); `close()` with an open transaction can keep the write lock (roll back
 * first) and reading `inTransaction` after `close()` aborts the process; prefixed named keys bind NULL
 * and wrong argument counts are silent (so arguments are bound by index, checked in `bindArgs`);
 * `prepare("select 1; select 2")` runs only the first statement; text is read back only up to its first
 * NUL character.
 */
import SyncDatabase from 'libsql';
import Database from 'libsql/promise';
import { openSettingsSql, outOfMemoryMessage } from './hrana-engine-settings.ts';
import {
  type BindValue,
  type ProtoValue,
  RequestError,
  type Stmt,
  type StmtResult,
  toBindValue,
  toProtoValue,
} from './hrana-protocol.ts';
import type { SqlInfo } from './hrana-sql.ts';

export interface EngineLimits {
  /** A statement running longer is interrupted and answered with an error. */
  statementTimeoutMs: number;
  /** A result whose rows would be larger than this in JSON is an error instead. */
  maxResultBytes: number;
}

/** The part of the engine's promise API used here (its own typings say `any`). */
interface EngineStatement {
  readonly reader: boolean;
  raw(on: boolean): EngineStatement;
  safeIntegers(on: boolean): EngineStatement;
  columns(): { name: string; type?: string | null }[];
  iterate(args: BindValue[]): Promise<Iterable<unknown>>;
  /** Synchronous: for the server's own short statements. */
  get(args: BindValue[]): unknown;
  run(args: BindValue[]): unknown;
}
interface EngineDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): Promise<EngineStatement>;
  exec(sql: string): Promise<void>;
  interrupt(): void;
  close(): void;
}

interface CachedStmt {
  stmt: EngineStatement;
  reader: boolean;
}

const STMT_CACHE_SIZE = 100;
const MAX_CACHED_SQL_LENGTH = 16 * 1024;
/** Seconds (the engine's unit): with one pipeline at a time, only another process can hold the lock. */
const BUSY_TIMEOUT_S = 0.1;
const DML_KEYWORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']);
/** The checking statement counts itself. */
const BUSY_STMTS_SQL = 'select count(*) - 1 from sqlite_stmt where busy';
const STATE_CHECK_SQL = `select (select count(*) from temp.sqlite_schema), (${BUSY_STMTS_SQL})`;
/** Rows stepped between two looks at the clock. */
const CLOCK_EVERY_ROWS = 64;

/** Every argument as one array in parameter order: the engine binds an array by index. */
export function bindArgs(stmt: Stmt, info: SqlInfo): BindValue[] {
  const args = stmt.args ?? [];
  const named = stmt.named_args ?? [];
  for (const value of [...args, ...named.map((a) => a.value)]) {
    if (value.type === 'text' && value.value.includes('\u0000')) {
      // Stored whole, the engine would read it back cut at the NUL: refuse rather than lose data.
      throw new RequestError(
        'A text value contains a NUL character (U+0000), which this engine cannot read back; send it as a blob',
        'ARGS_INVALID',
      );
    }
  }
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
      throw new RequestError(`No value given for parameter ${info.params[i] ?? `?${i + 1}`}`, 'ARGS_INVALID');
    }
  }
  return values;
}

/** What a value adds to the JSON of a result: its text plus the `{"type":…,"value":…}` around it. */
function jsonBytes(value: ProtoValue): number {
  switch (value.type) {
    case 'text':
      return 28 + value.value.length;
    case 'blob':
      return 28 + value.base64.length;
    default:
      return 40;
  }
}

function isInterrupt(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'SQLITE_INTERRUPT';
}

function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'SQLITE_NOMEM';
}

export class Connection {
  /** Ran a PRAGMA or holds state a fresh connection would not: never handed to another stream. */
  dirty = false;
  /** A statement is running on this connection (it can be interrupted). */
  active = false;
  private readonly cache = new Map<string, CachedStmt>();

  readonly db: EngineDatabase;
  private readonly limits: EngineLimits;
  private readonly meta: EngineStatement;
  private readonly stateCheck: EngineStatement;
  private readonly rollbackStmt: EngineStatement;

  private constructor(
    db: EngineDatabase,
    limits: EngineLimits,
    meta: EngineStatement,
    stateCheck: EngineStatement,
    rollbackStmt: EngineStatement,
  ) {
    this.db = db;
    this.limits = limits;
    this.meta = meta;
    this.stateCheck = stateCheck;
    this.rollbackStmt = rollbackStmt;
  }

  static async open(file: string, limits: EngineLimits): Promise<Connection> {
    const db = new Database(file, { timeout: BUSY_TIMEOUT_S }) as unknown as EngineDatabase;
    try {
      await db.exec(openSettingsSql(limits.maxResultBytes));
      const meta = (await db.prepare('select changes(), total_changes(), last_insert_rowid()'))
        .raw(true)
        .safeIntegers(true);
      const stateCheck = (await db.prepare(STATE_CHECK_SQL)).raw(true).safeIntegers(false);
      const rollbackStmt = await db.prepare('ROLLBACK');
      return new Connection(db, limits, meta, stateCheck, rollbackStmt);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Synchronous, so it can run where nothing may wait (closing, expiring, a lost turn). */
  rollback(): void {
    if (this.db.inTransaction) this.rollbackStmt.run([]);
  }

  interrupt(): void {
    if (this.active) this.db.interrupt();
  }

  /** Statements left busy pin the connection's read snapshot: it would never see newer commits. */
  hasBusyStatements(): boolean {
    const row = this.stateCheck.get([]) as unknown[] | undefined;
    return Number(row?.[1]) > 0;
  }

  /** Whether the connection is as a fresh one would be (rolled back, nothing busy, no temp objects). */
  resetForReuse(): boolean {
    try {
      this.rollback();
      const row = (this.stateCheck.get([]) ?? []) as unknown[];
      return !this.dirty && row[0] === 0 && row[1] === 0;
    } catch {
      return false; // a connection we cannot reset is not reused
    }
  }

  close(): void {
    try {
      this.rollback();
    } catch (err) {
      console.error('hrana-server: rollback before close failed:', err);
    }
    try {
      this.db.close();
    } catch (err) {
      console.error('hrana-server: close failed:', err);
    }
  }

  async execute(sql: string, info: SqlInfo, args: BindValue[], wantRows: boolean): Promise<StmtResult> {
    const started = performance.now();
    if (info.pragma) this.dirty = true;
    const { stmt, reader } = await this.prepare(sql);
    const before = this.readMeta()[1];
    const cols = reader ? stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
    const rows = await this.step(sql, stmt, args, reader && wantRows);
    // Engine quirk: EXPLAIN stays busy after its last row, pinning the snapshot; get() resets it, and
    // EXPLAIN never executes its statement, so running it once more has no effect.
    if (info.keywords[0] === 'EXPLAIN') stmt.get(args);
    const [changes, total, rowid] = this.readMeta();
    // `total_changes()` moves only when this statement changed rows, which also covers
    // `INSERT … RETURNING`; DDL such as CREATE VIRTUAL TABLE … fts5 writes shadow rows, which sqld does
    // not count either.
    const changed = total !== before && DML_KEYWORDS.has(info.keywords[0] ?? '');
    return {
      cols,
      rows,
      affected_row_count: changed ? Number(changes) : 0,
      last_insert_rowid: changed ? rowid.toString() : null,
      query_duration_ms: performance.now() - started,
    };
  }

  /** `;`-separated statements in order, stopping at the first error (`sequence`). */
  async executeSequence(sql: string, info: SqlInfo): Promise<void> {
    if (info.pragma) this.dirty = true;
    await this.limited(() => this.db.exec(sql));
  }

  async describe(sql: string, info: SqlInfo) {
    const { stmt, reader } = await this.prepare(sql);
    const cols = reader ? stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
    const isExplain = info.keywords[0] === 'EXPLAIN';
    // Best effort for sqlite3_stmt_readonly(), which the engine does not expose: a statement that
    // writes opens a write transaction (OP_Transaction with p2 != 0) in its bytecode.
    let isReadonly = true;
    if (!isExplain) {
      const explain = (await this.db.prepare(`EXPLAIN ${sql}`)).safeIntegers(false);
      const explainArgs: BindValue[] = new Array(info.params.length).fill(null);
      const ops = await this.limited(async () => [...(await explain.iterate(explainArgs))]);
      isReadonly = !(ops as { opcode?: unknown; p2?: unknown }[]).some(
        (op) => op.opcode === 'Transaction' && op.p2 !== 0,
      );
      explain.get(explainArgs); // the EXPLAIN quirk above
    }
    return {
      params: info.params.map((name) => ({ name })),
      cols,
      is_explain: isExplain,
      is_readonly: isReadonly,
    };
  }

  private async prepare(sql: string): Promise<CachedStmt> {
    const hit = this.cache.get(sql);
    if (hit) {
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const stmt = await this.db.prepare(sql);
    const entry = { stmt, reader: stmt.reader };
    if (entry.reader) stmt.raw(true);
    stmt.safeIntegers(true);
    // Besides saving the prepare, the cache bounds the native statements a connection holds: the engine
    // finalizes one only when its JS object is garbage-collected.
    if (sql.length <= MAX_CACHED_SQL_LENGTH) {
      this.cache.set(sql, entry);
      if (this.cache.size > STMT_CACHE_SIZE) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    return entry;
  }

  private readMeta(): [bigint, bigint, bigint] {
    return (this.meta.get([]) as [bigint, bigint, bigint] | undefined) ?? [0n, 0n, 0n];
  }

  private timeoutError(): RequestError {
    return new RequestError(
      `The statement ran longer than ${this.limits.statementTimeoutMs} ms and was interrupted`,
      'SQLITE_INTERRUPT',
    );
  }

  /** Runs `work` with the time limit: past it the engine is interrupted and the answer is an error. */
  private async limited<T>(work: () => Promise<T>): Promise<T> {
    let timedOut = false;
    this.active = true;
    const timer = setTimeout(() => {
      timedOut = true;
      this.db.interrupt();
    }, this.limits.statementTimeoutMs);
    try {
      return await work();
    } catch (err) {
      if (timedOut && isInterrupt(err)) throw this.timeoutError();
      if (isOutOfMemory(err)) throw new RequestError(outOfMemoryMessage(), 'SQLITE_NOMEM');
      throw err;
    } finally {
      clearTimeout(timer);
      this.active = false;
    }
  }

  private step(
    sql: string,
    stmt: EngineStatement,
    args: BindValue[],
    keep: boolean,
  ): Promise<ProtoValue[][]> {
    return this.limited(async () => {
      const deadline = performance.now() + this.limits.statementTimeoutMs;
      const rows: ProtoValue[][] = [];
      let bytes = 0;
      let count = 0;
      const abandon = (error: RequestError) => {
        // The statement stays busy mid-result: never reuse it, and let the server replace the connection.
        this.cache.delete(sql);
        this.dirty = true;
        return error;
      };
      for (const raw of await stmt.iterate(args)) {
        if (keep) {
          const row = (raw as unknown[]).map(toProtoValue);
          for (const value of row) bytes += jsonBytes(value);
          if (bytes > this.limits.maxResultBytes) {
            throw abandon(
              new RequestError(
                `The result is larger than ${this.limits.maxResultBytes} bytes; select fewer rows or columns`,
                'RESPONSE_TOO_LARGE',
              ),
            );
          }
          rows.push(row);
        }
        if (++count % CLOCK_EVERY_ROWS === 0 && performance.now() > deadline)
          throw abandon(this.timeoutError());
      }
      return rows;
    });
  }
}

/**
 * Moves everything in the write-ahead log into the database file and empties the log, so that after a
 * clean stop the file alone holds the data. A connection of its own: the engine closes a connection
 * only when its statements are garbage-collected, so the last close does not reliably checkpoint.
 */
export function checkpoint(file: string): void {
  const db = new SyncDatabase(file);
  try {
    db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get([]);
  } finally {
    db.close();
  }
}
