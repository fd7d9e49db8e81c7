/**
 * A small libSQL server: Hrana v2 over HTTP (the JSON protocol of sqld/Turso) on top of the embedded
 * `libsql` engine, so `@libsql/client` can talk to a local database file exactly as it talks to Turso.
 *
 * The protocol is in hrana-protocol.ts, what SQL may do in hrana-sql.ts, one connection and its
 * limits in hrana-engine.ts, the requests of a stream in hrana-requests.ts, streams and their order in
 * hrana-streams.ts; this file is the HTTP surface. A statement may take at most `statementTimeoutMs`,
 * so nobody waits longer than that for another's statement.
 *
 * It listens on the loopback interface for this machine's own programs only: a web page in the
 * developer's browser must not be able to use it (a form post, `fetch` with `no-cors`, DNS rebinding).
 * So every request must name this server in `Host`, must not come from a foreign `Origin`, pipelines
 * must be `application/json` (which a page can only send after a CORS preflight), and no CORS header is
 * ever sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import { checkpoint, type EngineLimits } from './hrana-engine.ts';
import { PipelineReqBody } from './hrana-protocol.ts';
import { openStreams } from './hrana-streams.ts';

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
  /** When each of the last pipelines (up to 1,000, since the last reset) came, was done, and was answered. */
  timings: PipelineTiming[];
  resetStats(): void;
  /** Changes the simulated round trip while running, e.g. to make the database slower than a client's time limit. */
  setLatency(ms: number): void;
  /**
   * Stops listening, interrupts a running statement, destroys open sockets, rolls back open
   * transactions, closes every connection and checkpoints the write-ahead log into the database file.
   */
  close(): Promise<void>;
}

/**
 * One pipeline's times, in ms since the epoch with sub-millisecond precision (performance.timeOrigin
 * + performance.now(), so that another thread's clock agrees): the benchmark splits a response's time
 * to first byte into the Worker's part before the database, the database's, and the Worker's after.
 */
export interface PipelineTiming {
  /** The request's headers arrived. */
  receivedAt: number;
  /** The statements ran; the simulated round trip starts. */
  doneAt: number;
  /** The answer was handed to the socket. */
  sentAt: number;
}
const MAX_TIMINGS = 1000;
const clock = () => performance.timeOrigin + performance.now();

/**
 * Waits `ms` to within a fraction of a millisecond. A timer alone fires a millisecond or two late,
 * and a simulated round trip that long would count as the client's time wherever it is measured;
 * so the last 4 ms are waited out a turn of the event loop at a time (other requests keep going).
 */
