import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { MAX_SQL_LENGTH, sqlFacts, sqlValid } from "../../../src/natives/sql.js";
import { call, native, sig, thrown } from "./helpers.js";

type Row = [
  sql: string,
  verb: string,
  verbs: string[],
  tables: string[],
  hasWhere: boolean,
  isWrite: boolean,
];

const POSTGRES: Row[] = [
  ["SELECT id, email FROM users WHERE id = $1", "SELECT", ["SELECT"], ["users"], true, false],
  [
    "select * from Public.Users u join orders o on o.user_id = u.id",
    "SELECT",
    ["SELECT"],
    ["public.users", "orders"],
    true,
    false,
  ],
  ["SELECT 'DELETE FROM x' AS s -- DROP TABLE y", "SELECT", ["SELECT"], [], true, false],
  ['SELECT "DROP" FROM "MyTable"', "SELECT", ["SELECT"], ["mytable"], true, false],
  ["/* DELETE FROM users */ SELECT 1", "SELECT", ["SELECT"], [], true, false],
  ["DELETE FROM users", "DELETE", ["DELETE"], ["users"], false, true],
  ["DELETE FROM users WHERE last_login < '2023-01-01'", "DELETE", ["DELETE"], ["users"], true, true],
  ["delete from sessions where true", "DELETE", ["DELETE"], ["sessions"], true, true],
  ["DELETE FROM a USING b WHERE a.id = b.id", "DELETE", ["DELETE"], ["a", "b"], true, true],
  ["UPDATE accounts SET balance = 0", "UPDATE", ["UPDATE"], ["accounts"], false, true],
  [
    "UPDATE t SET a = (SELECT max(b) FROM u) FROM v WHERE t.id = v.id",
    "UPDATE",
    ["UPDATE", "SELECT"],
    ["t", "u", "v"],
    true,
    true,
  ],
  [
    "WITH d AS (DELETE FROM users RETURNING id) SELECT count(*) FROM d",
    "SELECT",
    ["SELECT", "DELETE"],
    ["users"],
    false,
    true,
  ],
  [
    "WITH d AS (DELETE FROM public.users WHERE x = 1 RETURNING *) SELECT * FROM d JOIN audit a ON true",
    "SELECT",
    ["SELECT", "DELETE"],
    ["public.users", "audit"],
    true,
    true,
  ],
  [
    "WITH u AS (UPDATE t SET x = 1 RETURNING *) INSERT INTO log SELECT * FROM u",
    "INSERT",
    ["INSERT", "UPDATE", "SELECT"],
    ["t", "log"],
    false,
    true,
  ],
  [
    "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
    "SELECT",
    ["SELECT"],
    [],
    true,
    false,
  ],
  [
    "SELECT * FROM a WHERE id IN (SELECT id FROM b) AND EXISTS (SELECT 1 FROM c) UNION SELECT * FROM d",
    "SELECT",
    ["SELECT"],
    ["a", "b", "c", "d"],
    true,
    false,
  ],
  [
    "SELECT * FROM ONLY t, LATERAL (SELECT 1 FROM z) x, generate_series(1, 2) g",
    "SELECT",
    ["SELECT"],
    ["t", "z"],
    true,
    false,
  ],
  ["INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b')", "INSERT", ["INSERT"], ["users"], true, true],
  [
    "INSERT INTO t (a) SELECT a FROM u ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a",
    "INSERT",
    ["INSERT", "SELECT"],
    ["t", "u"],
    true,
    true,
  ],
  [
    "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
    "MERGE",
    ["MERGE"],
    ["t", "s"],
    true,
    true,
  ],
  ["DROP TABLE IF EXISTS a, b CASCADE", "DROP", ["DROP"], ["a", "b"], true, true],
  ["drop view reports", "DROP", ["DROP"], ["reports"], true, true],
  ["TRUNCATE users, orders", "TRUNCATE", ["TRUNCATE"], ["users", "orders"], true, true],
  ["ALTER TABLE public.users ADD COLUMN x int", "ALTER", ["ALTER"], ["public.users"], true, true],
  ["CREATE TABLE t AS SELECT * FROM u", "CREATE", ["CREATE", "SELECT"], ["t", "u"], true, true],
  ["CREATE INDEX idx ON users (email)", "CREATE", ["CREATE"], ["users"], true, true],
  ["CREATE VIEW v AS SELECT * FROM t", "CREATE", ["CREATE", "SELECT"], ["v", "t"], true, true],
  ["GRANT SELECT ON TABLE users TO bob", "GRANT", ["GRANT"], ["users"], true, true],
  ["REVOKE ALL ON users FROM bob", "REVOKE", ["REVOKE"], ["users"], true, true],
  ["SELECT * INTO backup FROM users", "SELECT", ["SELECT"], ["backup", "users"], true, true],
  ["EXPLAIN ANALYZE DELETE FROM t", "EXPLAIN", ["EXPLAIN", "DELETE"], ["t"], false, true],
  ["EXPLAIN SELECT * FROM t", "EXPLAIN", ["EXPLAIN", "SELECT"], ["t"], true, false],
  ["BEGIN; UPDATE a SET b = 1 WHERE c; COMMIT;", "BEGIN", ["BEGIN", "UPDATE", "COMMIT"], ["a"], true, true],
  ["select 1; drop table x; -- bye", "SELECT", ["SELECT", "DROP"], ["x"], true, true],
  ["SET search_path = evil", "SET", ["SET"], [], true, true],
  ["SHOW search_path", "SHOW", ["SHOW"], [], true, false],
  ["VALUES (1), (2)", "SELECT", ["SELECT"], [], true, false],
  ["TABLE users", "SELECT", ["SELECT"], ["users"], true, false],
  ["CALL refresh_everything()", "CALL", ["CALL"], [], true, true],
  ["SELECT pg_terminate_backend(123)", "SELECT", ["SELECT"], [], true, false],
  ["", "", [], [], true, false],
  ["-- nothing but a comment", "", [], [], true, false],
];

