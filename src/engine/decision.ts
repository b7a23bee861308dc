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
  rule: string;
  effect: Effect;
  reason: string;
  /** `path:line:column` where the rule starts (its effect keyword). */
  location: string;
}

export interface MatchedRisk {
  name: string;
  weight: number;
}

export interface DecisionError {
  rule?: string;
  message: string;
}

export interface Decision {
  decision: DecisionKind;
  score: number;
  matched: MatchedRule[];
  risks: MatchedRisk[];
  approval: { approvers: string[]; timeout_ms: number } | null;
  errors: DecisionError[];
  policy: { hash: string };
}

export const SEVERITY: Readonly<Record<DecisionKind, number>> = { ALLOW: 0, REQUIRE_APPROVAL: 1, BLOCK: 2 };
