import { describe, expect, it } from "vitest";
import { SourceFile } from "../../../src/diagnostics/source.js";
import type * as A from "../../../src/syntax/ast.js";
import { stripSpans } from "../../../src/syntax/ast-compare.js";
import { parseExpression } from "../../../src/syntax/parse.js";
import { formatNumber, printExpr, printString } from "../../../src/syntax/print-expr.js";
import { printType } from "../../../src/syntax/print-type.js";

const S = { file: "t.rplc", start: 0, end: 0 };
const id = (name: string): A.Expr => ({ kind: "Identifier", name, span: S });
const num = (raw: string): A.Expr => ({ kind: "Number", value: Number(raw), raw, span: S });
const str = (value: string): A.Expr => ({ kind: "String", value, span: S });
const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.Expr => ({
  kind: "Binary",
  op,
  left,
  right,
  opSpan: S,
  span: S,
});
const not = (operand: A.Expr): A.Expr => ({ kind: "Unary", op: "not", operand, span: S });
const neg = (operand: A.Expr): A.Expr => ({ kind: "Unary", op: "-", operand, span: S });
const member = (object: A.Expr, property: string): A.Expr => ({
  kind: "Member",
  object,
  property: { kind: "Name", text: property, span: S },
  span: S,
});
const call = (callee: A.Expr, ...args: A.Expr[]): A.Expr => ({ kind: "Call", callee, args, span: S });
const lambda = (params: string[], body: A.Expr): A.Expr => ({
  kind: "Lambda",
  params: params.map((text) => ({ kind: "Name", text, span: S })),
  body,
  span: S,
});
const [a, b, c] = [id("a"), id("b"), id("c")];

/** printExpr, and check that the text parses back to the same tree. */
function printed(e: A.Expr): string {
  const text = printExpr(e);
  const back = parseExpression(new SourceFile("t.rplc", text));
  expect(
    back.diagnostics.filter((d) => d.severity === "error"),
    text,
  ).toEqual([]);
  expect(stripSpans(back.value), text).toEqual(stripSpans(e));
  return text;
}

describe("printExpr: parentheses only where precedence needs them", () => {
  it("parenthesizes a looser child and not a tighter one", () => {
    expect(printed(bin("*", bin("+", num("1"), num("2")), num("3")))).toBe("(1 + 2) * 3");
    expect(printed(bin("+", num("1"), bin("*", num("2"), num("3"))))).toBe("1 + 2 * 3");
    expect(printed(bin("and", bin("or", a, b), c))).toBe("(a or b) and c");
    expect(printed(bin("or", a, bin("and", b, c)))).toBe("a or b and c");
  });

  it("parenthesizes a right operand of the same level, never a left one", () => {
    expect(printed(bin("-", num("1"), bin("-", num("2"), num("3"))))).toBe("1 - (2 - 3)");
    expect(printed(bin("-", bin("-", num("1"), num("2")), num("3")))).toBe("1 - 2 - 3");
    expect(printed(bin("/", num("8"), bin("*", num("4"), num("2"))))).toBe("8 / (4 * 2)");
    expect(printed(bin("and", a, bin("and", b, c)))).toBe("a and (b and c)");
    expect(printed(bin("??", bin("??", a, b), c))).toBe("a ?? b ?? c");
    expect(printed(bin("??", a, bin("??", b, c)))).toBe("a ?? (b ?? c)");
  });

  it("keeps `??` parenthesized under a comparison or a logical operator, for readers of other languages", () => {
    expect(printed(bin("==", bin("??", a, str("x")), str("y")))).toBe('(a ?? "x") == "y"');
    expect(printed(bin("in", c, bin("??", a, b)))).toBe("c in (a ?? b)");
    expect(printed(not(bin("??", a, b)))).toBe("not (a ?? b)");
    expect(printed(bin("and", bin("??", a, b), c))).toBe("(a ?? b) and c");
    expect(printed(bin("+", bin("??", a, b), c))).toBe("(a ?? b) + c");
    expect(printed(bin("??", bin("+", a, b), c))).toBe("a + b ?? c");
  });

  it("never chains comparisons", () => {
    expect(printed(bin("==", bin("==", a, b), c))).toBe("(a == b) == c");
    expect(printed(bin("<", a, bin(">=", b, c)))).toBe("a < (b >= c)");
    expect(printed(bin("in", bin("not in", a, b), c))).toBe("(a not in b) in c");
  });

  it("places `not` between `and` and the comparisons", () => {
    expect(printed(not(bin("==", a, b)))).toBe("not a == b");
    expect(printed(bin("==", not(a), b))).toBe("(not a) == b");
    expect(printed(not(bin("and", a, b)))).toBe("not (a and b)");
    expect(printed(bin("and", not(a), not(b)))).toBe("not a and not b");
    expect(printed(not(not(a)))).toBe("not not a");
    expect(printed(not(bin("not in", a, b)))).toBe("not a not in b");
  });

  it("binds unary minus tighter than `*` and looser than postfix", () => {
    expect(printed(neg(bin("+", num("1"), num("2"))))).toBe("-(1 + 2)");
    expect(printed(bin("*", neg(a), b))).toBe("-a * b");
    expect(printed(bin("-", num("2"), neg(num("3"))))).toBe("2 - -3");
    expect(printed(neg(member(a, "b")))).toBe("-a.b");
    expect(printed(member(neg(a), "b"))).toBe("(-a).b");
    expect(printed(neg(neg(num("1"))))).toBe("-(-1)");
    expect(printed(neg(not(a)))).toBe("-(not a)");
  });

  it("parenthesizes postfix operands that are not primaries, and numbers before `.`", () => {
    expect(printed(member(bin("+", a, b), "c"))).toBe("(a + b).c");
    expect(printed(call(bin("or", a, b), c))).toBe("(a or b)(c)");
    expect(printed(member(num("1"), "x"))).toBe("(1).x");
    expect(printed(member(num("1.5"), "x"))).toBe("(1.5).x");
    expect(printed(member({ kind: "Duration", amount: 5, unit: "m", ms: 300_000, span: S }, "x"))).toBe(
      "(5m).x",
    );
    expect(printed(member(str("s"), "length"))).toBe('"s".length');
    expect(printed({ kind: "Index", object: num("1"), index: num("0"), span: S })).toBe("1[0]");
  });

  it("prints lambdas as call arguments, with their bodies unparenthesized", () => {
    expect(
      printed(call(id("any"), id("xs"), lambda(["x"], bin("and", bin(">", id("x"), num("1")), b)))),
    ).toBe("any(xs, x => x > 1 and b)");
    expect(printed(call(id("f"), lambda(["k", "v"], bin("!=", id("k"), id("v")))))).toBe(
      "f((k, v) => k != v)",
    );
    expect(printed(call(id("f"), lambda([], num("1"))))).toBe("f(() => 1)");
  });

  it("keeps keywords as field names after `.` and as object keys", () => {
    expect(printed(member(id("args"), "action"))).toBe("args.action");
    expect(printed(member(id("context"), "not"))).toBe("context.not");
    const obj: A.Expr = {
      kind: "Object",
      entries: [
        {
          kind: "ObjectEntry",
          key: { kind: "Name", text: "in", span: S },
          quoted: false,
          value: num("1"),
          span: S,
        },
        {
          kind: "ObjectEntry",
          key: { kind: "Name", text: "x-y", span: S },
          quoted: true,
          value: num("2"),
          span: S,
        },
        {
          kind: "ObjectEntry",
          key: { kind: "Name", text: "plain", span: S },
          quoted: true,
          value: num("3"),
          span: S,
        },
      ],
      span: S,
    };
    expect(printed(obj)).toBe('{ in: 1, "x-y": 2, "plain": 3 }');
  });

  it("prints one line whatever the width", () => {
    const long = Array.from({ length: 40 }, (_, i) => str(`item number ${i}`));
    const text = printed({ kind: "List", items: long, span: S });
    expect(text).not.toContain("\n");
    expect(text.length).toBeGreaterThan(100);
  });
});

