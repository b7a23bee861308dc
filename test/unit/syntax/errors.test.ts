/** Bad input: recovery, nesting limits, garbage and size. Codes and places, never message text. */
import { describe, expect, it } from "vitest";
import type { Expr, RuleDecl } from "../../../src/syntax/ast.js";
import { MAX_PARSE_ERRORS } from "../../../src/syntax/parse.js";
import { parseExpr, parseText, textOf } from "./helpers.js";

const code = (w: string) => w.split("@")[0];

describe("nesting limit (RPL1007, reported once, no recursion)", () => {
  // These come first in the file so they run on a cold, unoptimised stack.
  it.each([
    ["(", ")"],
    ["[", "]"],
    ["f(", ")"],
    ["a[", "]"],
    ["{a: ", "}"],
  ])("256 levels of %s parse; 257 are refused", (open, close) => {
    const ok = parseText(`let x = ${open.repeat(256)}1${close.repeat(256)}`);
    expect(ok.where).toEqual([]);
    const deep = parseText(`let x = ${open.repeat(257)}1${close.repeat(257)}`);
    expect(deep.where.map(code)).toEqual(["RPL1007"]);
  });

  it.each([
    ["(", 100_000],
    ["[", 100_000],
    ["{", 100_000],
    ["not ", 100_000],
    ["-", 100_000],
    ["list<", 50_000],
  ])("%s repeated %i times: one RPL1007, no stack overflow", (chunk, n) => {
    const prefix = chunk === "list<" ? "param p: " : "let x = ";
    const r = parseText(prefix + chunk.repeat(n));
    expect(r.where.map(code)).toEqual(["RPL1007"]);
  });

  it("a lambda body counts as one more level", () => {
    expect(parseText(`let x = ${"f(x => ".repeat(128)}1${")".repeat(128)}`).where).toEqual([]);
    expect(parseText(`let x = ${"f(x => ".repeat(129)}1${")".repeat(129)}`).where.map(code)).toEqual([
      "RPL1007",
    ]);
    expect(parseText(`let x = f(${"x => 1, ".repeat(1000)}y)`).where).toEqual([]);
  });

  it("256 prefix operators are fine", () => {
    expect(parseExpr(`${"not ".repeat(128)}${"-".repeat(128)}a`).where).toEqual([]);
  });

  it("the depth error points at the first token past the limit", () => {
    const r = parseText(`let x = ${"(".repeat(300)}`);
    const d = r.diagnostics[0];
    expect(d?.span?.start).toBe("let x = ".length + 256);
  });
});

describe("recovery: one mistake, one error, the rest still parsed", () => {
  it("three independent mistakes on three lines give exactly three errors there", () => {
    const text = [
      "on db.query {",
      "  block a when args.sql ==", // 2: missing right operand
      '  allow b when verb == "SELECT" reason', // 3: missing reason (before `}`)
      "}",
      "risk c 40 when (context.env", // 5: missing `)`
      "allow d when true",
    ].join("\n");
    const r = parseText(text);
    expect(r.where.map((w) => w.replace(/:\d+$/, ""))).toEqual(["RPL1003@3", "RPL1003@4", "RPL1003@6"]);
    expect(r.value.items.map((i) => i.kind)).toEqual(["On", "Risk", "Rule"]);
    const on = r.value.items[0];
    expect(on?.kind === "On" && on.items.map((i) => i.kind)).toEqual(["Rule", "Rule"]);
  });

  it("a stray word after a rule: one error at the word", () => {
    const r = parseText("block a when x\nallow b when y z\nallow c");
    expect(r.where).toEqual(["RPL1003@2:16"]);
    expect(r.value.items.map((i) => (i as RuleDecl).name.text)).toEqual(["a", "b", "c"]);
  });

  it("a lost expression becomes an ErrorExpr, and the rule is kept", () => {
    const r = parseText('block a when x == reason "r"');
    expect(r.where).toEqual(["RPL1003@1:19"]);
    const rule = r.value.items[0] as RuleDecl;
    const when = rule.when as Expr;
    expect(when.kind).toBe("Binary");
    expect(when.kind === "Binary" && when.right.kind).toBe("ErrorExpr");
    expect(rule.reason).toMatchObject({ kind: "String", value: "r" });
  });

  it("junk between items is skipped with one error", () => {
    const r = parseText("allow a\n) ] } @ 12 foo bar\nallow b");
    expect(r.where.map(code)).toEqual(["RPL1003", "RPL1001"]);
    expect(r.value.items).toHaveLength(2);
  });

  it("a missing `{` and `}` of an on block", () => {
    const r = parseText("on a allow x");
    expect(r.where.map(code)).toEqual(["RPL1003", "RPL1003"]);
  });

  it("an unclosed block at the end of the file", () => {
    const r = parseText("allow a\non x {\n block b when c");
    expect(r.where).toEqual(["RPL1003@3:16"]);
    expect(r.value.items[0]?.kind).toBe("Rule");
  });

  it("the error at the end of the file sits after the last token", () => {
    const r = parseText("let x =   \n\n");
    expect(r.where).toEqual(["RPL1003@1:8"]);
  });

  it("stops collecting parse errors after the cap and skips the rest", () => {
    const r = parseText("block x when ".repeat(5000));
    const parseErrors = r.diagnostics.filter((d) => d.code === "RPL1003");
    expect(parseErrors.length).toBeGreaterThan(0);
    expect(parseErrors.length).toBeLessThanOrEqual(MAX_PARSE_ERRORS + 1);
  });
});

