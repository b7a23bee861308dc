/**
 * The catalogue is the one place where codes live: every code is documented (docs/diagnostics.md,
 * generated and fresh), used somewhere in src/, and worded in the house style.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DOC_PATH, escapeMarkdown, renderDiagnosticsDoc } from "../../../scripts/gen-diagnostics-doc.js";
import { type CodeEntry, codes } from "../../../src/diagnostics/codes.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SRC = path.join(ROOT, "src");
const CODES_DIR = path.join(SRC, "diagnostics", "codes");
const CATALOGUE = path.join(SRC, "diagnostics", "codes.ts");
const allCodes = Object.keys(codes).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === CODES_DIR ? [] : sourceFiles(full);
    return /\.ts$/.test(e.name) && full !== CATALOGUE ? [full] : [];
  });
}

describe("docs/diagnostics.md", () => {
  it("is fresh (run `npx tsx scripts/gen-diagnostics-doc.ts` after changing a code)", () => {
    expect(readFileSync(DOC_PATH, "utf8")).toBe(renderDiagnosticsDoc());
  });

  it("documents every code with its title and explanation", () => {
    const doc = renderDiagnosticsDoc();
    for (const [code, entry] of Object.entries(codes)) {
      expect(doc, code).toContain(
        `\n### ${code}\n\n**${escapeMarkdown(entry.title)}** (${entry.severity})\n\n`,
      );
      expect(doc, code).toContain(`\n${escapeMarkdown(entry.explain)}\n`);
      expect(doc, code).toContain(`\n- [${code}](#${code.toLowerCase()}) (${entry.severity}): `);
    }
  });

  it("shows catalogue text literally: Markdown characters are escaped outside code spans", () => {
    expect(escapeMarkdown("a_b `c_d` \\n *x*")).toBe("a\\_b `c_d` \\\\n \\*x\\*");
  });
});

describe("the catalogue", () => {
  it("every code is used in src/ outside the catalogue", () => {
    const text = sourceFiles(SRC)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const unused = allCodes.filter((code) => !text.includes(`"${code}"`));
    expect(unused, `codes never used in src/: ${unused.join(", ")}`).toEqual([]);
  });

  it("codes are RPL + four digits, in the file of their range", () => {
    for (const file of readdirSync(CODES_DIR)) {
      const text = readFileSync(path.join(CODES_DIR, file), "utf8");
      for (const m of text.matchAll(/^\s*(RPL\d+)\s*:/gm)) {
        const code = m[1] ?? "";
        expect(code, file).toMatch(/^RPL\d{4}$/);
        const expected: Record<string, string> = {
          "1": "syntax.ts",
          "2": "names.ts",
          "3": "types.ts",
          "4": "lints.ts",
          "5": "limits.ts",
          "9": "runtime.ts",
        };
        expect(`${code} in ${file}`).toBe(`${code} in ${expected[code.charAt(3)]}`);
      }
    }
  });

  it("lint codes (RPL4xxx) are warnings, so they can be switched off", () => {
    for (const [code, entry] of Object.entries(codes)) {
      if (code.startsWith("RPL4")) expect(entry.severity, code).toBe("warning");
    }
  });

  it("messages follow the house style: one line, not capitalised, no trailing period", () => {
    for (const [code, entry] of Object.entries(codes) as [string, CodeEntry][]) {
      const message = entry.message("x", "y", "z", "w");
      expect(message, code).not.toMatch(/\n/);
      expect(message, code).not.toMatch(/^[A-Z]/);
      expect(message, code).not.toMatch(/\.$/);
      expect(entry.title.trim(), code).not.toBe("");
      expect(entry.explain.trim(), code).not.toBe("");
    }
  });
});
