import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { project } from "./resolve-helpers.js";

const DB = `action db.query {
  sql: string
  database?: string
}
action fs.write { path: string, content: string }
action fs.delete { path: string }
`;

describe("resolve: a well-formed policy set", () => {
  const p = project({
    "policies/actions.rplc": DB,
    "policies/main.rplc": `policy "acme/prod" version "1.0.0"
include "stdlib/sql" with { protected_tables: ["users"] } except [select_star]
settings {
  default: block
  unknown_action: require_approval
  approval_at: 40
  block_at: 80
  on_error: allow
  approval_timeout: 30m
}
context {
  env: "dev" | "production"
  agent: string
}
let limit = 10
def internal(addr: string): bool = addr == "x"
on db.query {
  let verb = sql.verb(args.sql)
  block unbounded when verb == "DELETE"
  risk destructive 40 when verb == "DROP"
}
on fs.* {
  allow tmp when true
}
block top when false
test "t" {
  request { action: "db.query", args: { sql: "x" } }
  expect rule unbounded
  expect not rule select_star
}
property "p" {
  for fs.*
  expect not allow
}
`,
    "stdlib/sql.rplc": `param protected_tables: list<string> = []
param max_rows: number = 1000
on db.query {
  block select_star when true
  block protected when true
}
risk big 10 when true
`,
  });

  it("reports nothing", () => {
    expect(p.codes()).toEqual([]);
  });

  it("lists every file, includes too, sorted by display path", () => {
    expect(p.set.files.map((f) => f.path)).toEqual([
      "policies/actions.rplc",
      "policies/main.rplc",
      "stdlib/sql.rplc",
    ]);
    expect(p.set.sources.map((s) => s.path)).toEqual(p.set.files.map((f) => f.path));
  });

  it("fills the settings", () => {
    expect(p.set.settings).toEqual({
      default: "block",
      unknown_action: "require_approval",
      approval_at: 40,
      block_at: 80,
      on_error: "allow",
      approval_timeout: 1_800_000,
    });
  });

  it("types the context and the actions, sorted by name", () => {
    expect(p.set.context?.type).toEqual(
      T.object({
        env: { type: T.union(["dev", "production"]), optional: false },
        agent: { type: T.string, optional: false },
      }),
    );
    expect([...p.set.actions.keys()]).toEqual(["db.query", "fs.delete", "fs.write"]);
    const q = p.set.actions.get("db.query");
    expect(q?.type).toEqual(
      T.object({ sql: { type: T.string, optional: false }, database: { type: T.string, optional: true } }),
    );
    expect(q?.schema).toMatchObject({ type: "object", required: ["sql"] });
    expect(p.where(q?.span)).toBe("policies/actions.rplc:1:8");
  });

  it("orders rules and risks by file path, then position, leaving out excepted ones", () => {
    expect(p.set.rules.map((r) => [r.name, r.effect, r.actions, r.file])).toEqual([
      ["unbounded", "block", ["db.query"], "policies/main.rplc"],
      ["tmp", "allow", ["fs.delete", "fs.write"], "policies/main.rplc"],
      ["top", "block", null, "policies/main.rplc"],
      ["protected", "block", ["db.query"], "stdlib/sql.rplc"],
    ]);
    expect(p.set.risks.map((r) => [r.name, r.actions])).toEqual([
      ["destructive", ["db.query"]],
      ["big", null],
    ]);
    expect([...p.set.ruleNames].sort()).toEqual(
      ["big", "destructive", "protected", "select_star", "tmp", "top", "unbounded"].sort(),
    );
  });

  it("gives rules their block's locals and owner", () => {
    const unbounded = p.set.rules[0];
    expect(unbounded?.locals.map((l) => l.name.text)).toEqual(["verb"]);
    const owner = unbounded ? p.set.owners.get(unbounded.node) : undefined;
    expect(owner?.actions).toEqual(["db.query"]);
    const top = p.set.rules[2];
    expect(top ? p.set.owners.get(top.node) : undefined).toBeNull();
    expect(p.set.onBlocks.map((b) => [b.file, b.actions])).toEqual([
      ["policies/main.rplc", ["db.query"]],
      ["policies/main.rplc", ["fs.delete", "fs.write"]],
      ["stdlib/sql.rplc", ["db.query"]],
    ]);
  });

  it("binds params to their with values, else their defaults", () => {
    const tables = p.set.globals.get("protected_tables");
    expect(tables?.kind).toBe("param");
    if (tables?.kind !== "param") return;
    expect(tables.type).toEqual(T.list(T.string));
    expect(
      tables.value.kind === "List" && tables.value.items.map((i) => i.kind === "String" && i.value),
    ).toEqual(["users"]);
    const rows = p.set.globals.get("max_rows");
    expect(rows?.kind === "param" && rows.value.kind === "Number" && rows.value.value).toBe(1000);
    expect(p.set.globals.get("limit")?.kind).toBe("let");
    expect(p.set.globals.get("internal")?.kind).toBe("def");
  });

  it("collects tests and properties", () => {
    expect(p.set.tests.map((t) => t.name.value)).toEqual(["t"]);
    expect(p.set.properties.map((t) => t.name.value)).toEqual(["p"]);
  });
});

describe("resolve: defaults", () => {
  it("uses the default settings when there is no settings block", () => {
    const p = project({ "a.rplc": "block x" });
    expect(p.codes()).toEqual([]);
    expect(p.set.settings).toMatchObject({
      default: "allow",
      unknown_action: "block",
      approval_timeout: 3_600_000,
    });
    expect(p.set.context).toBeUndefined();
  });

  it("loads a file given and included only once", () => {
    const p = project({ "a.rplc": 'include "./b.rplc"\nblock a', "b.rplc": "block b" });
    expect(p.codes()).toEqual([]);
    expect(p.set.rules.map((r) => r.name)).toEqual(["a", "b"]);
  });

  it("reads sources given in memory", async () => {
    const { resolve } = await import("../../../src/check/resolve.js");
    const r = resolve(
      { sources: [{ path: "x/p.rplc", text: "action a.b { n: number }\non a.* { block r }" }] },
      { cwd: "/m" },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.value.files.map((f) => f.path)).toEqual(["x/p.rplc"]);
    expect(r.value.rules.map((x) => x.actions)).toEqual([["a.b"]]);
  });
});
