/**
 * The settings the local libSQL server gives each connection when it opens it. Clients may read but
 * never change them (hrana-sql-rules.ts).
 *
 * What the engine does not let us set, checked in npm `libsql` 0.5.29 (index.js, promise.js, the
 * native module's exports): there is no `sqlite3_db_config`, so no SQLITE_DBCONFIG_DEFENSIVE (which
 * would refuse `writable_schema` and writes to the schema table and to `sqlite_dbpage` in the engine
 * itself), and no `sqlite3_limit`, so no SQLITE_LIMIT_LENGTH (a cap on one value). The guard in
 * hrana-sql.ts refuses what defensive mode would; the heap limit below stands in for the length limit.
 *
 * `trusted_schema` is left on, as sqld and Turso leave it. Turned off, it does not stop the attack it
 * seems made for: a virtual table defined in a schema row (`create virtual table f using fsdir`,
 * smuggled in through `writable_schema`) is still read by a plain `select * from f`, since only use
 * from inside views and triggers is checked. And it breaks what Turso runs: a view over an `fts5vocab`
 * table fails with "unsafe use of virtual table". Both tried on this engine.
 */

/** SQLite's own durability settings for the server: WAL, fsync at checkpoints. */
const DURABILITY_SQL = 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL';

/** The smallest heap limit for building values, whatever the result limit. */
const MIN_VALUE_HEAP_BYTES = 128 * 1024 * 1024;
/**
 * Streams open at once (hrana-streams.ts): each may hold a connection of its own, as in sqld. A fresh
 * connection of this engine takes about 160 KiB of the heap (lookaside, schema, statements; 1,000 of
 * them did not fit in 128 MiB), so the heap limit leaves room for every one of them.
 */
export const MAX_LIVE_STREAMS = 1000;
const CONNECTION_HEAP_BYTES = 256 * 1024;

/**
 * The engine's heap limit for a server answering at most `maxResultBytes`.
 *
 * `PRAGMA hard_heap_limit=N` (sqlite3_hard_heap_limit64) makes every allocation of the engine past N
 * bytes fail with SQLITE_NOMEM, so `zeroblob(1e9)`, `randomblob(1e9)`, `printf('%.*c', 1e9, 'x')` or a
 * `group_concat` over millions of rows is an error before the value is built, rather than a gigabyte
 * handed to JavaScript (which stalled the server for seconds, or aborted it with a panic in the
 * engine's Rust layer). No value larger than the limit can exist; one as large as the response limit
 * can still be built, as a value is often copied once while it is made (twice the result limit),
 * and so can one of a few hundred MiB while few connections are open: the limit bounds a value, it
 * cannot make it exactly the result limit (that would take SQLITE_LIMIT_LENGTH).
 *
 * The limit is the process's, not the connection's: every connection counts, and the soft heap limit
 * follows it, so the page caches give back memory under pressure instead of failing. Servers in one
 * process (tests) share it: the largest asked for wins.
 */
function heapLimitBytes(maxResultBytes: number): number {
  return Math.max(MIN_VALUE_HEAP_BYTES, 2 * maxResultBytes) + MAX_LIVE_STREAMS * CONNECTION_HEAP_BYTES;
}

let heapLimitSet = 0;

/** What a new connection runs first. */
export function openSettingsSql(maxResultBytes: number): string {
  heapLimitSet = Math.max(heapLimitSet, heapLimitBytes(maxResultBytes));
  return `${DURABILITY_SQL}; PRAGMA hard_heap_limit=${heapLimitSet}`;
}

/** The message for SQLITE_NOMEM: almost always the heap limit, which the engine's own words do not say. */
export function outOfMemoryMessage(): string {
  const mib = Math.round(heapLimitSet / (1024 * 1024));
  return `The statement needed more memory than this server allows (${mib} MiB for the engine): a value or an intermediate result is too large`;
}
