/**
 * A property's `where` condition on one generated request, with the reference evaluator's
 * public pieces: `admit` (shape and schema checks, timestamps converted, exactly as a decision
 * sees the request) and `Evaluation` over the set's constants.
 *
 * A request the schemas reject is `"invalid"` (the generator produced something the schema does
 * not allow: it is discarded, never decided). A `where` whose evaluation fails at run time (a
 * native given input it cannot read) counts as not satisfied: the request is discarded too.
 */
import { Evaluation } from "../engine/evaluate.js";
import { admit, type Prepared } from "../engine/interpret.js";
import type { Expr } from "../syntax/ast.js";

export type WhereOutcome = "invalid" | "satisfied" | "unsatisfied";

export function evaluateWhere(p: Prepared, where: Expr | undefined, request: unknown): WhereOutcome {
  const a = admit(p, request);
  if (!a.ok) return "invalid";
  if (where === undefined) return "satisfied";
  try {
    return new Evaluation(p.constants, a).test(where) ? "satisfied" : "unsatisfied";
  } catch {
    return "unsatisfied";
  }
}
