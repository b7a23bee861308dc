/**
 * Helpers for writing native signatures: type tests that accept `error` (an argument that
 * already has a diagnostic, so no cascade) and `any` (checked at run time by the request
 * schema), and the house-style mismatch message.
 */
import { formatType, T, type Type } from "../check/types.js";
import type { SignatureResult } from "./spec.js";

export type TypeTest = (t: Type) => boolean;

/** `error` and `any` fit every parameter: the first already has a diagnostic, the second is dynamic. */
export function isLoose(t: Type): boolean {
  return t.kind === "error" || t.kind === "any";
}

/** `string`, or a string-literal union (a string whose values are known). */
export const isString: TypeTest = (t) => isLoose(t) || t.kind === "string" || t.kind === "union";
export const isNumber: TypeTest = (t) => isLoose(t) || t.kind === "number";
export const isBool: TypeTest = (t) => isLoose(t) || t.kind === "bool";
export const isDuration: TypeTest = (t) => isLoose(t) || t.kind === "duration";
export const isTimestamp: TypeTest = (t) => isLoose(t) || t.kind === "timestamp";
export const isList: TypeTest = (t) => isLoose(t) || t.kind === "list";
export const isStringList: TypeTest = (t) => isLoose(t) || (t.kind === "list" && isString(t.element));
export const isNumberList: TypeTest = (t) => isLoose(t) || (t.kind === "list" && isNumber(t.element));

export function ok(result: Type): SignatureResult {
  return { ok: true, result };
}

/** "expected `list<T>` or `string`, found `number`" for argument `arg` (0-based). */
export function mismatch(expected: string, found: Type, arg: number): SignatureResult {
  return { ok: false, message: `expected ${expected}, found \`${formatType(found)}\``, arg };
}

/** A signature whose parameters are each checked by a test, with a fixed result. */
export function simple(
  params: readonly (readonly [test: TypeTest, expected: string])[],
  result: Type,
): (args: readonly Type[]) => SignatureResult {
  return (args) => {
    for (let i = 0; i < args.length; i++) {
      const param = params[i];
      const arg = args[i];
      if (param === undefined || arg === undefined) continue;
      if (!param[0](arg)) return mismatch(param[1], arg, i);
    }
    return ok(result);
  };
}

/** Shorthand parameter specs. */
export const P = {
  string: [isString, "`string`"],
  number: [isNumber, "`number`"],
  timestamp: [isTimestamp, "`timestamp`"],
  duration: [isDuration, "`duration`"],
  stringList: [isStringList, "`list<string>`"],
} as const satisfies Record<string, readonly [TypeTest, string]>;

/** The element type of a list argument; `error`/`any` pass through so lambdas do not cascade. */
export function elementOf(t: Type | undefined): Type {
  if (t === undefined) return T.error;
  if (t.kind === "list") return t.element;
  if (t.kind === "any") return T.any;
  return T.error;
}

/**
 * Whether values of two types can be compared with `==` (and so found by `contains`):
 * the same kind, strings with literal unions, lists element-wise; `any`/`error` with anything.
 */
export function comparable(a: Type, b: Type): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  const stringish = (t: Type) => t.kind === "string" || t.kind === "union";
  if (stringish(a) && stringish(b)) return true;
  if (a.kind === "list" && b.kind === "list") return comparable(a.element, b.element);
  if (a.kind === "map" && b.kind === "map") return comparable(a.value, b.value);
  return a.kind === b.kind;
}
