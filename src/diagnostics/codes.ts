/**
 * The one catalogue of diagnostic codes. It is split by range into files under codes/ so that
 * each stage owns its own range (1xxx syntax, 2xxx names and includes, 3xxx types and schemas,
 * 4xxx lint warnings, 5xxx limits, 9xxx runtime), and merged here: consumers see one table.
 */
import type { CodeEntry } from "./codes/entry.js";
import { limitCodes } from "./codes/limits.js";
import { lintCodes } from "./codes/lints.js";
import { nameCodes } from "./codes/names.js";
import { runtimeCodes } from "./codes/runtime.js";
import { syntaxCodes } from "./codes/syntax.js";
import { typeCodes } from "./codes/types.js";

export const codes = {
  ...syntaxCodes,
  ...nameCodes,
  ...typeCodes,
  ...lintCodes,
  ...limitCodes,
  ...runtimeCodes,
} as const satisfies Record<string, CodeEntry>;

export type CodeName = keyof typeof codes;
export type { CodeEntry };
