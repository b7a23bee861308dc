/** The generated artefacts of the grammar are fresh: regenerate them after changing parser.ts. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CST_DTS_PATH, cstDtsSource } from "../../../scripts/gen-cst-dts.js";
import { DIAGRAMS_PATH, diagramsSource } from "../../../scripts/gen-diagrams.js";

describe("generated from the grammar", () => {
  it("src/syntax/cst.generated.d.ts is fresh (run `npx tsx scripts/gen-cst-dts.ts`)", () => {
    expect(readFileSync(CST_DTS_PATH, "utf8")).toBe(cstDtsSource());
  });

  it("grammar/diagrams.html is fresh (run `npx tsx scripts/gen-diagrams.ts`)", () => {
    const html = diagramsSource();
    expect(readFileSync(DIAGRAMS_PATH, "utf8")).toBe(html);
    for (const rule of ["file", "ruleDecl", "expression", "operand", "typeExpr", "expectation"]) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});
