/**
 * Two Worker scripts the benchmark runs beside the real one, to tell the harness's share of a time
 * from the Worker's: a trivial Worker (the same Miniflare, workerd and loopback HTTP, no app at all),
 * and the built Worker without the hop from its default entrypoint to the cached Site entrypoint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
