/**
 * Runtime values (check/types.ts has the representation) and the few operations on them that
 * the interpreter and the compiled module share, so both read requests the same way:
 *
 * - Reads are own-property reads only (`Object.hasOwn`): `args.headers["constructor"]` is absent
 *   unless the request has that key. The prototype chain is never consulted.
 * - "Absent" is `undefined` (a field or key the object does not have); `has(x)` and `x ?? d` also
 *   treat JSON `null` as absent.
 * - Timestamps are epoch milliseconds; request fields of type timestamp are RFC 3339 strings,
 *   converted once when the request is prepared (see `TimePlan`).
 */
import type { Type } from "../check/types.js";
import { parseTime } from "./time.js";

/** A runtime error in a policy expression: recorded in `errors`, the decision falls to `on_error`. */
export class RuntimeFault extends Error {
  override readonly name = "RuntimeFault";
}

/** Longest user value quoted into an error message. */
const QUOTE_LIMIT = 64;

/** A value quoted for an error message: JSON, cut to a readable length. */
export function quote(value: string): string {
  const cut = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(cut);
}

/** A plain JSON-like object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `Object.prototype.hasOwnProperty`, for `HOP.call(o, key)`: V8 (Node 20) optimizes that call (inside
 * `for…in` it becomes a map check) and not `Object.hasOwn(o, key)`, which is about twice as slow, and
 * made the walk of a request three times slower. Each hot module keeps its own constant: through an
 * imported binding V8 does not optimize the call (engine/request.ts).
 */
const HOP = Object.prototype.hasOwnProperty;

/** Freeze a value and everything in it (the rule tables; the shared decision of finalize.ts). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else for (const key in value) if (HOP.call(value, key)) deepFreeze(value[key]);
  }
  return value;
}

/**
 * Freeze a rule or risk table as the emitter writes it (`rt.table`): the list, each row, and a row's
 * `approvers` list; every other value in a row is a string or a number. What `deepFreeze` makes of
 * such a table, without its generic walk, which is slow before V8 has optimized anything: for the
 * 1,000 rows of a 1,000-rule module, ~1.1 ms of a cold load against ~0.1 ms.
 */
export function freezeTable<T extends object>(rows: T[]): readonly T[] {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as { readonly approvers?: unknown };
    if (row.approvers !== undefined) Object.freeze(row.approvers);
    Object.freeze(row);
  }
  return Object.freeze(rows);
}

/** An own property of an object, or undefined (absent). Never reads the prototype. */
export function get(object: unknown, key: string): unknown {
  return isObject(object) && HOP.call(object, key) ? object[key] : undefined;
}

/** A field that must be there (`x.f` outside `has`/`??`): absent is a runtime error. */
export function need(object: unknown, key: string): unknown {
  const v = get(object, key);
  if (v === undefined) throw new RuntimeFault(`missing field ${quote(key)}`);
  return v;
}

/** A map entry that must be there (`m[k]` outside `has`/`??`). */
export function entry(map: unknown, key: string): unknown {
  const v = get(map, key);
  if (v === undefined) throw new RuntimeFault(`missing map key ${quote(key)}`);
  return v;
}

/** `need` in an access chain whose object may be absent (under `has`/`??`): absence propagates. */
export function needIn(object: unknown, key: string): unknown {
  return object === undefined ? undefined : need(object, key);
}

/** `entry` in an access chain whose object may be absent. */
export function entryIn(map: unknown, key: string): unknown {
  return map === undefined ? undefined : entry(map, key);
}

/**
 * `x[i]`: a list (or string) element by a whole-number index, or a map entry / object field by a
 * string key. `optional`: inside `has`/`??` (a missing key reads as absent); `field`: the object
 * is an object type (a missing key is a missing field); `absentIn`: the object may itself be
 * absent (then so is the result).
 */
