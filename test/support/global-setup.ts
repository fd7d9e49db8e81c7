import { buildWorker } from '../../dev/local-worker.ts';

/**
 * Builds the Worker bundle once, exactly as `wrangler deploy` would, for the workerd and browser
 * tiers (both name this setup: the build runs once per test run).
 */
export default function setup() {
  if (process.env.VSO_WORKER_BUILT) return;
  buildWorker();
  process.env.VSO_WORKER_BUILT = '1';
}
