/**
 * Properties of the formatter (src/syntax/print.ts):
 * 1. round trip: for arbitrary valid trees, parse(format(ast)) is ast (spans aside);
 * 2. idempotence: format(parse(format(x))) === format(x), on printed arbitrary trees and on the
 *    golden inputs;
 * 3. comments: comments inserted between any two tokens of the golden inputs all survive
 *    formatting exactly once, and the result is still idempotent and means the same.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/diagnostics/source.js";
import type { FileNode } from "../../src/syntax/ast.js";
import { stripSpans } from "../../src/syntax/ast-compare.js";
import { lex } from "../../src/syntax/lexer.js";
import { parse } from "../../src/syntax/parse.js";
import { format } from "../../src/syntax/print.js";
import { DUMMY_FILE, fileNode } from "../arbitraries/ast.js";

const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const GOLDEN = fileURLToPath(new URL("../golden/fmt/", import.meta.url));
const inputs = readdirSync(GOLDEN)
  .filter((f) => f.endsWith(".rplc") && !f.endsWith(".formatted.rplc"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(`${GOLDEN}${f}`, "utf8") }));

function parseClean(text: string, path = DUMMY_FILE): FileNode {
  const r = parse(new SourceFile(path, text));
  expect(
    r.diagnostics.filter((d) => d.severity === "error"),
    text,
  ).toEqual([]);
  return r.value;
}

function formatText(text: string, path = DUMMY_FILE): string {
  return format(parseClean(text, path), new SourceFile(path, text));
}

const tree = (f: FileNode) => stripSpans({ ...f, comments: [] });

describe("format: round trip over arbitrary trees", () => {
  it("parse(format(ast)) equals ast, spans aside", () => {
    fc.assert(
      fc.property(fileNode, (ast) => {
        const text = format(ast, new SourceFile(DUMMY_FILE, ""));
        expect(stripSpans(parseClean(text)), text).toEqual(stripSpans(ast));
      }),
      { numRuns: RUNS },
    );
  });

  it("printing a printed tree again gives the same text", () => {
    fc.assert(
      fc.property(fileNode, (ast) => {
        const text = format(ast, new SourceFile(DUMMY_FILE, ""));
        expect(formatText(text)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("format: idempotence on the golden inputs", () => {
  for (const { name, text } of inputs) {
    it(name, () => {
      const once = formatText(text, name);
      expect(formatText(once, name)).toBe(once);
    });
  }
});

/** Offsets between two tokens (outside strings and comments) where a comment may be inserted. */
function gaps(text: string): number[] {
  const { tokens, comments } = lex(new SourceFile(DUMMY_FILE, text));
  const taken: [number, number][] = [
    ...tokens.map((t): [number, number] => [t.startOffset, t.startOffset + t.image.length]),
    ...comments.map((c): [number, number] => [c.span.start, c.span.start + c.text.length + 1]),
  ].sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  let at = 0;
  for (const [start, end] of taken) {
    for (let i = at; i <= start; i++) out.push(i);
    at = Math.max(at, end);
  }
  for (let i = at; i <= text.length; i++) out.push(i);
  return [...new Set(out)];
}

/** Insert `#c<i>` comments at the given gap offsets; the comment names, most-recent offset first. */
function insertComments(text: string, offsets: readonly number[]): { text: string; count: number } {
  let out = text;
  const sorted = [...new Set(offsets)].sort((x, y) => y - x);
  sorted.forEach((o, i) => {
    out = `${out.slice(0, o)} #c${i}\n${out.slice(o)}`;
  });
  return { text: out, count: sorted.length };
}

/** Format text holding `count` inserted comments; check each is kept once, the tree, idempotence. */
function checkComments(text: string, count: number, name = DUMMY_FILE): void {
  const before = parseClean(text, name);
  const once = format(before, new SourceFile(name, text));
  for (let i = 0; i < count; i++) expect(once.split(`#c${i}\n`).length - 1, once).toBe(1);
  const after = parseClean(once, name);
  expect(tree(after)).toEqual(tree(before));
  expect(format(after, new SourceFile(name, once)), once).toBe(once);
}

describe("format: comments anywhere between tokens of arbitrary trees", () => {
  it("keeps every comment exactly once, and stays idempotent", () => {
    fc.assert(
      fc.property(fileNode, fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), (ast, picks) => {
        const text = format(ast, new SourceFile(DUMMY_FILE, ""));
        const places = gaps(text);
        const { text: withComments, count } = insertComments(
          text,
          picks.map((p) => places[p % places.length] as number),
        );
        checkComments(withComments, count);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("format: comments anywhere between tokens", () => {
  for (const { name, text } of inputs) {
    const places = gaps(text);
    it(`${name}: every inserted comment is kept exactly once`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.constantFrom(...places), { minLength: 1, maxLength: 8 }), (offsets) => {
          const { text: withComments, count } = insertComments(text, offsets);
          checkComments(withComments, count, name);
        }),
        { numRuns: Math.max(20, Math.floor(RUNS / 5)) },
      );
    });
  }
});
