/**
 * What the local libSQL server needs to know about an SQL text before the engine sees it: how many
 * statements it holds, the parameters of the first one, and whether it asks for something this server
 * refuses (the file system, another database file, the engine's durability, raw pages).
 *
 * Why by hand: the engine (npm `libsql` 0.5) runs only the first statement of `select 1; select 2` and
 * ignores missing or extra arguments without a word, so statements and parameters are counted here. It
 * also offers no usable guard of its own: its authorizer (`db.authorizer`) only allows or denies whole
 * tables and refuses every function, PRAGMA and transaction outside that list, and it cannot override
 * built-in functions (`db.function` is "not implemented"). So the refusals are checked on SQLite's own
 * tokens (tokenize.c), which also see quoted names (`"readfile"(…)`, `[fsdir]`, `'sqlite_dbpage'` as a
 * table name), and every statement of the text is checked, including those of `sequence` requests and
 * trigger bodies. What is refused, and how names are spelled, is in hrana-sql-rules.ts.
 */
import {
  asciiLower,
  asciiUpper,
  FORBIDDEN_NAMES,
  FORBIDDEN_TABLE_STRINGS,
  judgeStatement,
  LEAD_TOKENS,
  type NameToken,
  SCHEMA_WRITE_LOOKBACK,
  writesSchemaTable,
} from './hrana-sql-rules.ts';

const TK_SEMI = 0; // 1 is whitespace and comments, skipped before the state machine
const TK_OTHER = 2;
const TK_EXPLAIN = 3;
const TK_CREATE = 4;
const TK_TEMP = 5;
const TK_TRIGGER = 6;
const TK_END = 7;
/** The state machine of SQLite's sqlite3_complete() (complete.c): `;` inside CREATE TRIGGER … END does not end the statement. */
const COMPLETE_TRANS: readonly (readonly number[])[] = [
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];
const KEYWORD_TOKENS: Record<string, number> = {
  EXPLAIN: TK_EXPLAIN,
  CREATE: TK_CREATE,
  TEMP: TK_TEMP,
  TEMPORARY: TK_TEMP,
  TRIGGER: TK_TRIGGER,
  END: TK_END,
};
const MAX_VARIABLE_NUMBER = 32766;

export interface SqlInfo {
  /** Non-empty statements in the text. */
  statements: number;
  /** Parameter slots of the first statement: index i is parameter i+1; its name (with prefix) or null. */
  params: (string | null)[];
  /** Whether parameter i+1 occurs in the SQL (`?3` alone leaves 1 and 2 unused). */
  used: boolean[];
  /** Named parameters (with prefix) → 1-based index. */
  names: Map<string, number>;
  /** A `?0` or `?40000`: leave the error to the engine, do not check arguments. */
  badParam: boolean;
  /** The first two bare words of the first statement, upper-cased. */
  keywords: string[];
  /** Why this server refuses the text (any of its statements), or null. */
  refusal: string | null;
  /** Some statement of the text is a PRAGMA: its connection must not be reused by another stream. */
  pragma: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
/** SQLite's IdChar(): letters, digits, `_`, `$` and every non-ASCII byte. */
const isIdChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c >= 128;

function skipQuoted(sql: string, start: number, quote: number): number {
  let i = start + 1;
  for (;;) {
    const end = sql.indexOf(String.fromCharCode(quote), i);
    if (end < 0) return sql.length;
    if (sql.charCodeAt(end + 1) === quote) {
      i = end + 2;
      continue;
    }
    return end + 1;
  }
}

/** The text of a quoted token without its quotes, doubled quotes undone. */
function unquote(token: string): string {
  const open = token[0] ?? '';
  const close = open === '[' ? ']' : open;
  const inner = token.endsWith(close) && token.length > 1 ? token.slice(1, -1) : token.slice(1);
  return open === '[' ? inner : inner.split(close + close).join(close);
}

function analyzeSql(sql: string): SqlInfo {
  const info: SqlInfo = {
    statements: 0,
    params: [],
    used: [],
    names: new Map(),
    badParam: false,
    keywords: [],
    refusal: null,
    pragma: false,
  };
  const refuse = (why: string | null) => {
    info.refusal ??= why;
  };
  const n = sql.length;
  let state = 1;
  let inStmt = false;
  let lead: NameToken[] = [];
  /** The last few tokens of the text, for `writesSchemaTable`. */
  const recent: NameToken[] = [];
  const endStatement = () => {
    const judged = judgeStatement(lead);
    refuse(judged.refusal);
    if (judged.pragma) info.pragma = true;
    lead = [];
  };
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const start = i;
    let tok = TK_OTHER;
    let param: string | null | undefined; // undefined: no parameter; null: anonymous `?`
    let word: string | undefined;
    let quotedName: string | undefined;
    let isString = false;
    if (isSpace(c)) {
      i++;
      continue;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const eol = sql.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol + 1;
      continue;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    } else if (c === 59 /* ; */) {
      tok = TK_SEMI;
      i++;
    } else if (c === 39 /* ' */ || c === 34 /* " */ || c === 96 /* ` */) {
      i = skipQuoted(sql, i, c);
      quotedName = asciiLower(unquote(sql.slice(start, i)));
      if (c === 39) {
        // A string is a name only where the grammar takes one (see hrana-sql-rules.ts): as a
        // table or module name it is judged here, as a PRAGMA name in judgeStatement.
        isString = true;
        if (FORBIDDEN_TABLE_STRINGS.has(quotedName)) refuse(`${quotedName} is not available on this server`);
      }
    } else if (c === 91 /* [ */) {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      quotedName = asciiLower(unquote(sql.slice(start, i)));
    } else if (c === 63 /* ? */) {
      i++;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      param = i - start > 1 ? sql.slice(start, i) : null;
    } else if (c === 58 /* : */ || c === 64 /* @ */ || c === 35 /* # */ || c === 36 /* $ */) {
      // tokenize.c, CC_VARALPHA/CC_DOLLAR: identifier chars, TCL-style `::` and a `(…)` suffix
      let j = i + 1;
      let chars = 0;
      while (j < n) {
        const d = sql.charCodeAt(j);
        if (isIdChar(d)) {
          chars++;
          j++;
        } else if (d === 40 /* ( */ && chars > 0) {
          j++;
          while (j < n && !isSpace(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 41) j++;
          if (j < n && sql.charCodeAt(j) === 41) j++;
          break;
        } else if (d === 58 && sql.charCodeAt(j + 1) === 58) {
          j += 2;
        } else {
          break;
        }
      }
      if (chars > 0) {
        param = sql.slice(start, j);
        i = j;
      } else {
        i++;
      }
    } else if (isIdChar(c) && !isDigit(c)) {
      let j = i + 1;
      while (j < n && isIdChar(sql.charCodeAt(j))) j++;
      if (j - i === 1 && (c === 120 || c === 88) && sql.charCodeAt(j) === 39) {
        i = skipQuoted(sql, j, 39); // blob literal x'…'
      } else {
        word = asciiUpper(sql.slice(i, j));
        tok = KEYWORD_TOKENS[word] ?? TK_OTHER;
        i = j;
      }
    } else if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = sql.charCodeAt(j);
        const prev = sql.charCodeAt(j - 1);
        if (isIdChar(d) || d === 46 || ((d === 43 || d === 45) && (prev === 101 || prev === 69))) j++;
        else break;
      }
      i = j;
    } else {
      i++;
    }

