/**
 * The reference evaluator of expressions (LANGUAGE.md §6 "Evaluation"), over the checked AST and
 * the checker's side tables. It is the oracle the compiled code is compared with, so it is
 * written for obviousness, not speed: no lowering, no folding, no caching across decisions
 * except for constants.
 *
 * - Left to right; `and`/`or` short-circuit.
 * - Lets (global and `on`-block) and params are computed at most once per decision, when first
 *   read; a let whose computation failed fails again for every reader (each records its error).
 * - Reads are own-property reads; absence (undefined) only arises in the argument of `has` and
 *   on the left of `??` (the checker marks those reads in `optionalReads`) and propagates
 *   outward along the access chain; elsewhere a missing field or map key is a runtime error.
 */
import type { CheckedPolicySet } from "../check/program.js";
import type { DefDecl, Expr, LambdaExpr, LetDecl, ParamDecl, TypeNode } from "../syntax/ast.js";
import {
  convertTimes,
  div,
  entry,
  eq,
  get,
  index,
  isIn,
  mod,
  need,
  present,
  type TimePlan,
} from "./values.js";

/** The request roots of one decision. */
export interface Roots {
  readonly action: string;
  readonly args: unknown;
  readonly context: unknown;
  readonly now: number;
}

/** Lambda and def parameters in scope, innermost first. */
interface Scope {
  readonly owner: DefDecl | LambdaExpr;
  readonly values: readonly unknown[];
  readonly parent: Scope | null;
}

type Memo = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

function invariant(message: string): never {
  // INVARIANT: the checker resolved every name and call of a policy set without errors.
  throw new Error(`INVARIANT: ${message}`);
}

