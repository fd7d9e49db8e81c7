import type { Context } from 'hono';
import { DatabaseUnavailable, RETRY_AFTER } from './timeout.ts';

/**
 * What every failed request gets, whether the API envelope or the error page answers it: a log
 * line, `Cache-Control: no-store` (RFC 9111 §5.2.2.5: an error is never stored), and, when the
 * database is slow or away, 503 with Retry-After (RFC 9110 §10.2.3), since that is temporary.
 * Returns the status to answer with.
 */
export function failureStatus(error: Error, c: Context): 500 | 503 {
  console.error(`${c.req.method} ${c.req.path}:`, error);
  const unavailable = error instanceof DatabaseUnavailable;
  c.header('Cache-Control', 'no-store');
  if (unavailable) c.header('Retry-After', RETRY_AFTER);
  return unavailable ? 503 : 500;
}
