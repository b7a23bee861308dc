/**
 * The lints: warnings about policies that check but are probably wrong. One file per warning,
 * each a function of the checked policy set; every warning can be switched off by its code.
 * Warnings inside the standard packs are not reported: the user cannot fix them.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { CheckedPolicySet } from "../program.js";
import type { ResolvedSet } from "../resolved.js";
import { emptyApprovers } from "./empty-approvers.js";
import { type ExprSite, exprSites } from "./exprs.js";
import { hasRequired } from "./has-required.js";
import { neverHolds } from "./never-holds.js";
import { shadowedRule } from "./shadowed-rule.js";
import { unused } from "./unused.js";
import { zeroWeight } from "./zero-weight.js";

export interface LintContext {
  readonly checked: CheckedPolicySet;
  readonly resolved: ResolvedSet;
  /** Every expression of the set's files (computed once for all lints). */
  readonly sites: readonly ExprSite[];
}

export interface Lint {
  readonly code: string;
  readonly run: (ctx: LintContext) => Diagnostic[];
}

export const LINTS: readonly Lint[] = [
  { code: "RPL4001", run: neverHolds },
  { code: "RPL4002", run: shadowedRule },
  { code: "RPL4003", run: unused },
  { code: "RPL4004", run: zeroWeight },
  { code: "RPL4005", run: emptyApprovers },
  { code: "RPL4006", run: hasRequired },
];

export interface LintOptions {
  readonly disabledWarnings?: ReadonlySet<string>;
  /** Files whose warnings are not reported (the standard packs). */
  readonly quietFiles?: (path: string) => boolean;
}

export function runLints(
  input: { readonly checked: CheckedPolicySet; readonly resolved: ResolvedSet },
  options: LintOptions = {},
): Diagnostic[] {
  const ctx: LintContext = { ...input, sites: exprSites(input.checked.files) };
  const out: Diagnostic[] = [];
  for (const lint of LINTS) {
    if (options.disabledWarnings?.has(lint.code)) continue;
    for (const d of lint.run(ctx)) {
      if (d.span && options.quietFiles?.(d.span.file)) continue;
      out.push(d);
    }
  }
  return out;
}
