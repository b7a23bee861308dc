/**
 * List natives: `any all count filter map` take a lambda (the checker types its body with the
 * element type); `intersects` and `contains` compare elements as `==` does (deep equality).
 */
import { formatType, T, type Type } from "../check/types.js";
import { list } from "./guard.js";
import { comparable, elementOf, isBool, isList, isLoose, mismatch, ok } from "./sig.js";
import type { NativeFunction } from "./spec.js";

/** Deep equality of JSON values, as `==` compares them. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const bo = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}

type Pred = (x: unknown) => unknown;

// `any`, `all` and `count` are loops rather than `some`/`every`/`reduce` with a closure: a
// decision that calls them allocates nothing (bench/results/engine.md). Holes are skipped as
// those methods skip them.

const higherOrder = (
  name: string,
  doc: string,
  result: (element: Type, lambdaResult: Type) => Type,
  wantBool: boolean,
  impl: (xs: readonly unknown[], f: Pred) => unknown,
): NativeFunction => ({
  name,
  doc,
  arity: [2, 2],
  lambda: { index: 1, params: (args) => [elementOf(args[0])] },
  signature: ([xs, f]) => {
    if (xs !== undefined && !isList(xs)) return mismatch("`list<T>`", xs, 0);
    const element = elementOf(xs);
    if (f === undefined || isLoose(f)) return ok(result(element, T.any));
    if (f.kind !== "function") return mismatch("a function `x => …`", f, 1);
    if (wantBool && !isBool(f.result)) {
      return {
        ok: false,
        message: `expected the function to return \`bool\`, found \`${formatType(f.result)}\``,
        arg: 1,
      };
    }
    return ok(result(element, f.result));
  },
  impl: (xs: unknown, f: Pred) => impl(list(xs, name), f),
});

export const LIST_NATIVES: readonly NativeFunction[] = [
  higherOrder(
    "any",
    "any(xs: list<T>, x => p): bool — whether `p` holds for some element (false for an empty list)",
    () => T.bool,
    true,
    (xs, f) => {
      for (let i = 0; i < xs.length; i++) if (i in xs && f(xs[i]) === true) return true;
      return false;
    },
  ),
  higherOrder(
    "all",
    "all(xs: list<T>, x => p): bool — whether `p` holds for every element (true for an empty list)",
    () => T.bool,
    true,
    (xs, f) => {
      for (let i = 0; i < xs.length; i++) if (i in xs && f(xs[i]) !== true) return false;
      return true;
    },
  ),
  higherOrder(
    "count",
    "count(xs: list<T>, x => p): number — how many elements `p` holds for",
    () => T.number,
    true,
    (xs, f) => {
      let n = 0;
      for (let i = 0; i < xs.length; i++) if (i in xs && f(xs[i]) === true) n++;
      return n;
    },
  ),
  higherOrder(
    "filter",
    "filter(xs: list<T>, x => p): list<T> — the elements `p` holds for, in order",
    (element) => T.list(element),
    true,
    (xs, f) => xs.filter((x) => f(x) === true),
  ),
  higherOrder(
    "map",
    "map(xs: list<T>, x => e): list<U> — `e` of each element, in order",
    (_element, r) => T.list(r),
    false,
    (xs, f) => xs.map((x) => f(x)),
  ),
  {
    name: "intersects",
    doc: "intersects(xs: list<T>, ys: list<T>): bool — whether the lists share an element",
    arity: [2, 2],
    signature: ([xs, ys]) => {
      if (xs !== undefined && !isList(xs)) return mismatch("`list<T>`", xs, 0);
      if (ys !== undefined && !isList(ys)) return mismatch("`list<T>`", ys, 1);
      if (xs?.kind === "list" && ys?.kind === "list" && !comparable(xs.element, ys.element)) {
        return mismatch(`\`list<${formatType(xs.element)}>\``, ys, 1);
      }
      return ok(T.bool);
    },
    impl: (xs: unknown, ys: unknown) => {
      const a = list(xs, "intersects");
      const b = list(ys, "intersects");
      for (let i = 0; i < a.length; i++) {
        if (!(i in a)) continue;
        for (let j = 0; j < b.length; j++) if (j in b && jsonEqual(a[i], b[j])) return true;
      }
      return false;
    },
  },
];