    const name = word === undefined ? quotedName : asciiLower(word);
    // A string literal is data wherever an expression stands (`where body like '%readfile%'`).
    if (name !== undefined && !isString && FORBIDDEN_NAMES.has(name))
      refuse(`${name} is not available on this server`);
    const token: NameToken = { word, name, string: isString, raw: sql.slice(start, i) };
    if (writesSchemaTable(recent, token)) refuse(`writing ${name} is not allowed on this server`);
    recent.push(token);
    if (recent.length > SCHEMA_WRITE_LOOKBACK) recent.shift();

    const row = COMPLETE_TRANS[state];
    state = row?.[tok] ?? 2;
    if (tok === TK_SEMI) {
      if (state === 1 && inStmt) {
        inStmt = false;
        endStatement();
      }
      continue;
    }
    if (!inStmt) {
      inStmt = true;
      info.statements++;
    }
    if (lead.length < LEAD_TOKENS) lead.push(token);
    if (info.statements !== 1) continue;
    if (word !== undefined && info.keywords.length < 2) info.keywords.push(word);
    if (param === undefined) continue;
    // expr.c, sqlite3ExprAssignVarNumber(): `?` takes the next index, `?NNN` sets it, a name keeps its first index
    let index: number;
    if (param === null) {
      index = info.params.length + 1;
    } else if (param.startsWith('?')) {
      index = Number(param.slice(1));
      if (!(index >= 1 && index <= MAX_VARIABLE_NUMBER)) {
        info.badParam = true;
        continue;
      }
    } else {
      index = info.names.get(param) ?? info.params.length + 1;
    }
    while (info.params.length < index) {
      info.params.push(null);
      info.used.push(false);
    }
    if (param !== null && !info.names.has(param)) {
      info.names.set(param, index);
      if (info.params[index - 1] === null) info.params[index - 1] = param;
    }
    info.used[index - 1] = true;
  }
  if (inStmt) endStatement();
  return info;
}

const sqlInfoCache = new Map<string, SqlInfo>();

/** SqlInfo is never mutated after analysis, so one per SQL text serves every connection. */
export function analyzeSqlCached(sql: string): SqlInfo {
  const hit = sqlInfoCache.get(sql);
  if (hit) return hit;
  const info = analyzeSql(sql);
  if (sql.length <= 16 * 1024) {
    sqlInfoCache.set(sql, info);
    if (sqlInfoCache.size > 500) {
      const oldest = sqlInfoCache.keys().next().value;
      if (oldest !== undefined) sqlInfoCache.delete(oldest);
    }
  }
  return info;
}
