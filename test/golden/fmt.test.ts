/**
 * Golden files for `rplc fmt`: each `fmt/<name>.rplc` is formatted and compared with
 * `fmt/<name>.formatted.rplc`. Rewrite the expected files with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/fmt.test.ts` (never in CI) and read the diff.
 * Every case also checks that the output parses to the same tree, keeps every comment, and
 * formats to itself (idempotence).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/diagnostics/source.js";
import type { FileNode } from "../../src/syntax/ast.js";
import { stripSpans } from "../../src/syntax/ast-compare.js";
import { parse } from "../../src/syntax/parse.js";
import { format } from "../../src/syntax/print.js";

const DIR = fileURLToPath(new URL("./fmt/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const INPUTS = readdirSync(DIR)
  .filter((f) => f.endsWith(".rplc") && !f.endsWith(".formatted.rplc"))
  .sort();

function parseClean(path: string, text: string): FileNode {
  const result = parse(new SourceFile(path, text));
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.value;
}

function formatText(path: string, text: string): string {
  return format(parseClean(path, text), new SourceFile(path, text));
}

const treeOf = (f: FileNode) => stripSpans({ ...f, comments: [] });
const commentsOf = (f: FileNode) => f.comments.map((c) => c.text.trimEnd());

describe("rplc fmt golden files", () => {
  it("has cases", () => {
    expect(INPUTS.length).toBeGreaterThanOrEqual(10);
  });

  for (const input of INPUTS) {
    const name = input.replace(/\.rplc$/, "");
    const expectedPath = `${DIR}${name}.formatted.rplc`;

    it(`${name}: formats as recorded`, () => {
      const text = readFileSync(`${DIR}${input}`, "utf8");
      const out = formatText(input, text);
      if (UPDATE) writeFileSync(expectedPath, out);
      expect(existsSync(expectedPath), `${name}.formatted.rplc is missing: run with UPDATE_GOLDEN=1`).toBe(
        true,
      );
      expect(out).toBe(readFileSync(expectedPath, "utf8"));
    });

    it(`${name}: means the same, keeps every comment, and is a fixed point`, () => {
      const text = readFileSync(`${DIR}${input}`, "utf8");
      const before = parseClean(input, text);
      const out = format(before, new SourceFile(input, text));
      const after = parseClean(input, out);
      expect(treeOf(after)).toEqual(treeOf(before));
      expect(commentsOf(after)).toEqual(commentsOf(before));
      expect(format(after, new SourceFile(input, out))).toBe(out);
    });
  }
});
