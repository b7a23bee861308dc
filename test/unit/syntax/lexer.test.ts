import { describe, expect, it } from "vitest";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { decodeString, lex } from "../../../src/syntax/lexer.js";
import { parseExpr, parseText, textOf } from "./helpers.js";

function tokens(text: string): string[] {
  return lex(new SourceFile("t.rplc", text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("lex()", () => {
  it("keywords are whole words only (longer_alt)", () => {
    expect(tokens("in include inx when whenever require require_approval on on_error")).toEqual([
      "In:in",
      "Include:include",
      "Identifier:inx",
      "When:when",
      "Identifier:whenever",
      "Require:require",
      "Identifier:require_approval",
      "On:on",
      "Identifier:on_error",
    ]);
  });

  it("every §4 keyword is a keyword", () => {
    const words =
      "policy version include with except action context let def param settings on allow block require approval " +
      "risk when unless reason approvers timeout and or not in true false test expect property for where runs";
    for (const t of lex(new SourceFile("t", words)).tokens) {
      expect(t.tokenType.name.toLowerCase(), t.image).toBe(t.image);
    }
  });

  it("classifies numeric runs as numbers and durations", () => {
    expect(tokens("42 3.5 500ms 30s 15m 2h 7d")).toEqual([
      "NumberLiteral:42",
      "NumberLiteral:3.5",
      "DurationLiteral:500ms",
      "DurationLiteral:30s",
      "DurationLiteral:15m",
      "DurationLiteral:2h",
      "DurationLiteral:7d",
    ]);
  });

  it("operators take the longest match", () => {
    expect(tokens("== != <= >= => ?? < > = ? ->").map((t) => t.split(":")[1])).toEqual([
      "==",
      "!=",
      "<=",
      ">=",
      "=>",
      "??",
      "<",
      ">",
      "=",
      "?",
      "-",
      ">",
    ]);
  });

  it("`>=` right after a type argument is `>` then `=`; in expressions it stays `>=`", () => {
    const images = (text: string) => tokens(text).map((t) => t.split(":")[1]);
    expect(images("def f(x: string): list<string>= [x]")).toContain(">");
    expect(images("def f(x: string): list<string>= [x]")).not.toContain(">=");
    expect(images("def g(x: string): list<list<string>>= [[x]]").slice(-8, -4)).toEqual([">", ">", "=", "["]);
    expect(images("def f(x: map<string>): map<string>= x")).not.toContain(">=");
    // Expressions: a comparison, a variable called list, a string comparison.
    expect(images("def h(x: int): bool = x >= 3")).toContain(">=");
    expect(images("def k(y: int): bool = list < 3 and y >= 2")).toContain(">=");
    expect(images('def m(x: string): bool = "b" >= x')).toContain(">=");
    expect(images("a < b >= c")).toContain(">=");
  });

  it("a def whose return type ends in `>` parses with `=` glued on", () => {
    const r = parseText("def f(x: string): list<string>= [x]\ndef g(x: int): bool = x >= 3\n");
    expect(r.where).toEqual([]);
  });

  it("collects comments (text after `#`) with spans", () => {
    const source = new SourceFile("t", 'let a = 1 # one\n# two\r\nlet b = "#not"');
    const r = lex(source);
    expect(r.comments.map((c) => c.text)).toEqual([" one", " two"]);
    expect(r.comments.map((c) => textOf(source, c.span))).toEqual(["# one", "# two"]);
    expect(r.tokens.some((t) => t.image === '"#not"')).toBe(true);
  });

  it("token spans cover the token text", () => {
    const source = new SourceFile("t", "  allow  x\n");
    const toks = lex(source).tokens;
    expect(toks.map((t) => source.text.slice(t.startOffset, (t.endOffset ?? 0) + 1))).toEqual(["allow", "x"]);
  });
});

describe("lexical errors", () => {
  it("one RPL1001 per run of stray characters, naming them", () => {
    const r = parseText("let a = 1 @@@ $ 2");
    expect(r.where).toContain("RPL1001@1:11");
    expect(r.where).toContain("RPL1001@1:15");
    const first = r.diagnostics.find((d) => d.code === "RPL1001");
    expect(first?.span && textOf(r.source, first.span)).toBe("@@@");
    expect(r.diagnostics.filter((d) => d.code === "RPL1001")).toHaveLength(2);
  });

  it("names control characters in escaped form", () => {
    const r = parseText("let a = 1\u0007");
    expect(r.diagnostics[0]?.message).toContain("\\u0007");
  });

  it("reports a NUL byte once (RPL1011)", () => {
    const r = parseText("let a = 1\u0000\u0000\nlet b = 2\u0000");
    expect(r.where).toEqual(["RPL1011@1:10"]);
    expect(r.value.items).toHaveLength(2);
  });

  it("reports a NUL byte inside a string or comment too", () => {
    expect(parseText('let a = "x\u0000y" # z').where).toEqual(["RPL1011@1:11"]);
    expect(parseText("let a = 1 # z\u0000").where).toEqual(["RPL1011@1:14"]);
  });

  it("whitespace is space, tab, line breaks and a byte order mark; other spaces are stray", () => {
    expect(parseText("\ufefflet a =\t1\r\nlet b = 2\rlet c = 3").where).toEqual([]);
    expect(parseText("let a =\u00a01").where).toEqual(["RPL1001@1:8"]);
  });

  it("unterminated string: RPL1002, and parsing goes on", () => {
    const r = parseText('let a = "abc\nlet b = 2');
    expect(r.where).toEqual(["RPL1002@1:9"]);
    expect(r.value.items.map((i) => i.kind)).toEqual(["Let", "Let"]);
    const a = r.value.items[0];
    expect(a?.kind === "Let" && a.value).toMatchObject({ kind: "String", value: "abc" });
  });

  it("a string ending in an escaped quote is unterminated", () => {
    expect(parseText('let a = "abc\\"').where).toEqual(["RPL1002@1:9"]);
  });

  it("bad escapes: RPL1004 at the escape", () => {
    const r = parseExpr('"a\\qb\\u12G4c\\x"');
    expect(r.where).toEqual(["RPL1004@1:3", "RPL1004@1:6", "RPL1004@1:13"]);
    expect(r.diagnostics.map((d) => d.span && textOf(r.source, d.span))).toEqual(["\\q", "\\u12", "\\x"]);
  });

  it("malformed numbers (RPL1005) and durations (RPL1006)", () => {
    expect(parseExpr("1e5").where).toEqual(["RPL1005@1:1"]);
    expect(parseExpr("1.").where).toEqual(["RPL1005@1:1"]);
    expect(parseExpr("1.2.3").where).toEqual(["RPL1005@1:1"]);
    expect(parseExpr("10min").where).toEqual(["RPL1006@1:1"]);
    expect(parseExpr("1.5h").where).toEqual(["RPL1006@1:1"]);
    expect(parseExpr("1e5").value.kind).toBe("ErrorExpr");
  });

  it("a malformed timeout is reported once and left out", () => {
    const r = parseText("require approval a timeout 5min");
    expect(r.where).toEqual(["RPL1006@1:28"]);
    const rule = r.value.items[0];
    expect(rule?.kind === "Rule" && rule.timeout).toBeUndefined();
  });
});

describe("decodeString()", () => {
  it("decodes with and without the closing quote", () => {
    expect(decodeString('"a\\nb"')).toEqual({ value: "a\nb", bad: [] });
    expect(decodeString('"abc')).toEqual({ value: "abc", bad: [] });
    expect(decodeString('"')).toEqual({ value: "", bad: [] });
  });

  it("reports a trailing lone backslash", () => {
    expect(decodeString('"ab\\')).toEqual({ value: "ab", bad: [{ offset: 3, text: "\\" }] });
  });
});
