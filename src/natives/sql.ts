/**
 * `sql.*` over sql-parser-cst (a real parser: comments and string literals never confuse it,
 * `SELECT 'DELETE FROM x'` is a SELECT).
 *
 * Each native takes the SQL text and an optional dialect literal, `"postgresql"` (the default),
 * `"mysql"` or `"sqlite"`. Placeholders are accepted as the dialect's drivers send them: `$1` in
 * PostgreSQL, `?` in MySQL, `?`, `?1`, `:name`, `@name`, `$name` in SQLite.
 *
 * One parse gives every answer; the analysis (not the tree) is cached by dialect and text, and
 * the lists the natives return are frozen and shared between calls.
 * Decisions:
 *   - `verb` is the first statement's verb: `SELECT` for queries (also `WITH … SELECT`, `VALUES`,
 *     `TABLE t`), the statement's first keyword otherwise (`INSERT`, `REPLACE`, `UPDATE`, `DELETE`,
 *     `MERGE`, `DROP`, `TRUNCATE`, `ALTER`, `CREATE`, `GRANT`, `REVOKE`, `EXPLAIN`, `BEGIN`, `SET`, …);
 *     `""` when the text holds no statement (only comments).
 *   - `verbs` lists every statement's verb, nested ones included (DML inside a CTE, the statement
 *     under `EXPLAIN`, a trigger's body), deduplicated, in order: each top-level statement, then the
 *     statements inside it. `MERGE … THEN DELETE` is `MERGE`; an upsert is `INSERT`.
 *   - `tables` lists every table read or written, lower-cased, schema kept (`public.users`), in
 *     order of appearance, deduplicated; a name that refers to a CTE of the same statement is left
 *     out when read (never when written). Functions in FROM are not tables.
 *   - `has_where` is true when every UPDATE and DELETE, nested ones too, has a WHERE (`WHERE
 *     CURRENT OF` counts); true when there is none. TRUNCATE has no WHERE and is not counted.
 *   - `is_write` is true unless every statement's verb is read-only (SELECT, EXPLAIN, SHOW,
 *     DESCRIBE, and transaction control BEGIN/START/COMMIT/END/ROLLBACK/SAVEPOINT/RELEASE); DML in
 *     a CTE, `SELECT … INTO`, `EXPLAIN ANALYZE DELETE`, `SET`, DDL and GRANT are writes. Function
 *     calls are not inspected (`SELECT pg_terminate_backend(1)` reads).
 *   - Text the parser cannot read is an evaluation error (except in `sql.valid`). The parser does
 *     not know every statement (PostgreSQL `COPY`, `VACUUM`, `LOCK` fail): such text fails closed.
 */
import type { DialectName, ParserOptions, Program } from "sql-parser-cst";
import { T, type Type } from "../check/types.js";
import { CACHE_ENTRIES, LruCache, memo } from "./cache.js";
import { optStr, str } from "./guard.js";
import { lazy } from "./lazy.js";
import { mismatch, ok, P } from "./sig.js";
import { NativeError, type NativeFunction, type SignatureResult } from "./spec.js";
import { factsOf, type SqlFacts } from "./sql-analyze.js";

/** The parser, loaded on the first `sql.*` call (policies without SQL never pay for it). */
const sqlParser = lazy<typeof import("sql-parser-cst")>("sql-parser-cst");

export type { SqlFacts } from "./sql-analyze.js";

export const SQL_DIALECTS = ["postgresql", "mysql", "sqlite"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

type ParamType = NonNullable<ParserOptions["paramTypes"]>[number];

const PARAMS: Record<SqlDialect, ParamType[]> = {
  postgresql: ["$nr"],
  mysql: ["?"],
  sqlite: ["?", "?nr", ":name", "@name", "$name"],
};

/** Longest SQL text read; longer is an evaluation error. The parser needs about 10 µs per character. */
export const MAX_SQL_LENGTH = 65_536;

type Analysis =
  | { readonly ok: true; readonly facts: SqlFacts }
  | { readonly ok: false; readonly message: string };

/** One cache per dialect, keyed by the text itself (V8 caches a string's hash on the string). */
const caches: Record<SqlDialect, LruCache<string, Analysis>> = {
  postgresql: new LruCache(CACHE_ENTRIES),
  mysql: new LruCache(CACHE_ENTRIES),
  sqlite: new LruCache(CACHE_ENTRIES),
};

/** The facts about `sql`, or a NativeError when it cannot be parsed. */
export function sqlFacts(sql: string, dialect: string = "postgresql"): SqlFacts {
  const a = analyze(sql, dialect);
  if (!a.ok) throw new NativeError(a.message);
  return a.facts;
}

export function sqlValid(sql: string, dialect: string = "postgresql"): boolean {
  return analyze(sql, dialect).ok;
}

function analyze(sql: string, dialect: string): Analysis {
  if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) {
    throw new NativeError(`unknown SQL dialect \`${dialect}\``);
  }
  if (sql.length > MAX_SQL_LENGTH) {
    return { ok: false, message: `SQL text of ${sql.length} characters is longer than ${MAX_SQL_LENGTH}` };
  }
  return memo(caches[dialect as SqlDialect], sql, () => analyzeUncached(sql, dialect as SqlDialect));
}

