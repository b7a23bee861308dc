/**
 * `compile(entry)`: a policy set → one self-contained ES module (the output of `rplc build`),
 * with the policy hash. Load the module with `loadPolicy` (engine/load.ts) or import it where
 * the `runplane` package is installed.
 */
import type { CheckEntry, CheckOptions } from "../check/check.js";
import type { Result } from "../diagnostics/diagnostic.js";
import { runPipeline } from "./pipeline.js";

export interface Compiled {
  /** The ES module's source text. */
  readonly code: string;
  /** `sha256:…` over the sorted sources (LANGUAGE.md §2 `policy.hash`). */
  readonly hash: string;
}

export async function compile(
  entry: CheckEntry,
  options: CheckOptions = {},
): Promise<Result<Compiled | undefined>> {
  const r = await runPipeline(entry, options);
  const { code, hash } = r.artifacts;
  if (!r.ok || code === undefined || hash === undefined)
    return { value: undefined, diagnostics: r.diagnostics };
  return { value: { code, hash }, diagnostics: r.diagnostics };
}
