import type { Type } from "../../../src/check/types.js";
import type { NativeFunction, SignatureResult } from "../../../src/natives/spec.js";
import { lookupNative } from "../../../src/natives/table.js";

export function native(name: string): NativeFunction {
  const fn = lookupNative(name);
  if (fn === undefined) throw new Error(`no native ${name}`);
  return fn;
}

/** Call a native's implementation as the engine does. */
export function call(name: string, ...args: unknown[]): unknown {
  return (native(name).impl as (...a: unknown[]) => unknown)(...args);
}

export function sig(name: string, ...args: Type[]): SignatureResult {
  return native(name).signature(args);
}

/** The thrown error's class name and message, or "no error". */
export function thrown(f: () => unknown): string {
  try {
    f();
    return "no error";
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}
