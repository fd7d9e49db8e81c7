/**
 * Worker scripts the benchmark runs beside the real one, to tell the harness's share of a time from
 * the Worker's: a trivial Worker (the same Miniflare, workerd and loopback HTTP, no app at all), the
 * built Worker without the hop from its default entrypoint to the cached Site entrypoint, and a Worker
 * that does only the database part of a page (the floor of any page rendered from the database).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { compatibilityDate } from '../dev/local-worker.ts';
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

/**
 * The Worker's libraries without the app, as it uses them: a Hono app with hono/jsx and the same
 * middleware, drizzle over `@libsql/client/http` with this schema and each kind of statement, valibot
 * and the Dutch stemmer, all reached from a fetch handler so that the bundler keeps them, and none of it
 * run at startup (as in the Worker). What the startup of the chosen libraries costs on their own.
 */
const LIBRARIES_ONLY = `import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { html, raw } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { createClient } from '@libsql/client/http';
import { stemmer } from '@orama/stemmers/dutch';
import { and, asc, desc, eq, gt, inArray, isNull, like, lt, or, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql/http';
import { fillPlaceholders } from 'drizzle-orm/sql';
import * as v from 'valibot';
import * as schema from '{SCHEMA}';

const Query = v.object({ q: v.optional(v.pipe(v.string(), v.maxLength(200))) });
const Page = (props: { title: string; items: string[] }) => (
  <html lang="nl">
    <head><title>{props.title}</title></head>
    <body><ul>{props.items.map((item) => <li>{item}</li>)}</ul></body>
  </html>
);
let app: Hono | undefined;
export default {
  fetch(request: Request, env: { LIBSQL_URL: string }, ctx: ExecutionContext) {
    if (!app) {
      const db = drizzle(createClient({ url: env.LIBSQL_URL }), { schema });
      const a = schema.articles;
      app = new Hono();
      app.use('*', secureHeaders(), cors(), bodyLimit({ maxSize: 1024 }));
      app.post('/admin/*', bearerAuth({ token: 'token' }));
      app.get('/', async (c) => {
        const query = v.parse(Query, c.req.query());
        const prepared = db
          .select()
          .from(a)
          .where(and(eq(a.slug, sql.placeholder('slug')), or(gt(a.id, 1), lt(a.id, 2), like(a.title, 'x'), isNull(a.source)), inArray(a.id, [1])))
          .orderBy(desc(a.publishedAt), asc(a.slug))
          .prepare();
        fillPlaceholders(prepared.getQuery().params, { slug: stemmer(query.q ?? '') });
        await db.insert(a).values({} as typeof a.$inferInsert).onConflictDoNothing();
        await db.update(a).set({ title: 'x' }).where(eq(a.id, 1));
        await db.delete(a).where(eq(a.id, 1));
        if (!query.q) throw new HTTPException(400);
        return c.html(<Page title={String(html\`\${raw(query.q)}\`)} items={[query.q]} />);
      });
    }
    return app.fetch(request, env, ctx);
  },
};
`;

/**
 * Folders `wrangler check startup --cwd` builds as it builds this Worker (the same compatibility
 * date, minify, keep_names): a trivial Worker, and the libraries alone (LIBRARIES_ONLY). What the
 * startup measure gives with nothing in it, and with only what the team chose to keep.
 */
export function startupHarnesses(): { trivial: string; libraries: string } {
  const folder = (name: string, entry: string) => {
    const dir = join(TMP, `startup-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.tsx'), entry);
    writeFileSync(
      join(dir, 'wrangler.toml'),
      `name = "bench-startup-${name}"\nmain = "entry.tsx"\ncompatibility_date = "${compatibilityDate}"\n` +
        'workers_dev = false\nminify = true\nkeep_names = false\n',
    );
    return dir;
  };
  return {
    trivial: folder('trivial', 'export default { fetch() { return new Response("ok"); } };\n'),
    libraries: folder(
      'libraries',
      LIBRARIES_ONLY.replace(
        '{SCHEMA}',
        relative(join(TMP, 'startup-libraries'), join(ROOT, 'schema', 'tables.ts')),
      ),
    ),
  };
}
