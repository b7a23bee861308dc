/** The Decision contract (LANGUAGE.md §2), identical from the interpreter and the compiled module. */

export type DecisionKind = "ALLOW" | "BLOCK" | "REQUIRE_APPROVAL";
export type Effect = "allow" | "block" | "require_approval";

export interface Request {
  action: string;
  args?: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** RFC 3339; the runtime fills in the current time when absent. */
  time?: string;
}

export interface MatchedRule {
  readonly rule: string;
  readonly effect: Effect;
  readonly reason: string;
  /** `path:line:column` where the rule starts (its effect keyword). */
  readonly location: string;
}

export interface MatchedRisk {
  readonly name: string;
  readonly weight: number;
}

export interface DecisionError {
  readonly rule?: string;
  readonly message: string;
}

/**
 * What `decide` returns: a read-only value. The decision for a request that matches no rule, raises
 * no risk and meets no error is the same frozen object on every call (one per policy, and one
 * more for an unknown action), so that such a decision allocates nothing; copy a decision
 * (`structuredClone`) to change it.
 */
export interface Decision {
  readonly decision: DecisionKind;
  readonly score: number;
  readonly matched: readonly MatchedRule[];
  readonly risks: readonly MatchedRisk[];
  readonly approval: { readonly approvers: readonly string[]; readonly timeout_ms: number } | null;
  readonly errors: readonly DecisionError[];
  readonly policy: { readonly hash: string };
}

export const SEVERITY: Readonly<Record<DecisionKind, number>> = { ALLOW: 0, REQUIRE_APPROVAL: 1, BLOCK: 2 };
