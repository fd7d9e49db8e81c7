/**
 * What the local libSQL server refuses, judged on the tokens hrana-sql.ts reads: names of functions
 * and tables that reach past the database file, the PRAGMAs a client may run or only read, and writes
 * to the schema table.
 *
 * Names are compared as the engine compares them. SQLite folds only ASCII letters
 * (sqlite3StrICmp, sqlite3UpperToLower), so `asciiLower` does too: JavaScript's toLowerCase() would
 * also fold, say, the Kelvin sign into `k`, and judge a name the engine does not know. And a name may
 * be spelled as a string literal: parse.y has `nm ::= id | STRING | JOIN_KW`, and the docs
 * (lang_keywords.html) say "If a keyword in single quotes (ex: 'key' or 'glob') is used in a context
 * where an identifier is allowed but a string literal is not allowed, then the token is understood to
 * be an identifier instead of a string literal." So `PRAGMA 'writable_schema'=1` is `PRAGMA
 * writable_schema=1`, `PRAGMA main.'journal_mode'` is `PRAGMA main.journal_mode`, and `insert into
 * 'sqlite_master'` writes the schema table.
 */

/** A token as the rules need it. */
export interface NameToken {
  /** A bare word, upper-cased (ASCII). */
  word?: string;
  /** A name in any spelling the engine takes (bare, `"…"`, `` `…` ``, `[…]`, `'…'`), unquoted, lower-cased (ASCII). */
  name?: string;
  /** The token is a string literal (`'…'`): a name only where the grammar takes one. */
  string?: boolean;
  raw: string;
}

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/**
 * Functions and tables of the engine that reach past the database file: the shell's file I/O
 * (`readfile`, `writefile`, `fsdir`), extension loading, `sha3_query` (runs the SQL text it is given,
 * so it would run anything refused here), raw database pages (`sqlite_dbpage` writes corrupt the file),
 * the SQLite3 Multiple Ciphers settings (they re-key or re-cipher the file) and the FTS3 tokenizer
 * registry (it takes raw pointers).
 */
export const FORBIDDEN_NAMES = new Set([
  'readfile',
  'writefile',
  'fsdir',
  'load_extension',
  'sha3_query',
  'sqlite_dbpage',
  'sqlite3mc_config',
  'sqlite3mc_config_table',
  'sqlite3mc_codec_data',
  'sqlite_crypt',
  'fts3_tokenizer',
]);
/**
 * SQLite accepts a string literal where a table or module name stands (`from 'fsdir'(…)`, `create
 * virtual table f using 'fsdir'`), so these are refused as strings too.
 */
export const FORBIDDEN_TABLE_STRINGS = new Set(['fsdir', 'sqlite_dbpage', 'sqlite3mc_config_table']);

/**
 * The schema table under each of its names (schema.c). With `writable_schema` a row written there is
 * read back as DDL, e.g. `CREATE VIRTUAL TABLE f USING fsdir` with the module's name built from two
 * strings, which no token of the client's SQL would show; the engine refuses such writes while
 * `writable_schema` is off, and this server refuses them whatever the setting.
 */
const SCHEMA_TABLES = new Set(['sqlite_master', 'sqlite_schema', 'sqlite_temp_master', 'sqlite_temp_schema']);

/**
 * PRAGMAs a client may run. Settings are per connection, and a connection that ran any PRAGMA is
 * closed when its stream ends instead of going back to the pool, so none outlives its stream.
 *
 * Everything else is refused, whatever it is: "No error messages are generated if an unknown pragma
 * is issued. Unknown pragmas are simply ignored." (pragma.html) does not hold for this engine, whose
 * SQLite3 Multiple Ciphers layer takes the PRAGMAs SQLite does not know (`key`, `rekey`, `hexkey`,
 * `hexrekey`, `cipher`, `legacy`, `kdf_iter`, `hmac_*`, …) and re-keys or re-ciphers the file. The
 * heap limits (`hard_heap_limit`, `soft_heap_limit`) are the server's to set (hrana-engine.ts).
 *
 * The PRAGMAs' table-valued functions (`select * from pragma_user_version`) only read: SQLite makes
 * them "only for PRAGMAs that return results and that have no side-effects" and takes no value
 * argument (`pragma_user_version(5)`: "too many arguments"), and the cipher PRAGMAs have none.
 */
