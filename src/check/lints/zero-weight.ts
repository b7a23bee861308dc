/** RPL4004: a risk whose weight is the literal 0 never changes the score. */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../../syntax/ast.js";
import type { LintContext } from "./index.js";

function isZero(e: Expr): boolean {
  if (e.kind === "Number") return e.value === 0;
  return e.kind === "Unary" && e.op === "-" && isZero(e.operand);
}

export function zeroWeight({ checked }: LintContext): Diagnostic[] {
  return checked.risks
    .filter((r) => isZero(r.node.weight))
    .map((r) => diag("RPL4004", r.node.weight.span, [r.name]));
}
