/** The examples of LANGUAGE.md §5–§7, put together as one policy set, check without errors. */
import { describe, expect, it } from "vitest";
import { checkText } from "./typecheck-helpers.js";

const LANGUAGE_EXAMPLES = `policy "acme/prod-db" version "1.4.0"

settings {
  default: allow             # allow | block | require_approval
  unknown_action: block
  approval_at: 50
  block_at: 90
  on_error: block
  approval_timeout: 1h
}

context {
  env: "dev" | "staging" | "production"
  agent: string
  user?: { id: string, roles: list<string> }
}

action db.query {
  sql: string
  database?: string
}
action fs.write { path: string, content: string }
action fs.delete { path: string }

let protected = ["users", "payments"]            # constant, folded at compile time
def internal(addr: string): bool = ends_with(lower(addr), "@acme.com")   # pure, no recursion

on db.query {
  let verb = sql.verb(args.sql)                  # local binding, computed once per decision

  block unbounded_delete
    when verb == "DELETE" and not sql.has_where(args.sql)
    reason "DELETE without WHERE removes every row"

  require approval prod_write
    when context.env == "production" and sql.is_write(args.sql)
    reason "writes to production need a DBA: " + join(sql.tables(args.sql), ", ")
    approvers ["dba"]
    timeout 30m

  allow reads when verb == "SELECT"

  risk destructive 40 when verb in ["DELETE", "DROP", "TRUNCATE"]
}

risk production 15 when context.env == "production"      # top level: applies to every action
block after_hours when hour(now, "Europe/Berlin") < 6 unless has(context.user) and "oncall" in context.user.roles

test "bulk delete is blocked" {
  request { action: "db.query", args: { sql: "DELETE FROM users" }, context: { env: "production", agent: "a" } }
  expect block
  expect rule unbounded_delete
}

property "nothing outside /tmp is ever deleted without a human" {
  for fs.delete where not path.within(args.path, "/tmp")
  expect not allow
  runs 2000
}
`;

describe("LANGUAGE.md §5–§7 examples", () => {
  const c = checkText(LANGUAGE_EXAMPLES);
  it("check without errors", () => {
    expect(c.found).toEqual([]);
    expect(c.value?.rules.map((r) => r.name)).toEqual([
      "unbounded_delete",
      "prod_write",
      "reads",
      "after_hours",
    ]);
    expect(c.value?.risks.map((r) => r.name)).toEqual(["destructive", "production"]);
  });
  it("warn only about the declarations the examples never use", () => {
    expect(c.warned).toEqual(["RPL4003@protected", "RPL4003@internal"]);
  });
});