const PRAGMAS_ALLOWED = new Set([
  'analysis_limit',
  'application_id',
  'automatic_index',
  'busy_timeout',
  'cache_size',
  'case_sensitive_like',
  'cell_size_check',
  'collation_list',
  'compile_options',
  'data_version',
  'database_list',
  'defer_foreign_keys',
  'foreign_key_check',
  'foreign_key_list',
  'foreign_keys',
  'freelist_count',
  'function_list',
  'ignore_check_constraints',
  'incremental_vacuum',
  'index_info',
  'index_list',
  'index_xinfo',
  'integrity_check',
  'legacy_alter_table',
  'module_list',
  'optimize',
  'page_count',
  'pragma_list',
  'query_only',
  'quick_check',
  'recursive_triggers',
  'reverse_unordered_selects',
  'shrink_memory',
  'table_info',
  'table_list',
  'table_xinfo',
  'user_version',
  'wal_checkpoint',
]);
/**
 * PRAGMAs that may be read but not set: the journal and durability (`journal_mode`, `synchronous`,
 * `locking_mode` and their kin), and values whose change corrupts or reshapes the file
 * (`schema_version`, `page_size`, `auto_vacuum`, `encoding`) or weakens its checks (`trusted_schema`).
 */
const PRAGMAS_READ_ONLY = new Set([
  'auto_vacuum',
  'encoding',
  'journal_mode',
  'journal_size_limit',
  'locking_mode',
  'max_page_count',
  'mmap_size',
  'page_size',
  'schema_version',
  'secure_delete',
  'synchronous',
  'trusted_schema',
  'wal_autocheckpoint',
]);

/** Enough leading tokens to judge `EXPLAIN QUERY PLAN PRAGMA main.x =` and `VACUUM main INTO`. */
export const LEAD_TOKENS = 8;

/**
 * The PRAGMA a statement runs, as parse.y reads it: `cmd ::= PRAGMA nm dbnm …` with `dbnm ::= DOT nm`,
 * so in `PRAGMA a.b` the name is `b` and `a` the schema. Whitespace and comments between the parts
 * were skipped by the tokenizer. Undefined when the tokens are no name (a syntax error).
 */
function pragmaOf(tokens: NameToken[], k: number): { name: string | undefined; rest: NameToken | undefined } {
  if (tokens[k + 2]?.raw === '.') return { name: tokens[k + 3]?.name, rest: tokens[k + 4] };
  return { name: tokens[k + 1]?.name, rest: tokens[k + 2] };
}

/** Why one statement, given its first tokens, is refused: ATTACH, DETACH, VACUUM INTO, or a PRAGMA not allowed. */
export function judgeStatement(tokens: NameToken[]): { refusal: string | null; pragma: boolean } {
  let k = 0;
  if (tokens[k]?.word === 'EXPLAIN') k++;
  if (tokens[k]?.word === 'QUERY' && tokens[k + 1]?.word === 'PLAN') k += 2;
  const lead = tokens[k]?.word;
  if (lead === 'ATTACH' || lead === 'DETACH') {
    return {
      refusal: `${lead} reaches other database files and is not allowed on this server`,
      pragma: false,
    };
  }
  if (lead === 'VACUUM' && tokens.slice(k + 1, k + 3).some((t) => t.word === 'INTO')) {
    return { refusal: 'VACUUM INTO writes another file and is not allowed on this server', pragma: false };
  }
  if (lead !== 'PRAGMA') return { refusal: null, pragma: false };
  const { name, rest } = pragmaOf(tokens, k);
  if (name === undefined) return { refusal: null, pragma: true }; // a syntax error: the engine says so
  if (!PRAGMAS_ALLOWED.has(name) && !PRAGMAS_READ_ONLY.has(name)) {
    return { refusal: `PRAGMA ${name} is not allowed on this server`, pragma: true };
  }
  if (PRAGMAS_READ_ONLY.has(name) && (rest?.raw === '=' || rest?.raw === '(')) {
    return { refusal: `PRAGMA ${name} may be read but not changed on this server`, pragma: true };
  }
  return { refusal: null, pragma: true };
}

/**
 * Whether `token`, following the tokens in `before` (latest last), names the schema table as the
 * target of a write: `INSERT [OR x] INTO`, `REPLACE INTO`, `UPDATE [OR x]`, `DELETE FROM`, each
 * optionally with a schema (`main.`, `"main" .`, `'temp'.`). Checked on every token of a text, so
 * trigger bodies count too.
 */
export function writesSchemaTable(before: NameToken[], token: NameToken): boolean {
  if (token.name === undefined || !SCHEMA_TABLES.has(token.name)) return false;
  let i = before.length - 1;
  if (before[i]?.raw === '.' && before[i - 1]?.name !== undefined) i -= 2;
  const word = before[i]?.word;
  if (word === 'INTO' || word === 'UPDATE') return true;
  if (word === 'FROM') return before[i - 1]?.word === 'DELETE';
  // UPDATE OR ROLLBACK | ABORT | REPLACE | FAIL | IGNORE
  return before[i - 1]?.word === 'OR' && before[i - 2]?.word === 'UPDATE';
}

/** How many tokens `writesSchemaTable` looks back. */
export const SCHEMA_WRITE_LOOKBACK = 4;
