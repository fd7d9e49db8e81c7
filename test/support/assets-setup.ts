import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.ts';

/**
 * Writes worker/assets-manifest.ts (and public/assets/), which the app imports to link the
 * fingerprinted stylesheet and images, and public/api/openapi.json, which the API tests read (a static
 * asset: no route of the app serves it): the in-process tier needs no bundle, only this.
 */
export default function setup() {
  if (process.env.VSO_WORKER_BUILT) return; // the Worker build ran it already (global-setup.ts)
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-assets.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
