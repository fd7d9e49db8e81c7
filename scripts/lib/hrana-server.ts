/**
 * A small libSQL server: Hrana v2 over HTTP (the JSON protocol of sqld/Turso) on top of the embedded
 * `libsql` engine, so `@libsql/client` can talk to a local database file exactly as it talks to Turso.
 *
 * The protocol is in hrana-protocol.ts, what SQL may do in hrana-sql.ts, one connection and its
 * limits in hrana-engine.ts; this file holds the streams, their order and the HTTP surface.
 *
 * Pipelines run one at a time, as on a single SQLite writer. The only cross-stream conflict is a
 * stream that keeps a transaction open between HTTP requests (interactive transactions): while one
 * stream does, pipelines of other streams wait in a FIFO queue instead of failing with SQLITE_BUSY, and
 * an owner that idles longer than `txTimeoutMs` while others wait loses its turn. A statement may take
 * at most `statementTimeoutMs`, so nobody waits longer than that for another's statement.
 *
 * It listens on the loopback interface for this machine's own programs only: a web page in the
 * developer's browser must not be able to use it (a form post, `fetch` with `no-cors`, DNS rebinding).
 * So every request must name this server in `Host`, must not come from a foreign `Origin`, pipelines
 * must be `application/json` (which a page can only send after a CORS preflight), and no CORS header is
 * ever sent.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import { bindArgs, Connection, checkpoint, type EngineLimits } from './hrana-engine.ts';
import {
  type BatchCond,
  type HranaError,
  PipelineReqBody,
  RequestError,
  type Stmt,
  type StmtResult,
  type StreamRequest,
  type StreamResult,
  toHranaError,
} from './hrana-protocol.ts';
import { analyzeSqlCached, type SqlInfo } from './hrana-sql.ts';

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
  /** A statement running longer is interrupted and answered with SQLITE_INTERRUPT, default 10_000. */
  statementTimeoutMs?: number;
  /** A result whose rows would be larger than this in JSON is answered with RESPONSE_TOO_LARGE, default 64 MiB. */
  maxResultBytes?: number;
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
  /**
   * Stops listening, interrupts a running statement, destroys open sockets, rolls back open
   * transactions, closes every connection and checkpoints the write-ahead log into the database file.
   */
  close(): Promise<void>;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Streams

interface Stream {
  conn: Connection | null;
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
const MAX_STORED_SQL = 1000;
const MAX_EXPIRED_BATONS = 10_000;
const MAX_LIVE_STREAMS = 1000;

function errorBody(message: string, code: string) {
  return { message, code };
}

/** What a dropped client looks like: one log line, not a stack trace. */
function isClientGone(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    code === 'ERR_STREAM_DESTROYED' ||
    (err as { message?: unknown })?.message === 'aborted'
  );
}

/** `application/json`, with or without parameters (`; charset=utf-8`), as the client sends it. */
function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

