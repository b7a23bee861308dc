/**
 * What a compiled policy module imports (`import { __runtime as rt } from "runplane"`): the
 * helpers its code calls, the natives, decision assembly and the ajv runtime pieces its
 * standalone validators `require`. The module checks the ABI version once at load, so a module
 * built by an incompatible rplc fails loudly instead of deciding wrongly.
 *
 * This file is part of the runtime entry: it never imports the compiler or Chevrotain.
 */
import { initNatives } from "../natives/init.js";
import { packageRequire } from "../natives/lazy.js";
import { globMatcher, regexMatcher } from "../natives/patterns.js";
import { lookupNative } from "../natives/table.js";
import { fail, finalize, hold, holdRisk } from "./finalize.js";
import {
  argsOf,
  clean,
  contextOf,
  requestTime,
  shapeErrors,
  validate,
  walkErrors,
  wellFormed,
} from "./request.js";
import {
  convertTimes,
  deepFreeze,
  div,
  entry,
  entryIn,
  eq,
  freezeTable,
  get,
  index,
  isIn,
  mod,
  need,
  needIn,
} from "./values.js";

/**
 * The version of the contract between emitted modules and this runtime: what the modules of this
 * rplc need. 2 added the fast request checks (`wellFormed`, `walk`, `clean`); 3 added `table`.
 */
export const RUNTIME_ABI = 3;
/** The oldest contract this runtime still provides everything for. */
export const OLDEST_ABI = 1;

/** "Not computed yet" for decision locals. */
const U: unique symbol = Symbol("unset");

/** The ajv runtime modules standalone validators may `require` (see compile/validators.ts). */
const AJV_MODULES = new Set([
  "ajv/dist/runtime/ucs2length",
  "ajv/dist/runtime/equal",
  "ajv/dist/runtime/uri",
  "ajv/dist/runtime/validation_error",
  "ajv-formats/dist/formats",
]);

let ready: Promise<void> | undefined;

export const __runtime = Object.freeze({
  abi(version: number): void {
    if (!(version >= OLDEST_ABI && version <= RUNTIME_ABI)) {
      throw new Error(
        `this policy module needs runtime ABI ${version}, but this runplane provides ${OLDEST_ABI}–${RUNTIME_ABI}: rebuild it with \`rplc build\` (or update runplane)`,
      );
    }
  },
  /** Resolves when the natives are ready (the shell parser loads WebAssembly). */
  get ready(): Promise<void> {
    ready ??= initNatives();
    return ready;
  },
  native(name: string): (...args: never[]) => unknown {
    const fn = lookupNative(name);
    if (fn === undefined)
      throw new Error(`this runplane has no built-in function \`${name}\`: rebuild the policy`);
    return fn.impl;
  },
  regex: regexMatcher,
  glob: globMatcher,
  constant: deepFreeze,
  /** The rule and risk tables: frozen as `constant` would, faster (values.ts `freezeTable`). */
  table: freezeTable,
  ajvRequire(id: string): unknown {
    if (!AJV_MODULES.has(id))
      throw new Error(`a policy validator asked for \`${id}\`, which is not an ajv runtime module`);
    return packageRequire(id);
  },
  U,
  get,
  need,
  needIn,
  entry,
  entryIn,
  index,
  eq,
  isIn,
  div,
  mod,
  hold,
  holdRisk,
  fail,
  finalize,
  shape: shapeErrors,
  wellFormed,
  walk: walkErrors,
  clean,
  argsOf,
  contextOf,
  requestTime,
  validate,
  convertTimes,
});

export type Runtime = typeof __runtime;
