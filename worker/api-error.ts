import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as v from 'valibot';
import { failureStatus } from './lib/failure.ts';

/**
 * The JSON error envelope, `{"error": {"code", "message", "issues"?}}`, in one place: the API, the
 * admin route and oEmbed answer every error with it, and the OpenAPI document describes it from
 * ERROR_CODES.
 */

/** The `error.code` of each status answered with the envelope. */
export const ERROR_CODES = {
  400: 'invalid_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'content_too_large',
  415: 'unsupported_media_type',
  500: 'internal_error',
  501: 'not_implemented',
  503: 'service_unavailable',
} as const;
export type ErrorStatus = keyof typeof ERROR_CODES;
type ErrorCode = (typeof ERROR_CODES)[ErrorStatus];

export interface Issue {
  path: string;
  message: string;
}

/** The body of the envelope. */
export const errorEnvelope = (code: ErrorCode, message: string, issues?: Issue[]) => ({
  error: issues ? { code, message, issues } : { code, message },
});

/** An answer with the error envelope; the code is the one of its status (ERROR_CODES). */
export function apiError<S extends ErrorStatus>(
  c: Context,
  status: S,
  code: (typeof ERROR_CODES)[S],
  message: string,
  issues?: Issue[],
) {
  return c.json(errorEnvelope(code, message, issues), status);
}

/** Valibot's issues as the envelope lists them: the dotted path of the input, and what is wrong. */
export const toIssues = (issues: readonly v.BaseIssue<unknown>[]): Issue[] =>
  issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));

/** A path under /api that no route answers. */
export const apiNotFound = (c: Context) => apiError(c, 404, 'not_found', 'Deze API-route bestaat niet.');

/** A failure under /api: the envelope, with the headers every failure has (lib/failure.ts). */
export function apiFailure(error: Error, c: Context) {
  // Hono's own middleware answers with an HTTPException that carries its response.
  if (error instanceof HTTPException) return error.getResponse();
  return failureStatus(error, c) === 503
    ? apiError(c, 503, 'service_unavailable', 'De database is tijdelijk niet bereikbaar.')
    : apiError(c, 500, 'internal_error', 'Er ging iets mis.');
}
