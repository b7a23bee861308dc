/** stdlib/sql with its params: environments, protected tables, approvers, and what it lets through. */
import { beforeAll, expect, describe as group, it } from "vitest";
import { describe, type Engines, engines, packPath, rulesOf, userPolicy } from "./pack-harness.js";

const q = (sql: string) => ({ action: "db.query", args: { sql } });

let prod: Engines;
let dev: Engines;
let guarded: Engines;
beforeAll(async () => {
  prod = await engines({ files: [packPath("sql")] });
  dev = await engines(userPolicy('include "stdlib/sql" with { database_env: "dev" }'));
  guarded = await engines(
    userPolicy(
      'include "stdlib/sql" with { database_env: "staging", protected_tables: ["Users", "billing.invoices"], database_approvers: ["alice", "dba-oncall"] }',
    ),
  );
});

function both(e: Engines, sql: string) {
  const d = e.interpret(q(sql));
  expect(e.compiled(q(sql))).toEqual(d);
  return d;
}

group("stdlib/sql", () => {
  it("asks a DBA about a production DELETE, with the verb and table in the reason", () => {
    const d = both(prod, "DELETE FROM users WHERE last_login < '2023-01-01'");
    expect(d.decision).toBe("REQUIRE_APPROVAL");
    expect(d.matched.map((m) => [m.rule, m.reason])).toEqual([
      [
        "sql_production_write",
        "DELETE on users in the production database: writes to production need a DBA's approval",
      ],
    ]);
    expect(d.approval?.approvers).toEqual(["dba"]);
    expect(d.risks).toEqual([
      { name: "sql_destructive", weight: 30 },
      { name: "sql_production", weight: 20 },
    ]);
  });

  it("lets the same DELETE through in dev, scored", () => {
    const d = both(dev, "DELETE FROM users WHERE last_login < '2023-01-01'");
    expect(d.decision).toBe("ALLOW");
    expect(d.score).toBe(30);
  });

  it("blocks unbounded writes whatever the environment", () => {
    for (const sql of ["DELETE FROM users", "UPDATE users SET admin = true", "TRUNCATE users"]) {
      expect(both(dev, sql).decision, sql).toBe("BLOCK");
    }
  });

  it("catches always-true WHERE clauses across spacing, case and line breaks", () => {
    for (const sql of [
      "delete from t where 1 = 1;",
      "DELETE FROM t\n  WHERE\n\t1=1",
      "UPDATE t SET a = 1 WHERE TRUE RETURNING *",
      "DELETE FROM t WHERE 1",
      "DELETE FROM t WHERE '1'='1'",
    ]) {
      expect(rulesOf(both(dev, sql)), sql).toContain("sql_always_true_where");
    }
    for (const sql of [
      "DELETE FROM t WHERE 1=1 AND id = 4",
      "DELETE FROM t WHERE id = 1",
      "DELETE FROM t WHERE flag = true",
    ]) {
      expect(rulesOf(both(dev, sql)), sql).not.toContain("sql_always_true_where");
    }
  });

  it("blocks SQL it cannot parse with a reason and no evaluation error", () => {
    const d = both(dev, "DELET FROM users");
    expect(d.decision).toBe("BLOCK");
    expect(rulesOf(d)).toEqual(["sql_unparsable"]);
    expect(d.errors).toEqual([]);
  });

  it("allows reads, also in production", () => {
    for (const sql of [
      "SELECT * FROM users LIMIT 10",
      "WITH recent AS (SELECT * FROM orders WHERE created > now() - interval '1 day') SELECT count(*) FROM recent",
      "EXPLAIN SELECT 1",
      "SHOW search_path",
      "SELECT created_user FROM t",
    ]) {
      const d = both(prod, sql);
      expect(d.decision, `${sql}: ${describe(d)}`).toBe("ALLOW");
      expect(d.score).toBe(0);
    }
  });

  it("sends DDL, permission changes and write batches to review in dev too", () => {
    expect(rulesOf(both(dev, "CREATE INDEX i ON orders (created)"))).toEqual(["sql_schema_change"]);
    expect(rulesOf(both(dev, "create   role auditor"))).toContain("sql_permission_change");
    expect(rulesOf(both(dev, "GRANT ALL ON orders TO bob"))).toEqual(["sql_permission_change"]);
    const batch = both(dev, "BEGIN; DELETE FROM a WHERE id = 1; DELETE FROM b WHERE id = 1; COMMIT;");
    expect(batch.decision).toBe("REQUIRE_APPROVAL");
    expect(rulesOf(batch)).toEqual(["sql_multiple_statements"]);
    expect(batch.matched[0]?.reason).toBe(
      "4 statements in one query, and at least one writes: review them together (DELETE on a, b)",
    );
  });

  it("protects the listed tables, schema-qualified or not, whatever their case", () => {
    const write = both(guarded, "UPDATE public.users SET name = 'x' WHERE id = 1");
    expect(write.decision).toBe("REQUIRE_APPROVAL");
    expect(rulesOf(write)).toEqual(["sql_protected_table_write"]);
    expect(write.approval?.approvers).toEqual(["alice", "dba-oncall"]);
    expect(both(guarded, "ALTER TABLE billing.invoices ADD COLUMN x int").decision).toBe("BLOCK");
    expect(both(guarded, "DROP TABLE users").decision).toBe("BLOCK");
    // Another schema's `invoices` is not `billing.invoices`; an unrelated table is not protected.
    expect(rulesOf(both(guarded, "UPDATE sales.invoices SET x = 1 WHERE id = 2"))).toEqual([]);
    expect(both(guarded, "UPDATE orders SET x = 1 WHERE id = 2").decision).toBe("ALLOW");
  });

  it("is quiet about session statements", () => {
    expect(both(prod, "SET statement_timeout = 5000").matched).toEqual([]);
    expect(rulesOf(both(prod, "BEGIN"))).toEqual(["sql_read_only"]);
  });
});
