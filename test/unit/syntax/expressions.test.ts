import { describe, expect, it } from "vitest";
import type { BinaryExpr, Expr } from "../../../src/syntax/ast.js";
import { parseExpr, sexpr, textOf } from "./helpers.js";

function tree(text: string): string {
  const r = parseExpr(text);
  expect(r.where, text).toEqual([]);
  return sexpr(r.value);
}

describe("precedence (LANGUAGE.md §6, loosest first)", () => {
  it("builds the whole ladder in one expression", () => {
    expect(tree("a or b and not c == d ?? e + f * -g.h[0](x)")).toBe(
      "(or a (and b (not (== c (?? d (+ e (* f (- (call ([] (. g h) 0) x)))))))))",
    );
  });

  it.each([
    ["a or b or c", "(or (or a b) c)"],
    ["a and b or c and d", "(or (and a b) (and c d))"],
    ["not a and b", "(and (not a) b)"],
    ["not a == b", "(not (== a b))"],
    ["not not a", "(not (not a))"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b * c % d", "(% (* (/ a b) c) d)"],
    ["a + b * c", "(+ a (* b c))"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["-a * b", "(* (- a) b)"],
    ["a * -b", "(* a (- b))"],
    ["- -a", "(- (- a))"],
    ["-a.b", "(- (. a b))"],
    ["a ?? b ?? c", "(?? (?? a b) c)"],
    ["a ?? b + c", "(?? a (+ b c))"],
    ["a ?? b == c", "(== (?? a b) c)"],
    ["a.b.c(d)[e]", "([] (call (. (. a b) c) d) e)"],
    ["f()(g)", "(call (call f) g)"],
    ["a < b", "(< a b)"],
    ["a <= b and c >= d", "(and (<= a b) (>= c d))"],
    ["a != b", "(!= a b)"],
    ["a > -1", "(> a (- 1))"],
  ])("%s", (text, expected) => {
    expect(tree(text)).toBe(expected);
  });

  it("`not in` is one binary operator; a prefix `not` wraps the whole comparison", () => {
    expect(tree("a not in b")).toBe("(not in a b)");
    expect(tree("not a in b")).toBe("(not (in a b))");
    expect(tree("x in [1, 2] and y not in [3]")).toBe("(and (in x [1 2]) (not in y [3]))");
  });

  it("records the operator span, including both words of `not in`", () => {
    const r = parseExpr("left not  in right");
    const e = r.value as BinaryExpr;
    expect(e.kind).toBe("Binary");
    expect(textOf(r.source, e.opSpan)).toBe("not  in");
    expect(textOf(r.source, e.span)).toBe("left not  in right");
    expect(textOf(r.source, (e.left as Expr).span)).toBe("left");
  });

  it("spans of unary and postfix nodes cover their text", () => {
    const r = parseExpr("not -a.b[1](c)");
    expect(r.value.kind).toBe("Unary");
    expect(textOf(r.source, r.value.span)).toBe("not -a.b[1](c)");
    if (r.value.kind !== "Unary" || r.value.operand.kind !== "Unary") throw new Error("shape");
    const call = r.value.operand.operand;
    expect(call.kind).toBe("Call");
    expect(textOf(r.source, call.span)).toBe("a.b[1](c)");
  });

  it("comparisons do not chain (RPL1012 at the second operator)", () => {
    const r = parseExpr("a < b < c");
    expect(r.where).toEqual(["RPL1012@1:7"]);
    expect(sexpr(r.value)).toBe("(< (< a b) c)");
    expect(parseExpr("a == b != c in d").where).toEqual(["RPL1012@1:8", "RPL1012@1:13"]);
  });

  it("parenthesised comparisons may be compared", () => {
    expect(tree("(a < b) == (c < d)")).toBe("(== (< a b) (< c d))");
    expect(tree("(a == b) == c")).toBe("(== (== a b) c)");
  });

  it("`not` after a comparison or arithmetic operator needs parentheses", () => {
    expect(parseExpr("a == not b").where).toEqual(["RPL1003@1:6"]);
    expect(parseExpr("a + not b").where).toEqual(["RPL1003@1:5"]);
    expect(parseExpr("- not b").where).toEqual(["RPL1003@1:3"]);
    expect(tree("a == (not b)")).toBe("(== a (not b))");
    expect(tree("a and not b or not c")).toBe("(or (and a (not b)) (not c))");
  });
});

describe("roots, members and keywords as field names", () => {
  it("`context` and `action` are expression roots although they are keywords", () => {
    expect(tree('action == "db.query"')).toBe('(== action "db.query")');
    expect(tree("context.env")).toBe("(. context env)");
    expect(tree("context")).toBe("context");
  });

  it("keywords are field names after `.`", () => {
    expect(tree("args.action")).toBe("(. args action)");
    expect(tree("context.version")).toBe("(. context version)");
    expect(tree("x.in.not.and.or.when.true.policy")).toBe(
      "(. (. (. (. (. (. (. x in) not) and) or) when) true) policy)",
    );
  });

  it("contextual words stay plain names", () => {
    expect(tree("label + redact + request + rule + score + from + list + map")).toBe(
      "(+ (+ (+ (+ (+ (+ (+ label redact) request) rule) score) from) list) map)",
    );
  });

  it("namespaced calls and now", () => {
    expect(tree("sql.verb(args.sql)")).toBe("(call (. sql verb) (. args sql))");
    expect(tree('hour(now, "Europe/Berlin") < 6')).toBe('(< (call hour now "Europe/Berlin") 6)');
    expect(tree('session.has("untrusted_input")')).toBe('(call (. session has) "untrusted_input")');
  });
});

describe("literals", () => {
  it("numbers keep their raw text", () => {
    const r = parseExpr("3.50");
    expect(r.value).toMatchObject({ kind: "Number", value: 3.5, raw: "3.50" });
    expect(parseExpr("42").value).toMatchObject({ kind: "Number", value: 42, raw: "42" });
  });

  it.each([
    ["500ms", 500, "ms", 500],
    ["30s", 30, "s", 30_000],
    ["15m", 15, "m", 900_000],
    ["2h", 2, "h", 7_200_000],
    ["7d", 7, "d", 604_800_000],
    ["0s", 0, "s", 0],
  ])("duration %s", (text, amount, unit, ms) => {
    const r = parseExpr(text);
    expect(r.where).toEqual([]);
    expect(r.value).toMatchObject({ kind: "Duration", amount, unit, ms });
  });

  it("booleans", () => {
    expect(parseExpr("true").value).toMatchObject({ kind: "Bool", value: true });
    expect(parseExpr("false").value).toMatchObject({ kind: "Bool", value: false });
  });

  it("strings decode JSON escapes", () => {
    const r = parseExpr(String.raw`"a\"b\\c\/d\n\t\r\b\f\u0041\u00e9\ud83d\ude00"`);
    expect(r.where).toEqual([]);
    expect(r.value).toMatchObject({ kind: "String", value: 'a"b\\c/d\n\t\r\b\fAé😀' });
  });

  it("lists, with an optional trailing comma", () => {
    expect(tree("[]")).toBe("[]");
    expect(tree('["a", 1, [true]]')).toBe('["a" 1 [true]]');
    expect(tree("[1, 2,]")).toBe("[1 2]");
  });

  it("objects: identifier, keyword and string keys; commas optional between entries", () => {
    const r = parseExpr('{ action: "db.query", args: { sql: "x" }, "x-id": 1 }');
    expect(r.where).toEqual([]);
    if (r.value.kind !== "Object") throw new Error("shape");
    expect(r.value.entries.map((e) => [e.key.text, e.quoted])).toEqual([
      ["action", false],
      ["args", false],
      ["x-id", true],
    ]);
    expect(tree("{\n  a: 1\n  b: 2\n}")).toBe("{a: 1, b: 2}");
    expect(tree("{}")).toBe("{}");
  });
});

describe("lambdas (call arguments only)", () => {
  it.each([
    ["any(xs, x => x > 1)", "(call any xs (=> (x) (> x 1)))"],
    ["map(xs, (a, b) => a + b)", "(call map xs (=> (a b) (+ a b)))"],
    ["count(xs, (x) => x)", "(call count xs (=> (x) x))"],
    ["f(() => 1)", "(call f (=> () 1))"],
    ["any(args.to, t => not internal(t))", "(call any (. args to) (=> (t) (not (call internal t))))"],
    ["all(xs, x => a or b, y)", "(call all xs (=> (x) (or a b)) y)"],
    ["f((a), b)", "(call f a b)"],
  ])("%s", (text, expected) => {
    expect(tree(text)).toBe(expected);
  });

  it("a lambda outside a call argument is a syntax error", () => {
    expect(parseExpr("x => x").where.map((w) => w.split("@")[0])).toEqual(["RPL1003"]);
  });
});

describe("parseExpression()", () => {
  it("reports input left after the expression, and an empty input", () => {
    expect(parseExpr("a b").where).toEqual(["RPL1003@1:3"]);
    const empty = parseExpr("");
    expect(empty.where).toEqual(["RPL1003@1:1"]);
    expect(empty.value.kind).toBe("ErrorExpr");
  });

  it("keeps what it could read around a lost operand", () => {
    const r = parseExpr("a + ");
    expect(r.where).toEqual(["RPL1003@1:4"]);
    expect(sexpr(r.value)).toBe("(+ a <error>)");
  });
});

describe("depth", () => {
  it("a chain of 1000 operators is fine; 2000 is reported once (RPL1007)", () => {
    expect(parseExpr(`a${" or a".repeat(1000)}`).where).toEqual([]);
    const r = parseExpr(`a${" + a".repeat(2000)}`);
    expect(r.where.map((w) => w.split("@")[0])).toEqual(["RPL1007"]);
  });
});
