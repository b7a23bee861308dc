/**
 * Lowering: the checked AST and its side tables → IR. Names become numbered slots, reads get
 * their mode (validated field, must-be-there, map entry, may-be-absent), equality is marked
 * primitive where both types are, conditions that are not statically bool compare with `true`.
 * Params are compile-time constants and become constants here; everything else is folded (or
 * not) by the optimizer.
 */
import type { CheckedPolicySet } from "../check/program.js";
import type { Type } from "../check/types.js";
import { Constants, Evaluation, mayBeAbsent } from "../engine/evaluate.js";
import type { Prepared } from "../engine/interpret.js";
import { timePlan } from "../engine/values.js";
import type { DefDecl, Expr, LambdaExpr, LetDecl } from "../syntax/ast.js";
import {
  children,
  type IrDef,
  type IrExpr,
  type IrGlobal,
  type IrItem,
  type IrLocal,
  type IrProgram,
  type Json,
  type ReadMode,
} from "./ir.js";

function invariant(message: string): never {
  // INVARIANT: lowering only sees policy sets the checker accepted without errors.
  throw new Error(`INVARIANT: ${message}`);
}

const PRIMITIVE = new Set(["string", "number", "bool", "duration", "timestamp", "union"]);
/** IR nodes whose value is always a boolean. */
const BOOLEAN = new Set<IrExpr["k"]>(["eq", "in", "not", "and", "or", "has", "truthy"]);
const isRelational = (e: IrExpr) =>
  e.k === "arith" && (e.op === "<" || e.op === "<=" || e.op === ">" || e.op === ">=");

class Lowerer {
  readonly globals: IrGlobal[] = [];
  readonly defs: IrDef[] = [];
  readonly locals: IrLocal[] = [];
  private readonly globalIds = new Map<LetDecl, number>();
  private readonly localIds = new Map<LetDecl, number>();
  private readonly defIds = new Map<DefDecl, number>();
  private readonly varIds = new Map<DefDecl | LambdaExpr, number[]>();
  private nextVar = 0;
  /** Var ids of def parameters. */
  private readonly defParams = new Set<number>();
  private readonly constants: Evaluation;

  constructor(private readonly set: CheckedPolicySet) {
    // Params are constants: evaluated once, with no request (they cannot read one).
    this.constants = new Evaluation(new Constants(set), { action: "", args: {}, context: {}, now: 0 });
    // Ids first: a let may call a def and a def may read a let.
    set.lets.forEach((l, i) => {
      this.globalIds.set(l, i);
    });
    set.defs.forEach((d, i) => {
      this.defIds.set(d, i);
    });
    const params = set.defs.map((d) => this.vars(d, d.params.length));
    for (const ids of params) for (const id of ids) this.defParams.add(id);
    set.lets.forEach((l, id) => {
      this.globals.push({ id, name: l.name.text, value: this.expr(l.value), span: l.span });
    });
    set.defs.forEach((d, id) => {
      this.defs.push({
        id,
        name: d.name.text,
        params: params[id] ?? [],
        body: this.expr(d.body),
        span: d.span,
      });
    });
  }

  private type(e: Expr): Type | undefined {
    return this.set.types.get(e);
  }

  private vars(owner: DefDecl | LambdaExpr, n: number): number[] {
    const ids = Array.from({ length: n }, () => this.nextVar++);
    this.varIds.set(owner, ids);
    return ids;
  }

  /**
   * A condition: true only for the boolean true. Only what always yields a boolean is used as is
   * (comparisons, `not`/`and`/`or`, `has`, `in`, natives); anything that reads a value (a field,
   * a let, a def's result, a parameter) is compared with `true`, because an `any` value can reach
   * it through a def or a parameter whatever the declared type says.
   */
  cond(e: Expr): IrExpr {
    const ir = this.expr(e);
    const boolean =
      BOOLEAN.has(ir.k) ||
      (ir.k === "const" && typeof ir.v === "boolean") ||
      (ir.k === "native" && this.type(e)?.kind === "bool") ||
      isRelational(ir);
    return boolean ? ir : { k: "truthy", arg: ir, span: e.span };
  }

