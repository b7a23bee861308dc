/**
 * Decision assembly (LANGUAGE.md §3 steps 5–9), shared by the interpreter and the compiled
 * module so that both turn the same evaluation outcome into the identical Decision.
 *
 * During evaluation an engine collects, in policy-set order: the rules that held (`hold`), the
 * risks that held with their weights (`holdRisk`) and the errors (`fail`). The lists start as
 * null and are only allocated when something is added, so a request that matches nothing
 * allocates nothing until `finalize` builds the Decision.
 */
import type { ResolvedSettings } from "../check/program.js";
import type { Decision, DecisionError, DecisionKind, Effect, MatchedRisk, MatchedRule } from "./decision.js";
import { deepFreeze, RuntimeFault } from "./values.js";

/** A rule as the rule table lists it. `approvers`/`timeout_ms` only on `require approval` rules. */
export interface RuleEntry {
  readonly id: string;
  readonly effect: Effect;
  /** `path:line:column` of the rule's start. */
  readonly location: string;
  /** The approvers when they are a constant list (the usual case). */
  readonly approvers?: readonly string[];
  readonly timeout_ms?: number;
}

export interface RiskEntry {
  readonly id: string;
  readonly location: string;
}

/** What finalize needs to know about the policy set. */
export interface PolicyInfo {
  readonly hash: string;
  readonly settings: ResolvedSettings;
}

/** A rule that held, with its evaluated reason and approvers. */
export interface Held {
  readonly rule: RuleEntry;
  readonly reason: string;
  readonly approvers: readonly string[];
}

/**
 * Record that `rule` held. `reason` is its evaluated reason (null: the rule has none, or its
 * evaluation failed; the rule's name stands in); `approvers` overrides the table's constant.
 */
export function hold(
  list: Held[] | null,
  rule: RuleEntry,
  reason: string | null,
  approvers?: readonly string[],
): Held[] {
  const out = list ?? [];
  out.push({ rule, reason: reason ?? rule.id, approvers: approvers ?? rule.approvers ?? [] });
  return out;
}

/** Record that a risk held with `weight`; a weight that is not a finite number is a runtime error. */
export function holdRisk(list: MatchedRisk[] | null, risk: RiskEntry, weight: number): MatchedRisk[] {
  if (typeof weight !== "number" || !Number.isFinite(weight)) {
    throw new RuntimeFault(`risk weight ${String(weight)} is not a finite number`);
  }
  const out = list ?? [];
  out.push({ name: risk.id, weight });
  return out;
}

/** The message of an error thrown while evaluating a rule or risk. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    // RuntimeFault and NativeError carry messages written for users; anything else is a defect
    // or a hostile value (a stack overflow on a deeply nested value, a throwing getter).
    if (e.name === "RuntimeFault" || e.name === "NativeError") return e.message;
    return `internal error: ${e.message}`;
  }
  return `internal error: ${String(e)}`;
}

/** Record an error of the rule or risk named `name` (undefined: a request error). */
export function fail(list: DecisionError[] | null, name: string | undefined, e: unknown): DecisionError[] {
  const out = list ?? [];
  out.push(name === undefined ? { message: errorMessage(e) } : { rule: name, message: errorMessage(e) });
  return out;
}

const KIND: Readonly<Record<Effect, DecisionKind>> = {
  allow: "ALLOW",
  block: "BLOCK",
  require_approval: "REQUIRE_APPROVAL",
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The decisions for nothing held, no risk and no error: per policy, [declared action, unknown]. */
const quiet = new WeakMap<PolicyInfo, readonly [Decision, Decision]>();

/**
 * Steps 5–9. `unknown` says the action named no declared action type (step 2: the setting
 * `unknown_action` stands in for `default`).
 *
 * When nothing held, no risk held and there was no error, the decision depends on the policy and
 * `unknown` alone: it is made once, frozen, and returned on every such call, so that the usual
 * decision of a busy guard allocates nothing.
 */
export function finalize(
  policy: PolicyInfo,
  unknown: boolean,
  held: readonly Held[] | null,
  risks: readonly MatchedRisk[] | null,
  errors: readonly DecisionError[] | null,
): Decision {
  if (held === null && risks === null && errors === null) {
    let pair = quiet.get(policy);
    if (pair === undefined) {
      pair = [
        deepFreeze(assemble(policy, false, null, null, null)),
        deepFreeze(assemble(policy, true, null, null, null)),
      ];
      quiet.set(policy, pair);
    }
    return unknown ? pair[1] : pair[0];
  }
  return assemble(policy, unknown, held, risks, errors);
}

function assemble(
  policy: PolicyInfo,
  unknown: boolean,
  held: readonly Held[] | null,
  risks: readonly MatchedRisk[] | null,
  errors: readonly DecisionError[] | null,
): Decision {
  const s = policy.settings;
  // Step 5: the rule decision.
  let blocked = false;
  let approval = false;
  let allowed = false;
  const matched: MatchedRule[] = [];
  if (held !== null) {
    for (const h of held) {
      const effect = h.rule.effect;
      if (effect === "block") blocked = true;
      else if (effect === "require_approval") approval = true;
      else allowed = true;
      matched.push({ rule: h.rule.id, effect, reason: h.reason, location: h.rule.location });
    }
  }
  let decision: DecisionKind = blocked
    ? "BLOCK"
    : approval
      ? "REQUIRE_APPROVAL"
      : allowed
        ? "ALLOW"
        : KIND[unknown ? s.unknown_action : s.default];
  // Step 6: the risk decision; step 7: the more severe of the two.
  let sum = 0;
  if (risks !== null) for (const r of risks) sum += r.weight;
  const score = Math.min(100, Math.max(0, sum));
  if (score >= s.block_at) decision = "BLOCK";
  else if (score >= s.approval_at && decision === "ALLOW") decision = "REQUIRE_APPROVAL";
  // Step 8: any error forces on_error.
  const errorList = errors === null ? [] : [...errors];
  if (errorList.length > 0) decision = KIND[s.on_error];
  // Step 9: approval details, present exactly when the decision asks for one.
  let details: Decision["approval"] = null;
  if (decision === "REQUIRE_APPROVAL") {
    const approvers = new Set<string>();
    let timeout: number | undefined;
    if (held !== null) {
      for (const h of held) {
        if (h.rule.effect !== "require_approval") continue;
        for (const a of h.approvers) approvers.add(a);
        const t = h.rule.timeout_ms;
        if (t !== undefined && (timeout === undefined || t < timeout)) timeout = t;
      }
    }
    details = { approvers: [...approvers].sort(compareText), timeout_ms: timeout ?? s.approval_timeout };
  }
  return {
    decision,
    score,
    matched,
    risks: risks === null ? [] : risks.map((r) => ({ name: r.name, weight: r.weight })),
    approval: details,
    errors: errorList,
    policy: { hash: policy.hash },
  };
}
