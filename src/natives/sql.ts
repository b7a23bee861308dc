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
import { type DialectName, type Node, type ParserOptions, parse } from "sql-parser-cst";
import { T, type Type } from "../check/types.js";
import { CACHE_ENTRIES, LruCache, memo } from "./cache.js";
import { optStr, str } from "./guard.js";
import { mismatch, ok, P } from "./sig.js";
import { NativeError, type NativeFunction, type SignatureResult } from "./spec.js";

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

export interface SqlFacts {
  readonly statements: number;
  readonly verb: string;
  readonly verbs: readonly string[];
  readonly tables: readonly string[];
  readonly hasWhere: boolean;
  readonly isWrite: boolean;
}

type Analysis =
  | { readonly ok: true; readonly facts: SqlFacts }
  | { readonly ok: false; readonly message: string };

const READ_ONLY = new Set([
  "SELECT",
  "EXPLAIN",
  "SHOW",
  "DESCRIBE",
  "DESC",
  "BEGIN",
  "START",
  "COMMIT",
  "END",
  "ROLLBACK",
  "SAVEPOINT",
  "RELEASE",
]);

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
  let program: ReturnType<typeof parse>;
  try {
    program = parse(sql, { dialect: dialect as DialectName, paramTypes: PARAMS[dialect] });
  } catch (e) {
    return { ok: false, message: parseMessage(e, dialect) };
  }
  const verbs: string[] = [];
  const tables: string[] = [];
  let statements = 0;
  let hasWhere = true;
  let writes = false;
  for (const stmt of program.statements) {
    if (stmt.type === "empty") continue;
    statements++;
    const ctx: Ctx = { verbs: [], refs: [], ctes: new Set(), hasWhere: true, intoWrite: false };
    visit(stmt as AnyNode, ctx);
    for (const v of ctx.verbs) if (!verbs.includes(v)) verbs.push(v);
    for (const r of ctx.refs) {
      if (!r.write && !r.name.includes(".") && ctx.ctes.has(r.name)) continue;
      if (!tables.includes(r.name)) tables.push(r.name);
    }
    hasWhere &&= ctx.hasWhere;
    writes ||= ctx.intoWrite || ctx.verbs.some((v) => !READ_ONLY.has(v));
  }
  const first = program.statements.find((s) => s.type !== "empty");
  return {
    ok: true,
    facts: Object.freeze({
      statements,
      verb: first === undefined ? "" : verbOf(first),
      verbs: Object.freeze(verbs),
      tables: Object.freeze(tables),
      hasWhere,
      isWrite: writes,
    }),
  };
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

interface Ctx {
  readonly verbs: string[];
  readonly refs: { name: string; write: boolean }[];
  readonly ctes: Set<string>;
  hasWhere: boolean;
  intoWrite: boolean;
}

type AnyNode = Node & Record<string, unknown>;

function isNode(x: unknown): x is AnyNode {
  return typeof x === "object" && x !== null && typeof (x as { type?: unknown }).type === "string";
}

function visit(node: AnyNode, ctx: Ctx): void {
  const type = node.type;
  if (type.endsWith("_stmt")) {
    const verb = verbOf(node);
    if (!ctx.verbs.includes(verb)) ctx.verbs.push(verb);
    if (type === "update_stmt" || type === "delete_stmt") {
      const clauses = node.clauses as readonly Node[];
      if (!clauses.some((c) => c.type === "where_clause" || c.type === "where_current_of_clause")) {
        ctx.hasWhere = false;
      }
    }
  }
  collectTables(node, ctx);
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, ctx);
    } else if (isNode(value)) visit(value, ctx);
  }
}

