/**
 * The `policy` (and `candidate`) option → a loaded policy:
 *
 *   "./policies", "db.rplc", ["a.rplc", "dir/"]   .rplc files or directories: compiled in memory
 *                                                  (the compiler is imported only then)
 *   "./policy.mjs"                                 a module built by `rplc build`
 *   { source: "<module text>" }                    a built module's text
 *   a LoadedPolicy (from `loadPolicy`)             used as is
 *
 * Failures are RunplaneErrors with part "policy" whose message says why (the first compile
 * errors, with their places).
 */
import path from "node:path";
import type { Decision } from "../engine/decision.js";
import { type LoadedPolicy, loadPolicy } from "../engine/load.js";
import { fs } from "./builtins.js";
import { messageOf, RunplaneError } from "./errors.js";

const { statSync } = fs;

export type PolicySpec = string | readonly string[] | { readonly source: string } | LoadedPolicy;

/** What the runtime keeps of a policy. */
export interface ActivePolicy {
  readonly hash: string;
  decide(request: unknown): Decision;
  /** The files it was compiled from (empty for modules and objects): watched by `watch: true`. */
  readonly files: readonly string[];
}

function isLoaded(spec: PolicySpec): spec is LoadedPolicy {
  return typeof spec === "object" && spec !== null && "decide" in spec && typeof spec.decide === "function";
}

/** Whether a path names policy sources (a `.rplc` file or a directory) rather than a built module. */
function isSourcePath(p: string, cwd: string): boolean {
  if (p.endsWith(".rplc")) return true;
  try {
    return statSync(path.resolve(cwd, p)).isDirectory();
  } catch {
    return false;
  }
}

export async function loadPolicySpec(spec: PolicySpec, cwd: string, role = "policy"): Promise<ActivePolicy> {
  if (isLoaded(spec)) return { hash: spec.hash, decide: spec.decide, files: [] };
  try {
    if (typeof spec === "object" && !Array.isArray(spec) && "source" in spec) {
      const p = await loadPolicy({ source: (spec as { source: string }).source });
      return { hash: p.hash, decide: p.decide, files: [] };
    }
    const paths = typeof spec === "string" ? [spec] : [...(spec as readonly string[])];
    if (paths.length === 0) throw new RunplaneError("policy", `the ${role} option names no files`);
    if (paths.some((p) => isSourcePath(p, cwd))) {
      // The compiler (and Chevrotain) load only here.
      const { compilePolicyPaths } = await import("./compile-policy.js");
      const r = await compilePolicyPaths(paths, cwd);
      if (!r.ok) throw new RunplaneError("policy", r.message);
      const p = await loadPolicy({ source: r.code });
      return { hash: p.hash, decide: p.decide, files: r.files };
    }
    if (paths.length > 1)
      throw new RunplaneError("policy", `give one built module, not ${paths.length} files`);
    const file = path.resolve(cwd, paths[0]!);
    const p = await loadPolicy({ path: file });
    return { hash: p.hash, decide: p.decide, files: [file] };
  } catch (e) {
    if (e instanceof RunplaneError) throw e;
    throw new RunplaneError("policy", `cannot load the ${role}: ${messageOf(e)}`, { cause: e });
  }
}
