/**
 * re2js (~25 ms to import) on first use: only policies that call `matches`, `glob` or `path.glob`
 * need it, and their modules compile their patterns at load. `import "runplane"` does not pay for it.
 */
import type { RE2JS as RE2JSClass } from "re2js";
import { lazy } from "./lazy.js";

export type RE2JS = RE2JSClass;

const load = lazy<typeof import("re2js")>("re2js");

/** The RE2JS class, loaded on first call. */
export function re2(): typeof RE2JSClass {
  return load().RE2JS;
}
