/**
 * RPL4006: `has(x.f)` where `f` is a required field of an `x` that is itself always present is
 * always true.
 */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../../syntax/ast.js";
import { accessPath, hasArgument } from "../narrowing.js";
import type { CheckedPolicySet } from "../program.js";
import { visit } from "../typecheck-walk.js";
import type { LintContext } from "./index.js";

/** True when some read of the chain below `e` may be absent. */
function mayBeAbsent(checked: CheckedPolicySet, e: Expr): boolean {
  for (let cur: Expr = e; cur.kind === "Member" || cur.kind === "Index"; cur = cur.object) {
    if (checked.optionalReads.has(cur)) return true;
  }
  return false;
}

export function hasRequired({ checked, sites }: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of sites) {
    visit(site.expr, (e) => {
      const arg = hasArgument(e);
      if (!arg || e.kind !== "Call" || !checked.calls.has(e)) return;
      let name: string | undefined;
      if (arg.kind === "Member") name = arg.property.text;
      else if (arg.kind === "Index" && arg.index.kind === "String") name = arg.index.value;
      else return;
      if (mayBeAbsent(checked, arg.object)) return;
      const owner = checked.types.get(arg.object);
      const field =
        owner?.kind === "object" && Object.hasOwn(owner.fields, name) ? owner.fields[name] : undefined;
      if (field && !field.optional) {
        out.push(
          diag("RPL4006", e.span, [accessPath(arg) ?? name], {
            help: "remove the test, or make the field optional",
          }),
        );
      }
    });
  }
  return out;
}
