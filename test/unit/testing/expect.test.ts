import { describe, expect, it } from "vitest";
import type { Decision } from "../../../src/engine/decision.js";
import type { Expectation } from "../../../src/syntax/ast.js";
import { checkExpectation, checkExpectations, expectationText } from "../../../src/testing/expect.js";

const sp = { file: "t.rplc", start: 0, end: 0 };
const name = (text: string) => ({ kind: "Name" as const, text, span: sp });
const decisionIs = (d: "allow" | "block" | "require_approval", negated = false): Expectation => ({
  kind: "ExpectDecision",
  negated,
  decision: d,
  span: sp,
});
const ruleIs = (r: string, negated = false): Expectation => ({
  kind: "ExpectRule",
  negated,
  rule: name(r),
  span: sp,
});
const score = (op: "==" | "!=" | "<" | "<=" | ">" | ">=", v: number): Expectation => ({
  kind: "ExpectScore",
  op,
  value: { kind: "Number", value: v, raw: String(v), span: sp },
  span: sp,
});

const base: Decision = {
  decision: "REQUIRE_APPROVAL",
  score: 55,
  matched: [
    { rule: "prod_write", effect: "require_approval", reason: "writes need a DBA", location: "db.rplc:14:3" },
  ],
  risks: [
    { name: "destructive", weight: 40 },
    { name: "production", weight: 15 },
  ],
  approval: { approvers: ["dba"], timeout_ms: 1_800_000 },
  errors: [],
  policy: { hash: "sha256:x" },
};
const ctx = { active: new Set(["prod_write", "destructive", "production", "unbounded_delete", "flaky"]) };

describe("expectations", () => {
  it("prints each form as the formatter writes it", () => {
    expect(expectationText(decisionIs("require_approval"))).toBe("expect require approval");
    expect(expectationText(decisionIs("allow", true))).toBe("expect not allow");
    expect(expectationText(ruleIs("x", true))).toBe("expect not rule x");
    expect(expectationText(score(">=", 50))).toBe("expect score >= 50");
  });

  it("decisions and their negations", () => {
    expect(checkExpectation(decisionIs("require_approval"), base, ctx)).toBeUndefined();
    expect(checkExpectation(decisionIs("block"), base, ctx)).toBe(
      "expect block: the decision was REQUIRE_APPROVAL",
    );
    expect(checkExpectation(decisionIs("block", true), base, ctx)).toBeUndefined();
    expect(checkExpectation(decisionIs("require_approval", true), base, ctx)).toBe(
      "expect not require approval: the decision was REQUIRE_APPROVAL",
    );
  });

  it("rule NAME matches rules and risks by name", () => {
    expect(checkExpectation(ruleIs("prod_write"), base, ctx)).toBeUndefined();
    expect(checkExpectation(ruleIs("destructive"), base, ctx)).toBeUndefined();
    expect(checkExpectation(ruleIs("unbounded_delete"), base, ctx)).toBe(
      "expect rule unbounded_delete: `unbounded_delete` did not match",
    );
    expect(checkExpectation(ruleIs("unbounded_delete", true), base, ctx)).toBeUndefined();
    expect(checkExpectation(ruleIs("prod_write", true), base, ctx)).toBe(
      'expect not rule prod_write: `prod_write` matched (reason "writes need a DBA")',
    );
    expect(checkExpectation(ruleIs("production", true), base, ctx)).toBe(
      "expect not rule production: risk `production` held (weight 15)",
    );
  });

  it("says why a rule did not match: left out by except, or its evaluation failed", () => {
    expect(checkExpectation(ruleIs("select_star"), base, ctx)).toBe(
      "expect rule select_star: `select_star` did not match (it is left out of the policy set by `except`)",
    );
    const failed = { ...base, errors: [{ rule: "flaky", message: "division by zero" }] };
    expect(checkExpectation(ruleIs("flaky"), failed, ctx)).toBe(
      "expect rule flaky: `flaky` did not match (its evaluation failed: division by zero)",
    );
    const invalid: Decision = {
      ...base,
      decision: "BLOCK",
      matched: [],
      risks: [],
      errors: [{ message: "/args/sql: must be string" }],
    };
    expect(checkExpectation(ruleIs("prod_write"), invalid, ctx)).toBe(
      "expect rule prod_write: `prod_write` did not match (the request was not evaluated: it has errors)",
    );
  });

  it("score comparisons", () => {
    const cases: [Parameters<typeof score>[0], number, boolean][] = [
      ["==", 55, true],
      ["==", 54, false],
      ["!=", 55, false],
      ["<", 56, true],
      ["<", 55, false],
      ["<=", 55, true],
      [">", 55, false],
      [">", 54, true],
      [">=", 55, true],
      [">=", 56, false],
    ];
    for (const [op, v, ok] of cases) {
      const r = checkExpectation(score(op, v), base, ctx);
      if (ok) expect(r, `${op} ${v}`).toBeUndefined();
      else expect(r).toBe(`expect score ${op} ${v}: the score was 55`);
    }
  });

  it("checkExpectations keeps every failure in source order", () => {
    const all = [decisionIs("allow"), ruleIs("prod_write"), score("<", 10), ruleIs("nope_rule", true)];
    expect(checkExpectations(all, base, ctx)).toEqual([
      "expect allow: the decision was REQUIRE_APPROVAL",
      "expect score < 10: the score was 55",
    ]);
  });
});
