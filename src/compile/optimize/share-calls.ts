/**
 * Pass `share-native-calls`: a native call that appears more than once with the same arguments
 * (`sql.is_write(args.sql)` in three rules) becomes a decision local, computed at most once per
 * decision, when first needed. Natives are pure, so this changes no result: a call that fails
 * is not memoized and fails again, with the same message, wherever it is read.
 *
 * Only calls with no free def or lambda parameters are shared (their value is the same wherever
 * they appear); calls inside def bodies and top-level lets are left alone.
 */
import { children, exprKey, type IrExpr, type IrLocal, type IrProgram, itemExprs } from "../ir.js";

/** The def/lambda parameters an expression reads that it does not bind itself. */
function freeVars(e: IrExpr, out: Set<number>, bound: ReadonlySet<number>): void {
  if (e.k === "var") {
    if (!bound.has(e.id)) out.add(e.id);
    return;
  }
  if (e.k === "lambda") {
    freeVars(e.body, out, new Set([...bound, ...e.params]));
    return;
  }
  for (const c of children(e)) freeVars(c, out, bound);
}

function closed(e: IrExpr): boolean {
  const vars = new Set<number>();
  freeVars(e, vars, new Set());
  return vars.size === 0;
}

function count(e: IrExpr, counts: Map<string, number>): void {
  if (e.k === "native" && closed(e)) {
    const key = exprKey(e);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const c of children(e)) count(c, counts);
}

export function shareNativeCalls(p: IrProgram): IrProgram {
  const counts = new Map<string, number>();
  for (const it of p.items) for (const e of itemExprs(it)) count(e, counts);
  for (const l of p.locals) count(l.value, counts);
  const shared = new Map<string, number>();
  const locals: IrLocal[] = [...p.locals];

  const rewrite = (e: IrExpr): IrExpr => {
    if (e.k === "native" && (counts.get(exprKey(e)) ?? 0) >= 2) {
      const key = exprKey(e);
      let id = shared.get(key);
      if (id === undefined) {
        const value: IrExpr = { ...e, args: e.args.map(rewrite) };
        id = locals.length;
        shared.set(key, id);
        locals.push({ id, name: e.name, value, span: e.span });
      }
      return { k: "local", id, span: e.span };
    }
    return rebuild(e, rewrite);
  };

  const items = p.items.map((it) => {
    const r = (e: IrExpr | null) => (e === null ? null : rewrite(e));
    return it.kind === "rule"
      ? { ...it, when: r(it.when), unless: r(it.unless), reason: r(it.reason), approvers: r(it.approvers) }
      : { ...it, when: r(it.when), weight: rewrite(it.weight) };
  });
  for (let i = 0; i < p.locals.length; i++) {
    const l = locals[i] as IrLocal;
    locals[i] = { ...l, value: rebuild(l.value, rewrite) };
  }
  return { ...p, items, locals };
}

/** The node with `f` applied to its direct children (top-down rewriting). */
function rebuild(e: IrExpr, f: (e: IrExpr) => IrExpr): IrExpr {
  switch (e.k) {
    case "const":
    case "root":
    case "global":
    case "local":
    case "var":
      return e;
    case "list":
      return { ...e, items: e.items.map(f) };
    case "object":
      return { ...e, entries: e.entries.map((x) => ({ key: x.key, value: f(x.value) })) };
    case "member":
      return { ...e, object: f(e.object) };
    case "index":
      return { ...e, object: f(e.object), index: f(e.index) };
    case "native":
    case "call":
      return { ...e, args: e.args.map(f) };
    case "has":
    case "not":
    case "truthy":
    case "neg":
      return { ...e, arg: f(e.arg) };
    case "lambda":
      return { ...e, body: f(e.body) };
    case "and":
    case "or":
    case "??":
    case "arith":
    case "eq":
      return { ...e, left: f(e.left), right: f(e.right) };
    case "in":
      return { ...e, item: f(e.item), list: f(e.list) };
  }
}