describe("garbage never throws", () => {
  it.each([
    ["empty", ""],
    ["only comments", "# a\n# b"],
    ["only whitespace", " \t\r\n\f"],
    ["NUL bytes", "\u0000\u0000\u0000"],
    ["lone quote", '"'],
    ["lone backslash string", '"\\'],
    ["unicode", "é ü 😀 \u2028 \ufeff"],
    ["operators", "== != <= >= => ?? | . , : ?"],
    ["closers", ")))]]]}}}"],
    ["keywords", "on on on allow allow require approval approval"],
    ["numbers", "1 2 3 1.2.3 4e4 5min"],
  ])("%s", (_name, text) => {
    const r = parseText(text);
    for (const d of r.diagnostics) {
      expect(d.span).toBeDefined();
      expect(d.span!.start).toBeGreaterThanOrEqual(0);
      expect(d.span!.end).toBeLessThanOrEqual(text.length);
    }
  });

  it("a file of garbage reports its first problems and a count of the rest", () => {
    const r = parseText("@ 1e5 ".repeat(5000));
    expect(r.diagnostics.length).toBe(201);
    expect(r.where.slice(0, 4)).toEqual(["RPL1001@1:1", "RPL1005@1:3", "RPL1001@1:7", "RPL1005@1:9"]);
    expect(r.diagnostics[200]?.code).toBe("RPL5001");
  });

  it("a run of stray characters is one diagnostic covering the run", () => {
    const r = parseText("allow a when x $$$$$$$$$$ y");
    const stray = r.diagnostics.filter((d) => d.code === "RPL1001");
    expect(stray).toHaveLength(1);
    expect(stray[0]?.span && textOf(r.source, stray[0].span)).toBe("$$$$$$$$$$");
  });
});

describe("size", () => {
  it("a ~10 MB file of valid rules parses (time is measured, not asserted)", () => {
    const chunks: string[] = [];
    let size = 0;
    for (let i = 0; size < 10_000_000; i++) {
      const s =
        `on db.query {\n  block r${i} when args.sql == "DELETE ${i}" and not sql.has_where(args.sql) reason "no" # c\n` +
        `  risk k${i} 40 when context.env in ["a", "b"]\n}\n`;
      chunks.push(s);
      size += s.length;
    }
    const text = chunks.join("");
    const started = performance.now();
    const r = parseText(text, "big.rplc");
    const ms = performance.now() - started;
    console.info(`parsed ${(text.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms`);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.items).toHaveLength(chunks.length);
    expect(r.value.comments).toHaveLength(chunks.length);
  }, 300_000);
});
