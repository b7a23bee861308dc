/**
 * The 1,000-rule decision of bench/engine.bench.ts in a process of its own, as an agent runs one
 * policy (started by engine.bench.ts): the module built from bench/large-policy.ts, loaded with
 * `loadPolicy`, and mitata's median per decision over the same 64 requests.
 */
import { do_not_optimize, measure } from "mitata";
import { runPipeline } from "../src/compile/pipeline.js";
import { loadPolicy } from "../src/engine/load.js";
import { largePolicySet, largeRequests } from "./large-policy.js";

const r = await runPipeline({ sources: largePolicySet() }, { cwd: "/bench" });
// INVARIANT: the benchmark policy compiles.
if (!r.ok || r.artifacts.code === undefined) throw new Error("INVARIANT: the policy must compile");
const policy = await loadPolicy(r.artifacts.code);
const requests = largeRequests();
// Optimized first, as in engine.bench.ts.
for (let i = 0; i < 200_000; i++) policy.decide(requests[i & 63]);
let next = 0;
const stats = await measure(() => do_not_optimize(policy.decide(requests[next++ & 63])));
console.log(
  `1,000 rules, compiled, alone in a process: median ${(stats.p50 / 1000).toFixed(2)} µs per decision (p75 ${(stats.p75 / 1000).toFixed(2)}, p99 ${(stats.p99 / 1000).toFixed(2)})`,
);
