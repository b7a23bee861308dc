import { defineCodes } from "./entry.js";

/** RPL3xxx: types and schemas. Added by the type checker. */
export const typeCodes = defineCodes({});
