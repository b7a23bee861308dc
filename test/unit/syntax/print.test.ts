import { describe, expect, it } from "vitest";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { parse } from "../../../src/syntax/parse.js";
import { format } from "../../../src/syntax/print.js";

function fmt(text: string): string {
  const source = new SourceFile("t.rplc", text);
  const parsed = parse(source);
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return format(parsed.value, source);
}

/** A rule whose one-line form is exactly `width` columns wide. */
function ruleOfWidth(width: number): string {
  const head = "allow r when x == ";
  return `${head}"${"a".repeat(width - head.length - 2)}"`;
}

describe("format: rules and risks", () => {
  it("keeps a rule on one line up to 100 columns and breaks it at 101", () => {
    expect(fmt(`${ruleOfWidth(100)}\n`)).toBe(`${ruleOfWidth(100)}\n`);
    const broken = fmt(`${ruleOfWidth(101)}\n`);
    expect(broken).toBe(`allow r\n  when x == "${"a".repeat(101 - 20)}"\n`);
  });

  it("puts every clause of a broken rule on its own line, in source order", () => {
    const text = `require approval w reason "r" when a approvers ["x"] timeout 5m unless ${"b".repeat(80)}\n`;
    expect(fmt(text)).toBe(
      `require approval w\n  reason "r"\n  when a\n  approvers ["x"]\n  timeout 5m\n  unless ${"b".repeat(80)}\n`,
    );
  });

  it("breaks a rule that holds a comment between clauses, even when it would fit", () => {
    expect(fmt('block b when a # why\n  reason "r"\n')).toBe('block b\n  when a # why\n  reason "r"\n');
  });

  it("breaks long `and` chains before the operator, one level deeper than the clause", () => {
    const cond = Array.from({ length: 6 }, (_, i) => `context.field_number_${i} == "x"`).join(" and ");
    const out = fmt(`on a { block b when ${cond} }\n`);
    expect(out).toBe(
      [
        "on a {",
        "  block b",
        '    when context.field_number_0 == "x"',
        ...Array.from({ length: 5 }, (_, i) => `      and context.field_number_${i + 1} == "x"`),
        "}",
        "",
      ].join("\n"),
    );
  });
});

describe("format: blank lines", () => {
  it("keeps at most one blank line between items and none at the start or end", () => {
    expect(fmt("\n\nlet a = 1\n\n\n\nlet b = 2\nlet c = 3\n\n\n")).toBe(
      "let a = 1\n\nlet b = 2\nlet c = 3\n",
    );
  });

  it("surrounds items printed on several lines with one blank line", () => {
    expect(fmt("let a = 1\non x { allow y }\nlet b = 2\n")).toBe(
      "let a = 1\n\non x {\n  allow y\n}\n\nlet b = 2\n",
    );
  });
});

describe("format: files", () => {
  it("gives an empty file for an empty file and ends every other one with one newline", () => {
    expect(fmt("")).toBe("");
    expect(fmt("  \n\n")).toBe("");
    expect(fmt("let a = 1")).toBe("let a = 1\n");
  });

  it("writes \\n line endings whatever the source used", () => {
    expect(fmt("let a = 1\r\n\r\n\r\nlet b = 2 # c\r\n")).toBe("let a = 1\n\nlet b = 2 # c\n");
  });

  it("separates setting entries with a comma only before a key that would continue the value", () => {
    expect(fmt("settings { a: x, in: y, b: z }\n")).toBe("settings {\n  a: x,\n  in: y\n  b: z\n}\n");
  });
});

describe("format: comments", () => {
  it("keeps a comment at the end of its line, or on its own line before what follows", () => {
    expect(fmt("let a = 1   # one\n# two\nlet b = 2\n")).toBe("let a = 1 # one\n# two\nlet b = 2\n");
  });

  it("moves a comment from inside an expression to the start of its line", () => {
    expect(fmt("let a = x and # inside\n  y\n")).toBe("# inside\nlet a = x and y\n");
  });

  it("keeps comments inside lists, objects and calls, breaking them one item per line", () => {
    expect(fmt("let a = [1, # one\n 2]\n")).toBe("let a = [\n  1, # one\n  2,\n]\n");
    expect(fmt("let o = f(# open\n x)\n")).toBe("let o = f( # open\n  x,\n)\n");
    expect(fmt("let o = { a: 1\n # last\n}\n")).toBe("let o = {\n  a: 1,\n  # last\n}\n");
  });

  it("counts closing parentheses as part of the line they end (a comment after them stays there)", () => {
    const long = 'context.some_rather_long_field_name == "a-value"';
    const text = [
      "require approval b",
      "  approvers x > (",
      `    ${long}`,
      `      and ${long}`,
      "  ) # after the parenthesis",
      "  timeout 5m",
      "",
    ].join("\n");
    expect(fmt(text)).toBe(text);
    const call = [
      "allow a",
      "  when (",
      `    ${long}`,
      `      or ${long}`,
      "  )( # after the call's parenthesis",
      "    1,",
      "  )",
      "",
    ];
    expect(fmt(call.join("\n"))).toBe(call.join("\n"));
  });

  it("keeps a comment in an otherwise empty body after the opening delimiter", () => {
    expect(fmt("on a { # nothing yet\n}\n")).toBe("on a { # nothing yet\n}\n");
    expect(fmt("let xs = [ # none\n]\n")).toBe("let xs = [ # none\n]\n");
    expect(fmt("let xs = [\n # none\n]\n")).toBe("let xs = [\n  # none\n]\n");
  });

  it("keeps comments in block bodies: after the brace, between entries, before the closing brace", () => {
    const text = "on a { # open\n  allow b # b\n  # end\n} # after\n";
    expect(fmt(text)).toBe(text);
  });
});