async function delay(ms: number): Promise<void> {
  const until = performance.now() + ms;
  if (ms > 4) await sleep(ms - 4);
  while (performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
}

/** The port of the local server when none is given (`npm run db`, `npm start`). */
export const DEFAULT_DB_PORT = 8080;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;

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

interface HttpRefusal {
  status: number;
  message: string;
  code: string;
}

function isAuthorized(req: IncomingMessage, tokenDigest: Buffer | null): boolean {
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
function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer | null> {
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

/**
 * A request this server does not take: another `Host` (DNS rebinding: a page on a name that
 * resolves to 127.0.0.1), or a browser's `Origin` / `Sec-Fetch-Site` of another site.
 */
function foreignRequest(
  req: IncomingMessage,
  allowedHosts: Set<string>,
  allowedOrigins: Set<string>,
): HttpRefusal | null {
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

type PipelineBody = v.InferOutput<typeof PipelineReqBody>;

/** The pipeline request in a body, or why it is not one (answered with 400). */
function parsePipeline(raw: Buffer): { body: PipelineBody } | { refusal: { message: string; code: string } } {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { refusal: { message: `Invalid JSON body: ${(err as Error).message}`, code: 'INVALID_JSON' } };
  }
  let parsed: ReturnType<typeof v.safeParse<typeof PipelineReqBody>>;
  try {
    parsed = v.safeParse(PipelineReqBody, json);
  } catch (err) {
    // Recursive schemas (batch conditions) overflow the stack on absurd nesting.
    return {
      refusal: { message: `Invalid pipeline request: ${(err as Error).message}`, code: 'INVALID_REQUEST' },
    };
  }
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    return {
      refusal: {
        message: `Invalid pipeline request${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}`,
        code: 'INVALID_REQUEST',
      },
    };
  }
  return { body: parsed.output };
}

/** Runs `handle`; a client that went away is one log line, anything else a 500 JSON answer. */
function answer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return handle(req, res).catch((err: unknown) => {
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
}

function refuseBadRequest(_err: Error, socket: Duplex) {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  else socket.destroy();
}

/** The `Host` values this server answers to: its own name, and every loopback name when it is one. */
function hostsOf(urlHost: string, port: number): Set<string> {
  const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];
  return new Set(
    [urlHost, ...(loopbackNames.includes(urlHost) ? loopbackNames : [])].map((h) =>
      `${h}:${port}`.toLowerCase(),
    ),
  );
}

/** Everything but a pipeline: the version probes, `/health`, and what does not exist. */
function probeAnswer(
  method: string,
  path: string,
): { status: number; body: unknown; headers?: Record<string, string> } {
  // The client may probe `GET /v3-protobuf` first: anything but 2xx makes it fall back to v2.
  if (/\/v3(-protobuf)?(\/|$)/.test(path))
    return { status: 404, body: errorBody('Only Hrana v2 is supported', 'NOT_FOUND') };
  if (path !== '/health' && !path.endsWith('/v2'))
    return { status: 404, body: errorBody(`Not found: ${path}`, 'NOT_FOUND') };
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      body: errorBody(`Method ${method} not allowed`, 'METHOD_NOT_ALLOWED'),
      headers: { allow: 'GET' },
    };
  }
  return { status: 200, body: path === '/health' ? { status: 'ok' } : { version: 2 } };
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
  const timings: PipelineTiming[] = [];
  const streams = await openStreams({ file, limits, streamExpiryMs, txTimeoutMs });

  // ------------------------------------------------------------------------------------------------
  // HTTP

  async function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
    timing?: { receivedAt: number },
  ) {
    const text = JSON.stringify(body);
    const doneAt = clock();
    if (latencyMs > 0) await delay(latencyMs);
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extraHeaders,
    });
    res.end(text);
    if (timing) {
      timings.push({ receivedAt: timing.receivedAt, doneAt, sentAt: clock() });
      if (timings.length > MAX_TIMINGS) timings.shift();
    }
  }

  async function handlePipeline(req: IncomingMessage, res: ServerResponse, receivedAt: number) {
    if (!isAuthorized(req, tokenDigest)) {
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
    const raw = await readBody(req, maxBodyBytes);
    if (raw === null) {
      await send(res, 413, errorBody(`Request body larger than ${maxBodyBytes} bytes`, 'BODY_TOO_LARGE'), {
        connection: 'close',
      });
      return;
    }
    const parsed = parsePipeline(raw);
    if ('refusal' in parsed) {
      await send(res, 400, errorBody(parsed.refusal.message, parsed.refusal.code));
      return;
    }
    const found = streams.lookup(parsed.body.baton, req.socket.remoteAddress ?? '');
    if ('error' in found) {
      await send(res, found.error.status, errorBody(found.error.message, found.error.code));
      return;
    }
    const outcome = await streams.schedule(found.stream, parsed.body.requests);
    await send(res, outcome.status, outcome.body, {}, { receivedAt });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const receivedAt = clock();
    stats.requests++;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const refusal = foreignRequest(req, allowedHosts, allowedOrigins);
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
      await handlePipeline(req, res, receivedAt);
      return;
    }
    req.resume();
    const probe = probeAnswer(method, path);
    await send(res, probe.status, probe.body, probe.headers);
  }

  const server = createServer((req, res) => void answer(handle, req, res));
  server.on('clientError', refuseBadRequest);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_DB_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const allowedHosts = hostsOf(urlHost, port);
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats,
    timings,
    setLatency(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    resetStats() {
      stats.requests = 0;
      stats.pipelines = 0;
      timings.length = 0;
    },
    close() {
      closing ??= (async () => {
        await streams.close();
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
