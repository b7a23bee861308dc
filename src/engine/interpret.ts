/**
 * The reference interpreter: decides requests directly over a CheckedPolicySet. It is the oracle
 * of the differential tests and what `rplc eval --interpret` and `rplc test` run.
 *
 * Decision procedure (LANGUAGE.md §3), with what the language page leaves open:
 * - Step 1 (shape) and step 3 (schemas): a request with such an error is not evaluated at all
 *   (`matched` and `risks` are empty, `score` is 0): policies only ever see well-typed values.
 *   Both `args` and `context` are validated; each reports its first violation.
 * - Step 4: rules and risks are evaluated in policy-set order (file path, then position), every
 *   one of them even after an error. A rule's `unless` is only evaluated when its `when` held;
 *   a rule or risk whose evaluation failed does not hold (its error is recorded under its name).
 *   A rule that held has its `reason` evaluated; if that fails, the error is recorded and the
 *   rule's name stands in. A risk that held has its weight evaluated (a failure: not held).
 * - Steps 5–9: finalize.ts.
 */
import type { CheckedPolicySet } from "../check/program.js";
import { validatorFor } from "../compile/validators.js";
import { SourceFile } from "../diagnostics/source.js";
import type { Expr, RiskDecl, RuleDecl } from "../syntax/ast.js";
import type { Decision, DecisionError, MatchedRisk } from "./decision.js";
import { Constants, Evaluation } from "./evaluate.js";
import {
  fail,
  finalize,
  type Held,
  hold,
  holdRisk,
  type PolicyInfo,
  type RiskEntry,
  type RuleEntry,
} from "./finalize.js";
import { policyHash } from "./hash.js";
import { argsOf, contextOf, requestTime, shapeErrors, validate } from "./request.js";
import { convertTimes, type TimePlan, timePlan } from "./values.js";

/** A rule or risk in evaluation order, with what it applies to. */
export type Item =
  | {
      readonly kind: "rule";
      readonly node: RuleDecl;
      readonly entry: RuleEntry;
      readonly actions: ReadonlySet<string> | null;
    }
  | {
      readonly kind: "risk";
      readonly node: RiskDecl;
      readonly entry: RiskEntry;
      readonly actions: ReadonlySet<string> | null;
    };

export interface Prepared {
  readonly set: CheckedPolicySet;
  readonly policy: PolicyInfo;
  readonly items: readonly Item[];
  readonly constants: Constants;
  readonly argPlans: ReadonlyMap<string, TimePlan | undefined>;
  readonly contextPlan: TimePlan | undefined;
}

export interface DecideOptions {
  /** The clock for requests without `time` (default: `Date.now`). */
  readonly clock?: () => number;
}

export interface Interpreter {
  readonly hash: string;
  decide(request: unknown): Decision;
}

/** `path:line:column` of an offset in one of the set's sources. */
export function locator(set: CheckedPolicySet): (file: string, offset: number) => string {
  const files = new Map(set.sources.map((s) => [s.path, new SourceFile(s.path, s.text)]));
  return (file, offset) => {
    const p = files.get(file)?.position(offset) ?? { line: 1, column: 1 };
    return `${file}:${p.line}:${p.column}`;
  };
}

export function prepare(set: CheckedPolicySet): Prepared {
  const locate = locator(set);
  const fileIndex = new Map(set.files.map((f, i) => [f.path, i]));
  const items: (Item & { order: [number, number] })[] = [];
  for (const r of set.rules) {
    const entry: { -readonly [K in keyof RuleEntry]: RuleEntry[K] } = {
      id: r.name,
      effect: r.effect,
      location: locate(r.node.span.file, r.node.span.start),
    };
    if (r.node.timeout !== undefined) entry.timeout_ms = r.node.timeout.ms;
    const actions = r.actions === null ? null : new Set(r.actions);
    items.push({
      kind: "rule",
      node: r.node,
      entry,
      actions,
      order: [fileIndex.get(r.file) ?? 0, r.node.span.start],
    });
  }
  for (const k of set.risks) {
    const entry: RiskEntry = { id: k.name, location: locate(k.node.span.file, k.node.span.start) };
    const actions = k.actions === null ? null : new Set(k.actions);
    items.push({
      kind: "risk",
      node: k.node,
      entry,
      actions,
      order: [fileIndex.get(k.file) ?? 0, k.node.span.start],
    });
  }
  items.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  const argPlans = new Map([...set.actions].map(([name, info]) => [name, timePlan(info.type)]));
  return {
    set,
    policy: { hash: policyHash(set.sources), settings: set.settings },
    items,
    constants: new Constants(set),
    argPlans,
    contextPlan: set.context === undefined ? undefined : timePlan(set.context.type),
  };
}

