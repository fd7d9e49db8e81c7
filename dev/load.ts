/**
 * HTTP measurements for `npm run bench`: single requests with their time to first byte, and load at a
 * fixed number of connections (autocannon) with every response's latency and X-Cache header.
 *
 * The load runs in a worker thread of its own. On the thread that also runs Miniflare's side of the
 * Worker (and the caller), autocannon at 64 connections made the whole runtime stall for seconds now
 * and then, and then reset dozens of connections at once (ECONNRESET): measured with the same Worker,
 * in 5 of 15 ten-second runs on the main thread, in none of 12 from a thread or another process.
 */
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
  /** CPU time of the load thread itself during the run (autocannon and the tallies), ms. */
  loadCpuMs: number;
}

/** What a load run may look for in every response: the first that carries `includes` in `header`. */
export interface LoadWatch {
  header: string;
  includes: string;
  /** The run stops this long after the first such response. */
  stopAfterMs: number;
}

export interface WatchResult {
  /** When the first matching response came (ms since the epoch, performance.timeOrigin-based), or null. */
  firstSeenAt: number | null;
  /** Responses without the value that came after `mark()`. */
  othersAfterMark: number;
}

interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  paths?: string[];
  /** Only send: no latencies, headers or tallies (a warm-up). */
  quiet?: boolean;
  watch?: LoadWatch;
}
type LoadReply = { result: LoadResult & { watch?: WatchResult } } | { error: string };

const THREAD = 'loadThread';
const clock = () => performance.timeOrigin + performance.now();

/** Runs `job` in a worker thread; `mark(at)` tells it when the watched change was made. */
function inThread(job: LoadJob): {
  mark(at: number): void;
  done: Promise<LoadResult & { watch?: WatchResult }>;
} {
  const thread = new Worker(fileURLToPath(import.meta.url), { workerData: { [THREAD]: job } });
  const done = new Promise<LoadResult & { watch?: WatchResult }>((resolve, reject) => {
    thread.once('message', (reply: LoadReply) =>
      'error' in reply ? reject(new Error(reply.error)) : resolve(reply.result),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the load thread exited (${code}) without a result`)));
  });
  return { mark: (at) => thread.postMessage({ markAt: at }), done };
}

/** Load as runLoad sends it, measured by nobody: JIT, connections and caches warm up. */
export async function warmUp(
  url: string,
  options: { connections: number; durationS: number },
): Promise<void> {
  await inThread({ url, ...options, quiet: true }).done;
}

/**
 * `connections` keep-alive connections sending GET `url` back to back for `durationS` seconds; with
 * `paths`, each connection cycles through them instead (a mix of pages). In a thread of its own.
 */
export function runLoad(
  url: string,
  options: { connections: number; durationS: number; paths?: string[] },
): Promise<LoadResult> {
  return inThread({ url, ...options }).done;
}

/** runLoad that also watches for a header value, e.g. a new content version in the ETag. */
export function startWatchedLoad(
  url: string,
  options: { connections: number; durationS: number; watch: LoadWatch },
): { mark(at: number): void; done: Promise<LoadResult & { watch?: WatchResult }> } {
  return inThread({ url, ...options });
}

async function generate(job: LoadJob, marks: { at: number }): Promise<LoadResult & { watch?: WatchResult }> {
  const latencies: number[] = [];
  const statuses: string[] = [];
  const xCache: string[] = [];
  const watch: WatchResult | undefined = job.watch && { firstSeenAt: null, othersAfterMark: 0 };
  const watched = job.watch?.header.toLowerCase();
  let stop = () => {};
  const cpuBefore = process.threadCpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationS,
        ...(job.paths && { requests: job.paths.map((path) => ({ method: 'GET' as const, path })) }),
        ...(!job.quiet && { setupClient }),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    stop = () => instance.stop();
  });
  function setupClient(client: autocannon.Client) {
    // The typings say header object; autocannon passes the parser's record with a flat [name, value, …] list.
    client.on('headers', (info: unknown) => {
      const { statusCode, headers } = info as { statusCode: number; headers: string[] };
      statuses.push(String(statusCode));
      let cache = 'none';
      let seen = false;
      for (let i = 0; i < headers.length; i += 2) {
        const name = headers[i]?.toLowerCase();
        if (name === 'x-cache') cache = headers[i + 1] ?? '';
        if (name === watched && job.watch && headers[i + 1]?.includes(job.watch.includes)) seen = true;
      }
      xCache.push(cache);
      if (!watch || !job.watch) return;
      const now = clock();
      if (!seen) {
        if (now > marks.at) watch.othersAfterMark++;
      } else if (watch.firstSeenAt === null) {
        watch.firstSeenAt = now;
        setTimeout(stop, job.watch.stopAfterMs);
      }
    });
    client.on('response', (_status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    // In a worker thread autocannon hands back its raw result, without the aggregated `requests`
    // (run.js aggregates on the main thread only); the count of requests sent is `totalRequests`.
    sent: (result as { totalRequests?: number }).totalRequests ?? result.requests.sent,
    responses: latencies.length,
    durationS: result.duration,
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    statuses: tally(statuses),
    xCache: tally(xCache),
    errors: result.errors + result.timeouts,
    loadCpuMs: cpuMsSince(cpuBefore),
    ...(watch && { watch }),
  };
}

function cpuMsSince(before: NodeJS.CpuUsage): number {
  const { user, system } = process.threadCpuUsage(before);
  return (user + system) / 1000;
}

if (!isMainThread && parentPort && workerData?.[THREAD]) {
  const port = parentPort;
  const marks = { at: Number.POSITIVE_INFINITY };
  port.on('message', (message: { markAt?: number }) => {
    if (typeof message.markAt === 'number') marks.at = message.markAt;
  });
  generate(workerData[THREAD] as LoadJob, marks).then(
    (result) => {
      port.postMessage({ result } satisfies LoadReply);
      port.close();
    },
    (error: unknown) => {
      port.postMessage({ error: String(error) } satisfies LoadReply);
      port.close();
    },
  );
}