  /**
   * Whether `===` decides `==`: both sides have primitive types, and neither can carry a value
   * that is not what its type says (a def's result or parameter, see `cond`).
   */
  private primitive(l: IrExpr, le: Expr, r: IrExpr, re: Expr): boolean {
    const prim = (ir: IrExpr, e: Expr) => PRIMITIVE.has(this.type(e)?.kind ?? "") && this.trusted(ir);
    return prim(l, le) && prim(r, re);
  }

  /** No def call, no def parameter inside (through lets too). */
  private trusted(ir: IrExpr): boolean {
    if (ir.k === "call") return false;
    if (ir.k === "var") return !this.defParams.has(ir.id);
    if (ir.k === "local") return this.trusted(this.locals[ir.id]?.value ?? ir);
    if (ir.k === "global") return this.trusted(this.globals[ir.id]?.value ?? ir);
    return children(ir).every((c) => this.trusted(c));
  }

  private local(decl: LetDecl): number {
    let id = this.localIds.get(decl);
    if (id === undefined) {
      id = this.locals.length;
      this.localIds.set(decl, id);
      // Reserve the slot first: the value may read earlier locals, never this one.
      this.locals.push({
        id,
        name: decl.name.text,
        value: { k: "const", v: null, span: decl.span },
        span: decl.span,
      });
      this.locals[id] = { id, name: decl.name.text, value: this.expr(decl.value), span: decl.span };
    }
    return id;
  }

  expr(e: Expr): IrExpr {
    const span = e.span;
    switch (e.kind) {
      case "String":
      case "Number":
      case "Bool":
        return { k: "const", v: e.value, span };
      case "Duration":
        return { k: "const", v: e.ms, span };
      case "List":
        return { k: "list", items: e.items.map((x) => this.expr(x)), span };
      case "Object":
        return {
          k: "object",
          entries: e.entries.map((x) => ({ key: x.key.text, value: this.expr(x.value) })),
          span,
        };
      case "Identifier": {
        const ref = this.set.refs.get(e) ?? invariant(`unresolved name ${e.name}`);
        switch (ref.kind) {
          case "root":
            return { k: "root", name: ref.name, span };
          case "let":
            if (ref.scope === "local") return { k: "local", id: this.local(ref.decl), span };
            return {
              k: "global",
              id: this.globalIds.get(ref.decl) ?? invariant(`let ${e.name} used before lowering`),
              span,
            };
          case "param":
            return { k: "const", v: this.constants.eval(e, null) as Json, span };
          case "def-param":
          case "lambda-param": {
            const owner = ref.kind === "def-param" ? ref.def : ref.lambda;
            const id = this.varIds.get(owner)?.[ref.index];
            return { k: "var", id: id ?? invariant(`parameter ${e.name} out of scope`), span };
          }
          case "namespace":
            return invariant(`namespace ${e.name} read as a value`);
        }
        break;
      }
      case "Member": {
        const objectType = this.type(e.object);
        let mode: ReadMode = "need";
        if (this.set.optionalReads.has(e)) mode = "opt";
        else if (objectType?.kind === "map") mode = "entry";
        else if (objectType?.kind === "object") {
          const f = Object.hasOwn(objectType.fields, e.property.text)
            ? objectType.fields[e.property.text]
            : undefined;
          if (f !== undefined && !f.optional) mode = "field";
        }
        const absentIn = mayBeAbsent(this.set, e.object);
        return { k: "member", object: this.expr(e.object), key: e.property.text, mode, absentIn, span };
      }
      case "Index":
        return {
          k: "index",
          object: this.expr(e.object),
          index: this.expr(e.index),
          optional: this.set.optionalReads.has(e),
          field: this.type(e.object)?.kind === "object",
          absentIn: mayBeAbsent(this.set, e.object),
          span,
        };
      case "Call":
        return this.call(e);
      case "Unary":
        return e.op === "not"
          ? { k: "not", arg: this.cond(e.operand), span }
          : { k: "neg", arg: this.expr(e.operand), span };
      case "Binary":
        switch (e.op) {
          case "and":
          case "or":
            return { k: e.op, left: this.cond(e.left), right: this.cond(e.right), span };
          case "??":
            return { k: "??", left: this.expr(e.left), right: this.expr(e.right), span };
          case "==":
          case "!=": {
            const left = this.expr(e.left);
            const right = this.expr(e.right);
            const prim = this.primitive(left, e.left, right, e.right);
            return { k: "eq", negate: e.op === "!=", prim, left, right, span };
          }
          case "in":
          case "not in":
            return {
              k: "in",
              negate: e.op === "not in",
              item: this.expr(e.left),
              list: this.expr(e.right),
              span,
            };
          default:
            return { k: "arith", op: e.op, left: this.expr(e.left), right: this.expr(e.right), span };
        }
      case "Lambda":
        return invariant("a lambda outside a call");
      case "ErrorExpr":
        return invariant("an error expression in a checked policy set");
    }
  }

