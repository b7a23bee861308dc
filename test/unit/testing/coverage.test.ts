import { describe, expect, it } from "vitest";
import { runTests } from "../../../src/testing/runner.js";
import { checked } from "./helpers.js";

const POLICY = `action db.query {
  sql: string
}

on db.query {
  block deletes when starts_with(args.sql, "DELETE")
  allow reads when starts_with(args.sql, "SELECT")
  require approval drops when starts_with(args.sql, "DROP")
  risk destructive 40 when starts_with(args.sql, "DELETE")
  risk never_tested 5 when args.sql == "VACUUM"
}

test "deletes" {
  request { action: "db.query", args: { sql: "DELETE FROM t" }, time: "2026-11-24T10:00:00Z" }
  expect block
}

test "reads" {
  request { action: "db.query", args: { sql: "SELECT 1" }, time: "2026-11-24T10:00:00Z" }
  expect allow
}
`;

describe("coverage", () => {
  it("counts rules and risks matched by any decision, and lists the others in policy order", () => {
    const report = runTests(checked(POLICY), { seed: 1, coverage: true });
    expect(report.coverage).toEqual({
      total: 5,
      matched: 3,
      percent: 60,
      unmatched: [
        { kind: "rule", name: "drops", location: { file: "p.rplc", line: 8, column: 3 } },
        { kind: "risk", name: "never_tested", location: { file: "p.rplc", line: 10, column: 3 } },
      ],
      ok: true,
    });
  });

  it("--min-coverage fails below the percentage and passes at it", () => {
    const set = checked(POLICY);
    expect(runTests(set, { seed: 1, minCoverage: 60 }).coverage).toMatchObject({ ok: true, minimum: 60 });
    expect(runTests(set, { seed: 1, minCoverage: 60.1 }).coverage).toMatchObject({
      ok: false,
      minimum: 60.1,
    });
  });

  it("property runs and replayed requests count; filtered-out tests do not", () => {
    const set = checked(`${POLICY}
property "drops wait" {
  for db.query where starts_with(args.sql, "DROP")
  expect require approval
  runs 20
}
`);
    const withProperty = runTests(set, { seed: 1, coverage: true });
    expect(withProperty.coverage?.unmatched.map((u) => u.name)).toEqual(["never_tested"]);
    const replayed = runTests(set, {
      seed: 1,
      filter: "reads",
      coverage: true,
      fixtures: {
        file: "r.jsonl",
        fixtures: [{ line: 1, request: { action: "db.query", args: { sql: "VACUUM" } }, expected: "ALLOW" }],
      },
    });
    expect(replayed.coverage?.unmatched.map((u) => u.name)).toEqual(["deletes", "drops", "destructive"]);
  });

  it("is absent unless asked for; a set with nothing to cover is 100%", () => {
    expect(runTests(checked(POLICY), { seed: 1 }).coverage).toBeUndefined();
    expect(
      runTests(checked("action a.b { x: string }\n"), { seed: 1, coverage: true }).coverage,
    ).toMatchObject({
      total: 0,
      percent: 100,
    });
  });
});
