#!/usr/bin/env node
// Decides the three statements of the database-cleanup scenario with policy.rplc (the stdlib
// `sql` pack) and prints the decisions. Run from the repository after `npm run build`:
//
//   node examples/database-cleanup/run.mjs          # one paragraph per statement
//   node examples/database-cleanup/run.mjs --json   # the three decisions as a JSON array
//
// It compiles the policy in memory (`compile` from runplane/compiler), loads the compiled module
// (`loadPolicy` from runplane) and decides each request in requests/.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "runplane";
import { compile, initNatives } from "runplane/compiler";

const here = path.dirname(fileURLToPath(import.meta.url));
const REQUESTS = ["cleanup", "delete-all", "select"];

await initNatives();
const compiled = await compile({ files: [path.join(here, "policy.rplc")] });
if (compiled.value === undefined) {
  for (const d of compiled.diagnostics) process.stderr.write(`${d.severity}[${d.code}]: ${d.message}\n`);
  process.exit(1);
}
const policy = await loadPolicy(compiled.value.code);

const results = [];
for (const name of REQUESTS) {
  const request = JSON.parse(await readFile(path.join(here, "requests", `${name}.json`), "utf8"));
  results.push({ request, decision: policy.decide(request) });
}

if (process.argv.includes("--json")) {
  process.stdout.write(
    `${JSON.stringify(
      results.map((r) => r.decision),
      null,
      2,
    )}\n`,
  );
} else {
  for (const { request, decision } of results) {
    const lines = [`${request.args.sql}`, `  → ${decision.decision} (score ${decision.score})`];
    for (const m of decision.matched) lines.push(`    ${m.effect} ${m.rule}: ${m.reason}`);
    if (decision.approval) lines.push(`    approvers: ${decision.approval.approvers.join(", ")}`);
    process.stdout.write(`${lines.join("\n")}\n\n`);
  }
}
