import { describe, expect, it } from "vitest";
import { T, type Type } from "../../../src/check/types.js";
import { codePointLength, jsonEqual, toStr } from "../../../src/natives/core.js";
import { call, native, sig, thrown } from "./helpers.js";

const fn = (params: Type[], result: Type): Type => ({ kind: "function", params, result });
const union = T.union(["dev", "production"]);

describe("string natives", () => {
  it.each([
    ["len", ["héllo"], 5],
    ["len", ["é👍"], 2],
    ["len", [""], 0],
    ["len", [["a", "b", "c"]], 3],
    ["lower", ["DROP Table Ünïcode"], "drop table ünïcode"],
    ["upper", ["istanbul"], "ISTANBUL"],
    ["trim", ["  \t spaced out \n"], "spaced out"],
    ["starts_with", ["/etc/passwd", "/etc/"], true],
    ["starts_with", ["/tmp/x", "/etc/"], false],
    ["ends_with", ["bob@acme.com", "@acme.com"], true],
    ["ends_with", ["bob@acme.com.evil.io", "@acme.com"], false],
    ["contains", ["rm -rf /", "-rf"], true],
    ["contains", ["ls -la", "-rf"], false],
    ["contains", [["users", "payments"], "users"], true],
    ["contains", [["users", "payments"], "orders"], false],
    ["contains", [[{ a: 1 }, { b: [2] }], { b: [2] }], true],
    ["contains", [[1, 2, 3], 4], false],
    ["split", ["a,b,,c", ","], ["a", "b", "", "c"]],
    ["split", ["a👍b", ""], ["a", "👍", "b"]],
    ["split", ["no-separator", ","], ["no-separator"]],
    ["join", [["users", "payments"], ", "], "users, payments"],
    ["join", [[], ", "], ""],
    ["str", ["text"], "text"],
    ["str", [42], "42"],
    ["str", [1.5], "1.5"],
    ["str", [-0], "0"],
    ["str", [1e21], "1e+21"],
    ["str", [true], "true"],
    ["str", [false], "false"],
    ["str", [null], "null"],
    ["str", [{ a: [1, "x"] }], '{"a":[1,"x"]}'],
  ])("%s(%j) is %j", (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it("counts code points, not UTF-16 units, including lone surrogates", () => {
    expect(codePointLength("a\ud800b")).toBe(3);
    expect(codePointLength("👍👍")).toBe(2);
    expect(toStr(undefined)).toBe("null");
  });

  it("compares JSON values deeply, own keys only", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual(Object.create({ a: 1 }), { a: 1 })).toBe(false);
  });
});

describe("string signatures", () => {
  it("accept strings, literal unions, any and error (no cascade)", () => {
    for (const t of [T.string, union, T.any, T.error]) {
      expect(sig("lower", t)).toEqual({ ok: true, result: T.string });
      expect(sig("starts_with", t, T.string)).toEqual({ ok: true, result: T.bool });
    }
  });

  it.each([
    ["len", [T.number], "expected `string` or `list<T>`, found `number`", 0],
    ["lower", [T.bool], "expected `string`, found `bool`", 0],
    ["starts_with", [T.string, T.number], "expected `string`, found `number`", 1],
    ["join", [T.list(T.number), T.string], "expected `list<string>`, found `list<number>`", 0],
    ["contains", [T.list(T.string), T.number], "expected `string`, found `number`", 1],
    ["contains", [T.string, T.list(T.string)], "expected `string`, found `list<string>`", 1],
    ["contains", [T.number, T.number], "expected `string` or `list<T>`, found `number`", 0],
    ["str", [T.duration], "expected `string`, `number` or `bool`, found `duration`", 0],
    ["str", [T.timestamp], "expected `string`, `number` or `bool`, found `timestamp`", 0],
    ["str", [T.list(T.string)], "expected `string`, `number` or `bool`, found `list<string>`", 0],
  ])("%s rejects %j", (name, args, message, arg) => {
    expect(sig(name, ...(args as Type[]))).toEqual({ ok: false, message, arg });
  });

  it("types contains over lists by element comparability", () => {
    expect(sig("contains", T.list(union), T.string)).toEqual({ ok: true, result: T.bool });
    expect(sig("contains", T.list(T.list(T.string)), T.list(union))).toEqual({ ok: true, result: T.bool });
    expect(sig("contains", T.list(T.number), T.duration).ok).toBe(false);
    expect(sig("split", T.string, T.string)).toEqual({ ok: true, result: T.list(T.string) });
  });
});

describe("matches and glob", () => {
  it.each([
    ["alice@acme.com", "^[a-z]+@acme\\.com$", true],
    ["alice@acme.com.evil", "^[a-z]+@acme\\.com$", false],
    ["DROP TABLE users", "(?i)drop\\s+table", true],
    ["prefix DROP middle", "DROP", true],
    ["ab", "^(a+)+$", false],
  ])("matches(%j, %j) is %j", (s, re, expected) => {
    expect(call("matches", s, re)).toBe(expected);
  });

  it("rejects catastrophic backtracking and non-RE2 syntax at compile time", () => {
    expect(lookupCheck("matches", "^[a-z]+@acme\\.com$")).toBeUndefined();
    expect(lookupCheck("matches", "^(a+)+$")).toMatch(
      /^regular expression `\^\(a\+\)\+\$` can backtrack catastrophically/,
    );
    expect(lookupCheck("matches", "(x|x)*y")).toMatch(/can backtrack catastrophically/);
    expect(lookupCheck("matches", "a(?=b)")).toBe(
      "invalid regular expression `a(?=b)`: invalid or unsupported Perl syntax: `(?=`",
    );
    expect(lookupCheck("matches", "(a|b")).toBe(
      "invalid regular expression `(a|b`: missing closing ): `(a|b`",
    );
    expect(lookupCheck("matches", "(?i)^drop\\b")).toBeUndefined();
  });

  it("globs whole strings", () => {
    expect(call("glob", "release/1.4", "release/*")).toBe(true);
    expect(call("glob", "feature/x", "release/*")).toBe(false);
    expect(call("glob", "api.acme.com", "*.acme.com")).toBe(true);
    expect(lookupCheck("glob", "release/*")).toBeUndefined();
    expect(lookupCheck("glob", "a/!(b)")).toBe(
      "invalid glob `a/!(b)`: extglobs such as `!(…)` and `@(a|b)` are not supported: use `{a,b}`",
    );
  });
});

