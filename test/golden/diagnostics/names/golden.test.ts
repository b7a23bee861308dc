/**
 * Golden files for the resolver's diagnostics (names, includes, settings, declared types, schema
 * files): each directory `<CODE>-<what>/` is one policy set (every .rplc file in it, plus what they
 * include), resolved on its own; its rendered diagnostics (human format, no colour) are compared
 * with `<CODE>-<what>.txt`. The case must report its code. Rewrite the expected files with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden/diagnostics/names` (never in CI) and read the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expandPaths } from "../../../../src/check/files.js";
import { resolve } from "../../../../src/check/resolve.js";
import { renderHuman } from "../../../../src/diagnostics/render.js";
import { SourceFile } from "../../../../src/diagnostics/source.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const DIR = fileURLToPath(new URL("./", import.meta.url));

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe("resolver diagnostics (RPL2xxx, RPL30xx)", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const name of cases) {
    const code = name.slice(0, name.indexOf("-"));
    it(name, () => {
      const dir = path.join(DIR, name);
      const { files } = expandPaths(["."], dir);
      const r = resolve({ files }, { cwd: dir });
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      const sources = new Map(r.value.sources.map((s) => [s.path, new SourceFile(s.path, s.text)]));
      const out = renderHuman(r.diagnostics, sources, { color: false });
      const expectedPath = path.join(DIR, `${name}.txt`);
      if (UPDATE) writeFileSync(expectedPath, out);
      expect(existsSync(expectedPath), `${name}.txt is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(out).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