/** Fields that name tables, by node type, and whether the statement writes them. */
const TABLE_FIELDS: Readonly<Record<string, readonly (readonly [field: string, write: boolean])[]>> = {
  from_clause: [["expr", false]],
  table_clause: [["table", false]],
  delete_clause: [["tables", true]],
  update_clause: [["tables", true]],
  truncate_stmt: [["tables", true]],
  drop_table_stmt: [["tables", true]],
  analyze_stmt: [["tables", true]],
  grant_resource_table: [["tables", true]],
  drop_view_stmt: [["views", true]],
  grant_resource_view: [["views", true]],
  insert_clause: [["table", true]],
  alter_table_stmt: [["table", true]],
  create_index_stmt: [["table", true]],
  create_table_stmt: [["name", true]],
  create_view_stmt: [["name", true]],
  alter_view_stmt: [["name", true]],
  refresh_materialized_view_stmt: [["name", true]],
  into_table_clause: [["name", true]],
  rename_action: [
    ["from", true],
    ["to", true],
  ],
  merge_clause: [
    ["target", true],
    ["source", false],
  ],
};

/** Clauses that make a SELECT write: `SELECT … INTO t`, MySQL `INTO OUTFILE`/`DUMPFILE`. */
const INTO_CLAUSES = new Set(["into_table_clause", "into_outfile_clause", "into_dumpfile_clause"]);

function collectTables(node: AnyNode, ctx: Ctx): void {
  if (node.type === "common_table_expr") {
    const name = nameOf(node.table);
    if (name !== undefined) ctx.ctes.add(name);
    return;
  }
  if (INTO_CLAUSES.has(node.type)) ctx.intoWrite = true;
  for (const [field, write] of TABLE_FIELDS[node.type] ?? []) tableRefs(node[field], ctx, write);
}

/** Fields holding the table of a table expression wrapper. */
const WRAPPED_TABLE: Readonly<Record<string, string>> = {
  alias: "expr",
  paren_expr: "expr",
  table_with_inheritance: "table",
  table_without_inheritance: "table",
  indexed_table: "table",
  not_indexed_table: "table",
  partitioned_table: "table",
  pivot_expr: "left",
  unpivot_expr: "left",
  tablesample_expr: "left",
  for_system_time_as_of_expr: "left",
};

/** Record the tables of a table expression; subqueries, table functions and VALUES are not tables. */
function tableRefs(x: unknown, ctx: Ctx, write: boolean): void {
  if (!isNode(x)) return;
  if (x.type === "identifier" || x.type === "member_expr") {
    const name = nameOf(x);
    if (name !== undefined) ctx.refs.push({ name, write });
  } else if (x.type === "list_expr") {
    for (const item of x.items as unknown[]) tableRefs(item, ctx, write);
  } else if (x.type === "join_expr") {
    tableRefs(x.left, ctx, write);
    tableRefs(x.right, ctx, write);
  } else {
    const field = WRAPPED_TABLE[x.type];
    if (field !== undefined) tableRefs(x[field], ctx, write);
  }
}

/** `users`, `public.users` (lower-cased); undefined for anything that is not a plain name. */
function nameOf(x: unknown): string | undefined {
  if (!isNode(x)) return undefined;
  if (x.type === "identifier") return (x.name as string).toLowerCase();
  if (x.type === "member_expr") {
    const object = nameOf(x.object);
    const property = isNode(x.property) && x.property.type === "identifier" ? nameOf(x.property) : undefined;
    return object !== undefined && property !== undefined ? `${object}.${property}` : undefined;
  }
  return undefined;
}

/** SELECT for queries; otherwise the statement's first keyword (after any WITH clause). */
function verbOf(stmt: Node): string {
  if (stmt.type === "select_stmt" || stmt.type === "compound_select_stmt") return "SELECT";
  return (
    firstKeyword(stmt as AnyNode) ??
    stmt.type
      .replace(/_stmt$/, "")
      .split("_")[0]!
      .toUpperCase()
  );
}

function firstKeyword(node: AnyNode): string | undefined {
  if (node.type === "keyword") return (node.name as string).split(" ")[0]!.toUpperCase();
  if (node.type === "with_clause") return undefined;
  for (const key in node) {
    const value = node[key];
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (!isNode(item)) continue;
      const found = firstKeyword(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
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
