import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPolicySet } from "../../../src/check/check.js";
import { prepare } from "../../../src/engine/interpret.js";
import type { Expectation } from "../../../src/syntax/ast.js";
import { testBlock } from "../../../src/testing/counterexample.js";
import { SchemaGen } from "../../../src/testing/generators.js";
import { collectLiterals } from "../../../src/testing/literals.js";
import { requestArbitrary } from "../../../src/testing/properties.js";
import { requestFromLiteral } from "../../../src/testing/request-literal.js";
import { checked, examplePolicies } from "./helpers.js";

const sp = { file: "x.rplc", start: 0, end: 0 };
const NOT_ALLOW: Expectation = { kind: "ExpectDecision", negated: true, decision: "allow", span: sp };
const RULE: Expectation = {
  kind: "ExpectRule",
  negated: false,
  rule: { kind: "Name", text: "tmp_cleanup", span: sp },
  span: sp,
};

describe("counterexample test blocks", () => {
  it("prints in the formatter's layout: one line when it fits, else one entry per line", () => {
    const short = testBlock("hole (counterexample)", { action: "fs.delete", args: { path: "/tmp/../a" } }, [
      NOT_ALLOW,
    ]);
    expect(short).toBe(
      [
        'test "hole (counterexample)" {',
        '  request { action: "fs.delete", args: { path: "/tmp/../a" } }',
        "  expect not allow",
        "}",
        "",
      ].join("\n"),
    );
    const long = testBlock(
      'a "quoted" name',
      {
        action: "db.query",
        args: { sql: "DELETE FROM users WHERE id = 1", "x-dry-run": "no", n: -2.5, tags: ["a", "b"] },
        context: { env: "production", agent: "cleanup-bot" },
        time: "2026-01-01T12:00:00Z",
      },
      [NOT_ALLOW, RULE],
    );
    expect(long).toBe(
      [
        'test "a \\"quoted\\" name" {',
        "  request {",
        '    action: "db.query",',
        '    args: { sql: "DELETE FROM users WHERE id = 1", "x-dry-run": "no", n: -2.5, tags: ["a", "b"] },',
        '    context: { env: "production", agent: "cleanup-bot" },',
        '    time: "2026-01-01T12:00:00Z",',
        "  }",
        "  expect not allow",
        "  expect rule tmp_cleanup",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("round trip: every generated request, printed as a test, checks and evaluates back to itself", () => {
    const set = examplePolicies();
    const gen = new SchemaGen(collectLiterals(set));
    const declarations = set.sources.map((s) => ({ path: s.path, text: s.text }));
    const actions = [...set.actions.keys()];
    fc.assert(
      fc.property(requestArbitrary(set, actions, gen), (request) => {
        const text = testBlock("round trip", request, [NOT_ALLOW]);
        const r = checkPolicySet(
          { sources: [...declarations, { path: "examples/policies/zz-round-trip.rplc", text }] },
          { cwd: process.cwd() },
        );
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        expect(
          errors.map((d) => `${d.code} ${d.message}`),
          text,
        ).toEqual([]);
        const test = r.value!.tests.find((t) => t.name.value === "round trip")!;
        expect(requestFromLiteral(prepare(r.value!), test.request)).toEqual({ ok: true, request });
      }),
      { numRuns: 25, seed: 9 },
    );
  });

  it("numbers print without exponents and read back equal", () => {
    const set = checked("action m.n { x: number }\n");
    for (const x of [0, 1e21, 123456789012, 0.25, -0.001, 1e-7, -42]) {
      const text = testBlock("n", { action: "m.n", args: { x } }, [NOT_ALLOW]);
      expect(text).not.toMatch(/\de/i);
      const again = checked(`action m.n { x: number }\n${text}`);
      const r = requestFromLiteral(prepare(again), again.tests[0]!.request);
      expect(r).toEqual({ ok: true, request: { action: "m.n", args: { x } } });
    }
    expect(set.actions.size).toBe(1);
  });
});
