/**
 * The optimizer: passes over the IR, in this order. Each pass keeps the program's meaning,
 * including which errors happen where (LANGUAGE.md §6: an optimizer may reorder only what
 * cannot fail); the differential test compares the result with the interpreter.
 *
 * Hoisting (constant lists as module-scope `Set`s, regular expressions and globs compiled at
 * load) is done by the printer, which owns module scope.
 */
import type { NativeFunction } from "../../natives/spec.js";
import type { IrProgram } from "../ir.js";
import { foldConstants } from "./fold.js";
import { shareNativeCalls } from "./share-calls.js";

export interface PassContext {
  /** The natives table (folding calls natives whose arguments are constants). */
  readonly native: (name: string) => NativeFunction | undefined;
}

export interface Pass {
  readonly name: string;
  run(program: IrProgram, ctx: PassContext): IrProgram;
}

export const PASSES: readonly Pass[] = [
  { name: "fold-constants", run: foldConstants },
  { name: "share-native-calls", run: (p) => shareNativeCalls(p) },
];

export function optimize(program: IrProgram, ctx: PassContext): IrProgram {
  let p = program;
  for (const pass of PASSES) p = pass.run(p, ctx);
  return p;
}
