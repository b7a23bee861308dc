import { defineCodes } from "./entry.js";

/** RPL5xxx: limits. */
export const limitCodes = defineCodes({
  RPL5001: {
    severity: "error",
    title: "too many diagnostics",
    explain: "Reporting stops after 200 diagnostics; fix the first ones and check again.",
    message: (more = "") => `too many diagnostics: ${more} more not shown`,
  },
  RPL5002: {
    severity: "error",
    title: "file too large",
    explain: "A source file is larger than the compiler accepts (16 MiB).",
    message: (size = "", limit = "") => `file is ${size} bytes, more than the limit of ${limit}`,
  },
});
