/**
 * Narrowing of optional fields by presence tests. A read of an optional field `x.f` is allowed
 * where `has(x.f)` is known to hold. Facts are access paths as printed (`context.user`,
 * `args.headers["x-id"]`, `u.email` for a lambda parameter `u`), learnt from the syntax:
 *
 *   - `A and B`: B is checked knowing what A's truth tells;
 *   - `A or B`:  B is checked knowing what A's falsehood tells (`not has(x.f) or x.f == 1`);
 *   - `not A`:   swaps what truth and falsehood tell;
 *   - a rule's `unless` is checked knowing its `when` held (it is only evaluated then), and its
 *     `reason` and `approvers` (and a risk's weight) knowing the rule held.
 *
 * `has(x.f.g)` also tells that `x.f` is present. Inside a lambda, facts about a name the lambda
 * rebinds are forgotten.
 */
import type { Expr } from "../syntax/ast.js";

export type Facts = ReadonlySet<string>;
export const NO_FACTS: Facts = new Set();

/** The printed access path of `x`, `x.f`, `x["k"]`, `x.f.g`; undefined for anything else. */
export function accessPath(e: Expr): string | undefined {
  switch (e.kind) {
    case "Identifier":
      return e.name;
    case "Member": {
      const o = accessPath(e.object);
      return o === undefined ? undefined : `${o}.${e.property.text}`;
    }
    case "Index": {
      if (e.index.kind !== "String") return undefined;
      const o = accessPath(e.object);
      return o === undefined ? undefined : `${o}[${JSON.stringify(e.index.value)}]`;
    }
    default:
      return undefined;
  }
}

/** The root name of an access path: `context` for `context.user.id`. */
export function pathRoot(path: string): string {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path);
  return m ? m[0] : path;
}

/** `has(e)` as written (a call of the bare name `has` with one argument): its argument. */
export function hasArgument(e: Expr): Expr | undefined {
  if (e.kind !== "Call" || e.callee.kind !== "Identifier" || e.callee.name !== "has") return undefined;
  return e.args.length === 1 ? e.args[0] : undefined;
}

function presencePaths(arg: Expr): string[] {
  const out: string[] = [];
  let cur: Expr = arg;
  while (cur.kind === "Member" || cur.kind === "Index") {
    const p = accessPath(cur);
    if (p !== undefined) out.push(p);
    cur = cur.object;
  }
  return out;
}

/** What holds when `e` is true. */
export function factsWhenTrue(e: Expr): Facts {
  const arg = hasArgument(e);
  if (arg) return new Set(presencePaths(arg));
  if (e.kind === "Unary" && e.op === "not") return factsWhenFalse(e.operand);
  if (e.kind === "Binary" && e.op === "and") return union(factsWhenTrue(e.left), factsWhenTrue(e.right));
  if (e.kind === "Binary" && e.op === "or") return intersect(factsWhenTrue(e.left), factsWhenTrue(e.right));
  return NO_FACTS;
}

/** What holds when `e` is false. */
export function factsWhenFalse(e: Expr): Facts {
  if (e.kind === "Unary" && e.op === "not") return factsWhenTrue(e.operand);
  if (e.kind === "Binary" && e.op === "or") return union(factsWhenFalse(e.left), factsWhenFalse(e.right));
  if (e.kind === "Binary" && e.op === "and")
    return intersect(factsWhenFalse(e.left), factsWhenFalse(e.right));
  return NO_FACTS;
}

export function union(a: Facts, b: Facts): Facts {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function intersect(a: Facts, b: Facts): Facts {
  if (a.size === 0 || b.size === 0) return NO_FACTS;
  return new Set([...a].filter((p) => b.has(p)));
}

/** The facts that survive rebinding `names` (lambda parameters). */
export function forget(facts: Facts, names: readonly string[]): Facts {
  if (facts.size === 0 || names.length === 0) return facts;
  return new Set([...facts].filter((p) => !names.includes(pathRoot(p))));
}
