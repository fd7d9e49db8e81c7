/**
 * Hrana streams over HTTP (HTTP_V2_SPEC.md): a stream is a connection that lives across requests,
 * handed from one request to the next by a baton that is good for one use.
 *
 * Pipelines that touch the database run one at a time, as on a single SQLite writer. The only
 * cross-stream conflict is a stream that keeps a transaction open between requests (interactive
 * transactions): while one stream does, pipelines of other streams wait in a FIFO queue instead of
 * failing with SQLITE_BUSY, and an owner that idles longer than `txTimeoutMs` while others wait loses its
 * turn. Idle streams expire after `streamExpiryMs`, rolling back what they left open.
 */
import { randomBytes } from 'node:crypto';
import { Connection, type EngineLimits } from './hrana-engine.ts';
import type { StreamRequest, StreamResult } from './hrana-protocol.ts';
import { toHranaError } from './hrana-protocol.ts';
import { executeRequest, type RequestContext, type StreamState } from './hrana-requests.ts';

export interface StreamOptions {
  file: string;
  limits: EngineLimits;
  streamExpiryMs: number;
  txTimeoutMs: number;
}

interface Stream extends StreamState {
  baton: string | null;
  /** A request of this stream is queued or running. */
  busy: boolean;
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

/** The stream a pipeline request names: a new one (no baton), the one its baton hands on, or why not. */
type StreamLookup = { stream: Stream } | { error: { status: number; message: string; code: string } };

export interface Streams {
  /** No baton: a new stream; a baton: the stream it hands on (once). */
  lookup(baton: string | null | undefined): StreamLookup;
  schedule(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome>;
  /** Interrupts a running statement, answers queued pipelines, rolls back and closes everything. */
  close(): Promise<void>;
}

const POOL_SIZE = 8;
const MAX_EXPIRED_BATONS = 10_000;
const MAX_LIVE_STREAMS = 1000;

function errorBody(message: string, code: string) {
  return { message, code };
}

export async function openStreams({
  file,
  limits,
  streamExpiryMs,
  txTimeoutMs,
}: StreamOptions): Promise<Streams> {
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

  const context: RequestContext = {
    async connOf(stream) {
      stream.conn ??= await acquireConn();
      return stream.conn;
    },
    freeStream: (stream) => freeStream(stream as Stream),
  };

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
        results.push({ type: 'ok', response: await executeRequest(context, stream, req) });
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

  function lookup(baton: string | null | undefined): StreamLookup {
    if (closed)
      return { error: { status: 503, message: 'The server is shutting down', code: 'SERVER_CLOSING' } };
    if (baton == null) {
      if (liveStreams.size >= MAX_LIVE_STREAMS) {
        return { error: { status: 503, message: 'Too many open streams', code: 'STREAMS_EXHAUSTED' } };
      }
      const stream: Stream = {
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
      return { stream };
    }
    const found = streamsByBaton.get(baton);
    if (found === undefined) {
      return expiredBatons.has(baton)
        ? {
            error: {
              status: 400,
              message: 'The stream has expired due to inactivity',
              code: 'STREAM_EXPIRED',
            },
          }
        : { error: { status: 400, message: 'Unknown or already used baton', code: 'BATON_INVALID' } };
    }
    // A baton is good for one request: the next one must carry the baton of this response.
    streamsByBaton.delete(baton);
    found.baton = null;
    return { stream: found };
  }

  async function close() {
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
  }

  return { lookup, schedule: schedulePipeline, close };
}