/** Where a timestamp-typed param's constant (an RFC 3339 string) must be converted. */
function nodePlan(t: TypeNode): TimePlan | undefined {
  switch (t.kind) {
    case "NamedType":
      return t.name === "timestamp" ? "t" : undefined;
    case "ListType": {
      const l = nodePlan(t.element);
      return l === undefined ? undefined : { l };
    }
    case "MapType": {
      const m = nodePlan(t.value);
      return m === undefined ? undefined : { m };
    }
    case "ObjectType": {
      const o: Record<string, TimePlan> = {};
      let some = false;
      for (const f of t.fields) {
        const p = nodePlan(f.type);
        if (p !== undefined) {
          Object.defineProperty(o, f.name.text, { value: p, enumerable: true });
          some = true;
        }
      }
      return some ? { o } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Whether an expression may evaluate to "absent": a read the checker marked optional (inside
 * `has`/`??`), or a read whose object may be absent (absence propagates along access chains).
 */
export function mayBeAbsent(set: CheckedPolicySet, e: Expr): boolean {
  if (e.kind !== "Member" && e.kind !== "Index") return false;
  return set.optionalReads.has(e) || mayBeAbsent(set, e.object);
}

/** Constants (global lets and params) are shared by every decision of one policy set. */
export class Constants {
  readonly memo = new Map<LetDecl | ParamDecl, Memo>();
  constructor(readonly set: CheckedPolicySet) {}
}

export class Evaluation {
  /** The `on`-block lets of this decision. */
  private readonly locals = new Map<LetDecl, Memo>();

  constructor(
    private readonly constants: Constants,
    private readonly roots: Roots,
  ) {}

  private get set(): CheckedPolicySet {
    return this.constants.set;
  }

  /** Evaluate a condition: true only for the boolean true. */
  test(e: Expr): boolean {
    return this.eval(e, null) === true;
  }

  eval(e: Expr, scope: Scope | null): unknown {
    switch (e.kind) {
      case "String":
      case "Number":
      case "Bool":
        return e.value;
      case "Duration":
        return e.ms;
      case "List":
        return e.items.map((x) => this.eval(x, scope));
      case "Object": {
        const out: Record<string, unknown> = {};
        for (const en of e.entries) {
          Object.defineProperty(out, en.key.text, {
            value: this.eval(en.value, scope),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      case "Identifier":
        return this.identifier(e, scope);
      case "Member":
      case "Index":
        return this.access(e, scope);
      case "Call":
        return this.call(e, scope);
      case "Unary": {
        const v = this.eval(e.operand, scope);
        return e.op === "not" ? v !== true : -(v as number);
      }
      case "Binary":
        return this.binary(e, scope);
      case "Lambda":
        return invariant("a lambda outside a call");
      case "ErrorExpr":
        return invariant("an error expression in a checked policy set");
    }
  }

  private identifier(e: Expr & { kind: "Identifier" }, scope: Scope | null): unknown {
    const ref = this.set.refs.get(e) ?? invariant(`unresolved name ${e.name}`);
    switch (ref.kind) {
      case "root":
        return this.roots[ref.name];
      case "let":
        return ref.scope === "local"
          ? this.memoized(this.locals, ref.decl, () => this.eval(ref.decl.value, null))
          : this.memoized(this.constants.memo, ref.decl, () => this.eval(ref.decl.value, null));
      case "param":
        return this.memoized(this.constants.memo, ref.decl, () => {
          const v = this.eval(ref.value, null);
          const plan = nodePlan(ref.decl.type);
          return plan === undefined ? v : convertTimes(v, plan, `/${ref.decl.name.text}`);
        });
      case "def-param":
      case "lambda-param": {
        const owner = ref.kind === "def-param" ? ref.def : ref.lambda;
        for (let s = scope; s !== null; s = s.parent) if (s.owner === owner) return s.values[ref.index];
        return invariant(`parameter ${e.name} out of scope`);
      }
      case "namespace":
        return invariant(`namespace ${e.name} read as a value`);
    }
  }

  private memoized<K>(table: Map<K, Memo>, key: K, compute: () => unknown): unknown {
    let m = table.get(key);
    if (m === undefined) {
      try {
        m = { ok: true, value: compute() };
      } catch (error) {
        m = { ok: false, error };
      }
      table.set(key, m);
    }
    if (m.ok) return m.value;
    throw m.error;
  }

  private access(e: Expr & { kind: "Member" | "Index" }, scope: Scope | null): unknown {
    const object = this.eval(e.object, scope);
    const absentIn = mayBeAbsent(this.set, e.object);
    const optional = this.set.optionalReads.has(e);
    const objectType = this.set.types.get(e.object);
    if (e.kind === "Index") {
      const i = this.eval(e.index, scope);
      return index(object, i, optional, objectType?.kind === "object", absentIn);
    }
    if (absentIn && object === undefined) return undefined;
    const key = e.property.text;
    if (optional) return get(object, key);
    return objectType?.kind === "map" ? entry(object, key) : need(object, key);
  }

  private call(e: Expr & { kind: "Call" }, scope: Scope | null): unknown {
    const target = this.set.calls.get(e) ?? invariant("an unresolved call");
    if (target.kind === "def") {
      const values = e.args.map((a) => this.eval(a, scope));
      return this.eval(target.decl.body, { owner: target.decl, values, parent: null });
    }
    const fn = target.fn;
    if (fn.name === "has") {
      const arg = e.args[0] ?? invariant("has() without an argument");
      return present(this.eval(arg, scope));
    }
    const values = e.args.map((a) => {
      if (a.kind !== "Lambda") return this.eval(a, scope);
      return (...xs: unknown[]) => this.eval(a.body, { owner: a, values: xs, parent: scope });
    });
    // The natives' parameter types are checked by the type checker; `never` is their contract.
    return (fn.impl as (...args: unknown[]) => unknown)(...values);
  }

  private binary(e: Expr & { kind: "Binary" }, scope: Scope | null): unknown {
    switch (e.op) {
      case "and":
        return this.eval(e.left, scope) === true && this.eval(e.right, scope) === true;
      case "or":
        return this.eval(e.left, scope) === true || this.eval(e.right, scope) === true;
      case "??": {
        const l = this.eval(e.left, scope);
        return present(l) ? l : this.eval(e.right, scope);
      }
    }
    const l = this.eval(e.left, scope);
    const r = this.eval(e.right, scope);
    switch (e.op) {
      case "==":
        return eq(l, r);
      case "!=":
        return !eq(l, r);
      case "<":
        return (l as number) < (r as number);
      case "<=":
        return (l as number) <= (r as number);
      case ">":
        return (l as number) > (r as number);
      case ">=":
        return (l as number) >= (r as number);
      case "in":
      case "not in": {
        const found = isIn(l, r);
        return e.op === "in" ? found : !found;
      }
      case "+":
        return (l as number) + (r as number);
      case "-":
        return (l as number) - (r as number);
      case "*":
        return (l as number) * (r as number);
      case "/":
        return div(l as number, r as number);
      case "%":
        return mod(l as number, r as number);
    }
  }
}
