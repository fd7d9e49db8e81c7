import { buildWorker } from '../../dev/local-worker.ts';

/** Builds the Worker bundle once, exactly as `wrangler deploy` would, for the workerd tests. */
export default function setup() {
  buildWorker();
}
