import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type ResolvedSettings } from "../../../src/check/program.js";
import type { DecisionError, MatchedRisk, MatchedRule } from "../../../src/engine/decision.js";
import {
  errorMessage,
  fail,
  finalize,
  hold,
  holdRisk,
  type RuleEntry,
} from "../../../src/engine/finalize.js";
import { RuntimeFault } from "../../../src/engine/values.js";
import { NativeError } from "../../../src/natives/spec.js";

const policy = (s: Partial<ResolvedSettings> = {}) => ({
  hash: "sha256:x",
  settings: { ...DEFAULT_SETTINGS, ...s },
});
const rule = (id: string, effect: RuleEntry["effect"], extra: Partial<RuleEntry> = {}): RuleEntry => ({
  id,
  effect,
  location: `p.rplc:1:${id.length}`,
  ...extra,
});

describe("finalize", () => {
  it("nothing held: settings.default, or unknown_action for an undeclared action", () => {
    expect(finalize(policy(), false, null, null, null).decision).toBe("ALLOW");
    expect(finalize(policy(), true, null, null, null).decision).toBe("BLOCK");
    expect(finalize(policy({ default: "require_approval" }), false, null, null, null)).toEqual({
      decision: "REQUIRE_APPROVAL",
      score: 0,
      matched: [],
      risks: [],
      approval: { approvers: [], timeout_ms: 3_600_000 },
      errors: [],
      policy: { hash: "sha256:x" },
    });
  });

  it("block > require approval > allow, whatever the order they held in", () => {
    const held = hold(
      hold(hold(null, rule("a", "allow"), null), rule("b", "block"), "why"),
      rule("c", "require_approval"),
      null,
    );
    const d = finalize(policy(), false, held, null, null);
    expect(d.decision).toBe("BLOCK");
    expect(d.matched).toEqual([
      { rule: "a", effect: "allow", reason: "a", location: "p.rplc:1:1" },
      { rule: "b", effect: "block", reason: "why", location: "p.rplc:1:1" },
      { rule: "c", effect: "require_approval", reason: "c", location: "p.rplc:1:1" },
    ]);
    expect(d.approval).toBeNull();
  });

  it("the score is the clamped sum and is compared with approval_at and block_at", () => {
    const risks = (...w: number[]): MatchedRisk[] =>
      w.reduce<MatchedRisk[] | null>((l, x, i) => holdRisk(l, { id: `r${i}`, location: "" }, x), null) ?? [];
    expect(finalize(policy(), false, null, risks(30, 19.5), null)).toMatchObject({
      decision: "ALLOW",
      score: 49.5,
    });
    expect(finalize(policy(), false, null, risks(30, 20), null)).toMatchObject({
      decision: "REQUIRE_APPROVAL",
      score: 50,
    });
    expect(finalize(policy(), false, null, risks(60, 60), null)).toMatchObject({
      decision: "BLOCK",
      score: 100,
    });
    expect(finalize(policy(), false, null, risks(-60, 20), null)).toMatchObject({
      decision: "ALLOW",
      score: 0,
    });
    // The risk decision never lowers a rule decision.
    const blocked = hold(null, rule("b", "block"), null);
    expect(finalize(policy(), false, blocked, risks(55), null).decision).toBe("BLOCK");
    // The score raises an unknown action's decision only when unknown_action is less severe.
    expect(finalize(policy(), true, null, risks(55), null).decision).toBe("BLOCK");
    expect(finalize(policy({ unknown_action: "allow" }), true, null, risks(55), null).decision).toBe(
      "REQUIRE_APPROVAL",
    );
  });

  it("a weight that is not a finite number is a runtime error", () => {
    expect(() => holdRisk(null, { id: "r", location: "" }, Number.POSITIVE_INFINITY)).toThrow(RuntimeFault);
    expect(() => holdRisk(null, { id: "r", location: "" }, Number.NaN)).toThrow("is not a finite number");
  });

  it("approval: sorted union of approvers, smallest timeout, only from approval rules", () => {
    let held = hold(null, rule("a", "require_approval", { approvers: ["sre", "lead"], timeout_ms: 9 }), null);
    held = hold(held, rule("b", "require_approval", { approvers: ["ciso"] }), null, ["lead", "Zed"]);
    held = hold(held, rule("c", "allow", { approvers: ["nobody"], timeout_ms: 1 }), null);
    const d = finalize(policy({ approval_timeout: 100 }), false, held, null, null);
    expect(d.approval).toEqual({ approvers: ["Zed", "lead", "sre"], timeout_ms: 9 });
    const none = hold(null, rule("a", "require_approval"), null);
    expect(finalize(policy({ approval_timeout: 100 }), false, none, null, null).approval).toEqual({
      approvers: [],
      timeout_ms: 100,
    });
  });

  it("any error forces on_error, whatever the rules said", () => {
    const allowed = hold(null, rule("a", "allow"), null);
    const errors = fail(null, "a", new RuntimeFault("division by zero"));
    expect(finalize(policy(), false, allowed, null, errors)).toMatchObject({
      decision: "BLOCK",
      errors: [{ rule: "a", message: "division by zero" }],
    });
    const d = finalize(policy({ on_error: "require_approval" }), false, allowed, null, errors);
    expect(d.decision).toBe("REQUIRE_APPROVAL");
    expect(d.approval).toEqual({ approvers: [], timeout_ms: 3_600_000 });
    expect(
      finalize(policy({ on_error: "allow" }), false, hold(null, rule("b", "block"), null), null, errors)
        .decision,
    ).toBe("ALLOW");
  });

  it("error messages: user-facing errors as they are, anything else marked internal", () => {
    expect(errorMessage(new NativeError("cannot parse SQL"))).toBe("cannot parse SQL");
    expect(errorMessage(new RuntimeFault('missing field "x"'))).toBe('missing field "x"');
    expect(errorMessage(new TypeError("boom"))).toBe("internal error: boom");
    expect(errorMessage("str")).toBe("internal error: str");
    expect(fail(null, undefined, new RuntimeFault("x"))).toEqual([{ message: "x" }]);
  });

  it("the decision never shares the caller's lists", () => {
    const risks = holdRisk(null, { id: "r", location: "" }, 1);
    const errors = fail(null, "r", new RuntimeFault("e"));
    const d = finalize(policy(), false, null, risks, errors);
    (d.risks as MatchedRisk[]).push({ name: "x", weight: 1 });
    (d.errors as DecisionError[]).push({ message: "y" });
    expect(risks).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it("returns one frozen decision per policy when nothing held, no risk and no error", () => {
    const p = policy();
    const known = finalize(p, false, null, null, null);
    expect(finalize(p, false, null, null, null)).toBe(known);
    expect(Object.isFrozen(known) && Object.isFrozen(known.matched) && Object.isFrozen(known.policy)).toBe(
      true,
    );
    expect(() => (known.matched as MatchedRule[]).push({} as MatchedRule)).toThrow(TypeError);
    const unknown = finalize(p, true, null, null, null);
    expect(unknown).not.toBe(known);
    expect(finalize(p, true, null, null, null)).toBe(unknown);
    expect(finalize(policy(), false, null, null, null)).not.toBe(known);
    expect(known).toEqual({
      decision: "ALLOW",
      score: 0,
      matched: [],
      risks: [],
      approval: null,
      errors: [],
      policy: { hash: p.hash },
    });
    // Anything held, any risk or error: a fresh decision.
    const held = finalize(
      p,
      false,
      hold(null, { id: "a", effect: "allow", location: "x" }, null),
      null,
      null,
    );
    expect(held).not.toBe(
      finalize(p, false, hold(null, { id: "a", effect: "allow", location: "x" }, null), null, null),
    );
    expect(Object.isFrozen(held)).toBe(false);
  });
});
