/**
 * Hrana streams over HTTP (HTTP_V2_SPEC.md): a stream is a connection that lives across requests,
 * handed from one request to the next by a baton that is good for one use.
 *
 * Pipelines that touch the database run one at a time, as on a single SQLite writer. The only
 * cross-stream conflict is a stream that keeps a transaction open between requests (interactive
 * transactions): while one stream does, pipelines of other streams wait in a FIFO queue instead of
 * failing with SQLITE_BUSY, and an owner that idles longer than `txTimeoutMs` while others wait loses its
 * turn. Idle streams expire after `streamExpiryMs`, rolling back what they left open.
 *
 * The table of live streams is bounded, and a full table makes room rather than refusing newcomers:
 * the client holding the most streams loses its longest idle one (as if it had expired), so one
 * program that opens streams and never closes them cannot lock out another (the Worker).
 */
import { randomBytes } from 'node:crypto';
import { Connection, type EngineLimits } from './hrana-engine.ts';
import { MAX_LIVE_STREAMS } from './hrana-engine-settings.ts';
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
  /** Who opened it (see `lookup`). */
  client: string;
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
  /**
   * No baton: a new stream for `client`; a baton: the stream it hands on (once). A client is the
   * peer's address: what this server can tell apart. Not its port (a client's pool of keep-alive
   * connections has many, and opens more at will), and not its token (only one is ever valid, so every
   * authorized client holds the same). On the loopback interface every program is 127.0.0.1, so there
   * the longest idle stream of all is the one given up, which still never shuts a newcomer out.
   */
  lookup(baton: string | null | undefined, client: string): StreamLookup;
  schedule(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome>;
  /** Interrupts a running statement, answers queued pipelines, rolls back and closes everything. */
  close(): Promise<void>;
}

const POOL_SIZE = 8;
const MAX_EXPIRED_BATONS = 10_000;

function errorBody(message: string, code: string) {
  return { message, code };
}

class StreamRegistry implements Streams {
  private readonly pool: Connection[] = [];
  private readonly streamsByBaton = new Map<string, Stream>();
  private readonly liveStreams = new Set<Stream>();
  /** Live streams per client. */
  private readonly held = new Map<string, number>();
  private readonly expiredBatons = new Map<string, number>();
  private readonly queue: QueueEntry[] = [];
  private lockOwner: Stream | null = null;
  /** The stream whose pipeline is running, if any: pipelines that touch the database run one at a time. */
  private running: Stream | null = null;
  private runningDone: Promise<void> = Promise.resolve();
  private txTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly options: StreamOptions;
  private readonly context: RequestContext;

  constructor(options: StreamOptions) {
    this.options = options;
    this.context = {
      connOf: async (stream) => {
        stream.conn ??= await this.acquireConn();
        return stream.conn;
      },
      freeStream: (stream) => this.freeStream(stream as Stream),
    };
  }

  async openFirstConnection(): Promise<void> {
    this.releaseConn(await Connection.open(this.options.file, this.options.limits));
  }

  private async acquireConn(): Promise<Connection> {
    return this.pool.pop() ?? (await Connection.open(this.options.file, this.options.limits));
  }

  /** Back to the this.pool in the state of a fresh connection, or this.closed when that cannot be ensured. */
  private releaseConn(conn: Connection) {
    // sqld opens a connection per stream: whatever a stream set must not outlive it here either.
    if (!this.closed && this.pool.length < POOL_SIZE && conn.resetForReuse()) this.pool.push(conn);
    else conn.close();
  }

  private newBaton(): string {
    return randomBytes(24).toString('base64url');
  }

  private rememberExpired(baton: string) {
    this.expiredBatons.set(baton, Date.now());
    if (this.expiredBatons.size > MAX_EXPIRED_BATONS) {
      const oldest = this.expiredBatons.keys().next().value;
      if (oldest !== undefined) this.expiredBatons.delete(oldest);
    }
  }

