/**
 * Golden files for diagnostics: each `<CODE>-<what>.rplc` of a directory is checked on its own
 * and its rendered diagnostics (human format, no colour) are compared with `<CODE>-<what>.txt`.
 * The case must report its code. Rewrite the expected files with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/diagnostics` (never in CI) and read the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPolicySet } from "../../../../src/check/check.js";
import { renderHuman } from "../../../../src/diagnostics/render.js";
import { SourceFile } from "../../../../src/diagnostics/source.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

export function goldenDiagnostics(title: string, dir: string): void {
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith(".rplc"))
    .sort();
  describe(title, () => {
    it("has cases", () => {
      expect(inputs.length).toBeGreaterThan(0);
    });
    for (const input of inputs) {
      const name = input.replace(/\.rplc$/, "");
      const code = name.slice(0, name.indexOf("-"));
      it(`${name}`, () => {
        const text = readFileSync(`${dir}${input}`, "utf8");
        const r = checkPolicySet({ sources: [{ path: input, text }] }, { cwd: dir });
        expect(r.diagnostics.map((d) => d.code)).toContain(code);
        const out = renderHuman(r.diagnostics, new Map([[input, new SourceFile(input, text)]]), {
          color: false,
        });
        const expectedPath = `${dir}${name}.txt`;
        if (UPDATE) writeFileSync(expectedPath, out);
        expect(existsSync(expectedPath), `${name}.txt is missing: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(out).toBe(readFileSync(expectedPath, "utf8"));
      });
    }
  });
}
