/**
 * Pass `fold-constants`: compute at compile time what does not depend on the request.
 *
 * - Top-level lets (in dependency order) whose value can be computed become constants and are
 *   inlined where read; a let whose computation fails stays, so its error still happens at run
 *   time, in the rule that reads it.
 * - Literal arithmetic, comparisons, `in`, `not`, string concatenation, and calls of natives
 *   whose arguments are all constants (natives are pure) are computed.
 * - `and`/`or` with a constant left side are simplified (`false and X` is false: X is never
 *   evaluated, exactly as at run time). A constant right side is left alone unless it cannot
 *   change the result, because the left side may fail.
 * Nothing that can fail is folded: the failure stays where the program would have hit it.
 */
import { div, eq, includes, mod, present } from "../../engine/values.js";
import { type IrExpr, type IrProgram, type Json, mapExpr, mapProgram } from "../ir.js";
import type { PassContext } from "./index.js";

type Folded = { readonly ok: true; readonly v: Json } | undefined;

function isJson(v: unknown, depth = 0): v is Json {
  if (depth > 64) return false;
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v);
    case "object":
      if (v === null) return true;
      if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
      return (
        Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every((x) => isJson(x, depth + 1))
      );
    default:
      return false;
  }
}

function constOf(e: IrExpr): Folded {
  return e.k === "const" ? { ok: true, v: e.v } : undefined;
}

/** Compute `f` at compile time; undefined when it fails or gives something that is not JSON. */
function attempt(f: () => unknown): Folded {
  try {
    const v = f();
    return isJson(v) ? { ok: true, v } : undefined;
  } catch {
    return undefined;
  }
}

function arith(op: string, l: unknown, r: unknown): unknown {
  const a = l as number;
  const b = r as number;
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return div(a, b);
    case "%":
      return mod(a, b);
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

/** One node, its children already folded. */
function foldNode(e: IrExpr, ctx: PassContext): IrExpr {
  const c = (f: Folded): IrExpr => (f === undefined ? e : { k: "const", v: f.v, span: e.span });
  switch (e.k) {
    case "list": {
      if (!e.items.every((x) => x.k === "const")) return e;
      return c({ ok: true, v: e.items.map((x) => (x as IrExpr & { k: "const" }).v) });
    }
    case "object": {
      if (!e.entries.every((x) => x.value.k === "const")) return e;
      const o: Record<string, Json> = {};
      for (const x of e.entries) {
        const v = (x.value as IrExpr & { k: "const" }).v;
        Object.defineProperty(o, x.key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return c({ ok: true, v: o });
    }
    case "not": {
      const a = constOf(e.arg);
      return a === undefined ? e : c({ ok: true, v: a.v !== true });
    }
    case "truthy": {
      const a = constOf(e.arg);
      return a === undefined ? e : c({ ok: true, v: a.v === true });
    }
    case "neg": {
      const a = constOf(e.arg);
      return a === undefined ? e : c(attempt(() => -(a.v as number)));
    }
    case "and":
    case "or": {
      const l = constOf(e.left);
      const short = e.k === "or";
      if (l !== undefined) return l.v === short ? c({ ok: true, v: short }) : e.right;
      const r = constOf(e.right);
      // `X and true` is X, `X or false` is X (X is a condition: a boolean).
      if (r !== undefined && r.v === !short) return e.left;
      return e;
    }
    case "??": {
      const l = constOf(e.left);
      if (l === undefined) return e;
      return present(l.v) ? e.left : e.right;
    }
    case "arith": {
      const l = constOf(e.left);
      const r = constOf(e.right);
      return l === undefined || r === undefined ? e : c(attempt(() => arith(e.op, l.v, r.v)));
    }
    case "eq": {
      const l = constOf(e.left);
      const r = constOf(e.right);
      return l === undefined || r === undefined ? e : c({ ok: true, v: eq(l.v, r.v) !== e.negate });
    }
    case "in": {
      const i = constOf(e.item);
      const l = constOf(e.list);
      if (i === undefined || l === undefined || !Array.isArray(l.v)) return e;
      return c({ ok: true, v: includes(l.v, i.v) !== e.negate });
    }
    case "has": {
      const a = constOf(e.arg);
      return a === undefined ? e : c({ ok: true, v: present(a.v) });
    }
    case "native": {
      if (!e.args.every((x) => x.k === "const")) return e;
      const fn = ctx.native(e.name);
      if (fn === undefined) return e;
      const values = e.args.map((x) => (x as IrExpr & { k: "const" }).v);
      return c(attempt(() => (fn.impl as (...a: unknown[]) => unknown)(...values)));
    }
    default:
      return e;
  }
}

export function foldExpr(e: IrExpr, ctx: PassContext, globals: ReadonlyMap<number, Json>): IrExpr {
  return mapExpr(e, (n) => {
    if (n.k === "global") {
      return globals.has(n.id) ? { k: "const", v: globals.get(n.id) as Json, span: n.span } : n;
    }
    return foldNode(n, ctx);
  });
}

export function foldConstants(p: IrProgram, ctx: PassContext): IrProgram {
  const values = new Map<number, Json>();
  const globals = p.globals.map((g) => {
    const value = foldExpr(g.value, ctx, values);
    if (value.k === "const") values.set(g.id, value.v);
    return { ...g, value };
  });
  const folded = mapProgram({ ...p, globals: [] }, (n) => {
    if (n.k === "global")
      return values.has(n.id) ? { k: "const", v: values.get(n.id) as Json, span: n.span } : n;
    return foldNode(n, ctx);
  });
  // Lets that folded are inlined everywhere; the others stay (their failure happens at run time).
  return { ...folded, globals: globals.filter((g) => !values.has(g.id)) };
}
