import { defineCodes } from "./entry.js";

/** RPL2xxx: names, includes, the policy set. Added by the resolver. */
export const nameCodes = defineCodes({});
