/**
 * Regenerates grammar/diagrams.html, the railroad diagrams of the grammar, from the parser.
 * Run after changing the grammar: `npx tsx scripts/gen-diagrams.ts`. A test checks the
 * committed file is fresh (it calls `diagramsSource()` and compares).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";
import { RplcParser } from "../src/syntax/parser.js";

export const DIAGRAMS_PATH = fileURLToPath(new URL("../grammar/diagrams.html", import.meta.url));

export function diagramsSource(): string {
  return createSyntaxDiagramsCode(new RplcParser().getSerializedGastProductions());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(DIAGRAMS_PATH), { recursive: true });
  writeFileSync(DIAGRAMS_PATH, diagramsSource());
  console.log(`wrote ${DIAGRAMS_PATH}`);
}
