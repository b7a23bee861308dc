/**
 * The walk behind `sql.*`: from one parsed program, every statement's verb (nested ones too), the
 * tables it reads or writes, whether each UPDATE/DELETE has a WHERE, and whether it may write.
 * See sql.ts for the decisions this implements.
 *
 * sql-parser-cst's `cstVisitor` treats a callback that returns 1 as "skip the children"; this
 * file walks the tree itself instead, so no expression-bodied callback can cut a walk short.
 */
import type { Node, Program } from "sql-parser-cst";

export interface SqlFacts {
  readonly statements: number;
  readonly verb: string;
  readonly verbs: readonly string[];
  readonly tables: readonly string[];
  readonly hasWhere: boolean;
  readonly isWrite: boolean;
}

/** Verbs that never change data or schema (transaction control included). */
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

export function factsOf(program: Program): SqlFacts {
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
  return Object.freeze({
    statements,
    verb: first === undefined ? "" : verbOf(first),
    verbs: Object.freeze(verbs),
    tables: Object.freeze(tables),
    hasWhere,
    isWrite: writes,
  });
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
