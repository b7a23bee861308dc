/**
 * Binary operators (LANGUAGE.md §6):
 *   and or          bool, bool → bool (short-circuit: the right side is narrowed by the left)
 *   == !=           comparable scalars → bool; a string literal against a union must be one of it
 *   < <= > >=       two numbers, two durations or two timestamps → bool
 *   in, not in      T, list<T> → bool
 *   ??              an optional read and a default of a common type → that type
 *   +               number+number, string+string, timestamp±duration → timestamp,
 *   -               duration±duration → duration, timestamp-timestamp → duration
 *   * / %           numbers; duration*number, number*duration, duration/number → duration,
 *                   duration/duration → number
 * An operand of type `any` takes whatever type makes the operation valid (checked at run time).
 */
import type { BinaryExpr, Expr } from "../syntax/ast.js";
import { factsWhenFalse, factsWhenTrue } from "./narrowing.js";
import { type Env, withFacts } from "./scope.js";
import { type Access, checkAccess } from "./typecheck-access.js";
import type { Checker } from "./typecheck-context.js";
import { checkExpr, checkLiteralInUnion, expectBool } from "./typecheck-expr.js";
import { comparable, isComparableKind, isStringish, join } from "./typecheck-relations.js";
import { formatType, T, type Type } from "./types.js";

export function checkBinary(c: Checker, e: BinaryExpr, env: Env): Type {
  switch (e.op) {
    case "and":
    case "or": {
      expectBool(c, e.left, env, `an operand of \`${e.op}\``);
      const facts = e.op === "and" ? factsWhenTrue(e.left) : factsWhenFalse(e.left);
      expectBool(c, e.right, withFacts(env, facts), `an operand of \`${e.op}\``);
      return T.bool;
    }
    case "==":
    case "!=":
      return equality(c, e, env);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return ordering(c, e, env);
    case "in":
    case "not in":
      return membership(c, e, env);
    case "??":
      return coalesce(c, e, env, false).type;
    default:
      return arithmetic(c, e, env);
  }
}

function mismatch(c: Checker, e: BinaryExpr, l: Type, r: Type, help: string): Type {
  c.report("RPL3103", e.span, [e.op, formatType(l), formatType(r)], { help });
  return T.error;
}

function equality(c: Checker, e: BinaryExpr, env: Env): Type {
  const l = checkExpr(c, e.left, env);
  const r = checkExpr(c, e.right, env);
  if (l.kind === "error" || r.kind === "error") return T.bool;
  if (l.kind === "union" && e.right.kind === "String")
    return checkLiteralInUnion(c, e.right, l) ? T.bool : T.error;
  if (r.kind === "union" && e.left.kind === "String")
    return checkLiteralInUnion(c, e.left, r) ? T.bool : T.error;
  switch (comparable(l, r)) {
    case "ok":
      return T.bool;
    case "disjoint":
      return mismatch(c, e, l, r, "the two sides share no value, so they are never equal");
    case "mismatch":
      return mismatch(
        c,
        e,
        l,
        r,
        isComparableKind(l) && isComparableKind(r)
          ? "compare values of the same type"
          : "lists, maps and objects are not compared as a whole: compare their parts, or use `contains`, `intersects` or `len`",
      );
  }
}

const ORDERED = new Set(["number", "duration", "timestamp"]);

function ordering(c: Checker, e: BinaryExpr, env: Env): Type {
  const l = checkExpr(c, e.left, env);
  const r = checkExpr(c, e.right, env);
  if (l.kind === "error" || r.kind === "error") return T.bool;
  const ok =
    (l.kind === "any" && (r.kind === "any" || ORDERED.has(r.kind))) ||
    (r.kind === "any" && ORDERED.has(l.kind)) ||
    (l.kind === r.kind && ORDERED.has(l.kind));
  return ok ? T.bool : mismatch(c, e, l, r, `\`${e.op}\` takes two numbers, two durations or two timestamps`);
}

function membership(c: Checker, e: BinaryExpr, env: Env): Type {
  const l = checkExpr(c, e.left, env);
  const r = checkExpr(c, e.right, env);
  if (l.kind === "error" || r.kind === "error") return T.bool;
  if (r.kind === "any") return T.bool;
  if (r.kind !== "list") {
    return mismatch(
      c,
      e,
      l,
      r,
      isStringish(r)
        ? "`in` takes a list on its right: for a substring use `contains(s, part)`"
        : "`in` takes a list on its right",
    );
  }
  const el = r.element;
  if (el.kind === "union" && e.left.kind === "String")
    return checkLiteralInUnion(c, e.left, el) ? T.bool : T.error;
  if (l.kind === "union" && e.right.kind === "List") {
    let ok = true;
    for (const item of e.right.items) if (item.kind === "String") ok = checkLiteralInUnion(c, item, l) && ok;
    if (!ok) return T.error;
  }
  if (el.kind === "error") return T.bool;
  switch (comparable(l, el)) {
    case "ok":
      return T.bool;
    case "disjoint":
      return mismatch(c, e, l, r, "no item of the list can equal the left side");
    case "mismatch":
      return mismatch(c, e, l, r, "`in` takes a value and a list of values of the same type");
  }
}

