/**
 * The requests of a Hrana stream (HRANA_2_SPEC.md, "Requests"): execute, batch with its conditions,
 * sequence, describe, stored SQL, close. What SQL may run is decided in hrana-sql.ts, how it runs in
 * hrana-engine.ts; the stream's connection and its lifetime belong to hrana-streams.ts.
 */
import { bindArgs, type Connection } from './hrana-engine.ts';
import {
  type BatchCond,
  type HranaError,
  RequestError,
  type Stmt,
  type StmtResult,
  type StreamRequest,
  toHranaError,
} from './hrana-protocol.ts';
import { analyzeSqlCached, type SqlInfo } from './hrana-sql.ts';

/** What executing a request needs to know of its stream. */
export interface StreamState {
  conn: Connection | null;
  sqls: Map<number, string>;
  closed: boolean;
  /** Lost its turn (TRANSACTION_TIMEOUT) and has not acknowledged with ROLLBACK or close yet. */
  txTimedOut: boolean;
}

/** What the streams lend to a request: the stream's connection, and closing the stream. */
export interface RequestContext {
  connOf(stream: StreamState): Promise<Connection>;
  freeStream(stream: StreamState): void;
}

const MAX_STORED_SQL = 1000;

function resolveSql(stream: StreamState, src: { sql?: string | null; sql_id?: number | null }): string {
  if (src.sql != null) return src.sql;
  const sql = src.sql_id == null ? undefined : stream.sqls.get(src.sql_id);
  if (sql === undefined)
    throw new RequestError(`SQL text with id ${src.sql_id} was not stored`, 'SQL_NOT_FOUND');
  return sql;
}

/** The analysis of an SQL text this server agrees to run, or the reason it does not. */
function allowedSql(sql: string): SqlInfo {
  if (sql.includes('\u0000')) {
    // The engine would run the text only up to the NUL.
    throw new RequestError('The SQL text contains a NUL character (U+0000)', 'SQL_PARSE_ERROR');
  }
  const info = analyzeSqlCached(sql);
  if (info.refusal !== null) throw new RequestError(info.refusal, 'SQLITE_AUTH');
  return info;
}

function singleStatement(sql: string): SqlInfo {
  const info = allowedSql(sql);
  if (info.statements === 0)
    throw new RequestError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
  if (info.statements > 1) {
    throw new RequestError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
  }
  return info;
}

function executeStmt(stream: StreamState, conn: Connection, stmt: Stmt): Promise<StmtResult> {
  const sql = resolveSql(stream, stmt);
  const info = singleStatement(sql);
  return conn.execute(sql, info, bindArgs(stmt, info), stmt.want_rows !== false);
}
function evalCond(
  cond: BatchCond,
  outcomes: ('ok' | 'error' | 'skipped')[],
  conn: Connection,
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
      return !conn.inTransaction;
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

async function executeBatch(
  stream: StreamState,
  conn: Connection,
  steps: { condition?: BatchCond | null; stmt: Stmt }[],
) {
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
      stepResults.push(await executeStmt(stream, conn, step.stmt));
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

export async function executeRequest(
  ctx: RequestContext,
  stream: StreamState,
  req: StreamRequest,
): Promise<Record<string, unknown> & { type: string }> {
  switch (req.type) {
    case 'close':
      ctx.freeStream(stream);
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
      return { type: 'execute', result: await executeStmt(stream, await ctx.connOf(stream), req.stmt) };
    }
    case 'batch':
      if (stream.txTimedOut) throw timeoutError();
      return { type: 'batch', result: await executeBatch(stream, await ctx.connOf(stream), req.batch.steps) };
    case 'sequence': {
      if (stream.txTimedOut) throw timeoutError();
      const sql = resolveSql(stream, req);
      await (await ctx.connOf(stream)).executeSequence(sql, allowedSql(sql));
      return { type: 'sequence' };
    }
    case 'describe': {
      if (stream.txTimedOut) throw timeoutError();
      const sql = resolveSql(stream, req);
      return {
        type: 'describe',
        result: await (await ctx.connOf(stream)).describe(sql, singleStatement(sql)),
      };
    }
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !(stream.conn?.inTransaction ?? false) };
  }
}

function emptyResult(): StmtResult {
  return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null, query_duration_ms: 0 };
}