describe("literals", () => {
  it("prints strings with JSON escapes and invisible characters escaped", () => {
    expect(printString('a"b\\c\n\t')).toBe('"a\\"b\\\\c\\n\\t"');
    expect(printString("é😀/")).toBe('"é😀/"');
    expect(printString("\u0000\u007f\u2028\u202e\ufeff")).toBe('"\\u0000\\u007f\\u2028\\u202e\\ufeff"');
    expect(printString("\ud800")).toBe('"\\ud800"');
    expect(printed(str("\u2029 \u00ad"))).toBe('"\\u2029 \\u00ad"');
  });

  it("prints numbers as written and durations as amount and unit", () => {
    expect(printed(num("3.50"))).toBe("3.50");
    expect(printed(num("007"))).toBe("007");
    expect(printed({ kind: "Duration", amount: 30, unit: "m", ms: 1_800_000, span: S })).toBe("30m");
  });

  it("prints numbers that were not read from source in plain decimal notation", () => {
    expect(printExpr({ kind: "Number", value: 1e21, raw: "", span: S })).toBe("1000000000000000000000");
    expect(printExpr({ kind: "Number", value: 1.5e-7, raw: "1.5e-7", span: S })).toBe("0.00000015");
    expect(formatNumber(-2.5)).toBe("-2.5");
  });
});

describe("printType", () => {
  it("prints every type form", () => {
    const named = (name: string): A.TypeNode => ({ kind: "NamedType", name, span: S });
    const obj: A.TypeNode = {
      kind: "ObjectType",
      fields: [
        {
          kind: "FieldType",
          name: { kind: "Name", text: "id", span: S },
          optional: false,
          type: named("string"),
          span: S,
        },
        {
          kind: "FieldType",
          name: { kind: "Name", text: "x-roles", span: S },
          optional: true,
          type: { kind: "ListType", element: { kind: "MapType", value: named("bool"), span: S }, span: S },
          span: S,
        },
      ],
      span: S,
    };
    expect(printType(obj)).toBe('{ id: string, "x-roles"?: list<map<bool>> }');
    expect(
      printType({ kind: "UnionType", members: [str("a"), str("b")] as A.StringLiteral[], span: S }),
    ).toBe('"a" | "b"');
    expect(printType({ kind: "ObjectType", fields: [], span: S })).toBe("{}");
  });
});