describe("sql facts (PostgreSQL)", () => {
  it.each(POSTGRES)("%s", (sql, verb, verbs, tables, hasWhere, isWrite) => {
    expect(call("sql.valid", sql)).toBe(true);
    expect(call("sql.verb", sql)).toBe(verb);
    expect(call("sql.verbs", sql)).toEqual(verbs);
    expect(call("sql.tables", sql)).toEqual(tables);
    expect(call("sql.has_where", sql)).toBe(hasWhere);
    expect(call("sql.is_write", sql)).toBe(isWrite);
  });

  it("counts statements, ignoring empty ones", () => {
    expect(call("sql.statements", "SELECT 1; ; SELECT 2;")).toBe(2);
    expect(call("sql.statements", "")).toBe(0);
  });
});

describe("dialects", () => {
  it.each([
    ["mysql", "REPLACE INTO t VALUES (1)", "REPLACE", ["t"], true],
    ["mysql", "SELECT * FROM `Orders` WHERE id = ?", "SELECT", ["orders"], false],
    ["mysql", "SELECT * FROM t INTO OUTFILE '/tmp/x'", "SELECT", ["t"], true],
    ["mysql", "DELETE FROM logs ORDER BY id LIMIT 10", "DELETE", ["logs"], true],
    [
      "sqlite",
      "SELECT * FROM t WHERE a = ? AND b = :b AND c = @c AND d = $d AND e = ?1",
      "SELECT",
      ["t"],
      false,
    ],
    ["sqlite", "PRAGMA writable_schema = 1", "PRAGMA", [], true],
    ["sqlite", "ATTACH DATABASE 'x.db' AS x", "ATTACH", [], true],
    ["postgresql", "SELECT $$ DELETE FROM x $$", "SELECT", [], false],
  ])("%s: %s", (dialect, sql, verb, tables, isWrite) => {
    expect(call("sql.verb", sql, dialect)).toBe(verb);
    expect(call("sql.tables", sql, dialect)).toEqual(tables);
    expect(call("sql.is_write", sql, dialect)).toBe(isWrite);
  });

  it("checks the dialect literal at compile time", () => {
    const verb = native("sql.verb");
    expect(verb.literalArgs).toEqual([1]);
    expect(verb.arity).toEqual([1, 2]);
    expect(verb.checkLiteral?.(1, "mysql")).toBeUndefined();
    expect(verb.checkLiteral?.(1, "oracle")).toBe(
      "unknown SQL dialect `oracle`: expected one of `postgresql`, `mysql`, `sqlite`",
    );
  });
});

describe("unreadable SQL", () => {
  it.each([
    ["SELEC * FROM users", 'cannot parse SQL as postgresql: unexpected "SELEC" at line 1, column 1'],
    ["SELECT * FROM\nWHERE", 'cannot parse SQL as postgresql: unexpected "WHERE" at line 2, column 1'],
    [
      "DELETE FROM users WHERE id = ?",
      "cannot parse SQL as postgresql: unexpected end of input at line 1, column 31",
    ],
    ["COPY users TO STDOUT", 'cannot parse SQL as postgresql: unexpected "COPY" at line 1, column 1'],
  ])("%j is an evaluation error, and not valid", (sql, message) => {
    expect(call("sql.valid", sql)).toBe(false);
    for (const name of [
      "sql.verb",
      "sql.verbs",
      "sql.tables",
      "sql.has_where",
      "sql.is_write",
      "sql.statements",
    ]) {
      expect(thrown(() => call(name, sql))).toBe(`NativeError: ${message}`);
    }
  });

  it("refuses text longer than the limit", () => {
    const long = `SELECT 1 ${"-".repeat(MAX_SQL_LENGTH)}`;
    expect(sqlValid(long)).toBe(false);
    expect(thrown(() => sqlFacts(long))).toBe(
      `NativeError: SQL text of ${long.length} characters is longer than ${MAX_SQL_LENGTH}`,
    );
  });
});

describe("caching and sharing", () => {
  it("returns the same frozen lists for the same input", () => {
    const a = call("sql.tables", "SELECT * FROM cached_table") as string[];
    const b = call("sql.tables", "SELECT * FROM cached_table") as string[];
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("keeps dialects apart in the cache", () => {
    expect(call("sql.valid", "SELECT * FROM t WHERE a = ?", "mysql")).toBe(true);
    expect(call("sql.valid", "SELECT * FROM t WHERE a = ?", "postgresql")).toBe(false);
  });
});

describe("signatures", () => {
  it("take a string and an optional dialect string", () => {
    expect(sig("sql.tables", T.string)).toEqual({ ok: true, result: T.list(T.string) });
    expect(sig("sql.verb", T.string, T.string)).toEqual({ ok: true, result: T.string });
    expect(sig("sql.has_where", T.any)).toEqual({ ok: true, result: T.bool });
    expect(sig("sql.statements", T.string)).toEqual({ ok: true, result: T.number });
    expect(sig("sql.is_write", T.number)).toEqual({
      ok: false,
      message: "expected `string`, found `number`",
      arg: 0,
    });
    expect(sig("sql.verb", T.string, T.bool)).toEqual({
      ok: false,
      message: "expected `string`, found `bool`",
      arg: 1,
    });
  });
});
