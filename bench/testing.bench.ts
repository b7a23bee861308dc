/**
 * How long a property takes: 2,000 runs (requests drawn from the schemas, `where` checked,
 * decided, expectations checked) on the example policy set and on a pack-like policy
 * (`stdlib/files` with a workspace, hundreds of constants). Target: under 2 s per property.
 * Plain timing (each sample is a whole property run, far above timer resolution): the first run
 * (cold: validators compiled, JIT) and the best and mean of the next ones.
 * Run with `npm run bench -- testing`; record results in bench/results/testing.md.
 */
import { expandPaths } from "../src/check/files.js";
import type { CheckedPolicySet } from "../src/check/program.js";
import { runPipeline } from "../src/compile/pipeline.js";
import { loadPolicy } from "../src/engine/load.js";
import type { Decider } from "../src/testing/model.js";
import { runTests } from "../src/testing/runner.js";

const SAMPLES = 5;

const PACK = `include "stdlib/files" with { workspace: "/home/agent/project" }

property "system files are never written" {
  for fs.write where path.within(args.path, "/etc")
  expect block
  runs 2000
}
`;

async function load(
  entry: Parameters<typeof runPipeline>[0],
): Promise<{ set: CheckedPolicySet; compiled: Decider }> {
  const r = await runPipeline(entry, { cwd: process.cwd() });
  const set = r.artifacts.checked;
  const code = r.artifacts.code;
  if (!r.ok || set === undefined || code === undefined)
    throw new Error("INVARIANT: the benchmark policy must compile");
  return { set, compiled: await loadPolicy(code) };
}

function measure(label: string, run: () => { runs: number; generated: number }): void {
  const times: number[] = [];
  let stats = { runs: 0, generated: 0 };
  for (let i = 0; i <= SAMPLES; i++) {
    const t0 = performance.now();
    stats = run();
    times.push(performance.now() - t0);
  }
  const [cold = 0, ...warm] = times;
  const mean = warm.reduce((a, b) => a + b, 0) / warm.length;
  const row = [cold, Math.min(...warm), mean, Math.max(...warm)].map((t) => `${t.toFixed(0)} ms`);
  console.log(`| ${label} | ${stats.runs} / ${stats.generated} | ${row.join(" | ")} |`);
}

function property(set: CheckedPolicySet, filter: string, decider?: Decider) {
  return () => {
    const r = runTests(set, { seed: 1, filter, packTests: false, ...(decider ? { decider } : {}) })
      .results[0];
    if (r?.status !== "passed" || r.property === undefined) throw new Error(`INVARIANT: ${filter} must pass`);
    return { runs: r.property.runs, generated: r.property.generated };
  };
}

const examples = await load({ files: [...expandPaths(["examples/policies"], process.cwd()).files] });
const pack = await load({ sources: [{ path: "bench/pack.rplc", text: PACK }] });

console.log("| property (2,000 runs) | runs / generated | cold | best | mean | worst |");
console.log("|---|---:|---:|---:|---:|---:|");
const EXAMPLE = "nothing outside /tmp is ever deleted without a human";
measure("examples: fs.delete outside /tmp, interpreter", property(examples.set, EXAMPLE));
measure("examples: fs.delete outside /tmp, compiled", property(examples.set, EXAMPLE, examples.compiled));
measure("stdlib/files: fs.write in /etc, interpreter", property(pack.set, "system files"));
measure("stdlib/files: fs.write in /etc, compiled", property(pack.set, "system files", pack.compiled));