/** The left side of `??` (and a nested `??` in it): a read that may be absent. */
function optionalSide(c: Checker, e: Expr, env: Env): Access {
  if (e.kind === "Member" || e.kind === "Index") return checkAccess(c, e, env, true);
  if (e.kind === "Binary" && e.op === "??") return coalesce(c, e, env, true);
  return { type: checkExpr(c, e, env), absent: false };
}

/**
 * `a ?? b`. With `rightMayBeAbsent` (this `??` is itself the left side of another `??`, as in
 * `a ?? b ?? c` parsed from the left), `b` may be an optional read too.
 */
function coalesce(c: Checker, e: BinaryExpr, env: Env, rightMayBeAbsent: boolean): Access {
  const left = optionalSide(c, e.left, env);
  if (!left.absent && left.type.kind !== "error") c.report("RPL3107", e.left.span);
  const right = rightMayBeAbsent
    ? optionalSide(c, e.right, env)
    : { type: checkExpr(c, e.right, env), absent: false };
  let t: Type;
  if (left.type.kind === "error" || right.type.kind === "error") t = T.error;
  else if (left.type.kind === "union" && e.right.kind === "String")
    t = T.union([...left.type.values, e.right.value]);
  else {
    const j = join(left.type, right.type);
    t =
      j ??
      mismatch(c, e, left.type, right.type, "the default must have the type of the value it stands in for");
  }
  c.record(e, t);
  return { type: t, absent: right.absent };
}

const ARITH_CANDIDATES: readonly Type[] = [T.number, T.string, T.duration, T.timestamp];

/** The result of `l op r` for concrete (non-any) operand types, or undefined. */
function arithResult(op: string, l: Type, r: Type): Type | undefined {
  const lk = l.kind;
  const rk = r.kind;
  if (lk === "number" && rk === "number") return T.number;
  switch (op) {
    case "+":
      if (isStringish(l) && isStringish(r)) return T.string;
      if ((lk === "timestamp" && rk === "duration") || (lk === "duration" && rk === "timestamp"))
        return T.timestamp;
      if (lk === "duration" && rk === "duration") return T.duration;
      return undefined;
    case "-":
      if (lk === "timestamp" && rk === "duration") return T.timestamp;
      if (lk === "timestamp" && rk === "timestamp") return T.duration;
      if (lk === "duration" && rk === "duration") return T.duration;
      return undefined;
    case "*":
      if ((lk === "duration" && rk === "number") || (lk === "number" && rk === "duration")) return T.duration;
      return undefined;
    case "/":
      if (lk === "duration" && rk === "number") return T.duration;
      if (lk === "duration" && rk === "duration") return T.number;
      return undefined;
    default:
      return undefined;
  }
}

const ARITH_HELP: Readonly<Record<string, string>> = {
  "+": "`+` adds two numbers, joins two strings, or moves a timestamp by a duration",
  "-": "`-` subtracts numbers, durations, or a duration from a timestamp (two timestamps give a duration)",
  "*": "`*` multiplies numbers, or a duration by a number",
  "/": "`/` divides numbers, or a duration by a number",
  "%": "`%` takes two numbers",
};

function arithmetic(c: Checker, e: BinaryExpr, env: Env): Type {
  const l = checkExpr(c, e.left, env);
  const r = checkExpr(c, e.right, env);
  if (l.kind === "error" || r.kind === "error") return T.error;
  const ls = l.kind === "any" ? ARITH_CANDIDATES : [l];
  const rs = r.kind === "any" ? ARITH_CANDIDATES : [r];
  const results = new Set<string>();
  let one: Type | undefined;
  for (const a of ls) {
    for (const b of rs) {
      const t = arithResult(e.op, a, b);
      if (t) {
        results.add(t.kind);
        one = t;
      }
    }
  }
  if (one === undefined) return mismatch(c, e, l, r, ARITH_HELP[e.op] ?? "");
  return results.size === 1 ? one : T.any;
}
