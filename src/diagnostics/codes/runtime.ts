import { defineCodes } from "./entry.js";

/** RPL9xxx: runtime and command-line problems. */
export const runtimeCodes = defineCodes({
  RPL9001: {
    severity: "error",
    title: "path not found",
    explain: "A path given on the command line does not exist or cannot be read.",
    message: (path = "", why = "") => `cannot read \`${path}\`: ${why}`,
  },
});
