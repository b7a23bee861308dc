import { defineCodes } from "./entry.js";

/**
 * RPL9xxx: problems found after type checking (code generation). Unreadable paths and other
 * command-line mistakes are usage errors (exit 2, one line), not diagnostics.
 */
export const runtimeCodes = defineCodes({
  // RPL9100+: the compiler back end (src/compile/).
  RPL9100: {
    severity: "error",
    title: "schema cannot be compiled",
    explain:
      "`rplc build` turns each action's and the context's JSON Schema into validation code. This schema " +
      "uses a feature the generated code cannot carry (an ajv runtime module rplc does not ship, or a " +
      "keyword ajv cannot compile). Simplify the schema.",
    message: (what = "", why = "") => `the schema of ${what} cannot be compiled to validation code: ${why}`,
  },
});
