import { beforeAll, describe, expect, it } from "vitest";
import { expandPaths } from "../../../src/check/files.js";
import { compile } from "../../../src/compile/compile.js";
import { loadPolicy } from "../../../src/engine/load.js";
import { initNatives } from "../../../src/natives/init.js";
import type { Decider } from "../../../src/testing/model.js";
import { runTests } from "../../../src/testing/runner.js";
import { checked, examplePolicies } from "./helpers.js";

beforeAll(async () => {
  await initNatives();
});

async function compiledExamples(): Promise<Decider> {
  const files = [...expandPaths(["examples/policies"], process.cwd()).files];
  const r = await compile({ files }, { cwd: process.cwd() });
  return loadPolicy(r.value!.code);
}

describe("running the example policy set", () => {
  it("every test and property passes with the interpreter", () => {
    const report = runTests(examplePolicies(), { seed: 1 });
    const failed = report.results.filter((r) => r.status === "failed");
    expect(failed.map((r) => `${r.name}: ${r.failures.join("; ")}`)).toEqual([]);
    expect(report.results.filter((r) => r.kind === "test")).toHaveLength(27);
    expect(report.results.filter((r) => r.kind === "property")).toHaveLength(2);
    expect(report.passed).toBe(29);
  });

  it("the compiled module passes them too, with the same decision for every test", async () => {
    const set = examplePolicies();
    const compiled = runTests(set, { seed: 1, runs: 300, decider: await compiledExamples() });
    const interpreted = runTests(set, { seed: 1, runs: 300 });
    expect(compiled.failed).toBe(0);
    for (const [i, r] of compiled.results.entries()) {
      const other = interpreted.results[i]!;
      expect(r.name).toBe(other.name);
      if (r.kind !== "test") continue;
      // Tests without `time` are decided at the current time: compare what time cannot change.
      const { policy: _p, ...a } = r.decision!;
      const { policy: _q, ...b } = other.decision!;
      expect(a, r.name).toEqual(b);
      expect(r.decision!.policy.hash).toBe(other.decision!.policy.hash);
    }
  });

  it("results follow policy-set order with locations", () => {
    const report = runTests(examplePolicies(), { seed: 1, runs: 10 });
    const files = report.results.map((r) => r.location.file);
    expect([...files].sort()).toEqual(files);
    expect(report.results[0]).toMatchObject({
      name: "an action type nobody declared is blocked",
      location: { file: "examples/policies/common.rplc", line: 41, column: 1 },
    });
  });
});

describe("failing tests", () => {
  const POLICY = `action db.query {
  sql: string
}

on db.query {
  block unbounded_delete when starts_with(args.sql, "DELETE") reason "no bulk deletes"
  allow reads when starts_with(args.sql, "SELECT")
  risk destructive 40 when starts_with(args.sql, "DELETE")
}

test "reads are blocked (wrong on purpose)" {
  request { action: "db.query", args: { sql: "SELECT 1" }, time: "2026-11-24T10:00:00Z" }
  expect block
  expect rule unbounded_delete
  expect score >= 10
}

test "a request against the schema" {
  request { action: "db.query", args: { sql: 42 }, time: "2026-11-24T10:00:00Z" }
  expect allow
}

test "a request against the schema, expected to block" {
  request { action: "db.query", args: { sql: 42 }, time: "2026-11-24T10:00:00Z" }
  expect block
}

test "deletes" {
  request { action: "db.query", args: { sql: "DELETE FROM t" }, time: "2026-11-24T10:00:00Z" }
  expect block
  expect rule destructive
  expect score == 40
}
`;

  it("report every failed expectation with the decision", () => {
    const report = runTests(checked(POLICY), { seed: 1 });
    expect(report.results.map((r) => r.status)).toEqual(["failed", "failed", "passed", "passed"]);
    expect(report.passed).toBe(2);
    expect(report.failed).toBe(2);
    const [wrong] = report.results;
    expect(wrong!.failures).toEqual([
      "expect block: the decision was ALLOW",
      "expect rule unbounded_delete: `unbounded_delete` did not match",
      "expect score >= 10: the score was 0",
    ]);
    expect(wrong!.decision?.matched.map((m) => m.rule)).toEqual(["reads"]);
    expect(wrong!.location).toEqual({ file: "p.rplc", line: 11, column: 1 });
  });

  it("a request that breaks the action's schema fails with the JSON pointer, not a crash", () => {
    const report = runTests(checked(POLICY), { seed: 1 });
    expect(report.results[1]!.failures).toEqual([
      "the decision has errors: /args/sql: must be string",
      "expect allow: the decision was BLOCK",
    ]);
  });

  it("--filter selects by name, case-insensitively; nothing matched is a note", () => {
    const set = checked(POLICY);
    expect(runTests(set, { seed: 1, filter: "DELETES" }).results.map((r) => r.name)).toEqual(["deletes"]);
    const none = runTests(set, { seed: 1, filter: "nope" });
    expect(none.results).toEqual([]);
    expect(none.notes).toEqual(["no test or property matches --filter 'nope'"]);
    expect(none.seed).toBeNull();
  });
});
