/**
 * `npm run db`: the local libSQL server (Hrana v2 over HTTP) on a database file, in a child process
 * that this one watches (dev/hrana-process.ts).
 *
 * Env: DB_FILE (default .data/vso.db), DB_PORT (default 8080), DB_AUTH_TOKEN (optional bearer token),
 * DB_LATENCY_MS (optional simulated round trip, default 0; or `--latency MS`), DB_STATEMENT_TIMEOUT_MS
 * (default 10000).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { superviseHranaServer } from '../dev/hrana-process.ts';
import { DEFAULT_DB_PORT, DEFAULT_STATEMENT_TIMEOUT_MS } from '../dev/hrana-server.ts';
import { DEFAULT_DB_FILE } from '../pipeline/libsql.ts';

function parseNonNegativeInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({ options: { latency: { type: 'string' } }, strict: true });
const file = process.env.DB_FILE || DEFAULT_DB_FILE;
const port = parseNonNegativeInt('DB_PORT', process.env.DB_PORT, DEFAULT_DB_PORT);
const latencyMs = parseNonNegativeInt(
  values.latency === undefined ? 'DB_LATENCY_MS' : '--latency',
  values.latency ?? process.env.DB_LATENCY_MS,
  0,
);
const authToken = process.env.DB_AUTH_TOKEN || undefined;
const statementTimeoutMs = parseNonNegativeInt(
  'DB_STATEMENT_TIMEOUT_MS',
  process.env.DB_STATEMENT_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
);

mkdirSync(dirname(file), { recursive: true });
const server = await superviseHranaServer({ file, port, authToken, latencyMs, statementTimeoutMs });
const extras = [authToken ? 'bearer token required' : '', latencyMs ? `latency ${latencyMs} ms` : '']
  .filter(Boolean)
  .join(', ');
console.log(`libSQL (Hrana v2 over HTTP) on ${server.url} — file ${file}${extras ? ` (${extras})` : ''}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  try {
    await server.close();
    process.exit(0);
  } catch (err) {
    console.error(`Stopping after ${signal} failed:`, err);
    process.exit(1);
  }
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
