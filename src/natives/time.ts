/**
 * Time natives. Timestamps are epoch milliseconds and durations milliseconds (check/types.ts).
 * A time zone is an IANA name given as a string literal, checked at compile time; UTC when absent.
 *
 * `format_duration` and `format_time` exist because `str` cannot tell a duration or a timestamp
 * from a number at run time (natives receive values, not types).
 */
import { T } from "../check/types.js";
import { LruCache } from "./cache.js";
import { num, optStr } from "./guard.js";
import { mismatch, ok, P, simple } from "./sig.js";
import { NativeError, type NativeFunction } from "./spec.js";

/** An error message when `zone` is not a time zone this runtime knows, else undefined. */
export function checkTimeZone(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone \`${zone}\`: use an IANA name such as \`Europe/Berlin\``;
  }
}

const formats = new LruCache<string, Intl.DateTimeFormat>(1000);

function formatIn(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (f === undefined) {
    if (checkTimeZone(zone) !== undefined) throw new NativeError(`unknown time zone \`${zone}\``);
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short",
    });
    formats.set(zone, f);
  }
  return f;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

function checkTime(t: number): Date {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new NativeError(`timestamp \`${t}\` is out of range`);
  return d;
}

/** The wall-clock fields of an instant read in UTC. */
function utcFields(d: Date): WallClock {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** The zone's offset from UTC at `t`, in milliseconds, read from Intl (a few microseconds). */
function exactOffset(zone: string, t: number): number {
  const d = checkTime(t);
  const parts: Record<string, string> = {};
  for (const p of formatIn(zone).formatToParts(d)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const wall = new Date(0);
  wall.setUTCFullYear(parts.era === "BC" ? 1 - year : year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), d.getUTCMilliseconds());
  return wall.getTime() - t;
}

/** Offsets change at most once in a quarter hour, so one lookup serves a whole bucket. */
const BUCKET = 15 * 60_000;
const offsets = new Map<string, LruCache<number, number>>();

function offsetAt(zone: string, t: number): number {
  let cache = offsets.get(zone);
  if (cache === undefined) {
    cache = new LruCache(256);
    offsets.set(zone, cache);
  }
  const bucket = Math.floor(t / BUCKET);
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const first = exactOffset(zone, bucket * BUCKET);
  if (first === exactOffset(zone, bucket * BUCKET + BUCKET - 1)) {
    cache.set(bucket, first);
    return first;
  }
  return exactOffset(zone, t); // a transition inside this quarter hour
}

/** The largest distance from the epoch of a valid time value (ECMAScript TimeClip), in ms. */
const MAX_TIME = 8.64e15;
const DAY = 86_400_000;

/**
 * The time value of `t`'s wall clock in `zone`, read as UTC: what `wallClock`, `hourOf` and
 * `weekdayOf` read their fields from. Throws for a `t`, or a local time, outside the Date range.
 */
function localTime(t: number, zone: string | undefined): number {
  if (!(Math.abs(t) <= MAX_TIME)) throw new NativeError(`timestamp \`${t}\` is out of range`);
  if (zone === undefined || zone === "UTC") return Math.trunc(t);
  const local = t + offsetAt(zone, t);
  if (!(Math.abs(local) <= MAX_TIME)) throw new NativeError(`timestamp \`${local}\` is out of range`);
  return Math.trunc(local);
}

const floorMod = (a: number, n: number) => ((a % n) + n) % n;

/** `wallClock(t, zone).hour`, without the Dates and the object (`hour` is on decisions' path). */
export function hourOf(t: number, zone: string | undefined): number {
  return Math.floor(floorMod(localTime(t, zone), DAY) / 3_600_000);
}

/** `wallClock(t, zone).weekday` (0 = Sunday; 1970-01-01 was a Thursday), likewise. */
export function weekdayOf(t: number, zone: string | undefined): number {
  return floorMod(Math.floor(localTime(t, zone) / DAY) + 4, 7);
}

/** The wall-clock fields of `t` in `zone` (UTC when undefined). */
export function wallClock(t: number, zone: string | undefined): WallClock {
  return utcFields(new Date(localTime(t, zone)));
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** RFC 3339: `2026-11-24T10:00:00Z` in UTC, `2026-11-24T11:00:00+01:00` in a zone; milliseconds only when non-zero. */
export function formatTime(t: number, zone?: string): string {
  const d = checkTime(t);
  const w = wallClock(t, zone);
  const ms = d.getUTCMilliseconds();
  const year = w.year < 0 ? `-${pad(w.year, 6)}` : w.year > 9999 ? `+${pad(w.year, 6)}` : pad(w.year, 4);
  const base = `${year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${ms ? `.${pad(ms, 3)}` : ""}`;
  if (zone === undefined || zone === "UTC") return `${base}Z`;
  const offsetMin = Math.round(offsetAt(zone, t) / 60_000);
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin < 0 ? "-" : "+";
  return `${base}${sign}${pad(Math.trunc(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
}

const UNITS: readonly (readonly [string, number])[] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/** The duration literal that denotes `ms`: the largest unit that divides it (`30m`, `90s`, `1500ms`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new NativeError(`duration \`${ms}\` is not finite`);
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  for (const [unit, size] of UNITS) if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  return `${sign}${abs}ms`;
}

const zoneArg = {
  literalArgs: [1],
  checkLiteral: (index: number, value: string) => (index === 1 ? checkTimeZone(value) : undefined),
} as const;

export const TIME_NATIVES: readonly NativeFunction[] = [
  {
    name: "hour",
    doc: "hour(t: timestamp, tz?: string literal): number — the hour of day, 0–23, in the IANA zone `tz` (UTC when absent)",
    arity: [1, 2],
    signature: simple([P.timestamp, P.string], T.number),
    ...zoneArg,
    impl: (t: unknown, tz?: unknown) => hourOf(num(t, "hour"), optStr(tz, "hour")),
  },
  {
    name: "weekday",
    doc: "weekday(t: timestamp, tz?: string literal): number — the day of the week, 0 = Sunday … 6 = Saturday, in `tz` (UTC when absent)",
    arity: [1, 2],
    signature: simple([P.timestamp, P.string], T.number),
    ...zoneArg,
    impl: (t: unknown, tz?: unknown) => weekdayOf(num(t, "weekday"), optStr(tz, "weekday")),
  },
  {
    name: "format_time",
    doc: "format_time(t: timestamp, tz?: string literal): string — RFC 3339 (`2026-11-24T10:00:00Z`; with `tz`, the local time and its offset)",
    arity: [1, 2],
    signature: simple([P.timestamp, P.string], T.string),
    ...zoneArg,
    impl: (t: unknown, tz?: unknown) => formatTime(num(t, "format_time"), optStr(tz, "format_time")),
  },
  {
    name: "format_duration",
    doc: "format_duration(d: duration): string — the duration as a literal in its largest exact unit (`30m`, `90s`, `1500ms`)",
    arity: [1, 1],
    signature: ([d]) => (d === undefined || P.duration[0](d) ? ok(T.string) : mismatch(P.duration[1], d, 0)),
    impl: (d: unknown) => formatDuration(num(d, "format_duration")),
  },
];
