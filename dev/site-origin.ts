// The production origin as wrangler.toml's [vars] SITE_URL states it: the one source that the local
// Worker runner and the tests take it from (without loading Miniflare).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../pipeline/libsql.ts';

const match = /^SITE_URL\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'));
if (!match?.[1]) throw new Error('wrangler.toml has no [vars] SITE_URL');

/** `https://www.vso-werkgevers.nl`, from wrangler.toml. */
export const SITE_URL = match[1];