  private call(e: Expr & { kind: "Call" }): IrExpr {
    const target = this.set.calls.get(e) ?? invariant("an unresolved call");
    const span = e.span;
    if (target.kind === "def") {
      const def = this.defIds.get(target.decl) ?? invariant(`def ${target.decl.name.text} not lowered`);
      return { k: "call", def, args: e.args.map((a) => this.expr(a)), span };
    }
    if (target.fn.name === "has") {
      return { k: "has", arg: this.expr(e.args[0] ?? invariant("has() without an argument")), span };
    }
    const args = e.args.map((a): IrExpr => {
      if (a.kind !== "Lambda") return this.expr(a);
      const params = this.vars(a, a.params.length);
      return { k: "lambda", params, body: this.expr(a.body), span: a.span };
    });
    return { k: "native", name: target.fn.name, args, span };
  }
}

const opt = <T>(x: T | undefined, f: (x: T) => IrExpr): IrExpr | null => (x === undefined ? null : f(x));

/** Lower a prepared policy set (prepare() in engine/interpret.ts orders its rules and risks). */
export function lower(p: Prepared, compiler: string): IrProgram {
  const set = p.set;
  const l = new Lowerer(set);
  const items: IrItem[] = p.items.map((it): IrItem => {
    const actions = it.actions === null ? null : [...it.actions].sort();
    const base = { name: it.entry.id, location: it.entry.location, actions, span: it.node.span };
    if (it.kind === "risk") {
      return {
        kind: "risk",
        ...base,
        when: opt(it.node.when, (x) => l.cond(x)),
        weight: l.expr(it.node.weight),
      };
    }
    const n = it.node;
    return {
      kind: "rule",
      ...base,
      effect: n.effect,
      when: opt(n.when, (x) => l.cond(x)),
      unless: opt(n.unless, (x) => l.cond(x)),
      reason: opt(n.reason, (x) => l.expr(x)),
      approvers: opt(n.approvers, (x) => l.expr(x)),
      timeout: n.timeout?.ms ?? null,
    };
  });
  return {
    compiler,
    hash: p.policy.hash,
    files: set.sources.map((s) => s.path),
    settings: set.settings,
    context:
      set.context === undefined
        ? null
        : { schema: set.context.schema, time: timePlan(set.context.type) ?? null, span: set.context.span },
    actions: [...set.actions.values()].map((a) => ({
      name: a.name,
      schema: a.schema,
      time: timePlan(a.type) ?? null,
      span: a.span,
    })),
    globals: l.globals,
    defs: l.defs,
    locals: l.locals,
    items,
  };
}
