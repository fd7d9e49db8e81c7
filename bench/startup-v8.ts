/**
 * A bundle's startup in V8 itself, timed around the two synchronous steps a cold isolate takes:
 * compiling the script and evaluating its top level, each run in a fresh context under a name of its
 * own (so V8 reuses nothing). `wrangler check startup` samples about once a millisecond and often
 * misses the first 13–15 ms; this measures the same work without sampling, in this Node's V8 rather
 * than workerd's, with Node's Web APIs standing in for the runtime's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { median } from '../dev/load.ts';
import { WRANGLER_ENV } from '../dev/local-worker.ts';
import { ROOT } from '../pipeline/libsql.ts';

/** Builds the Worker in `cwd` (its wrangler.toml) as deploy does, into `cwd`/dist; the bundle's path. */
export function buildHarness(cwd: string): string {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', 'dist'],
    { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...WRANGLER_ENV } },
  );
  return join(cwd, 'dist', 'entry.js');
}

/** The bundle as a classic script: its one runtime import from the context, its exports dropped. */
function asScript(code: string): string {
  return (
    code
      .replace(/import\s*\{([^}]*)\}\s*from\s*"cloudflare:workers";?/, (_, names: string) => {
        return `const {${names.replace(/\s+as\s+/g, ':')}} = globalThis.__cloudflareWorkers;`;
      })
      // The last `export {…}` (a source map comment may follow it).
      .replace(/export\s*\{[^}]*\};?(?![\s\S]*export\s*\{)/, '')
  );
}

/** What the bundle's top level may touch, as the runtime offers it. */
function workerGlobals() {
  class WorkerEntrypoint {}
  return {
    __cloudflareWorkers: { WorkerEntrypoint },
    ...{ console, URL, URLSearchParams, TextEncoder, TextDecoder, Response, Request, Headers, crypto },
    ...{ setTimeout, clearTimeout, queueMicrotask, structuredClone, atob, btoa, fetch, performance },
    ...{ ReadableStream, WritableStream, TransformStream, AbortController, Blob, FormData, Intl },
    navigator: { userAgent: 'Cloudflare-Workers' },
  };
}

/** Median ms to compile and to evaluate `bundle` over `runs` fresh contexts. */
export function v8Startup(bundle: string, runs: number): { compileMs: number; evaluateMs: number } {
  const code = asScript(readFileSync(bundle, 'utf8'));
  const compile: number[] = [];
  const evaluate: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = vm.createContext(workerGlobals());
    const t0 = performance.now();
    const script = new vm.Script(code, { filename: `startup-${i}-${Date.now()}.js` });
    const t1 = performance.now();
    script.runInContext(context);
    const t2 = performance.now();
    compile.push(t1 - t0);
    evaluate.push(t2 - t1);
  }
  return { compileMs: median(compile), evaluateMs: median(evaluate) };
}