export function createInterpreter(set: CheckedPolicySet, options: DecideOptions = {}): Interpreter {
  const p = prepare(set);
  return { hash: p.policy.hash, decide: (request) => decideWith(p, request, options) };
}

/** The request's roots, or the errors that stop it before evaluation (steps 1–3). */
export function admit(
  p: Prepared,
  request: unknown,
  options: DecideOptions = {},
):
  | {
      readonly ok: true;
      readonly action: string;
      readonly args: unknown;
      readonly context: unknown;
      readonly now: number;
      readonly known: boolean;
    }
  | { readonly ok: false; readonly known: boolean; readonly errors: DecisionError[] } {
  const now = requestTime(request, options.clock);
  const shape = shapeErrors(request, now);
  if (shape !== null) return { ok: false, known: false, errors: shape };
  const req = request as Record<string, unknown>;
  const action = req.action as string;
  const info = p.set.actions.get(action);
  let args: unknown = argsOf(req);
  let context: unknown = contextOf(req);
  let errors: DecisionError[] | null = null;
  if (info !== undefined) errors = validate(validatorFor(info.schema), args, "/args", errors);
  if (p.set.context !== undefined)
    errors = validate(validatorFor(p.set.context.schema), context, "/context", errors);
  if (errors === null) {
    try {
      const plan = info === undefined ? undefined : p.argPlans.get(action);
      if (plan !== undefined) args = convertTimes(args, plan, "/args");
      if (p.contextPlan !== undefined) context = convertTimes(context, p.contextPlan, "/context");
    } catch (e) {
      errors = fail(errors, undefined, e);
    }
  }
  if (errors !== null) return { ok: false, known: info !== undefined, errors };
  return { ok: true, action, args, context, now, known: info !== undefined };
}

/** Whether an item takes part in a decision on `action` (step 2 and 4). */
export function applies(item: Item, action: string, known: boolean): boolean {
  return item.actions === null || (known && item.actions.has(action));
}

export function decideWith(p: Prepared, request: unknown, options: DecideOptions = {}): Decision {
  try {
    const a = admit(p, request, options);
    if (!a.ok) return finalize(p.policy, !a.known, null, null, a.errors);
    const ev = new Evaluation(p.constants, a);
    let held: Held[] | null = null;
    let risks: MatchedRisk[] | null = null;
    let errors: DecisionError[] | null = null;
    for (const item of p.items) {
      if (!applies(item, a.action, a.known)) continue;
      const n = item.node;
      let holds = false;
      try {
        holds =
          (n.when === undefined || ev.test(n.when)) &&
          !(n.kind === "Rule" && n.unless !== undefined && ev.test(n.unless));
      } catch (e) {
        errors = fail(errors, item.entry.id, e);
      }
      if (!holds) continue;
      if (item.kind === "risk") {
        try {
          risks = holdRisk(risks, item.entry, ev.eval(item.node.weight, null) as number);
        } catch (e) {
          errors = fail(errors, item.entry.id, e);
        }
        continue;
      }
      const reason = evalOr(ev, item.node.reason, item.entry.id, (e) => {
        errors = fail(errors, item.entry.id, e);
      }) as string | null;
      const approvers = evalOr(ev, item.node.approvers, item.entry.id, (e) => {
        errors = fail(errors, item.entry.id, e);
      }) as string[] | null;
      held = hold(held, item.entry, reason, approvers ?? []);
    }
    return finalize(p.policy, !a.known, held, risks, errors);
  } catch (e) {
    // Nothing a request holds may crash a decision: anything left is an error decision.
    return finalize(p.policy, false, null, null, fail(null, undefined, e));
  }
}

/** An optional expression's value, or null when absent or when it fails (reported). */
function evalOr(ev: Evaluation, e: Expr | undefined, _name: string, report: (e: unknown) => void): unknown {
  if (e === undefined) return null;
  try {
    return ev.eval(e, null);
  } catch (err) {
    report(err);
    return null;
  }
}
