/**
 * The checking half of the pipeline: resolve (files, includes, declarations) → typecheck
 * (expressions) → lints (warnings, only once there are no errors). The value is the checked policy set, or undefined when any
 * error was reported; diagnostics are normalized (sorted, deduplicated, capped).
 */
import { type Diagnostic, hasErrors, normalize, type Result } from "../diagnostics/diagnostic.js";
import { runLints } from "./lints/index.js";
import type { CheckedPolicySet } from "./program.js";
import { resolve } from "./resolve.js";
import { STDLIB_PREFIX } from "./stdlib.js";
import { typecheck } from "./typecheck.js";

export type CheckEntry = Parameters<typeof resolve>[0];
export type CheckOptions = NonNullable<Parameters<typeof resolve>[1]> & {
  /** Warning codes to leave out (errors cannot be switched off). */
  readonly disabledWarnings?: ReadonlySet<string>;
};

/** Warnings inside the standard packs are not reported: the user cannot fix them. */
function isPackFile(path: string): boolean {
  return path.startsWith(STDLIB_PREFIX);
}

export function checkPolicySet(
  entry: CheckEntry,
  options: CheckOptions = {},
): Result<CheckedPolicySet | undefined> {
  const disabled = options.disabledWarnings;
  const resolved = resolve(entry, options);
  const diagnostics: Diagnostic[] = [...resolved.diagnostics];
  const checked = typecheck(resolved.value, disabled ? { disabledWarnings: disabled } : {});
  diagnostics.push(...checked.diagnostics);
  // Lints look at a policy set that checks: on one with errors they would mostly echo them
  // (a misspelt name makes the declaration it meant look unused).
  if (!hasErrors(diagnostics)) {
    diagnostics.push(
      ...runLints(
        { checked: checked.value, resolved: resolved.value },
        { quietFiles: isPackFile, ...(disabled ? { disabledWarnings: disabled } : {}) },
      ),
    );
  }
  const out = normalize(diagnostics, disabled ? { disabled } : {});
  return { value: hasErrors(out) ? undefined : checked.value, diagnostics: out };
}
