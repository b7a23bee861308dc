/**
 * The un-namespaced natives: strings, lists and numbers.
 *
 * Decisions where the language page is silent (the reference is generated from the `doc` lines):
 *   - `len` of a string counts Unicode code points, not UTF-16 units (`len("é👍") == 2`).
 *   - `split(s, "")` splits into code points; `lower`/`upper` are locale-independent.
 *   - `str` formats numbers like JavaScript's `String(n)` (`1.5`, `1e+21`, `-0` → `0`); durations
 *     and timestamps are numbers at run time, so `str` rejects them: use `format_duration` and
 *     `format_time` (time.ts).
 *   - `contains(list, x)` and `intersects` compare with `==` semantics (deep, for lists and objects).
 *   - `min`/`max` take two or more numbers, durations or timestamps of one kind, or one list of
 *     them; the minimum of an empty list is an evaluation error.
 *   - `matches` searches (use `^…$` to anchor), RE2 syntax, inline flags such as `(?i)`.
 */
import { formatType, T, type Type } from "../check/types.js";
import { str as asString, list, num, strList } from "./guard.js";
import { checkGlob, checkRegex, globMatcher, regexMatcher } from "./patterns.js";
import {
  comparable,
  elementOf,
  isBool,
  isList,
  isLoose,
  isNumber,
  isString,
  mismatch,
  ok,
  P,
  simple,
} from "./sig.js";
import { NativeError, type NativeFunction, type SignatureResult } from "./spec.js";

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

/** Number of Unicode code points in `s`. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** `str` of a JSON value (for `any`): strings as is, others as JSON. */
export function toStr(x: unknown): string {
  if (typeof x === "string") return x;
  if (typeof x === "number") return String(x);
  if (typeof x === "boolean") return x ? "true" : "false";
  if (x === undefined) return "null";
  return JSON.stringify(x);
}

const str = (name: string, doc: string, impl: (s: string) => unknown, result: Type): NativeFunction => ({
  name,
  doc,
  arity: [1, 1],
  signature: simple([P.string], result),
  impl: (s: unknown) => impl(asString(s, name)),
});

const pred2 = (name: string, doc: string, impl: (a: string, b: string) => boolean): NativeFunction => ({
  name,
  doc,
  arity: [2, 2],
  signature: simple([P.string, P.string], T.bool),
  impl: (a: unknown, b: unknown) => impl(asString(a, name), asString(b, name)),
});

export const STRING_NATIVES: readonly NativeFunction[] = [
  {
    name: "len",
    doc: "len(x: string | list<T>): number — the number of characters (code points) or elements",
    arity: [1, 1],
    signature: ([x]) =>
      x !== undefined && !isString(x) && !isList(x) ? mismatch("`string` or `list<T>`", x, 0) : ok(T.number),
    impl: (x: unknown) => (typeof x === "string" ? codePointLength(x) : list(x, "len").length),
  },
  str(
    "lower",
    "lower(s: string): string — lower-cased (locale-independent)",
    (s) => s.toLowerCase(),
    T.string,
  ),
  str(
    "upper",
    "upper(s: string): string — upper-cased (locale-independent)",
    (s) => s.toUpperCase(),
    T.string,
  ),
  str(
    "trim",
    "trim(s: string): string — without leading and trailing white space",
    (s) => s.trim(),
    T.string,
  ),
  pred2(
    "starts_with",
    "starts_with(s: string, prefix: string): bool — whether `s` begins with `prefix`",
    (a, b) => a.startsWith(b),
  ),
  pred2("ends_with", "ends_with(s: string, suffix: string): bool — whether `s` ends with `suffix`", (a, b) =>
    a.endsWith(b),
  ),
  {
    name: "contains",
    doc: "contains(s: string, part: string): bool | contains(xs: list<T>, x: T): bool — substring or element test",
    arity: [2, 2],
    signature: containsSignature,
    impl: (haystack: unknown, needle: unknown) =>
      typeof haystack === "string"
        ? haystack.includes(asString(needle, "contains"))
        : list(haystack, "contains").some((x) => jsonEqual(x, needle)),
  },
  {
    name: "split",
    doc: 'split(s: string, sep: string): list<string> — the parts between separators (`""` splits into characters)',
    arity: [2, 2],
    signature: simple([P.string, P.string], T.list(T.string)),
    impl: (s: unknown, sep: unknown) => {
      const text = asString(s, "split");
      return asString(sep, "split") === "" ? Array.from(text) : text.split(sep as string);
    },
  },
  {
    name: "join",
    doc: "join(xs: list<string>, sep: string): string — the elements joined with `sep` between them",
    arity: [2, 2],
    signature: simple([P.stringList, P.string], T.string),
    impl: (xs: unknown, sep: unknown) => strList(xs, "join").join(asString(sep, "join")),
  },
  {
    name: "str",
    doc: "str(x: string | number | bool): string — the value as text (numbers as JavaScript prints them)",
    arity: [1, 1],
    signature: ([x]) =>
      x !== undefined && !isString(x) && !isNumber(x) && !isBool(x)
        ? mismatch("`string`, `number` or `bool`", x, 0)
        : ok(T.string),
    impl: toStr,
  },
  {
    name: "matches",
    doc: "matches(s: string, re: string literal): bool — whether the RE2 regular expression matches part of `s`",
    arity: [2, 2],
    signature: simple([P.string, P.string], T.bool),
    literalArgs: [1],
    checkLiteral: (index, value) => (index === 1 ? checkRegex(value) : undefined),
    impl: (s: unknown, re: string) => regexMatcher(re)(asString(s, "matches")),
  },
  {
    name: "glob",
    doc: "glob(s: string, pattern: string literal): bool — whether all of `s` matches the glob (`*`, `**`, `?`, `[…]`, `{a,b}`)",
    arity: [2, 2],
    signature: simple([P.string, P.string], T.bool),
    literalArgs: [1],
    checkLiteral: (index, value) => (index === 1 ? checkGlob(value) : undefined),
    impl: (s: unknown, pattern: string) => globMatcher(pattern)(asString(s, "glob")),
  },
];

