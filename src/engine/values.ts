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

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}

/** The number of `n` decimal digits at `i`, or -1. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * An RFC 3339 date-time (`2026-11-24T10:00:00Z`, `…t10:00:00.5+01:00`, a space for `T`) →
 * epoch milliseconds, or undefined when it is not one. Hand-written (no regular expression, no
 * Date object until the end): every request without a cached time goes through it.
 */
export function parseTime(s: string): number | undefined {
  if (s === lastText) return lastTime;
  const t = scanTime(s, true);
  lastText = s;
  lastTime = t;
  return t;
}

/** The last string parseTime parsed and its result: a runtime fills in the same time for every request of a millisecond. */
let lastText = "";
let lastTime: number | undefined;

/** Whether `s` is an RFC 3339 date-time (parseTime without the arithmetic, and without a number to allocate). */
export function isTime(s: string): boolean {
  if (s === lastChecked) return lastValid;
  lastValid = scanTime(s, false) !== undefined;
  lastChecked = s;
  return lastValid;
}

let lastChecked = "";
let lastValid = false;

/** parseTime when `value`, else 0 for a date-time (undefined for anything else either way). */
function scanTime(s: string, value: boolean): number | undefined {
  const n = s.length;
  if (n < 20 || n > 40) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const sep = s.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    // Second 60 is a leap second; it counts as the last millisecond of its minute.
    second < 0 ||
    second > 60 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      if (i - start < 3) ms = ms * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    const count = i - start;
    if (count === 0 || count > 9) return undefined;
    for (let k = count; k < 3; k++) ms *= 10;
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return undefined;
  } else if (z === 43 || z === 45) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58 || oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60_000 * (z === 45 ? -1 : 1);
  } else {
    return undefined;
  }
  if (!value) return 0;
  const leap = second === 60;
  const clock = hour * 3_600_000 + minute * 60_000 + (leap ? 59_999 : second * 1000 + ms);
  return daysFromCivil(year, month, day) * 86_400_000 + clock - offset;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`): integer
 * arithmetic instead of `Date.UTC`, which costs more than the rest of `parseTime` together and
 * maps years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Where a request value holds timestamps that must be converted: `"t"` a timestamp, `{ l }` a
 * list, `{ m }` a map, `{ o }` an object's fields. Only paths that lead to a timestamp appear.
 * Plain JSON, so the compiled module embeds it as a literal.
 */
export type TimePlan =
  | "t"
  | { readonly l: TimePlan }
  | { readonly m: TimePlan }
  | { readonly o: Readonly<Record<string, TimePlan>> };

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment of `__proto__` would set the prototype instead of a field.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function pointerSegment(key: string): string {
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
