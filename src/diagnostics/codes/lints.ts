import { defineCodes } from "./entry.js";

/** RPL4xxx: lint warnings (each can be switched off). Added by the lints. */
export const lintCodes = defineCodes({});
