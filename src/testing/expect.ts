/**
 * `expect` forms (LANGUAGE.md §7) checked against a decision:
 *
 *   expect allow | block | require approval     the decision is that one
 *   expect not <decision>                       the decision is any other
 *   expect rule NAME                            a matched rule or a held risk has that name
 *   expect not rule NAME                        none has
 *   expect score OP N                           the score compares so (== != < <= > >=)
 *
 * Each failed expectation becomes one line: the expectation as written, then what happened
 * (`expect block: the decision was ALLOW`).
 */
import type { Decision, DecisionKind } from "../engine/decision.js";
import type { Expectation, ExpectDecision } from "../syntax/ast.js";
import { formatNumber } from "../syntax/print-expr.js";
import { DECISION_WORDS } from "../syntax/print-rule.js";

export const DECISION_OF: Readonly<Record<ExpectDecision, DecisionKind>> = {
  allow: "ALLOW",
  block: "BLOCK",
  require_approval: "REQUIRE_APPROVAL",
};

/** The expectation as the formatter writes it: `expect not rule prod_write`. */
export function expectationText(e: Expectation): string {
  switch (e.kind) {
    case "ExpectDecision":
      return `expect ${e.negated ? "not " : ""}${DECISION_WORDS[e.decision]}`;
    case "ExpectRule":
      return `expect ${e.negated ? "not " : ""}rule ${e.rule.text}`;
    case "ExpectScore":
      return `expect score ${e.op} ${e.value.raw}`;
  }
}

export interface ExpectContext {
  /** Names of the rules and risks that take part in decisions (not left out by `except`). */
  readonly active: ReadonlySet<string>;
}

/** What went wrong with `e`, or undefined when the decision meets it. */
export function checkExpectation(e: Expectation, d: Decision, ctx: ExpectContext): string | undefined {
  const text = expectationText(e);
  switch (e.kind) {
    case "ExpectDecision": {
      const is = d.decision === DECISION_OF[e.decision];
      return is === e.negated ? `${text}: the decision was ${d.decision}` : undefined;
    }
    case "ExpectRule": {
      const name = e.rule.text;
      const rule = d.matched.find((m) => m.rule === name);
      const risk = d.risks.find((r) => r.name === name);
      if (e.negated) {
        if (rule !== undefined) return `${text}: \`${name}\` matched (reason ${JSON.stringify(rule.reason)})`;
        if (risk !== undefined) return `${text}: risk \`${name}\` held (weight ${formatNumber(risk.weight)})`;
        return undefined;
      }
      if (rule !== undefined || risk !== undefined) return undefined;
      return `${text}: \`${name}\` did not match${whyNot(name, d, ctx)}`;
    }
    case "ExpectScore":
      return compare(d.score, e.op, e.value.value)
        ? undefined
        : `${text}: the score was ${formatNumber(d.score)}`;
  }
}

/** Every failed expectation, in source order. */
export function checkExpectations(
  expects: readonly Expectation[],
  d: Decision,
  ctx: ExpectContext,
): string[] {
  const out: string[] = [];
  for (const e of expects) {
    const problem = checkExpectation(e, d, ctx);
    if (problem !== undefined) out.push(problem);
  }
  return out;
}

function whyNot(name: string, d: Decision, ctx: ExpectContext): string {
  if (!ctx.active.has(name)) return " (it is left out of the policy set by `except`)";
  const own = d.errors.find((err) => err.rule === name);
  if (own !== undefined) return ` (its evaluation failed: ${own.message})`;
  if (d.errors.length > 0 && d.matched.length === 0 && d.risks.length === 0) {
    return " (the request was not evaluated: it has errors)";
  }
  return "";
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}
