/**
 * Runs every benchmark in bench/ (files named *.bench.ts, each a standalone mitata script) one after
 * the other in its own process, so one benchmark's JIT state never colours another's.
 * `npm run bench` runs them all; `npm run bench -- engine` only those whose name contains "engine".
 * Timings are never asserted: record them in bench/results/ with the machine and Node version.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts") && f.includes(filter))
  .sort();

console.log(`# ${os.cpus()[0]?.model ?? "unknown cpu"} × ${os.cpus().length}, Node ${process.version}`);
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(here, f)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
if (files.length === 0) console.log(`no benchmark matches '${filter}'`);
process.exitCode = failed > 0 ? 1 : 0;
