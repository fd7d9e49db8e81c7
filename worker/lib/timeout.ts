class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** The database did not answer (in time): the request is answered without it (503 or a stale copy). */
export class DatabaseUnavailable extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailable';
  }
}

/**
 * Seconds a visitor, crawler or monitor is asked to wait (Retry-After, RFC 9110 §10.2.3) before
 * trying again when the database is away: every 503 of the site says the same.
 */
export const RETRY_AFTER = '30';

/**
 * Rejects when `promise` takes longer than `ms`. A database that hangs must not hold a visitor's
 * request until the platform gives up.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a query with the time limit; any failure becomes `DatabaseUnavailable`. */
export function databaseCall(timeoutMs: number) {
  return async <T>(promise: Promise<T>): Promise<T> => {
    try {
      return await withTimeout(promise, timeoutMs);
    } catch (error) {
      throw new DatabaseUnavailable(error);
    }
  };
}
