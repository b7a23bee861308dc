/**
 * Parse and format one file of 1,000 rules and risks (the large benchmark set joined into one
 * file). Target: parse + format well under a second. Also reports parse time per 1,000 lines.
 * Run with `npm run bench -- syntax`; results in bench/results/syntax.md.
 */
import { bench, do_not_optimize, run } from "mitata";
import { SourceFile } from "../src/diagnostics/source.js";
import { parse } from "../src/syntax/parse.js";
import { format } from "../src/syntax/print.js";
import { largePolicySet } from "./large-policy.js";

const text = largePolicySet()
  .map((s) => s.text)
  .join("\n");
const source = new SourceFile("large.rplc", text);
const lines = source.lineStarts.length;
const parsed = parse(source);
if (parsed.diagnostics.length > 0) throw new Error("INVARIANT: the benchmark file must parse cleanly");
const rules = parsed.value.items.reduce(
  (n, item) => n + (item.kind === "On" ? item.items.filter((i) => i.kind !== "Let").length : 0),
  0,
);
console.log(`${rules} rules and risks, ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB`);

// A fresh SourceFile each time so line starts are not cached between runs.
bench("parse", () => do_not_optimize(parse(new SourceFile("large.rplc", text))));
bench("format (parsed tree)", () => do_not_optimize(format(parsed.value, source)));
bench("parse + format", () => {
  const s = new SourceFile("large.rplc", text);
  do_not_optimize(format(parse(s).value, s));
});

const result = await run();
const parseRun = result.benchmarks.find((b) => b.alias === "parse")?.runs[0]?.stats;
if (parseRun) {
  const perK = (parseRun.avg / 1e6) * (1000 / lines);
  console.log(`parse: ${perK.toFixed(2)} ms per 1,000 lines (average)`);
}
