/**
 * Golden files of the compiler back end: `<dir>/<name>.rplc` is compiled and its optimized IR
 * (`ir/<name>.ir`) or emitted module (`js/<name>.js`) compared with the recorded file. Rewrite
 * them with `UPDATE_GOLDEN=1 npx vitest run test/golden/ir test/golden/js` (never in CI) and read
 * the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { dumpText, runPipeline } from "../../src/compile/pipeline.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

export function goldenCases(dir: string, kind: "ir" | "js", extension: string): void {
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith(".rplc"))
    .sort();
  it("has cases", () => {
    expect(inputs.length).toBeGreaterThanOrEqual(2);
  });
  for (const input of inputs) {
    const name = input.replace(/\.rplc$/, "");
    it(`${name}: as recorded`, async () => {
      const text = readFileSync(path.join(dir, input), "utf8");
      const r = await runPipeline({ sources: [{ path: input, text }] }, { cwd: "/golden" });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const out = dumpText(kind, r.artifacts);
      const expectedPath = path.join(dir, `${name}${extension}`);
      if (UPDATE) writeFileSync(expectedPath, out);
      expect(existsSync(expectedPath), `${name}${extension} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(out).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
}
