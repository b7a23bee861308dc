/**
 * How long `checkPolicySet` (parse, resolve, typecheck, lints) takes on a large policy set:
 * 1,000 rules and risks over 50 action types, in 11 files. Target: under 200 ms.
 * Run with `npm run bench -- check`; record results in bench/results/check.md.
 */
import { bench, run } from "mitata";
import { checkPolicySet } from "../src/check/check.js";
import { runLints } from "../src/check/lints/index.js";
import { resolve } from "../src/check/resolve.js";
import { typecheck } from "../src/check/typecheck.js";
import { ACTIONS, largePolicySet } from "./large-policy.js";

const sources = largePolicySet();
// Sanity: the set checks cleanly, so the benchmark measures the whole path.
const first = checkPolicySet({ sources }, { cwd: "/" });
const errors = first.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0 || first.value?.rules.length === undefined) {
  console.error(errors.slice(0, 5));
  throw new Error(`INVARIANT: the benchmark policy set must check without errors (${errors.length})`);
}
console.log(`${first.value.rules.length} rules, ${first.value.risks.length} risks, ${ACTIONS} actions`);

bench("checkPolicySet: 1,000 rules, 50 actions", () => checkPolicySet({ sources }, { cwd: "/" }));

// The stages on their own, to see where the time goes.
const resolved = resolve({ sources }, { cwd: "/" }).value;
const checked = typecheck(resolved).value;
bench("  resolve (parse, includes, declarations)", () => resolve({ sources }, { cwd: "/" }));
bench("  typecheck", () => typecheck(resolved));
bench("  lints", () => runLints({ checked, resolved }));

await run();
