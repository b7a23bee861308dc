/** RPL4005: `approvers []` names nobody. */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { LintContext } from "./index.js";

export function emptyApprovers({ checked }: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of checked.rules) {
    const a = r.node.approvers;
    if (a?.kind === "List" && a.items.length === 0) {
      out.push(diag("RPL4005", a.span, [r.name], { help: "name who approves, or leave `approvers` out" }));
    }
  }
  return out;
}