function lookupCheck(name: string, value: string): string | undefined {
  const f = native(name);
  expect(f.literalArgs).toEqual([1]);
  return f.checkLiteral?.(1, value);
}

describe("list natives", () => {
  const isAdmin = (x: unknown) => x === "admin";
  it.each([
    ["any", [["dev", "admin"], isAdmin], true],
    ["any", [[], isAdmin], false],
    ["all", [["admin", "admin"], isAdmin], true],
    ["all", [[], isAdmin], true],
    ["all", [["admin", "dev"], isAdmin], false],
    ["count", [["admin", "dev", "admin"], isAdmin], 2],
    ["filter", [["admin", "dev", "admin"], isAdmin], ["admin", "admin"]],
    ["map", [["a", "b"], (x: unknown) => `${x}!`], ["a!", "b!"]],
    [
      "intersects",
      [
        ["users", "payments"],
        ["orders", "payments"],
      ],
      true,
    ],
    ["intersects", [["users"], []], false],
    ["intersects", [[[1, 2]], [[1, 2]]], true],
  ])("%s is %j", (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it("counts only a literal true from the predicate", () => {
    expect(call("any", [1, 2], () => "yes")).toBe(false);
  });

  it("gives lambdas the element type and checks their result", () => {
    const any = native("any");
    expect(any.lambda?.index).toBe(1);
    expect(any.lambda?.params([T.list(union), T.any])).toEqual([union]);
    expect(any.lambda?.params([T.any])).toEqual([T.any]);
    expect(any.lambda?.params([T.error])).toEqual([T.error]);
    expect(sig("any", T.list(T.string), fn([T.string], T.bool))).toEqual({ ok: true, result: T.bool });
    expect(sig("any", T.list(T.string), fn([T.string], T.number))).toEqual({
      ok: false,
      message: "expected the function to return `bool`, found `number`",
      arg: 1,
    });
    expect(sig("any", T.string, fn([T.error], T.bool))).toEqual({
      ok: false,
      message: "expected `list<T>`, found `string`",
      arg: 0,
    });
    expect(sig("filter", T.list(union), fn([union], T.bool))).toEqual({ ok: true, result: T.list(union) });
    expect(sig("map", T.list(T.string), fn([T.string], T.number))).toEqual({
      ok: true,
      result: T.list(T.number),
    });
    expect(sig("count", T.list(T.string), T.error)).toEqual({ ok: true, result: T.number });
    expect(sig("any", T.list(T.string), T.string).ok).toBe(false);
    expect(sig("intersects", T.list(T.string), T.list(T.number))).toEqual({
      ok: false,
      message: "expected `list<string>`, found `list<number>`",
      arg: 1,
    });
  });
});

describe("number natives", () => {
  it.each([
    ["min", [3, 1, 2], 1],
    ["max", [3, 1, 2], 3],
    ["min", [[5, -2, 7]], -2],
    ["max", [[5]], 5],
    ["abs", [-3.5], 3.5],
    ["abs", [-0], 0],
    ["floor", [2.7], 2],
    ["floor", [-2.2], -3],
    ["ceil", [2.1], 3],
    ["ceil", [-0.5], 0],
  ])("%s(%j) is %j", (name, args, expected) => {
    const r = call(name, ...args);
    expect(r).toBe(expected);
    expect(Object.is(r, -0)).toBe(false);
  });

  it("makes the minimum of an empty list an evaluation error", () => {
    expect(thrown(() => call("min", []))).toBe("NativeError: min of an empty list");
  });

  it("types min/max over one kind of ordered value", () => {
    expect(sig("min", T.number, T.number)).toEqual({ ok: true, result: T.number });
    expect(sig("max", T.duration, T.duration, T.any)).toEqual({ ok: true, result: T.duration });
    expect(sig("min", T.list(T.timestamp))).toEqual({ ok: true, result: T.timestamp });
    expect(sig("min", T.number, T.duration)).toEqual({
      ok: false,
      message: "expected `number`, found `duration`",
      arg: 1,
    });
    expect(sig("max", T.string, T.number)).toEqual({
      ok: false,
      message: "expected `number`, `duration` or `timestamp`, found `string`",
      arg: 0,
    });
    expect(sig("min", T.number).ok).toBe(false);
    expect(sig("abs", T.duration)).toEqual({ ok: true, result: T.duration });
    expect(sig("floor", T.duration)).toEqual({
      ok: false,
      message: "expected `number`, found `duration`",
      arg: 0,
    });
    expect(sig("ceil", T.error)).toEqual({ ok: true, result: T.error });
  });
});
