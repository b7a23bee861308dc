/** Policy sets for the testing unit tests, checked from source text. */
import { checkPolicySet } from "../../../src/check/check.js";
import { expandPaths } from "../../../src/check/files.js";
import type { CheckedPolicySet } from "../../../src/check/program.js";

export function checked(text: string, path = "p.rplc"): CheckedPolicySet {
  const r = checkPolicySet({ sources: [{ path, text }] }, { cwd: "/" });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (r.value === undefined || errors.length > 0) {
    throw new Error(
      `the test policy does not check: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`,
    );
  }
  return r.value;
}

let examples: CheckedPolicySet | undefined;

/** examples/policies, checked once. */
export function examplePolicies(): CheckedPolicySet {
  if (examples !== undefined) return examples;
  const files = [...expandPaths(["examples/policies"], process.cwd()).files];
  const r = checkPolicySet({ files }, { cwd: process.cwd() });
  if (r.value === undefined) throw new Error("examples/policies does not check");
  examples = r.value;
  return examples;
}

/** A file-deletion policy with a deliberate hole: `starts_with` lets `/tmp/../etc` and `/tmpx` through. */
export const HOLE = `action fs.delete {
  path: string
  recursive?: bool
}

on fs.delete {
  allow tmp_cleanup when starts_with(args.path, "/tmp")
  require approval elsewhere unless starts_with(args.path, "/tmp") approvers ["sre"]
  risk recursive_delete 30 when args.recursive ?? false
}

property "nothing outside /tmp is deleted without a human" {
  for fs.delete where not path.within(args.path, "/tmp")
  expect not allow
  runs 300
}
`;
