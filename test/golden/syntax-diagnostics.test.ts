/**
 * Golden files for syntax diagnostics: each `diagnostics/syntax/<CODE>-<what>.rplc` is parsed
 * (parse() only) and its rendered diagnostics (human format, no colour) are compared with
 * `<CODE>-<what>.txt`. The case must report its code. Rewrite the expected files with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/syntax-diagnostics.test.ts` (never in CI) and
 * read the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderHuman } from "../../src/diagnostics/render.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { parse } from "../../src/syntax/parse.js";

const DIR = fileURLToPath(new URL("./diagnostics/syntax/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const INPUTS = readdirSync(DIR)
  .filter((f) => f.endsWith(".rplc"))
  .sort();

describe("syntax diagnostics golden files", () => {
  it("has a case for every syntax code", () => {
    const covered = new Set(INPUTS.map((f) => f.slice(0, f.indexOf("-"))));
    for (let n = 1001; n <= 1015; n++) expect(covered, `RPL${n}`).toContain(`RPL${n}`);
  });

  for (const input of INPUTS) {
    const name = input.replace(/\.rplc$/, "");
    const code = name.slice(0, name.indexOf("-"));
    it(name, () => {
      const text = readFileSync(`${DIR}${input}`, "utf8");
      const source = new SourceFile(input, text);
      const r = parse(source);
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      const out = renderHuman(r.diagnostics, new Map([[input, source]]), { color: false });
      const expectedPath = `${DIR}${name}.txt`;
      if (UPDATE) writeFileSync(expectedPath, out);
      expect(existsSync(expectedPath), `${name}.txt is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(out).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
