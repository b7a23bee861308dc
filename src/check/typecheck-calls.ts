/**
 * Calls: built-in functions (the natives table: arity, argument types by signature, string
 * literal arguments, lambdas), defs (declared parameter and return types), and `has`.
 */

import type { NativeFunction } from "../natives/spec.js";
import { lookupNative, NAMESPACES, nativeNames } from "../natives/table.js";
import type { CallExpr, Expr, LambdaExpr } from "../syntax/ast.js";
import { type Binding, type Env, reportDuplicateParams, withBindings } from "./scope.js";
import { didYouMean } from "./suggest.js";
import { checkAccess } from "./typecheck-access.js";
import type { Checker } from "./typecheck-context.js";
import { checkExpr, expectType } from "./typecheck-expr.js";
import { T, type Type } from "./types.js";

/** `sql`, `shell`, `path`, `url`, `secrets`: the prefixes of the qualified built-in names. */
export function isNamespace(name: string): boolean {
  return (NAMESPACES as readonly string[]).includes(name);
}

/** `f` or `sql.verb` as written; undefined for any other callee. */
function calleeName(callee: Expr): string | undefined {
  if (callee.kind === "Identifier") return callee.name;
  if (callee.kind === "Member" && callee.object.kind === "Identifier") {
    return `${callee.object.name}.${callee.property.text}`;
  }
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function checkCall(c: Checker, e: CallExpr, env: Env): Type {
  const name = calleeName(e.callee);
  if (name === undefined) {
    const callee = e.callee;
    // `args.sql.lower()`: check what the method is called on, and suggest the function call.
    const on = callee.kind === "Member" ? callee.object : callee;
    const t = on.kind === "Lambda" ? T.error : checkExpr(c, on, env);
    const fn = callee.kind === "Member" ? lookupNative(callee.property.text) : undefined;
    if (t.kind !== "error" || fn) {
      const help = fn && callee.kind === "Member" ? `call it as a function: \`${fn.name}(…)\`` : undefined;
      c.report("RPL3124", callee.span, [], { help });
    }
    checkArgsAlone(c, e, env);
    return T.error;
  }
  const dotted = e.callee.kind === "Member";
  const def = dotted ? undefined : c.defsByName.get(name);
  if (def) return checkDefCall(c, e, env, name);
  if (name === "has") return checkHas(c, e, env);
  const fn = lookupNative(name);
  if (fn) return checkNativeCall(c, e, env, fn);
  const candidates = dotted
    ? nativeNames().filter((n) => n.includes("."))
    : [...nativeNames().filter((n) => !n.includes(".")), ...c.defsByName.keys()];
  c.report("RPL3116", e.callee.span, [name], { help: didYouMean(name, candidates) });
  checkArgsAlone(c, e, env);
  return T.error;
}

/** Check the arguments of a call that cannot be resolved, for their own mistakes (lambdas skipped). */
function checkArgsAlone(c: Checker, e: CallExpr, env: Env): void {
  for (const a of e.args) if (a.kind !== "Lambda") checkExpr(c, a, env);
}

function arityText(min: number, max: number): string {
  if (min === max) return plural(min, "argument");
  if (max === Number.POSITIVE_INFINITY) return `at least ${plural(min, "argument")}`;
  return `${min} to ${plural(max, "argument")}`;
}

function checkArity(c: Checker, e: CallExpr, name: string, min: number, max: number): boolean {
  const n = e.args.length;
  if (n >= min && n <= max) return true;
  const extra = e.args[max];
  const span = n > max && extra ? { ...extra.span, end: (e.args[n - 1] ?? extra).span.end } : e.callee.span;
  c.report("RPL3117", span, [name, arityText(min, max), String(n)]);
  return false;
}

function checkDefCall(c: Checker, e: CallExpr, env: Env, name: string): Type {
  const decl = c.defsByName.get(name);
  const sig = decl && c.defSignatures.get(decl);
  if (!decl || !sig) throw new Error(`INVARIANT: def ${name} has a signature before bodies are checked`);
  c.calls.set(e, { kind: "def", decl });
  if (!checkArity(c, e, name, sig.params.length, sig.params.length)) {
    checkArgsAlone(c, e, env);
    return sig.result;
  }
  e.args.forEach((arg, i) => {
    const paramName = decl.params[i]?.name.text ?? String(i + 1);
    expectType(c, arg, env, sig.params[i] ?? T.error, `argument \`${paramName}\` of \`${name}\``);
  });
  return sig.result;
}

/**
 * `has` when the natives table has none: its argument is evaluated with absence allowed (an
 * absent read gives `undefined`), and the result tells whether a value is there.
 */
const HAS: NativeFunction = {
  name: "has",
  doc: "has(x.f): bool — whether an optional field or map entry is present",
  arity: [1, 1],
  signature: () => ({ ok: true, result: T.bool }),
  impl: (value: unknown) => value !== undefined,
};

/** `has(x.f)`: a read that may be absent, checked with absence allowed. */
function checkHas(c: Checker, e: CallExpr, env: Env): Type {
  c.calls.set(e, { kind: "native", fn: lookupNative("has") ?? HAS });
  if (!checkArity(c, e, "has", 1, 1)) {
    for (const a of e.args) {
      if (a.kind === "Member" || a.kind === "Index") checkAccess(c, a, env, true);
      else if (a.kind !== "Lambda") checkExpr(c, a, env);
    }
    return T.bool;
  }
  const arg = e.args[0] as Expr;
  if (arg.kind === "Member" || arg.kind === "Index") {
    const a = checkAccess(c, arg, env, true);
    if (arg.kind === "Index" && a.type.kind !== "error" && c.types.get(arg.object)?.kind === "list") {
      c.report("RPL3108", arg.span, [], { help: "for a list, compare its length: `len(xs) > i`" });
    }
    return T.bool;
  }
  const t = arg.kind === "Lambda" ? T.error : checkExpr(c, arg, env);
  if (t.kind !== "error") c.report("RPL3108", arg.span);
  return T.bool;
}

/**
 * `checkLiteral` results: literal checks are pure and some are costly (a time zone, a regular
 * expression's backtracking analysis), and policies repeat the same literals many times.
 */
const literalChecks = new WeakMap<NativeFunction, Map<string, string | undefined>>();

function checkLiteralCached(fn: NativeFunction, index: number, value: string): string | undefined {
  if (!fn.checkLiteral) return undefined;
  let cache = literalChecks.get(fn);
  if (!cache) {
    cache = new Map();
    literalChecks.set(fn, cache);
  }
  const key = `${index}\u0000${value}`;
  if (cache.has(key)) return cache.get(key);
  const problem = fn.checkLiteral(index, value);
  if (cache.size < 10_000) cache.set(key, problem);
  return problem;
}

function checkNativeCall(c: Checker, e: CallExpr, env: Env, fn: NativeFunction): Type {
  c.calls.set(e, { kind: "native", fn });
  const lambdaIndex = fn.lambda?.index;
  const types: Type[] = [];
  let failed = false;
  e.args.forEach((arg, i) => {
    if (i === lambdaIndex) {
      types.push(T.any); // placeholder until the lambda is checked below
      return;
    }
    if (arg.kind === "Lambda") {
      c.report("RPL3121", arg.span);
      failed = true;
      types.push(T.error);
      return;
    }
    const t = checkExpr(c, arg, env);
    if (t.kind === "error") failed = true;
    types.push(t);
  });
  if (!checkArity(c, e, fn.name, fn.arity[0], fn.arity[1])) return T.error;
  for (const i of fn.literalArgs ?? []) {
    const arg = e.args[i];
    if (arg === undefined || types[i]?.kind === "error") continue;
    if (arg.kind !== "String") {
      c.report("RPL3119", arg.span, [fn.name, String(i + 1)]);
      failed = true;
      continue;
    }
    const problem = checkLiteralCached(fn, i, arg.value);
    if (problem !== undefined) {
      c.report("RPL3120", arg.span, [fn.name, problem]);
      failed = true;
    }
  }
  if (fn.lambda && lambdaIndex !== undefined) {
    const arg = e.args[lambdaIndex];
    if (arg !== undefined) {
      const t = checkLambdaArg(c, fn, arg, types, failed, env);
      if (t.kind === "error") failed = true;
      types[lambdaIndex] = t;
    }
  }
  if (failed) return T.error;
  const r = fn.signature(types);
  if (r.ok) return r.result;
  const at = r.arg !== undefined ? e.args[r.arg] : undefined;
  c.report("RPL3118", (at ?? e).span, [fn.name, r.message]);
  return T.error;
}

function checkLambdaArg(
  c: Checker,
  fn: NativeFunction,
  arg: Expr,
  types: readonly Type[],
  argsFailed: boolean,
  env: Env,
): Type {
  const index = fn.lambda?.index ?? 0;
  if (arg.kind !== "Lambda") {
    if (checkExpr(c, arg, env).kind !== "error") c.report("RPL3122", arg.span, [fn.name, String(index + 1)]);
    return T.error;
  }
  const expected = argsFailed ? undefined : fn.lambda?.params(types);
  if (expected !== undefined && expected.length !== arg.params.length) {
    c.report("RPL3123", arg.span, [fn.name, plural(expected.length, "parameter"), String(arg.params.length)]);
    return c.record(arg, T.error);
  }
  reportDuplicateParams(c, arg.params);
  const params = arg.params.map((_, i) => expected?.[i] ?? T.error);
  const body = checkLambdaBody(c, arg, params, env);
  const t: Type =
    body.kind === "error" || params.some((p) => p.kind === "error")
      ? T.error
      : { kind: "function", params, result: body };
  return c.record(arg, t);
}

function checkLambdaBody(c: Checker, lambda: LambdaExpr, params: readonly Type[], env: Env): Type {
  const entries = lambda.params.map((p, index): readonly [string, Binding] => [
    p.text,
    { ref: { kind: "lambda-param", lambda, index }, type: params[index] ?? T.error },
  ]);
  return checkExpr(c, lambda.body, withBindings(env, entries));
}