function analyzeUncached(sql: string, dialect: SqlDialect): Analysis {
  let program: Program;
  try {
    program = sqlParser().parse(sql, { dialect: dialect as DialectName, paramTypes: PARAMS[dialect] });
  } catch (e) {
    return { ok: false, message: parseMessage(e, dialect) };
  }
  return { ok: true, facts: factsOf(program) };
}

function parseMessage(e: unknown, dialect: SqlDialect): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split("\n");
  const what = (lines[0] ?? "syntax error")
    .replace(/^Syntax Error: /, "")
    .replace(/^./, (c) => c.toLowerCase());
  const at = /^--> .*?:(\d+):(\d+)$/m.exec(text);
  return `cannot parse SQL as ${dialect}: ${what}${at ? ` at line ${at[1]}, column ${at[2]}` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// The natives

const dialectArg = {
  literalArgs: [1],
  checkLiteral: (index: number, value: string) =>
    index === 1 && !(SQL_DIALECTS as readonly string[]).includes(value)
      ? `unknown SQL dialect \`${value}\`: expected one of ${SQL_DIALECTS.map((d) => `\`${d}\``).join(", ")}`
      : undefined,
} as const;

function sqlSignature(result: Type): (args: readonly Type[]) => SignatureResult {
  return (args) => {
    for (let i = 0; i < args.length; i++) {
      const t = args[i]!;
      if (!P.string[0](t)) return mismatch(P.string[1], t, i);
    }
    return ok(result);
  };
}

const native = (
  name: string,
  doc: string,
  result: Type,
  impl: (sql: string, dialect?: string) => unknown,
): NativeFunction => ({
  name: `sql.${name}`,
  doc: `sql.${name}(sql: string, dialect?: "postgresql" | "mysql" | "sqlite"): ${doc}`,
  arity: [1, 2],
  signature: sqlSignature(result),
  ...dialectArg,
  impl: (sql: unknown, dialect?: unknown) => impl(str(sql, `sql.${name}`), optStr(dialect, `sql.${name}`)),
});

export const SQL_NATIVES: readonly NativeFunction[] = [
  {
    ...native(
      "valid",
      "bool — whether the text parses (false, never an error, for bad SQL)",
      T.bool,
      sqlValid,
    ),
    impl: (sql: unknown, dialect?: unknown) =>
      typeof sql === "string" && sqlValid(sql, optStr(dialect, "sql.valid")),
  },
  native(
    "verb",
    'string — the first statement\'s verb, upper-cased (`SELECT`, `DELETE`, `DROP`…; `""` when empty)',
    T.string,
    (s, d) => sqlFacts(s, d).verb,
  ),
  native(
    "verbs",
    "list<string> — the verbs of every statement, nested ones included (`WITH d AS (DELETE …) SELECT …` has DELETE)",
    T.list(T.string),
    (s, d) => sqlFacts(s, d).verbs,
  ),
  native(
    "statements",
    "number — how many statements the text holds",
    T.number,
    (s, d) => sqlFacts(s, d).statements,
  ),
  native(
    "tables",
    "list<string> — the tables read or written, lower-cased, schema kept (`public.users`), in order",
    T.list(T.string),
    (s, d) => sqlFacts(s, d).tables,
  ),
  native(
    "has_where",
    "bool — whether every UPDATE and DELETE, nested ones too, has a WHERE (true when there is none)",
    T.bool,
    (s, d) => sqlFacts(s, d).hasWhere,
  ),
  native(
    "is_write",
    "bool — whether any statement may change data or schema (DML, DDL, GRANT, DML in a CTE, SELECT INTO)",
    T.bool,
    (s, d) => sqlFacts(s, d).isWrite,
  ),
];
