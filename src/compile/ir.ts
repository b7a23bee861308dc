/**
 * The intermediate representation between the checked AST and the emitted module: plain,
 * JSON-serialisable data with a span on every expression, so it can be dumped (`--dump=ir`),
 * diffed and golden-tested. Names are resolved to numbered slots; nothing here is user text that
 * could become code (user strings only appear as literal values and in `name`/`key` fields,
 * which the printer always passes through JSON.stringify).
 */
import type { JsonSchema, ResolvedSettings } from "../check/program.js";
import type { Span } from "../diagnostics/span.js";
import type { Effect } from "../engine/decision.js";
import type { TimePlan } from "../engine/values.js";

/** A JSON value (constants after folding). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export type ArithOp = "+" | "-" | "*" | "/" | "%" | "<" | "<=" | ">" | ">=";

/**
 * How a field or key is read:
 * - `field`: a required field of a validated object: a plain property read;
 * - `need`: must be there, else a runtime error (`missing field`);
 * - `entry`: a map key that must be there, else a runtime error (`missing map key`);
 * - `opt`: may be absent (inside `has`/`??`): absent reads as undefined.
 */
export type ReadMode = "field" | "need" | "entry" | "opt";

export type IrExpr =
  /** A JSON constant: primitives inline, lists and objects hoisted to module scope by the printer. */
  | { readonly k: "const"; readonly v: Json; readonly span: Span }
  | { readonly k: "list"; readonly items: readonly IrExpr[]; readonly span: Span }
  | {
      readonly k: "object";
      readonly entries: readonly { readonly key: string; readonly value: IrExpr }[];
      readonly span: Span;
    }
  | { readonly k: "root"; readonly name: "args" | "context" | "action" | "now"; readonly span: Span }
  /** A top-level let or a param that could not be folded (its evaluation fails): recomputed per read. */
  | { readonly k: "global"; readonly id: number; readonly span: Span }
  /** An `on`-block let or a shared native call: computed at most once per decision, when first read. */
  | { readonly k: "local"; readonly id: number; readonly span: Span }
  /** A def or lambda parameter. */
  | { readonly k: "var"; readonly id: number; readonly span: Span }
  /**
   * `x.f` (or `x["f"]` on an object): `absentIn` when the object may itself be absent (an access
   * chain under `has`/`??`): absence then propagates.
   */
  | {
      readonly k: "member";
      readonly object: IrExpr;
      readonly key: string;
      readonly mode: ReadMode;
      readonly absentIn: boolean;
      readonly span: Span;
    }
  /** `x[i]`: list index or map key, decided at run time (values.ts `index`). */
  | {
      readonly k: "index";
      readonly object: IrExpr;
      readonly index: IrExpr;
      /** The read may be absent (inside `has`/`??`). */
      readonly optional: boolean;
      /** The object is an object type (a string key names a field): a missing key is `missing field`. */
      readonly field: boolean;
      /** The object may itself be absent: absence propagates. */
      readonly absentIn: boolean;
      readonly span: Span;
    }
  | { readonly k: "native"; readonly name: string; readonly args: readonly IrExpr[]; readonly span: Span }
  /** `has(x)`: whether x is present (not undefined or null). */
  | { readonly k: "has"; readonly arg: IrExpr; readonly span: Span }
  | { readonly k: "call"; readonly def: number; readonly args: readonly IrExpr[]; readonly span: Span }
  | { readonly k: "lambda"; readonly params: readonly number[]; readonly body: IrExpr; readonly span: Span }
  /** `not x` on a bool. */
  | { readonly k: "not"; readonly arg: IrExpr; readonly span: Span }
  /** `x == true`: a value that is not statically a bool used as a condition. */
  | { readonly k: "truthy"; readonly arg: IrExpr; readonly span: Span }
  | { readonly k: "neg"; readonly arg: IrExpr; readonly span: Span }
  | { readonly k: "and" | "or" | "??"; readonly left: IrExpr; readonly right: IrExpr; readonly span: Span }
  | {
      readonly k: "arith";
      readonly op: ArithOp;
      readonly left: IrExpr;
      readonly right: IrExpr;
      readonly span: Span;
    }
  /** `==`/`!=`; `prim` when both sides are primitives (strict equality suffices). */
  | {
      readonly k: "eq";
      readonly negate: boolean;
      readonly prim: boolean;
      readonly left: IrExpr;
      readonly right: IrExpr;
      readonly span: Span;
    }
  /** `in`/`not in`; a constant list of primitives becomes a hoisted Set. */
  | {
      readonly k: "in";
      readonly negate: boolean;
      readonly item: IrExpr;
      readonly list: IrExpr;
      readonly span: Span;
    };

export interface IrSchema {
  readonly schema: JsonSchema;
  /** Where timestamps sit (converted after validation), or null. */
  readonly time: TimePlan | null;
  /** The declaration. */
  readonly span: Span;
}

export interface IrAction extends IrSchema {
  readonly name: string;
}

export interface IrGlobal {
  readonly id: number;
  readonly name: string;
  readonly value: IrExpr;
  readonly span: Span;
}