  /** Frees the stream's connection (rolling back) and gives up the lock. */
  private freeStream(stream: Stream) {
    stream.closed = true;
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.expiryTimer = null;
    if (stream.baton !== null) this.streamsByBaton.delete(stream.baton);
    stream.baton = null;
    stream.sqls.clear();
    if (this.liveStreams.delete(stream)) {
      const left = (this.held.get(stream.client) ?? 1) - 1;
      if (left > 0) this.held.set(stream.client, left);
      else this.held.delete(stream.client);
    }
    if (stream.conn) {
      const conn = stream.conn;
      stream.conn = null;
      this.releaseConn(conn);
    }
    if (this.lockOwner === stream) this.releaseLock();
  }

  private releaseLock() {
    this.lockOwner = null;
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    queueMicrotask(() => this.drain());
  }

  private expireStream(stream: Stream) {
    stream.expiryTimer = null;
    if (stream.busy || stream.closed) return;
    const baton = stream.baton;
    this.freeStream(stream);
    if (baton !== null) this.rememberExpired(baton);
  }

  /** An owner idle inside its transaction while others wait loses its turn after this.options.txTimeoutMs. */
  private armTxTimer() {
    if (
      this.txTimer ||
      this.closed ||
      this.lockOwner === null ||
      this.lockOwner.busy ||
      this.queue.length === 0
    )
      return;
    const owner = this.lockOwner;
    const wait = Math.max(0, owner.idleSince + this.options.txTimeoutMs - Date.now());
    this.txTimer = setTimeout(() => {
      this.txTimer = null;
      if (this.lockOwner !== owner || owner.busy || this.queue.length === 0) return;
      if (Date.now() - owner.idleSince < this.options.txTimeoutMs) {
        this.armTxTimer();
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
      this.releaseLock();
    }, wait);
  }

  /** Whether a pipeline of `stream` may start now. */
  private mayRun(stream: Stream): boolean {
    if (this.running !== null) return false;
    if (this.lockOwner !== null) return this.lockOwner === stream;
    return true;
  }

  private drain() {
    while (!this.closed && this.running === null && this.queue.length > 0) {
      // The lock owner's next request goes first; without an owner, arrival order.
      const index = this.lockOwner === null ? 0 : this.queue.findIndex((e) => e.stream === this.lockOwner);
      if (index < 0) break;
      const [entry] = this.queue.splice(index, 1);
      entry?.run();
    }
    this.armTxTimer();
  }

  /** Runs a whole pipeline; every request runs even after an error. */
  private async runPipeline(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome> {
    const results: StreamResult[] = [];
    for (const req of requests) {
      if (stream.closed) {
        results.push(
          req.type === 'close'
            ? { type: 'ok', response: { type: 'close' } }
            : { type: 'error', error: errorBody('The stream has been this.closed', 'STREAM_CLOSED') },
        );
        continue;
      }
      try {
        results.push({ type: 'ok', response: await executeRequest(this.context, stream, req) });
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
    stream.idleSince = Date.now();
    if (inTx) {
      this.lockOwner = stream;
    } else if (this.lockOwner === stream) {
      this.releaseLock();
    }
    stream.baton = this.newBaton();
    this.streamsByBaton.set(stream.baton, stream);
    stream.expiryTimer = setTimeout(() => this.expireStream(stream), this.options.streamExpiryMs);
    stream.expiryTimer.unref();
    this.armTxTimer();
    return { status: 200, body: { baton: stream.baton, base_url: null, results } };
  }

  schedule(stream: Stream, requests: StreamRequest[]): Promise<PipelineOutcome> {
    stream.busy = true;
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.expiryTimer = null;
    if (this.lockOwner === stream && this.txTimer) {
      clearTimeout(this.txTimer);
      this.txTimer = null;
    }
    return new Promise((resolve) => {
      const run = () => {
        this.running = stream;
        this.runningDone = this.runPipeline(stream, requests)
          .then(resolve, (err: unknown) => {
            console.error('hrana-server: pipeline failed:', err);
            stream.busy = false;
            this.freeStream(stream);
            resolve({ status: 500, body: errorBody('Internal server error', 'INTERNAL_ERROR') });
          })
          .finally(() => {
            this.running = null;
            this.drain();
          });
      };
      const touchesDb = requests.some(
        (r) => r.type !== 'store_sql' && r.type !== 'close_sql' && r.type !== 'close',
      );
      if (!touchesDb && this.running !== stream) {
        // Stored SQL and closing touch no statement: they need not wait for others.
        this.runPipeline(stream, requests).then(resolve, (err: unknown) => {
          console.error('hrana-server: pipeline failed:', err);
          resolve({ status: 500, body: errorBody('Internal server error', 'INTERNAL_ERROR') });
        });
        return;
      }
      if (this.mayRun(stream) && (this.lockOwner === stream || this.queue.length === 0)) {
        run();
        return;
      }
      this.queue.push({
        stream,
        run,
        abort: () => {
          stream.busy = false;
          this.freeStream(stream);
          resolve({ status: 503, body: errorBody('The server is shutting down', 'SERVER_CLOSING') });
        },
      });
      this.armTxTimer();
    });
  }

  /**
   * Room for one more stream: the longest idle stream of the client holding the most is expired
   * (a transaction it left open is rolled back; its baton answers STREAM_EXPIRED). Streams with a
   * request queued or running are never taken. False when every stream is busy.
   */
  private makeRoom(): boolean {
    let victim: Stream | null = null;
    for (const stream of this.liveStreams) {
      if (stream.busy || stream.closed) continue;
      const holds = this.held.get(stream.client) ?? 0;
      const victimHolds = victim === null ? -1 : (this.held.get(victim.client) ?? 0);
      if (
        holds > victimHolds ||
        (holds === victimHolds && victim !== null && stream.idleSince < victim.idleSince)
      )
        victim = stream;
    }
    if (victim === null) return false;
    if (victim.expiryTimer) clearTimeout(victim.expiryTimer);
    victim.expiryTimer = null;
    this.expireStream(victim);
    return true;
  }

  lookup(baton: string | null | undefined, client: string): StreamLookup {
    if (this.closed)
      return { error: { status: 503, message: 'The server is shutting down', code: 'SERVER_CLOSING' } };
    if (baton == null) {
      if (this.liveStreams.size >= MAX_LIVE_STREAMS && !this.makeRoom()) {
        return { error: { status: 503, message: 'Too many open streams', code: 'STREAMS_EXHAUSTED' } };
      }
      const stream: Stream = {
        client,
        conn: null,
        sqls: new Map(),
        baton: null,
        busy: false,
        closed: false,
        txTimedOut: false,
        idleSince: Date.now(),
        expiryTimer: null,
      };
      this.liveStreams.add(stream);
      this.held.set(client, (this.held.get(client) ?? 0) + 1);
      return { stream };
    }
    const found = this.streamsByBaton.get(baton);
    if (found === undefined) {
      return this.expiredBatons.has(baton)
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
    this.streamsByBaton.delete(baton);
    found.baton = null;
    return { stream: found };
  }

  async close() {
    this.closed = true;
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    for (const entry of this.queue.splice(0)) entry.abort();
    // A statement still this.running is interrupted; its pipeline answers before the sockets this.close.
    this.running?.conn?.interrupt();
    await this.runningDone;
    for (const stream of [...this.liveStreams]) this.freeStream(stream);
    this.lockOwner = null;
    for (const conn of this.pool.splice(0)) conn.close();
  }
}

export async function openStreams(options: StreamOptions): Promise<Streams> {
  const streams = new StreamRegistry(options);
  // Fail fast (bad path, not a database) before listening, and switch the file to WAL once.
  await streams.openFirstConnection();
  return streams;
}
