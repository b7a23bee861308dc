import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type Diagnostic, diag, normalize } from "../../../src/diagnostics/diagnostic.js";
import {
  escapeControls,
  locate,
  printableLine,
  renderHuman,
  renderJson,
  summarize,
} from "../../../src/diagnostics/render.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { span } from "../../../src/diagnostics/span.js";

const FILE = "policies/db.rplc";
const TEXT = [
  'policy "acme/db"', // 1
  "on db.query {", // 2
  "  block x", // 3
  "    wen true", // 4
  "}", // 5
  "",
].join("\n");

function sources(...files: SourceFile[]): Map<string, SourceFile> {
  return new Map(files.map((f) => [f.path, f]));
}

const src = new SourceFile(FILE, TEXT);
const at = (needle: string, len = needle.length) => {
  const i = TEXT.indexOf(needle);
  return span(FILE, i, i + len);
};
const ANSI = /\u001b\[/;

describe("locate", () => {
  it("gives 1-based lines and columns with an exclusive end", () => {
    expect(locate(at("wen"), sources(src))).toEqual({
      file: FILE,
      start: { line: 4, column: 5 },
      end: { line: 4, column: 8 },
    });
  });

  it("counts CRLF and lone CR as one line break", () => {
    const crlf = new SourceFile("a.rplc", "a\r\nb\rcc");
    const i = crlf.text.indexOf("cc");
    expect(locate(span("a.rplc", i, i + 2), sources(crlf))).toEqual({
      file: "a.rplc",
      start: { line: 3, column: 1 },
      end: { line: 3, column: 3 },
    });
  });

  it("places a span in a file without text at its start", () => {
    expect(locate(span("big.rplc", 0, 0), new Map())).toEqual({
      file: "big.rplc",
      start: { line: 1, column: 1 },
      end: { line: 1, column: 1 },
    });
  });
});

describe("renderJson", () => {
  it("prints exactly the keys of LANGUAGE.md §9, in order, with 1-based positions", () => {
    const d = diag("RPL1003", at("wen"), ["`when`", "`wen`"], { help: "did you mean `when`?" });
    const doc = JSON.parse(renderJson([d], sources(src)));
    expect(Object.keys(doc)).toEqual(["diagnostics"]);
    expect(doc.diagnostics).toHaveLength(1);
    expect(Object.keys(doc.diagnostics[0])).toEqual([
      "file",
      "line",
      "column",
      "endLine",
      "endColumn",
      "severity",
      "code",
      "message",
    ]);
    expect(doc.diagnostics[0]).toEqual({
      file: FILE,
      line: 4,
      column: 5,
      endLine: 4,
      endColumn: 8,
      severity: "error",
      code: "RPL1003",
      message: "expected `when`, found `wen`",
    });
  });

  it("spans over lines end on the later line", () => {
    const s = span(FILE, TEXT.indexOf("block"), TEXT.indexOf("true") + 4);
    const [row] = JSON.parse(renderJson([diag("RPL1002", s)], sources(src))).diagnostics;
    expect([row.line, row.column, row.endLine, row.endColumn]).toEqual([3, 3, 4, 13]);
  });

  it("gives null positions to a diagnostic without a span", () => {
    const d = diag("RPL5002", undefined, ["20000000", "16777216"]);
    const [row] = JSON.parse(renderJson([d], new Map())).diagnostics;
    expect(row).toMatchObject({ file: null, line: null, column: null, endLine: null, endColumn: null });
    expect(row.code).toBe("RPL5002");
  });

  it("prints an empty list for no diagnostics", () => {
    expect(JSON.parse(renderJson([], new Map()))).toEqual({ diagnostics: [] });
  });
});

describe("renderHuman", () => {
  const typo = diag("RPL1003", at("wen"), ["`when`", "`wen`"], {
    help: "did you mean `when`?",
    related: [{ span: at("block x"), message: "rule starts here" }],
  });

  it("starts with file:line:col: severity[CODE]: message", () => {
    const out = renderHuman([typo], sources(src), { color: false });
    expect(out.split("\n")[0]).toBe("policies/db.rplc:4:5: error[RPL1003]: expected `when`, found `wen`");
  });

  it("marks the span under the source line", () => {
    const lines = renderHuman([typo], sources(src), { color: false }).split("\n");
    const pointed = lines.findIndex((l) => l.startsWith("> 4 |"));
    expect(lines[pointed]).toBe("> 4 |     wen true");
    expect(lines[pointed + 1]).toBe("    |     ^^^");
  });

  it("prints help and related notes with their own location", () => {
    const out = renderHuman([typo], sources(src), { color: false });
    expect(out).toContain("\n  = help: did you mean `when`?\n");
    expect(out).toContain("\npolicies/db.rplc:3:3: note: rule starts here\n");
  });

  it("ends with a summary line counting errors and warnings", () => {
    const warning: Diagnostic = { ...typo, severity: "warning" };
    const out = renderHuman([typo, typo, warning], sources(src), { color: false });
    expect(out.endsWith("\n2 errors, 1 warning\n")).toBe(true);
    expect(summarize([warning])).toBe("1 warning");
    expect(summarize([typo])).toBe("1 error");
    expect(summarize([])).toBe("no problems");
  });

  it("prints nothing for no diagnostics", () => {
    expect(renderHuman([], sources(src), { color: false })).toBe("");
  });

  it("renders a diagnostic without a span without location or frame", () => {
    const d = diag("RPL5002", undefined, ["20000000", "16777216"]);
    expect(renderHuman([d], new Map(), { color: false })).toBe(
      "error[RPL5002]: file is 20000000 bytes, more than the limit of 16777216\n\n1 error\n",
    );
  });

  it("marks every line of a multi-line span", () => {
    const s = span(FILE, TEXT.indexOf("block"), TEXT.indexOf("true") + 4);
    const lines = renderHuman([diag("RPL1002", s)], sources(src), { color: false }).split("\n");
    expect(lines).toContain("> 3 |   block x");
    expect(lines).toContain("> 4 |     wen true");
    // the last line is marked from its start to the end of the span (12 characters)
    expect(lines[lines.indexOf("> 4 |     wen true") + 1]).toBe(`    | ${"^".repeat(12)}`);
  });

  it("shows only the first lines of a very long span", () => {
    const long = new SourceFile("l.rplc", Array.from({ length: 30 }, (_, i) => `line${i + 1}`).join("\n"));
    const d = diag("RPL1002", span("l.rplc", 0, long.text.length));
    const out = renderHuman([d], sources(long), { color: false });
    expect(out).toContain("> 6 | line6");
    expect(out).not.toContain("line7");
    expect(out).toContain("| …");
  });

  it("uses colour only when asked", () => {
    expect(renderHuman([typo], sources(src), { color: false })).not.toMatch(ANSI);
    const coloured = renderHuman([typo], sources(src), { color: true });
    expect(coloured).toMatch(ANSI);
    // colour changes nothing but the escapes
    const plain = coloured.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toBe(renderHuman([typo], sources(src), { color: false }));
  });

  it("never prints control characters from a source or a message raw", () => {
    const evil = new SourceFile("e.rplc", "block \u001b[2Jx\u202e when true");
    const d = diag("RPL1001", span("e.rplc", 6, 7), ["`\u001b`"]);
    const out = renderHuman([d], sources(evil), { color: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain("unexpected character `\\u{1b}`");
    expect(out).toContain("> 1 | block \uFFFD[2Jx\uFFFD when true");
    expect(out).toContain("|       ^");
  });

  it("renders a diagnostic into a file without text as a location line only", () => {
    const d = diag("RPL5002", span("big.rplc", 0, 0), ["20000000", "16 MiB"]);
    expect(renderHuman([d], new Map(), { color: false })).toBe(
      "big.rplc:1:1: error[RPL5002]: file is 20000000 bytes, more than the limit of 16 MiB\n\n1 error\n",
    );
  });
});

describe("printable text", () => {
  it("keeps the width of source lines and escapes messages", () => {
    expect(printableLine("a\u0007b\tc")).toBe("a\uFFFDb\tc");
    expect(escapeControls("a\nb")).toBe("a\\u{a}b");
  });
});

describe("positions agree with the source (property)", () => {
  const textArb = fc.string({
    unit: fc.constantFrom("a", " ", "\n", "\r\n", "\t", "é", "😀"),
    maxLength: 60,
  });
  test.prop([textArb, fc.nat(), fc.nat()])("json rows match SourceFile.position", (text, a, b) => {
    const file = new SourceFile("p.rplc", text);
    const start = Math.min(a, b) % (text.length + 1);
    const end = Math.min(text.length, start + (Math.max(a, b) % 7));
    const d = diag("RPL1003", span("p.rplc", start, end), ["x", "y"]);
    const [row] = JSON.parse(renderJson([d], sources(file))).diagnostics;
    expect({ line: row.line, column: row.column }).toEqual(file.position(start));
    expect({ line: row.endLine, column: row.endColumn }).toEqual(file.position(end));
    const human = renderHuman([d], sources(file), { color: false });
    expect(human.startsWith(`p.rplc:${row.line}:${row.column}: error[RPL1003]`)).toBe(true);
  });
});

describe("the diagnostic cap", () => {
  it("prints RPL5001 without a place and says the summary is partial", () => {
    const many = normalize(
      Array.from({ length: 4 }, (_, i) => diag("RPL1003", span(FILE, i, i + 1), ["x", "y"])),
      { cap: 2 },
    );
    const out = renderHuman(many, sources(src), { color: false });
    expect(out).toContain("\n\nerror[RPL5001]: too many diagnostics: 2 more not shown\n\n");
    expect(out.endsWith("\n2 errors shown, more not shown\n")).toBe(true);
  });
});