export interface IrDef {
  readonly id: number;
  readonly name: string;
  readonly params: readonly number[];
  readonly body: IrExpr;
  readonly span: Span;
}

export interface IrLocal {
  readonly id: number;
  /** The let's name, or the native called (shared calls). */
  readonly name: string;
  readonly value: IrExpr;
  readonly span: Span;
}

interface IrItemBase {
  readonly name: string;
  /** `path:line:column` of its start. */
  readonly location: string;
  /** Declared action types it applies to; null at top level (every request). */
  readonly actions: readonly string[] | null;
  readonly when: IrExpr | null;
  readonly span: Span;
}

export interface IrRule extends IrItemBase {
  readonly kind: "rule";
  readonly effect: Effect;
  readonly unless: IrExpr | null;
  readonly reason: IrExpr | null;
  readonly approvers: IrExpr | null;
  readonly timeout: number | null;
}

export interface IrRisk extends IrItemBase {
  readonly kind: "risk";
  readonly weight: IrExpr;
}

export type IrItem = IrRule | IrRisk;

export interface IrProgram {
  /** The compiler's version (package.json). */
  readonly compiler: string;
  readonly hash: string;
  /** The source files, sorted by path. */
  readonly files: readonly string[];
  readonly settings: ResolvedSettings;
  readonly context: IrSchema | null;
  /** Declared action types, sorted by name. */
  readonly actions: readonly IrAction[];
  readonly globals: readonly IrGlobal[];
  readonly defs: readonly IrDef[];
  readonly locals: readonly IrLocal[];
  /** Rules and risks in policy-set order (the order of evaluation and of `matched`/`risks`). */
  readonly items: readonly IrItem[];
}

/** Children of an expression, for generic walks. */
export function children(e: IrExpr): readonly IrExpr[] {
  switch (e.k) {
    case "const":
    case "root":
    case "global":
    case "local":
    case "var":
      return [];
    case "list":
      return e.items;
    case "object":
      return e.entries.map((x) => x.value);
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "native":
    case "call":
      return e.args;
    case "has":
    case "not":
    case "truthy":
    case "neg":
      return [e.arg];
    case "lambda":
      return [e.body];
    case "and":
    case "or":
    case "??":
    case "arith":
    case "eq":
      return [e.left, e.right];
    case "in":
      return [e.item, e.list];
  }
}

/** Rebuild an expression bottom-up with `f` applied to every node (children first). */
export function mapExpr(e: IrExpr, f: (e: IrExpr) => IrExpr): IrExpr {
  const m = (x: IrExpr) => mapExpr(x, f);
  switch (e.k) {
    case "const":
    case "root":
    case "global":
    case "local":
    case "var":
      return f(e);
    case "list":
      return f({ ...e, items: e.items.map(m) });
    case "object":
      return f({ ...e, entries: e.entries.map((x) => ({ key: x.key, value: m(x.value) })) });
    case "member":
      return f({ ...e, object: m(e.object) });
    case "index":
      return f({ ...e, object: m(e.object), index: m(e.index) });
    case "native":
    case "call":
      return f({ ...e, args: e.args.map(m) });
    case "has":
    case "not":
    case "truthy":
    case "neg":
      return f({ ...e, arg: m(e.arg) });
    case "lambda":
      return f({ ...e, body: m(e.body) });
    case "and":
    case "or":
    case "??":
    case "arith":
    case "eq":
      return f({ ...e, left: m(e.left), right: m(e.right) });
    case "in":
      return f({ ...e, item: m(e.item), list: m(e.list) });
  }
}

/** Apply `f` to every expression of a program (items, locals, globals, defs). */
export function mapProgram(p: IrProgram, f: (e: IrExpr) => IrExpr): IrProgram {
  const opt = (e: IrExpr | null) => (e === null ? null : mapExpr(e, f));
  return {
    ...p,
    globals: p.globals.map((g) => ({ ...g, value: mapExpr(g.value, f) })),
    defs: p.defs.map((d) => ({ ...d, body: mapExpr(d.body, f) })),
    locals: p.locals.map((l) => ({ ...l, value: mapExpr(l.value, f) })),
    items: p.items.map((it) =>
      it.kind === "rule"
        ? {
            ...it,
            when: opt(it.when),
            unless: opt(it.unless),
            reason: opt(it.reason),
            approvers: opt(it.approvers),
          }
        : { ...it, when: opt(it.when), weight: mapExpr(it.weight, f) },
    ),
  };
}

/** Every expression of an item, in evaluation order. */
export function itemExprs(it: IrItem): IrExpr[] {
  const out: IrExpr[] = [];
  if (it.when !== null) out.push(it.when);
  if (it.kind === "rule") {
    for (const e of [it.unless, it.reason, it.approvers]) if (e !== null) out.push(e);
  } else out.push(it.weight);
  return out;
}

/** A structural key of an expression (spans left out): equal keys compute equal values. */
export function exprKey(e: IrExpr): string {
  return JSON.stringify(e, (k, v) => (k === "span" ? undefined : v));
}
