/**
 * HTTP measurements for `npm run bench`: single requests with their time to first byte, and load at a
 * fixed number of connections (autocannon) with every response's latency and X-Cache header.
 */
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** From sending the request to its status line and headers. */
  ttfbMs: number;
  /** From sending the request to the end of the body. */
  totalMs: number;
}

/** One warm connection per origin, so that a sample measures the request and not a TCP handshake. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** GET without Accept-Encoding (as the load generator sends it): the body's bytes are the page's. */
export function httpGet(url: string): Promise<Fetched> {
  return httpSend(url);
}

/**
 * One HTTP request as it is given: any method, headers and body, and a `path` sent exactly as
 * written (no normalization of `..` or percent escapes), with the whole answer and its timing.
 */
export function httpSend(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Default: one kept-alive connection per origin; `false`: a new connection for this request. */
    agent?: Agent | false;
  } = {},
): Promise<Fetched> {
  const method = options.method ?? 'GET';
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // An explicit `path: undefined` would replace the URL's path with "/": pass only what is given.
    const { path, headers } = options;
    const request = {
      agent: options.agent ?? agent,
      method,
      ...(path && { path }),
      ...(headers && { headers }),
    };
    const req = httpRequest(url, request, (res) => {
      const ttfbMs = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ttfbMs,
          totalMs: performance.now() - start,
        }),
      );
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Closes the kept-alive connections, so that nothing holds the process open. */
export function closeConnections(): void {
  agent.destroy();
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The value below which `p` (0–1) of the sorted values lie (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** Occurrences of each value, e.g. of the X-Cache header ('none' when absent). */
export type Tally = Record<string, number>;

export function tally(values: Iterable<string>): Tally {
  const out: Tally = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

export interface LoadResult {
  /** Requests sent and responses received during the measured run (the difference was in flight at the end). */
  sent: number;
  responses: number;
  durationS: number;
  requestsPerSecond: number;
  /** Latency of every response, in ms with sub-millisecond precision (autocannon's own histogram rounds to whole ms). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Tally;
  xCache: Tally;
  /** Connection errors and timeouts. */
  errors: number;
}

/** Load as runLoad sends it, measured by nobody: JIT, connections and caches warm up. */
export async function warmUp(
  url: string,
  options: { connections: number; durationS: number },
): Promise<void> {
  await autocannon({ url, connections: options.connections, duration: options.durationS });
}

/**
 * `connections` keep-alive connections sending GET `url` back to back for `durationS` seconds; with
 * `paths`, each connection cycles through them instead (a mix of pages).
 */
export async function runLoad(
  url: string,
  options: { connections: number; durationS: number; paths?: string[] },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: string[] = [];
  const xCache: string[] = [];
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.paths && { requests: options.paths.map((path) => ({ method: 'GET' as const, path })) }),
    setupClient(client) {
      // The typings say header object; autocannon passes the parser's record with a flat [name, value, …] list.
      client.on('headers', (info: unknown) => {
        const { statusCode, headers } = info as { statusCode: number; headers: string[] };
        statuses.push(String(statusCode));
        let cache = 'none';
        for (let i = 0; i < headers.length; i += 2) {
          if (headers[i]?.toLowerCase() === 'x-cache') cache = headers[i + 1] ?? '';
        }
        xCache.push(cache);
      });
      client.on('response', (_status: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
      });
    },
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    sent: result.requests.sent,
    responses: latencies.length,
    durationS: result.duration,
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    statuses: tally(statuses),
    xCache: tally(xCache),
    errors: result.errors + result.timeouts,
  };
}
