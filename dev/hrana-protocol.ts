/**
 * Hrana v2 over HTTP, the JSON protocol of sqld/Turso: request schemas, response shapes and the
 * conversions between protocol values, engine values and errors.
 *
 * Protocol: github.com/tursodatabase/libsql docs/HTTP_V2_SPEC.md and docs/HRANA_2_SPEC.md; what
 * @libsql/client actually sends, and the engine's pitfalls: docs/hrana-v2.md in this repository.
 */
import * as v from 'valibot';

// ---------------------------------------------------------------------------------------------------
// Request schemas (HRANA_2_SPEC.md "Requests", HTTP_V2_SPEC.md "Pipeline")

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const NullValue = v.object({ type: v.literal('null') });
const IntegerValue = v.object({
  type: v.literal('integer'),
  value: v.pipe(
    v.union([v.pipe(v.string(), v.regex(/^[+-]?\d{1,20}$/)), v.pipe(v.number(), v.safeInteger())]),
    v.transform((x) => BigInt(x)),
    v.check((x) => x >= I64_MIN && x <= I64_MAX, 'integer value out of the 64-bit range'),
  ),
});
const FloatValue = v.object({ type: v.literal('float'), value: v.number() });
const TextValue = v.object({ type: v.literal('text'), value: v.string() });
const BlobValue = v.object({
  type: v.literal('blob'),
  base64: v.pipe(
    v.string(),
    v.check((s) => BASE64.test(s) && s.replace(/=+$/, '').length % 4 !== 1, 'invalid base64'),
  ),
});
const Value = v.variant('type', [NullValue, IntegerValue, FloatValue, TextValue, BlobValue]);
type Value = v.InferOutput<typeof Value>;

const SqlId = v.pipe(v.number(), v.integer(), v.minValue(-2147483648), v.maxValue(2147483647));
const StepIndex = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2147483647));

const NamedArg = v.object({ name: v.string(), value: Value });
const Stmt = v.pipe(
  v.object({
    sql: v.nullish(v.string()),
    sql_id: v.nullish(SqlId),
    args: v.nullish(v.array(Value)),
    named_args: v.nullish(v.array(NamedArg)),
    want_rows: v.nullish(v.boolean()),
  }),
  v.check((s) => (s.sql == null) !== (s.sql_id == null), 'a statement needs exactly one of sql and sql_id'),
);
export type Stmt = v.InferOutput<typeof Stmt>;

export type BatchCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and'; conds: BatchCond[] }
  | { type: 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };
const BatchCond: v.GenericSchema<BatchCond> = v.lazy(() =>
  v.variant('type', [
    v.object({ type: v.literal('ok'), step: StepIndex }),
    v.object({ type: v.literal('error'), step: StepIndex }),
    v.object({ type: v.literal('not'), cond: BatchCond }),
    v.object({ type: v.literal('and'), conds: v.array(BatchCond) }),
    v.object({ type: v.literal('or'), conds: v.array(BatchCond) }),
    v.object({ type: v.literal('is_autocommit') }),
  ]),
);
const BatchStep = v.object({ condition: v.nullish(BatchCond), stmt: Stmt });

const SqlSource = {
  sql: v.nullish(v.string()),
  sql_id: v.nullish(SqlId),
};
const hasOneSource = (r: { sql?: string | null; sql_id?: number | null }) =>
  (r.sql == null) !== (r.sql_id == null);

const StreamRequest = v.pipe(
  v.variant('type', [
    v.object({ type: v.literal('close') }),
    v.object({ type: v.literal('execute'), stmt: Stmt }),
    v.object({ type: v.literal('batch'), batch: v.object({ steps: v.array(BatchStep) }) }),
    v.object({ type: v.literal('sequence'), ...SqlSource }),
    v.object({ type: v.literal('describe'), ...SqlSource }),
    v.object({ type: v.literal('store_sql'), sql_id: SqlId, sql: v.string() }),
    v.object({ type: v.literal('close_sql'), sql_id: SqlId }),
    v.object({ type: v.literal('get_autocommit') }),
  ]),
  v.check(
    (r) => (r.type !== 'sequence' && r.type !== 'describe') || hasOneSource(r),
    'sequence and describe need exactly one of sql and sql_id',
  ),
);
export type StreamRequest = v.InferOutput<typeof StreamRequest>;

export const PipelineReqBody = v.object({
  baton: v.nullish(v.string()),
  requests: v.array(StreamRequest),
});

// ---------------------------------------------------------------------------------------------------
// Response shapes

export interface HranaError {
  message: string;
  code: string;
}
export type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
export interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  query_duration_ms: number;
}
export type StreamResult =
  | { type: 'ok'; response: { type: string } & Record<string, unknown> }
  | { type: 'error'; error: HranaError };

/** An error reported inside a pipeline result (HTTP 200), not at the HTTP level. */
export class RequestError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------
// Values and errors

export type BindValue = bigint | number | string | Buffer | null;

export function toBindValue(value: Value): BindValue {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return value.value;
    case 'float':
      return value.value; // the engine binds every JS number as REAL, as sqld does for `float`
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
  }
}

export function toProtoValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // JSON has no Infinity/NaN (`select 1e999`): null is the only value the client can decode
    return Number.isFinite(value) ? { type: 'float', value } : { type: 'null' };
  }
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return {
      type: 'blob',
      base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  return { type: 'text', value: String(value) };
}

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  27: 'SQLITE_NOTICE',
  28: 'SQLITE_WARNING',
};

/** Engine errors carry extended codes (`SQLITE_CONSTRAINT_PRIMARYKEY`); Hrana reports the base code. */
export function toHranaError(err: unknown): HranaError {
  if (err instanceof RequestError) return { message: err.message, code: err.code };
  const e = err as { message?: unknown; code?: unknown; rawCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.rawCode === 'number') {
    const base = SQLITE_BASE_CODES[e.rawCode & 0xff];
    if (base) return { message, code: base };
  }
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) {
    const base = Object.values(SQLITE_BASE_CODES).find(
      (b) => e.code === b || String(e.code).startsWith(`${b}_`),
    );
    return { message, code: base ?? 'SQLITE_ERROR' };
  }
  return { message, code: 'SQLITE_ERROR' };
}