export async function startHranaServer(opts: HranaServerOptions): Promise<HranaServer> {
  const file = opts.file;
  const host = opts.host ?? '127.0.0.1';
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const streamExpiryMs = opts.streamExpiryMs ?? 10_000;
  const txTimeoutMs = opts.txTimeoutMs ?? 5_000;
  const maxBodyBytes = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const limits: EngineLimits = {
    statementTimeoutMs: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    maxResultBytes: opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
  };
  const tokenDigest =
    opts.authToken === undefined ? null : createHash('sha256').update(opts.authToken).digest();

  const stats = { requests: 0, pipelines: 0 };
  const pool: Connection[] = [];
  const streamsByBaton = new Map<string, Stream>();
  const liveStreams = new Set<Stream>();
  const expiredBatons = new Map<string, number>();
  const queue: QueueEntry[] = [];
  let lockOwner: Stream | null = null;
  /** The stream whose pipeline is running, if any: pipelines that touch the database run one at a time. */
  let running: Stream | null = null;
  let runningDone: Promise<void> = Promise.resolve();
  let txTimer: NodeJS.Timeout | null = null;
  let closed = false;

  // Fail fast (bad path, not a database) before listening, and switch the file to WAL once.
  releaseConn(await Connection.open(file, limits));

  async function acquireConn(): Promise<Connection> {
    return pool.pop() ?? (await Connection.open(file, limits));
  }

  /** Back to the pool in the state of a fresh connection, or closed when that cannot be ensured. */
  function releaseConn(conn: Connection) {
    // sqld opens a connection per stream: whatever a stream set must not outlive it here either.
    if (!closed && pool.length < POOL_SIZE && conn.resetForReuse()) pool.push(conn);
    else conn.close();
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
        owner.conn?.rollback();
      } catch (err) {
        // Without a rollback the connection may still hold the lock: drop it altogether.
        console.error('hrana-server: rollback after transaction timeout failed:', err);
        owner.conn?.close();
        owner.conn = null;
      }
      releaseLock();
    }, wait);
  }

  /** Whether a pipeline of `stream` may start now. */
  function mayRun(stream: Stream): boolean {
    if (running !== null) return false;
    if (lockOwner !== null) return lockOwner === stream;
    return true;
  }

  function drain() {
    while (!closed && running === null && queue.length > 0) {
      // The lock owner's next request goes first; without an owner, arrival order.
      const index = lockOwner === null ? 0 : queue.findIndex((e) => e.stream === lockOwner);
      if (index < 0) break;
      const [entry] = queue.splice(index, 1);
      entry?.run();
    }
    armTxTimer();
  }

  // ------------------------------------------------------------------------------------------------
  // Executing requests

  function resolveSql(stream: Stream, src: { sql?: string | null; sql_id?: number | null }): string {
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

  function executeStmt(stream: Stream, conn: Connection, stmt: Stmt): Promise<StmtResult> {
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
    stream: Stream,
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

  async function connOf(stream: Stream): Promise<Connection> {
    stream.conn ??= await acquireConn();
    return stream.conn;
  }

  async function executeRequest(
    stream: Stream,
    req: StreamRequest,
  ): Promise<Record<string, unknown> & { type: string }> {
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
        return { type: 'execute', result: await executeStmt(stream, await connOf(stream), req.stmt) };
      }
      case 'batch':
        if (stream.txTimedOut) throw timeoutError();
        return { type: 'batch', result: await executeBatch(stream, await connOf(stream), req.batch.steps) };
      case 'sequence': {
        if (stream.txTimedOut) throw timeoutError();
        const sql = resolveSql(stream, req);
        await (await connOf(stream)).executeSequence(sql, allowedSql(sql));
        return { type: 'sequence' };
      }
      case 'describe': {
        if (stream.txTimedOut) throw timeoutError();
        const sql = resolveSql(stream, req);
        return { type: 'describe', result: await (await connOf(stream)).describe(sql, singleStatement(sql)) };
      }
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: !(stream.conn?.inTransaction ?? false) };
    }
  }

  function emptyResult(): StmtResult {
    return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null, query_duration_ms: 0 };
  }

  /** Runs a whole pipeline; every request runs even after an error. */
  async function runPipeline(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome> {
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
        results.push({ type: 'ok', response: await executeRequest(stream, req) });
      } catch (err) {
        results.push({ type: 'error', error: toHranaError(err) });
      }
    }
    stream.busy = false;
    if (stream.closed) return { status: 200, body: { baton: null, base_url: null, results } };

    let inTx = false;
    try {
      inTx = stream.conn?.inTransaction ?? false;
      if (stream.conn && !inTx && stream.conn.hasBusyStatements()) {
        console.warn('hrana-server: a statement was left busy; replacing the connection');
        stream.conn.close();
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
        running = stream;
        runningDone = runPipeline(stream, requests)
          .then(resolve, (err: unknown) => {
            console.error('hrana-server: pipeline failed:', err);
            stream.busy = false;
            freeStream(stream);
            resolve({ status: 500, body: errorBody('Internal server error', 'INTERNAL_ERROR') });
          })
          .finally(() => {
            running = null;
            drain();
          });
      };
      const touchesDb = requests.some(
        (r) => r.type !== 'store_sql' && r.type !== 'close_sql' && r.type !== 'close',
      );
      if (!touchesDb && running !== stream) {
        // Stored SQL and closing touch no statement: they need not wait for others.
        runPipeline(stream, requests).then(resolve, (err: unknown) => {
          console.error('hrana-server: pipeline failed:', err);
          resolve({ status: 500, body: errorBody('Internal server error', 'INTERNAL_ERROR') });
        });
        return;
      }
      if (mayRun(stream) && (lockOwner === stream || queue.length === 0)) {
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
    if (!isJsonContentType(req.headers['content-type'])) {
      // A form or a `text/plain` fetch from a web page is a "simple" request that needs no preflight.
      req.resume();
      await send(
        res,
        415,
        errorBody('A pipeline must be sent as `Content-Type: application/json`', 'UNSUPPORTED_MEDIA_TYPE'),
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
    const refusal = foreignRequest(req);
    if (refusal !== null) {
      req.resume();
      await send(res, refusal.status, errorBody(refusal.message, refusal.code));
      return;
    }
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

  /**
   * A request this server does not take: another `Host` (DNS rebinding: a page on a name that
   * resolves to 127.0.0.1), or a browser's `Origin` / `Sec-Fetch-Site` of another site.
   */
  function foreignRequest(req: IncomingMessage): { status: number; message: string; code: string } | null {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) {
      return {
        status: 421,
        message: `This server answers only for ${[...allowedHosts].join(', ')}`,
        code: 'HOST_NOT_ALLOWED',
      };
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) ||
      site === 'cross-site' ||
      site === 'same-site'
    ) {
      return { status: 403, message: 'Requests from web pages are not accepted', code: 'ORIGIN_NOT_ALLOWED' };
    }
    return null;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (isClientGone(err)) {
        console.warn(`hrana-server: a client went away during ${req.method} ${req.url}`);
        res.destroy();
        return;
      }
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
  const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];
  const allowedHosts = new Set(
    [urlHost, ...(loopbackNames.includes(urlHost) ? loopbackNames : [])].map((h) =>
      `${h}:${port}`.toLowerCase(),
    ),
  );
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));

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
        // A statement still running is interrupted; its pipeline answers before the sockets close.
        running?.conn?.interrupt();
        await runningDone;
        for (const stream of [...liveStreams]) freeStream(stream);
        lockOwner = null;
        for (const conn of pool.splice(0)) conn.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        try {
          checkpoint(file);
        } catch (err) {
          console.error('hrana-server: checkpoint at close failed:', err);
        }
      })();
      return closing;
    },
  };
}
