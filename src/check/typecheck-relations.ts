/**
 * Relations between types: equality, assignability (a value of one type where another is
 * needed), comparability (`==`), and the common type of two (list items, `??`).
 *
 * `any` is compatible with everything (the runtime checks the value), and the `error` type is
 * compatible with everything too: it belongs to an expression that already has a diagnostic, so
 * nothing built on it reports again ("one mistake, one error").
 */
import { T, type Type } from "./types.js";

export function isError(t: Type): boolean {
  return t.kind === "error";
}

/** `string`, or a string-literal union (a string whose values are known). */
export function isStringish(t: Type): boolean {
  return t.kind === "string" || t.kind === "union";
}

/** Structural equality (field optionality included). */
export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "union": {
      const bv = (b as typeof a).values;
      return a.values.length === bv.length && a.values.every((v, i) => v === bv[i]);
    }
    case "list":
      return sameType(a.element, (b as typeof a).element);
    case "map":
      return sameType(a.value, (b as typeof a).value);
    case "object": {
      const bf = (b as typeof a).fields;
      const ak = Object.keys(a.fields);
      if (ak.length !== Object.keys(bf).length) return false;
      return ak.every((k) => {
        const fa = a.fields[k];
        const fb = bf[k];
        return (
          fa !== undefined && fb !== undefined && fa.optional === fb.optional && sameType(fa.type, fb.type)
        );
      });
    }
    case "function": {
      const bt = b as typeof a;
      return (
        a.params.length === bt.params.length &&
        a.params.every((p, i) => sameType(p, bt.params[i] as Type)) &&
        sameType(a.result, bt.result)
      );
    }
    default:
      return true;
  }
}

/** May a value of type `from` stand where `to` is needed? */
export function assignable(from: Type, to: Type): boolean {
  if (from.kind === "error" || to.kind === "error" || from.kind === "any" || to.kind === "any") return true;
  switch (to.kind) {
    case "string":
      return isStringish(from);
    case "union":
      return from.kind === "union" && from.values.every((v) => to.values.includes(v));
    case "list":
      return from.kind === "list" && assignable(from.element, to.element);
    case "map":
      if (from.kind === "map") return assignable(from.value, to.value);
      if (from.kind === "object")
        return Object.values(from.fields).every((f) => assignable(f.type, to.value));
      return false;
    case "object": {
      if (from.kind !== "object") return false;
      return Object.entries(to.fields).every(([k, f]) => {
        const g = from.fields[k];
        if (g === undefined) return f.optional;
        if (g.optional && !f.optional) return false;
        return assignable(g.type, f.type);
      });
    }
    case "function":
      return false;
    default:
      return from.kind === to.kind;
  }
}

/**
 * The type of a value that is either an `a` or a `b` (list items, the two sides of `??`), or
 * undefined when they have none. Unions merge; a union and a string give a string.
 */
export function join(a: Type, b: Type): Type | undefined {
  if (a.kind === "error" || b.kind === "error") return T.error;
  if (a.kind === "any" || b.kind === "any") return T.any;
  if (a.kind === "union" && b.kind === "union") return T.union([...a.values, ...b.values]);
  if (isStringish(a) && isStringish(b)) return T.string;
  if (a.kind === "list" && b.kind === "list") {
    const e = join(a.element, b.element);
    return e && T.list(e);
  }
  if (a.kind === "map" && b.kind === "map") {
    const v = join(a.value, b.value);
    return v && T.map(v);
  }
  if (a.kind === "object" && b.kind === "object") return joinObjects(a, b);
  return sameType(a, b) ? a : undefined;
}

function joinObjects(a: Type & { kind: "object" }, b: Type & { kind: "object" }): Type | undefined {
  const fields: Record<string, { type: Type; optional: boolean }> = {};
  for (const k of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
    const fa = a.fields[k];
    const fb = b.fields[k];
    if (fa && fb) {
      const t = join(fa.type, fb.type);
      if (!t) return undefined;
      fields[k] = { type: t, optional: fa.optional || fb.optional };
    } else {
      const f = (fa ?? fb) as { type: Type; optional: boolean };
      fields[k] = { type: f.type, optional: true };
    }
  }
  return T.object(fields);
}

/** Scalar types `==` can compare; lists, maps and objects are not comparable (compare their parts). */
export function isComparableKind(t: Type): boolean {
  switch (t.kind) {
    case "string":
    case "union":
    case "number":
    case "bool":
    case "duration":
    case "timestamp":
    case "any":
    case "error":
      return true;
    default:
      return false;
  }
}

export type Comparability = "ok" | "mismatch" | "disjoint";

/** Can `a == b` be asked? "disjoint": two unions that share no value (always false). */
export function comparable(a: Type, b: Type): Comparability {
  if (!isComparableKind(a) || !isComparableKind(b))
    return a.kind === "error" || b.kind === "error" ? "ok" : "mismatch";
  if (a.kind === "error" || b.kind === "error" || a.kind === "any" || b.kind === "any") return "ok";
  if (a.kind === "union" && b.kind === "union") {
    return a.values.some((v) => b.values.includes(v)) ? "ok" : "disjoint";
  }
  if (isStringish(a) && isStringish(b)) return "ok";
  return a.kind === b.kind ? "ok" : "mismatch";
}

/** Unions widened to `string`, deeply: what built-in signatures see. */
export function widen(t: Type): Type {
  switch (t.kind) {
    case "union":
      return T.string;
    case "list":
      return T.list(widen(t.element));
    case "map":
      return T.map(widen(t.value));
    case "object": {
      const fields: Record<string, { type: Type; optional: boolean }> = {};
      for (const [k, f] of Object.entries(t.fields))
        fields[k] = { type: widen(f.type), optional: f.optional };
      return T.object(fields);
    }
    default:
      return t;
  }
}
