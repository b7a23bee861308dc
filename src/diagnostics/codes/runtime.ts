import { defineCodes } from "./entry.js";

/** RPL9xxx: runtime and command-line problems. */
export const runtimeCodes = defineCodes({
  RPL9001: {
    severity: "error",
    title: "path not found",
    explain: "A path given on the command line does not exist or cannot be read.",
    message: (path = "", why = "") => `cannot read \`${path}\`: ${why}`,
  },
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
