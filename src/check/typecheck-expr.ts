/**
 * Expressions: the entry `checkExpr` (which records every expression's type), literals, names,
 * unary operators, and the helpers that check an expression against what its place needs.
 */
import type { Expr, Identifier, ListLiteral, ObjectLiteral, UnaryExpr } from "../syntax/ast.js";
import type { SymbolRef } from "./program.js";
import { type Env, placeText, readsRequest } from "./scope.js";
import { didYouMean } from "./suggest.js";
import { checkAccess } from "./typecheck-access.js";
import { checkCall, isNamespace } from "./typecheck-calls.js";
import type { Checker } from "./typecheck-context.js";
import { checkBinary } from "./typecheck-ops.js";
import { assignable, join } from "./typecheck-relations.js";
import { formatType, T, type Type } from "./types.js";

/** Check `e` in `env`, record its type, and return it. */
export function checkExpr(c: Checker, e: Expr, env: Env): Type {
  return c.record(e, compute(c, e, env));
}

function compute(c: Checker, e: Expr, env: Env): Type {
  switch (e.kind) {
    case "String":
      return T.string;
    case "Number":
      return T.number;
    case "Duration":
      return T.duration;
    case "Bool":
      return T.bool;
    case "List":
      return checkList(c, e, env);
    case "Object":
      return checkObject(c, e, env);
    case "Identifier":
      return checkIdentifier(c, e, env);
    case "Member":
    case "Index":
      return checkAccess(c, e, env, false).type;
    case "Call":
      return checkCall(c, e, env);
    case "Lambda":
      c.report("RPL3121", e.span);
      return T.error;
    case "Unary":
      return checkUnary(c, e, env);
    case "Binary":
      return checkBinary(c, e, env);
    case "ErrorExpr":
      return T.error;
  }
}

/** A condition: `bool` (or `any`, checked at run time). `what` names the place for the message. */
export function expectBool(c: Checker, e: Expr, env: Env, what: string): Type {
  const t = checkExpr(c, e, env);
  if (t.kind !== "bool" && t.kind !== "any" && t.kind !== "error") {
    c.report("RPL3101", e.span, [what, formatType(t)]);
  }
  return t;
}

/**
 * `e` where a value of type `expected` is needed. A string literal where a union is needed must
 * be one of its values (with a did-you-mean), also as an item of a list literal.
 * Returns false when a diagnostic was reported.
 */
export function expectType(c: Checker, e: Expr, env: Env, expected: Type, what: string): boolean {
  const t = checkExpr(c, e, env);
  if (t.kind === "error") return true;
  if (!literalsFit(c, e, expected)) return false;
  if (assignable(t, expected)) return true;
  if (isLiteralOf(c, e, expected)) return true;
  c.report("RPL3102", e.span, [what, formatType(expected), formatType(t)]);
  return false;
}

/** String literals (also items of a list literal) checked against a union they must belong to. */
export function literalsFit(c: Checker, e: Expr, expected: Type): boolean {
  if (e.kind === "String" && expected.kind === "union") return checkLiteralInUnion(c, e, expected);
  if (e.kind === "List" && expected.kind === "list" && expected.element.kind === "union") {
    let ok = true;
    for (const item of e.items) ok = literalsFit(c, item, expected.element) && ok;
    return ok;
  }
  return true;
}

/** A literal (or list of literals) that fits a union type, though its own type is `string`. */
function isLiteralOf(c: Checker, e: Expr, expected: Type): boolean {
  if (e.kind === "String" && expected.kind === "union") return expected.values.includes(e.value);
  if (e.kind === "List" && expected.kind === "list") {
    return e.items.every(
      (i) => isLiteralOf(c, i, expected.element) || assignable(c.types.get(i) ?? T.error, expected.element),
    );
  }
  return false;
}

/** Report `"prod"` compared with `"dev" | "production"`; true when the literal belongs. */
export function checkLiteralInUnion(c: Checker, e: Expr & { kind: "String" }, u: Type & { kind: "union" }) {
  if (u.values.includes(e.value)) return true;
  c.report("RPL3105", e.span, [JSON.stringify(e.value), formatType(u)], {
    help: closestValue(e.value, u.values),
  });
  return false;
}

/** "did you mean …?" by edit distance, else the one value the literal abbreviates (`prod` → `production`). */
function closestValue(value: string, values: readonly string[]): string | undefined {
  const near = didYouMean(value, values);
  if (near !== undefined || value === "") return near;
  const v = value.toLowerCase();
  const prefixed = values.filter((x) => x.toLowerCase().startsWith(v) || v.startsWith(x.toLowerCase()));
  return prefixed.length === 1 ? `did you mean \`${prefixed[0]}\`?` : undefined;
}

