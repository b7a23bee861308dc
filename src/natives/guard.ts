/**
 * Run-time argument checks. The checker guarantees argument types, except where a value has type
 * `any` (a request field without a schema): there a native may meet a number where it wants a
 * string. These guards turn that into an evaluation error (NativeError) instead of a TypeError
 * or a silently wrong answer. Each costs one `typeof`.
 */
import { NativeError } from "./spec.js";

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number" && Number.isNaN(v)) return "NaN";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function fail(fn: string, want: string, v: unknown): never {
  throw new NativeError(`\`${fn}\` expected ${want}, found ${kindOf(v)}`);
}

export function str(v: unknown, fn: string): string {
  return typeof v === "string" ? v : fail(fn, "a string", v);
}

export function num(v: unknown, fn: string): number {
  return typeof v === "number" && !Number.isNaN(v) ? v : fail(fn, "a number", v);
}

export function list(v: unknown, fn: string): readonly unknown[] {
  return Array.isArray(v) ? v : fail(fn, "a list", v);
}

export function strList(v: unknown, fn: string): readonly string[] {
  const xs = list(v, fn);
  for (const x of xs) if (typeof x !== "string") fail(fn, "a list of strings", xs);
  return xs as readonly string[];
}

/** An optional literal argument (a zone, a dialect): a string when present. */
export function optStr(v: unknown, fn: string): string | undefined {
  return v === undefined ? undefined : str(v, fn);
}