function containsSignature(args: readonly Type[]): SignatureResult {
  const [xs, x] = args;
  if (xs === undefined || x === undefined) return ok(T.bool);
  if (xs.kind === "list") {
    return comparable(xs.element, x) ? ok(T.bool) : mismatch(`\`${formatType(xs.element)}\``, x, 1);
  }
  if (isString(xs)) {
    // `any` may hold a list at run time; then the element test applies.
    return xs.kind === "any" || isString(x) ? ok(T.bool) : mismatch("`string`", x, 1);
  }
  return mismatch("`string` or `list<T>`", xs, 0);
}

// ---------------------------------------------------------------------------------------------
// Lists

type Pred = (x: unknown) => unknown;

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
    (xs, f) => xs.some((x) => f(x) === true),
  ),
  higherOrder(
    "all",
    "all(xs: list<T>, x => p): bool — whether `p` holds for every element (true for an empty list)",
    () => T.bool,
    true,
    (xs, f) => xs.every((x) => f(x) === true),
  ),
  higherOrder(
    "count",
    "count(xs: list<T>, x => p): number — how many elements `p` holds for",
    () => T.number,
    true,
    (xs, f) => xs.reduce<number>((n, x) => (f(x) === true ? n + 1 : n), 0),
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
      const b = list(ys, "intersects");
      return list(xs, "intersects").some((x) => b.some((y) => jsonEqual(x, y)));
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Numbers

/** The kind shared by `min`/`max` arguments: number, duration or timestamp (all numbers at run time). */
function extremumSignature(args: readonly Type[]): SignatureResult {
  const ordered = (t: Type) => t.kind === "number" || t.kind === "duration" || t.kind === "timestamp";
  const expected = "`number`, `duration` or `timestamp`";
  if (args.length === 1) {
    const [xs] = args as [Type];
    if (isLoose(xs)) return ok(T.any);
    if (xs.kind === "list" && (ordered(xs.element) || isLoose(xs.element))) return ok(xs.element);
    return mismatch(`a list of numbers or two or more ${expected} values`, xs, 0);
  }
  let kind: Type | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (isLoose(t)) continue;
    if (!ordered(t)) return mismatch(expected, t, i);
    if (kind === undefined) kind = t;
    else if (kind.kind !== t.kind) return mismatch(`\`${formatType(kind)}\``, t, i);
  }
  return ok(kind ?? T.any);
}

function extremum(name: "min" | "max"): NativeFunction {
  const pick = name === "min" ? Math.min : Math.max;
  return {
    name,
    doc: `${name}(a, b, …) | ${name}(xs: list<number>) — the ${name === "min" ? "smallest" : "largest"} of two or more numbers (or durations, or timestamps), or of a non-empty list`,
    arity: [1, 64],
    signature: extremumSignature,
    impl: (...args: unknown[]) => {
      const values = args.length === 1 ? list(args[0], name) : args;
      if (values.length === 0) throw new NativeError(`${name} of an empty list`);
      let best = num(values[0], name);
      for (const v of values) best = pick(best, num(v, name));
      return best;
    },
  };
}

const numeric = (
  name: string,
  doc: string,
  f: (x: number) => number,
  durations: boolean,
): NativeFunction => ({
  name,
  doc,
  arity: [1, 1],
  signature: ([x]) => {
    if (x === undefined || isNumber(x)) return ok(x?.kind === "any" || x === undefined ? T.number : x);
    if (durations && x.kind === "duration") return ok(T.duration);
    return mismatch(durations ? "`number` or `duration`" : "`number`", x, 0);
  },
  impl: (x: unknown) => {
    const r = f(num(x, name));
    return r === 0 ? 0 : r; // no -0 in results
  },
});

export const NUMBER_NATIVES: readonly NativeFunction[] = [
  extremum("min"),
  extremum("max"),
  numeric("abs", "abs(x: number | duration): number | duration — the absolute value", Math.abs, true),
  numeric("floor", "floor(x: number): number — the largest integer not above `x`", Math.floor, false),
  numeric("ceil", "ceil(x: number): number — the smallest integer not below `x`", Math.ceil, false),
];

export const CORE_NATIVES: readonly NativeFunction[] = [
  ...STRING_NATIVES,
  ...LIST_NATIVES,
  ...NUMBER_NATIVES,
];