function checkList(c: Checker, e: ListLiteral, env: Env): Type {
  if (e.items.length === 0) return T.list(T.any);
  let element: Type | undefined;
  let failed = false;
  for (const item of e.items) {
    const t = checkExpr(c, item, env);
    if (t.kind === "error") failed = true;
    if (failed) continue;
    if (element === undefined) {
      element = t;
      continue;
    }
    const j = join(element, t);
    if (j === undefined) {
      c.report("RPL3128", item.span, [formatType(element), formatType(t)]);
      failed = true;
    } else element = j;
  }
  return failed || element === undefined ? T.error : T.list(element);
}

function checkObject(c: Checker, e: ObjectLiteral, env: Env): Type {
  if (env.place !== "test") {
    c.report("RPL3129", e.span);
    return T.error;
  }
  const fields: Record<string, { type: Type; optional: boolean }> = {};
  for (const entry of e.entries)
    fields[entry.key.text] = { type: checkExpr(c, entry.value, env), optional: false };
  return T.object(fields);
}

const ROOTS = ["action", "args", "context", "now"] as const;
type RootName = (typeof ROOTS)[number];

function checkIdentifier(c: Checker, e: Identifier, env: Env): Type {
  const name = e.name;
  const bound = env.bindings.get(name);
  if (bound) return resolved(c, e, bound.ref, bound.type);
  const local = env.locals?.byName.get(name);
  if (local && env.locals) {
    if (local.index >= env.locals.visible) {
      c.report("RPL3127", e.span, [name]);
      return T.error;
    }
    return resolved(
      c,
      e,
      { kind: "let", decl: local.decl, scope: "local" },
      c.letTypes.get(local.decl) ?? T.error,
    );
  }
  const g = c.set.globals.get(name);
  if (g) {
    switch (g.kind) {
      case "let":
        // Not yet typed: the let is part of a cycle, already reported.
        return resolved(
          c,
          e,
          { kind: "let", decl: g.decl, scope: "global" },
          c.letTypes.get(g.decl) ?? T.error,
        );
      case "param":
        return resolved(c, e, { kind: "param", decl: g.decl, value: g.value }, g.type);
      case "def":
        c.report("RPL3132", e.span, [name], { help: `call it: \`${name}(…)\`` });
        return T.error;
    }
  }
  if ((ROOTS as readonly string[]).includes(name)) return checkRoot(c, e, name as RootName, env);
  if (isNamespace(name)) {
    c.report("RPL3115", e.span, [name]);
    return T.error;
  }
  c.report("RPL3113", e.span, [name], { help: didYouMean(name, namesInScope(c, env)) });
  return T.error;
}

function resolved(c: Checker, e: Identifier, ref: SymbolRef, t: Type): Type {
  c.refs.set(e, ref);
  return t;
}

function checkRoot(c: Checker, e: Identifier, name: RootName, env: Env): Type {
  if (!readsRequest(env)) {
    c.report("RPL3114", e.span, [name, placeText(env)], {
      help: env.place === "def" ? "pass the value as a parameter of the def" : undefined,
    });
    return T.error;
  }
  if (name === "args" && env.args === undefined) {
    c.report("RPL3114", e.span, [name, "outside `on` blocks"], {
      help: "move the rule into an `on ACTION { … }` block",
    });
    return T.error;
  }
  c.refs.set(e, { kind: "root", name });
  switch (name) {
    case "args":
      return env.args ?? T.error;
    case "action":
      return env.action;
    case "now":
      return T.timestamp;
    case "context":
      return c.set.context?.type ?? T.object({});
  }
}

function namesInScope(c: Checker, env: Env): string[] {
  const names = [...env.bindings.keys()];
  if (env.locals) {
    for (const [n, l] of env.locals.byName) if (l.index < env.locals.visible) names.push(n);
  }
  for (const [n, g] of c.set.globals) if (g.kind !== "def") names.push(n);
  if (readsRequest(env)) names.push(...ROOTS.filter((r) => r !== "args" || env.args !== undefined));
  return names;
}

function checkUnary(c: Checker, e: UnaryExpr, env: Env): Type {
  if (e.op === "not") {
    expectBool(c, e.operand, env, "the operand of `not`");
    return T.bool;
  }
  const t = checkExpr(c, e.operand, env);
  if (t.kind === "number" || t.kind === "duration" || t.kind === "any" || t.kind === "error") return t;
  c.report("RPL3104", e.span, ["-", formatType(t)]);
  return T.error;
}
