/**
 * The contract of a native (host) function: one table of these is shared by the type checker
 * (signatures), the interpreter and the emitted code (implementations).
 *
 * Natives are pure and deterministic. On input they cannot read (unparsable SQL, a bad time
 * zone) they throw `NativeError`; the engine records it in `errors` and the decision falls to
 * `on_error`. They never see a value of the wrong type: the checker guarantees the types.
 */
import type { Type } from "../check/types.js";

export class NativeError extends Error {
  override readonly name = "NativeError";
}

/** The outcome of checking a call's argument types. */
export type SignatureResult =
  | { readonly ok: true; readonly result: Type }
  | { readonly ok: false; readonly message: string; readonly arg?: number };

export interface NativeFunction {
  /** Qualified name as written in policies: `lower`, `sql.verb`, `path.within`. */
  readonly name: string;
  /** One line for the docs: `sql.verb(sql: string): string — the first statement's verb, upper-cased`. */
  readonly doc: string;
  /** Inclusive bounds on the number of arguments. */
  readonly arity: readonly [min: number, max: number];
  /**
   * Argument types → result type. For a lambda argument the checker passes the lambda's type
   * (kind "function") after checking its body with the parameter types from `lambdaParams`.
   */
  signature(args: readonly Type[]): SignatureResult;
  /** For higher-order natives: which argument is a lambda, and its parameter types from the others. */
  readonly lambda?: {
    readonly index: number;
    params(args: readonly Type[]): readonly Type[];
  };
  /** Argument positions that must be string literals (`matches`, `glob`, time zones). */
  readonly literalArgs?: readonly number[];
  /**
   * Validate a literal argument at compile time (a regular expression that can backtrack
   * catastrophically, an unknown time zone); return an error message or undefined.
   */
  checkLiteral?(index: number, value: string): string | undefined;
  /**
   * The implementation. Lambdas arrive as JS functions. Durations and timestamps are numbers
   * of milliseconds (see check/types.ts).
   */
  readonly impl: (...args: never[]) => unknown;
}
