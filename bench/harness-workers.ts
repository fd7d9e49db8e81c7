/**
 * Worker scripts the benchmark runs beside the real one, to tell the harness's share of a time from
 * the Worker's: a trivial Worker (the same Miniflare, workerd and loopback HTTP, no app at all), the
 * built Worker without the hop from its default entrypoint to the cached Site entrypoint, and a Worker
 * that does only the database part of a page (the floor of any page rendered from the database).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';
import { TMP } from './settings.ts';

/** A Worker that answers every request with "ok": what the harness alone costs. */
export function trivialWorkerScript(): string {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, 'trivial-worker.js');
  writeFileSync(file, 'export default { fetch() { return new Response("ok"); } };\n');
  return file;
}

/**
 * dist/index.js with the default entrypoint answering itself. In production that hop to `Site` is
 * where Workers Cache answers (a hit never runs the Worker); Miniflare does not simulate Workers
 * Cache, so locally the hop is a second dispatch per request and nothing else. Without `ctx.exports`
 * the default entrypoint calls the app directly (worker/index.ts). Written beside dist/index.js,
 * which it imports; Miniflare collects the import.
 */
export function directWorkerScript(): string {
  const file = join(ROOT, 'dist', 'bench-direct-worker.js');
  writeFileSync(
    file,
    `import worker from './index.js';
export * from './index.js';
export default {
  ...worker,
  fetch(request, env, ctx) {
    return worker.fetch(request, env, {
      waitUntil: (promise) => ctx.waitUntil(promise),
      passThroughOnException: () => ctx.passThroughOnException(),
      props: ctx.props,
    });
  },
};
`,
  );
  return file;
}

/** A pipeline request as a Worker sent it to the libSQL server: its path and its JSON body. */
export interface CapturedPipeline {
  path: string;
  body: string;
}

/**
 * The libSQL server's address behind a loopback proxy that passes every request on and keeps the
 * pipelines' paths and bodies: what a Worker pointed at it sends for a page, byte for byte.
 */
export async function pipelineRecorder(databaseUrl: string) {
  const upstream = new URL(databaseUrl);
  const pipelines: CapturedPipeline[] = [];
  const proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST') pipelines.push({ path: incoming.url ?? '/', body: body.toString() });
      const passed = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      passed.on('error', () => outgoing.destroy());
      passed.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    pipelines,
    stop: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/**
 * A Worker that does only what every page rendered from the database does besides rendering: the
 * hop from the default entrypoint to `Site` with the answer read into memory (as worker/index.ts),
 * one pipeline to the libSQL server (`pipeline`, as the real Worker sent it for the page) with its
 * JSON read, and the page's bytes sent. No routing, no rows mapped, no HTML built: its CPU per
 * response is the floor under any render of that page in this harness.
 */
export function databaseFloorWorkerScript(pipeline: CapturedPipeline, page: Uint8Array): string {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, 'database-floor-worker.js');
  writeFileSync(
    file,
    `import { WorkerEntrypoint } from 'cloudflare:workers';
const PATH = ${JSON.stringify(pipeline.path)};
const BODY = ${JSON.stringify(pipeline.body)};
const PAGE = ${JSON.stringify(Buffer.from(page).toString('utf8'))};
export class Site extends WorkerEntrypoint {
  async fetch() {
    const answer = await fetch(new URL(PATH, this.env.LIBSQL_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    const { results } = await answer.json();
    if (!Array.isArray(results) || results.some((result) => result.type !== 'ok')) {
      return new Response('the pipeline failed', { status: 500 });
    }
    return new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
}
export default {
  async fetch(request, env, ctx) {
    const answer = await ctx.exports.Site.fetch(request);
    return new Response(await answer.arrayBuffer(), answer);
  },
};
`,
  );
  return file;
}
