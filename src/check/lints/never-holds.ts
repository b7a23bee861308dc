/**
 * RPL4001: a `when` condition whose conjuncts contradict each other on the same access path:
 * `x == "a" and x == "b"`, `x == 1 and x != 1`, `x in ["a", "b"] and x == "c"`, or `false`.
 */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../../syntax/ast.js";
import { accessPath } from "../narrowing.js";
import type { LintContext } from "./index.js";

function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === "Binary" && e.op === "and") {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/** A literal as a comparable key: `s:prod`, `n:3`, `b:true`, `d:60000`. */
function literalKey(e: Expr): string | undefined {
  switch (e.kind) {
    case "String":
      return `s:${e.value}`;
    case "Number":
      return `n:${e.value}`;
    case "Bool":
      return `b:${e.value}`;
    case "Duration":
      return `d:${e.ms}`;
    default:
      return undefined;
  }
}

interface Constraint {
  readonly path: string;
  /** The values the path may take (undefined: any), and the values it may not. */
  readonly allowed?: ReadonlySet<string>;
  readonly excluded?: ReadonlySet<string>;
}

function constraint(e: Expr, negated = false): Constraint | undefined {
  if (e.kind === "Unary" && e.op === "not") return constraint(e.operand, !negated);
  if (e.kind !== "Binary") return undefined;
  let op: string = e.op;
  if (negated) {
    const flip: Record<string, string> = { "==": "!=", "!=": "==", in: "not in", "not in": "in" };
    const f = flip[op];
    if (f === undefined) return undefined;
    op = f;
  }
  if (op === "==" || op === "!=") {
    const [pathSide, litSide] = literalKey(e.right) !== undefined ? [e.left, e.right] : [e.right, e.left];
    const path = accessPath(pathSide);
    const lit = literalKey(litSide);
    if (path === undefined || lit === undefined) return undefined;
    return op === "==" ? { path, allowed: new Set([lit]) } : { path, excluded: new Set([lit]) };
  }
  if ((op === "in" || op === "not in") && e.right.kind === "List") {
    const path = accessPath(e.left);
    const keys = e.right.items.map(literalKey);
    if (path === undefined || keys.some((k) => k === undefined)) return undefined;
    const set = new Set(keys as string[]);
    return op === "in" ? { path, allowed: set } : { path, excluded: set };
  }
  return undefined;
}

/** The first conjunct that makes `when` unsatisfiable, with the earlier one it contradicts. */
export function contradiction(when: Expr): { at: Expr; earlier?: Expr; path?: string } | undefined {
  const state = new Map<string, { allowed?: Set<string>; excluded: Set<string>; first: Expr }>();
  for (const c of conjuncts(when)) {
    if (c.kind === "Bool" && !c.value) return { at: c };
    const k = constraint(c);
    if (!k) continue;
    let s = state.get(k.path);
    if (!s) {
      s = { excluded: new Set(), first: c };
      state.set(k.path, s);
    }
    if (k.allowed)
      s.allowed = s.allowed ? new Set([...s.allowed].filter((v) => k.allowed?.has(v))) : new Set(k.allowed);
    for (const v of k.excluded ?? []) s.excluded.add(v);
    if (s.allowed && [...s.allowed].every((v) => s.excluded.has(v))) {
      return s.first === c ? { at: c, path: k.path } : { at: c, earlier: s.first, path: k.path };
    }
  }
  return undefined;
}

export function neverHolds({ checked }: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of [...checked.rules, ...checked.risks]) {
    const when = r.node.when;
    const found = when && contradiction(when);
    if (!found) continue;
    const related = found.earlier
      ? [{ span: found.earlier.span, message: "contradicted by this condition" }]
      : [];
    const help =
      found.path === undefined
        ? "the condition is always false"
        : `the conditions on \`${found.path}\` contradict each other`;
    out.push(diag("RPL4001", found.at.span, [r.name], { related, help }));
  }
  return out;
}
