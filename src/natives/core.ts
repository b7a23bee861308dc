/**
 * The un-namespaced natives: strings here, lists in lists.ts, numbers in numbers.ts.
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
import { str as asString, list, strList } from "./guard.js";
import { jsonEqual, LIST_NATIVES } from "./lists.js";
import { NUMBER_NATIVES } from "./numbers.js";
import { checkGlob, checkRegex, globMatcher, regexMatcher } from "./patterns.js";
import { comparable, isBool, isList, isNumber, isString, mismatch, ok, P, simple } from "./sig.js";
import type { NativeFunction, SignatureResult } from "./spec.js";

export { jsonEqual } from "./lists.js";

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

export const CORE_NATIVES: readonly NativeFunction[] = [
  ...STRING_NATIVES,
  ...LIST_NATIVES,
  ...NUMBER_NATIVES,
];
