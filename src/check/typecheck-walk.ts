/** Walking expression trees (the checker's dependency graph and the lints use it). */
import type { Expr } from "../syntax/ast.js";

/** The direct sub-expressions of `e`, in source order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "List":
      return e.items;
    case "Object":
      return e.entries.map((x) => x.value);
    case "Member":
      return [e.object];
    case "Index":
      return [e.object, e.index];
    case "Call":
      return [e.callee, ...e.args];
    case "Lambda":
      return [e.body];
    case "Unary":
      return [e.operand];
    case "Binary":
      return [e.left, e.right];
    default:
      return [];
  }
}

/** Visit `e` and everything below it, parents first. */
export function visit(e: Expr, fn: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const cur = stack.pop() as Expr;
    fn(cur);
    const kids = children(cur);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Expr);
  }
}

/**
 * The free names `e` reads (identifiers not bound by a lambda inside it, nor in `bound`), with
 * the identifier nodes, in source order.
 */
export function freeNames(e: Expr, bound: ReadonlySet<string> = new Set()): { name: string; node: Expr }[] {
  const out: { name: string; node: Expr }[] = [];
  const go = (x: Expr, b: ReadonlySet<string>): void => {
    if (x.kind === "Identifier") {
      if (!b.has(x.name)) out.push({ name: x.name, node: x });
      return;
    }
    if (x.kind === "Lambda") {
      go(x.body, new Set([...b, ...x.params.map((p) => p.text)]));
      return;
    }
    // `a.f` reads `a`, never a name `f`; object keys are not names either.
    for (const c of children(x)) go(c, b);
  };
  go(e, bound);
  return out;
}
