import type { Context } from 'hono';

/**
 * Lets `work` finish after the response has gone out (`waitUntil`), and logs its failure: nothing a
 * visitor waits for. Where there is no execution context (a bare `app.request()`), the work still
 * runs, it is just not kept alive past the response.
 */
export function inBackground(c: Context, label: string, work: Promise<unknown>): void {
  const logged = work.catch((error) => console.error(`${label} failed:`, error));
  let ctx: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // Hono throws when the runtime gave no execution context.
  }
  ctx?.waitUntil(logged);
}
