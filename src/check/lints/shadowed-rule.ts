/**
 * RPL4002: a rule after an unconditional rule (no `when`, no `unless`) of the same effect in the
 * same block (an `on` block, or the top level of a file) can never change the decision.
 */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { RuleInfo } from "../program.js";
import type { LintContext } from "./index.js";

export function shadowedRule({ checked, resolved }: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const always = new Map<unknown, Map<string, RuleInfo>>();
  for (const r of checked.rules) {
    const key = resolved.owners.get(r.node)?.node ?? `file:${r.file}`;
    let seen = always.get(key);
    if (!seen) {
      seen = new Map();
      always.set(key, seen);
    }
    const earlier = seen.get(r.effect);
    if (earlier) {
      out.push(
        diag("RPL4002", r.node.name.span, [r.name, earlier.name], {
          related: [{ span: earlier.node.name.span, message: "this rule always holds" }],
          help: "give the earlier rule a `when` condition, or remove this one",
        }),
      );
    } else if (!r.node.when && !r.node.unless) seen.set(r.effect, r);
  }
  return out;
}