export function index(
  object: unknown,
  i: unknown,
  optional: boolean,
  field: boolean,
  absentIn: boolean,
): unknown {
  if (absentIn && object === undefined) return undefined;
  if (Array.isArray(object) || typeof object === "string") {
    if (typeof i !== "number") throw new RuntimeFault("a list index must be a number");
    return at(object, i);
  }
  if (typeof i !== "string") throw new RuntimeFault("a map key must be a string");
  if (optional) return get(object, i);
  return field ? need(object, i) : entry(object, i);
}

/** A list element: a whole number in range, else a runtime error. */
export function at(list: readonly unknown[] | string, index: number): unknown {
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    const what = typeof list === "string" ? "a string" : "a list";
    throw new RuntimeFault(`index ${index} out of range for ${what} of length ${list.length}`);
  }
  return list[index];
}

/** `a ?? b` and `has(a)`: absent is undefined or JSON null. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function div(a: number, b: number): number {
  if (b === 0) throw new RuntimeFault("division by zero");
  return a / b;
}

/** `a % b`: the remainder with the sign of `a` (JavaScript's `%`). */
export function mod(a: number, b: number): number {
  if (b === 0) throw new RuntimeFault("division by zero");
  return a % b;
}

/** `==` over JSON values: primitives by value, lists element-wise, objects by own keys. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) if (!Object.hasOwn(rb, k) || !eq(ra[k], rb[k])) return false;
  return true;
}

/** `x in xs` (the item is evaluated first: left to right); the list must be a list. */
export function isIn(item: unknown, list: unknown): boolean {
  if (!Array.isArray(list)) throw new RuntimeFault("the right side of `in` must be a list");
  return includes(list, item);
}

/** Whether `list` has an element equal (`==`) to `item`. */
export function includes(list: readonly unknown[], item: unknown): boolean {
  if (typeof item !== "object" || item === null) return list.includes(item);
  for (const x of list) if (eq(x, item)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Time

export type TimePlan =
  | "t"
  | { readonly l: TimePlan }
  | { readonly m: TimePlan }
  | { readonly o: Readonly<Record<string, TimePlan>> };

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment of `__proto__` would set the prototype instead of a field.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A key as one segment of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Convert the timestamps of a validated value (a copy where something changes; the input is
 * never mutated). A string that is not RFC 3339 is a RuntimeFault naming its JSON pointer.
 */
export function convertTimes(value: unknown, plan: TimePlan, pointer: string): unknown {
  if (plan === "t") {
    if (typeof value !== "string") return value;
    const ms = parseTime(value);
    if (ms === undefined) throw new RuntimeFault(`${pointer}: must be an RFC 3339 date-time`);
    return ms;
  }
  if ("l" in plan) {
    if (!Array.isArray(value)) return value;
    return value.map((x, i) => convertTimes(x, plan.l, `${pointer}/${i}`));
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const sub = "m" in plan ? plan.m : Object.hasOwn(plan.o, key) ? plan.o[key] : undefined;
    const v = value[key];
    setOwn(out, key, sub === undefined ? v : convertTimes(v, sub, `${pointer}/${pointerSegment(key)}`));
  }
  return out;
}

/** The conversion plan of a declared type, or undefined when it holds no timestamp. */
export function timePlan(type: Type): TimePlan | undefined {
  switch (type.kind) {
    case "timestamp":
      return "t";
    case "list": {
      const l = timePlan(type.element);
      return l === undefined ? undefined : { l };
    }
    case "map": {
      const m = timePlan(type.value);
      return m === undefined ? undefined : { m };
    }
    case "object": {
      const o: Record<string, TimePlan> = {};
      let any = false;
      for (const [name, field] of Object.entries(type.fields)) {
        const sub = timePlan(field.type);
        if (sub !== undefined) {
          setOwn(o, name, sub);
          any = true;
        }
      }
      return any ? { o } : undefined;
    }
    default:
      return undefined;
  }
}
