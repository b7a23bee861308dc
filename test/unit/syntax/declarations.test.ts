import { describe, expect, it } from "vitest";
import type { FileNode, RuleDecl, TopItem } from "../../../src/syntax/ast.js";
import { parseText, sexpr, strip, textOf, typeText } from "./helpers.js";

function first<K extends TopItem["kind"]>(text: string, kind: K): Extract<TopItem, { kind: K }> {
  const r = parseText(text);
  expect(r.where, text).toEqual([]);
  const it = r.value.items[0];
  expect(it?.kind).toBe(kind);
  return it as Extract<TopItem, { kind: K }>;
}

describe("rules", () => {
  it("clauses come in any order", () => {
    const r = first('require approval x timeout 1h approvers ["a"] reason "r" unless u when w', "Rule");
    expect([r.when && sexpr(r.when), r.unless && sexpr(r.unless), r.reason && sexpr(r.reason)]).toEqual([
      "w",
      "u",
      '"r"',
    ]);
    expect(r.approvers && sexpr(r.approvers)).toBe('["a"]');
    expect(r.timeout?.ms).toBe(3_600_000);
  });

  it("a rule without clauses", () => {
    expect(strip(first("allow everything", "Rule"))).toEqual({
      kind: "Rule",
      effect: "allow",
      name: { kind: "Name", text: "everything" },
    });
  });

  it("a duplicate clause is RPL1008 at the second keyword; the first one is kept", () => {
    const r = parseText('block x when a reason "r" when b');
    expect(r.where).toEqual(["RPL1008@1:27"]);
    const rule = r.value.items[0] as RuleDecl;
    expect(rule.when && sexpr(rule.when)).toBe("a");
  });

  it("approvers and timeout on allow/block rules are RPL1009", () => {
    const r = parseText('allow x approvers ["a"]\nblock y timeout 5m when z');
    expect(r.where).toEqual(["RPL1009@1:9", "RPL1009@2:9"]);
    const [x, y] = r.value.items as RuleDecl[];
    expect(x?.approvers).toBeUndefined();
    expect(y?.timeout).toBeUndefined();
    expect(y?.when && sexpr(y.when)).toBe("z");
  });

  it("risks: weight expressions, negative weights, optional when", () => {
    const r = parseText("risk a -5\nrisk b args.amount / 100 when args.amount > 0\nrisk c 10");
    expect(r.where).toEqual([]);
    const [a, b, c] = r.value.items;
    expect(a?.kind === "Risk" && [sexpr(a.weight), a.when]).toEqual(["(- 5)", undefined]);
    expect(b?.kind === "Risk" && [sexpr(b.weight), b.when && sexpr(b.when)]).toEqual([
      "(/ (. args amount) 100)",
      "(> (. args amount) 0)",
    ]);
    expect(c?.kind).toBe("Risk");
  });
});

describe("on blocks", () => {
  it("several patterns and prefix wildcards", () => {
    const on = first("on fs.*, db.query, a.b.c.* { allow x }", "On");
    expect(on.patterns.map((p) => [p.text, p.wildcard, p.parts.length])).toEqual([
      ["fs", true, 1],
      ["db.query", false, 2],
      ["a.b.c", true, 3],
    ]);
  });

  it("pattern parts may be keywords", () => {
    const on = first("on jobs.test, policy.on { allow x }", "On");
    expect(on.patterns.map((p) => p.text)).toEqual(["jobs.test", "policy.on"]);
  });

  it("a wildcard that is not the last part is reported", () => {
    expect(parseText("on fs.*.x { allow a }").where.map((w) => w.split("@")[0])).toContain("RPL1003");
  });

  it("let, rules, risks, label and redact inside; span covers the block", () => {
    const r = parseText("on a.b {\n let x = 1\n block y\n risk z 1\n label l\n redact args.h\n}\n");
    expect(r.where).toEqual([]);
    const on = r.value.items[0];
    expect(on?.kind === "On" && on.items.map((i) => i.kind)).toEqual([
      "Let",
      "Rule",
      "Risk",
      "Label",
      "Redact",
    ]);
    expect(on && textOf(r.source, on.span)).toBe(
      "on a.b {\n let x = 1\n block y\n risk z 1\n label l\n redact args.h\n}",
    );
  });

  it("an empty block", () => {
    expect(first("on a {}", "On").items).toEqual([]);
  });
});

describe("declarations", () => {
  it("settings entries separated by commas or line breaks", () => {
    const s = first("settings { default: block, approval_at: 40,\n block_at: 80 }", "Settings");
    expect(s.entries.map((e) => `${e.key.text}=${sexpr(e.value)}`)).toEqual([
      "default=block",
      "approval_at=40",
      "block_at=80",
    ]);
    const t = first("settings { default: require_approval on_error: allow }", "Settings");
    expect(t.entries.map((e) => sexpr(e.value))).toEqual(["require_approval", "allow"]);
  });

  it("object types: keywords and quoted names as fields, optional fields, commas optional", () => {
    const a = first(
      'action x.y { action: string, context?: any\n version: number "x-id": string }',
      "Action",
    );
    expect(a.type && typeText(a.type)).toBe(
      "{ action: string, context?: any, version: number, x-id: string }",
    );
  });

  it("types: list, map, unions, nested objects, any name", () => {
    const p = first('param p: map<list<{ a: "x" | "y" }>> = {}', "Param");
    expect(typeText(p.type)).toBe('map<list<{ a: "x" | "y" }>>');
    expect(typeText(first("param q: strng = 1", "Param").type)).toBe("strng");
    expect(typeText(first('param r: "only" = "only"', "Param").type)).toBe('"only"');
  });

  it("list and map need a type argument (RPL1013); other names take none (RPL1014)", () => {
    expect(parseText("param a: list = []").where).toEqual(["RPL1013@1:10"]);
    expect(parseText("param a: string<number> = 1").where).toEqual(["RPL1014@1:16"]);
  });

  it("def with several parameters and a trailing comma", () => {
    const d = first("def f(a: number, b: list<string>,): bool = a > len(b)", "Def");
    expect(d.params.map((p) => `${p.name.text}: ${typeText(p.type)}`)).toEqual([
      "a: number",
      "b: list<string>",
    ]);
    expect(sexpr(d.body)).toBe("(> a (call len b))");
    expect(first("def g(): number = 1", "Def").params).toEqual([]);
  });

  it("param with a default", () => {
    const p = first('param protected_tables: list<string> = ["users"]', "Param");
    expect([p.name.text, typeText(p.type), sexpr(p.default)]).toEqual([
      "protected_tables",
      "list<string>",
      '["users"]',
    ]);
  });

  it("include with an empty except list", () => {
    const i = first('include "x" except []', "Include");
    expect(i.except).toEqual([]);
    expect(first('include "x" with {}', "Include").with?.entries).toEqual([]);
  });

  it("`from` is an ordinary name outside action declarations", () => {
    expect(first("let from = 1", "Let").name.text).toBe("from");
  });

  it("a second policy header is RPL1010; the first is kept", () => {
    const r = parseText('policy "a"\nlet x = 1\npolicy "b" version "2"');
    expect(r.where).toEqual(["RPL1010@3:1"]);
    expect(r.value.header?.name.value).toBe("a");
    expect(r.value.items.map((i) => i.kind)).toEqual(["Let"]);
  });

  it("an empty file", () => {
    const r = parseText("");
    expect(r.where).toEqual([]);
    expect(strip(r.value)).toEqual({
      kind: "File",
      path: "test.rplc",
      items: [],
      comments: [],
    } as unknown as FileNode);
  });
});

describe("tests and properties", () => {
  it("every expect form", () => {
    const t = first(
      'test "t" {\n request { action: "a" }\n expect allow\n expect not block\n expect require approval\n' +
        " expect not require approval\n expect rule r1\n expect not rule r2\n expect score >= 50\n expect score == 0\n}",
      "Test",
    );
    expect(strip(t.expects)).toEqual([
      { kind: "ExpectDecision", negated: false, decision: "allow" },
      { kind: "ExpectDecision", negated: true, decision: "block" },
      { kind: "ExpectDecision", negated: false, decision: "require_approval" },
      { kind: "ExpectDecision", negated: true, decision: "require_approval" },
      { kind: "ExpectRule", negated: false, rule: { kind: "Name", text: "r1" } },
      { kind: "ExpectRule", negated: true, rule: { kind: "Name", text: "r2" } },
      { kind: "ExpectScore", op: ">=", value: { kind: "Number", value: 50, raw: "50" } },
      { kind: "ExpectScore", op: "==", value: { kind: "Number", value: 0, raw: "0" } },
    ]);
  });

  it("the request object accepts keyword keys, line-separated entries and a time", () => {
    const t = first(
      'test "t" {\n request {\n  action: "db.query"\n  args: { sql: "x" }\n  time: "2026-01-01T00:00:00Z"\n }\n}',
      "Test",
    );
    expect(t.request.entries.map((e) => e.key.text)).toEqual(["action", "args", "time"]);
    expect(t.expects).toEqual([]);
  });

  it("a property with a wildcard, no where and no runs", () => {
    const p = first('property "p" { for fs.* expect block }', "Property");
    expect([p.action.text, p.action.wildcard, p.where, p.runs]).toEqual(["fs", true, undefined, undefined]);
  });
});
