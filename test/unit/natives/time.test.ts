import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import {
  checkTimeZone,
  formatDuration,
  formatTime,
  hourOf,
  wallClock,
  weekdayOf,
} from "../../../src/natives/time.js";
import { call, native, sig, thrown } from "./helpers.js";

const at = (iso: string) => Date.parse(iso);

describe("hour and weekday", () => {
  it.each([
    // [instant, zone, hour, weekday]
    ["2026-11-24T10:00:00Z", undefined, 10, 2],
    ["2026-11-24T10:00:00Z", "Europe/Berlin", 11, 2], // CET, +01:00
    ["2026-07-01T10:00:00Z", "Europe/Berlin", 12, 3], // CEST, +02:00
    ["2026-11-24T23:30:00Z", "Asia/Tokyo", 8, 3], // next day
    ["2026-11-24T02:00:00Z", "America/Los_Angeles", 18, 1], // previous day
    ["2026-03-29T00:59:59Z", "Europe/Berlin", 1, 0], // just before the spring-forward gap
    ["2026-03-29T01:00:00Z", "Europe/Berlin", 3, 0], // 02:00 does not exist
    ["2026-11-22T00:00:00Z", "UTC", 0, 0], // Sunday midnight
    ["2026-11-28T23:59:59Z", "UTC", 23, 6], // Saturday
    ["2026-11-24T10:00:00Z", "Asia/Kolkata", 15, 2], // half-hour offset
  ])("%s in %s: hour %i, weekday %i", (iso, zone, hour, weekday) => {
    const t = at(iso);
    expect(call("hour", t, zone)).toBe(hour);
    expect(call("weekday", t, zone)).toBe(weekday);
  });

  it("reads dates before 1970 and far in the future", () => {
    expect(wallClock(at("1969-12-31T23:00:00Z"), "Europe/Berlin")).toMatchObject({ year: 1970, hour: 0 });
    expect(wallClock(at("2300-01-01T12:00:00Z"), "America/New_York")).toMatchObject({ year: 2300, hour: 7 });
  });

  const ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
  ];
  const direct = (t: number, zone: string) => {
    const f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      hour: "numeric",
      weekday: "short",
    });
    const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return {
      hour: Number(parts.hour),
      weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? ""),
    };
  };

  test.prop([fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(...ZONES)], { numRuns: 2000 })(
    "agrees with Intl at any instant, transitions included",
    (t, zone) => {
      const w = wallClock(t, zone);
      expect({ hour: w.hour, weekday: w.weekday }).toEqual(direct(t, zone));
    },
  );

  // hour and weekday compute what wallClock gives without making Dates: the same fields, the same
  // errors, for any number (fractions, negatives, the ends of the Date range, beyond it, NaN).
  const anyTime = fc.oneof(
    fc.integer({ min: -8.64e15, max: 8.64e15 }),
    fc.double({ min: -8.7e15, max: 8.7e15 }),
    fc.constantFrom(
      8.64e15,
      -8.64e15,
      8.64e15 + 1,
      -8.64e15 - 0.5,
      0,
      -0,
      -1,
      0.5,
      -0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ),
  );
  const outcome = (f: () => number) => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  test.prop([anyTime, fc.constantFrom(undefined, "UTC", ...ZONES)], { numRuns: 3000 })(
    "hourOf and weekdayOf agree with wallClock",
    (t, zone) => {
      const w = outcome(() => wallClock(t, zone).hour);
      expect(outcome(() => hourOf(t, zone))).toEqual(w);
      expect(outcome(() => weekdayOf(t, zone))).toEqual(outcome(() => wallClock(t, zone).weekday));
    },
  );

  it("agrees with Intl on every minute around a DST change", () => {
    const start = at("2026-10-25T00:00:00Z");
    for (let t = start; t < start + 3 * 3_600_000; t += 60_000) {
      const w = wallClock(t, "Europe/Berlin");
      expect({ hour: w.hour, weekday: w.weekday }).toEqual(direct(t, "Europe/Berlin"));
    }
  });

  it("checks the zone literal at compile time", () => {
    const hour = native("hour");
    expect(hour.literalArgs).toEqual([1]);
    expect(hour.checkLiteral?.(1, "Europe/Berlin")).toBeUndefined();
    expect(hour.checkLiteral?.(1, "Europe/Berln")).toBe(
      "unknown time zone `Europe/Berln`: use an IANA name such as `Europe/Berlin`",
    );
    expect(checkTimeZone("Mars/Olympus")).toBeDefined();
    expect(thrown(() => call("hour", 0, "Nowhere/Land"))).toBe(
      "NativeError: unknown time zone `Nowhere/Land`",
    );
    expect(thrown(() => call("hour", Number.NaN))).toBe("NativeError: `hour` expected a number, found NaN");
  });

  it("reads the ends of the Date range, and refuses instants or local times beyond them", () => {
    // 8.64e15 ms is exactly 100,000,000 days after the epoch: midnight, a Saturday.
    expect([call("hour", 8.64e15), call("weekday", 8.64e15)]).toEqual([0, 6]);
    expect([call("hour", -8.64e15, "UTC"), call("weekday", -8.64e15)]).toEqual([0, 2]);
    expect(thrown(() => call("hour", 8.64e15 + 1))).toBe(
      "NativeError: timestamp `8640000000000001` is out of range",
    );
    // In range in UTC, but the zone's offset is read for the instant's whole quarter hour, which
    // ends past the range: refused too (the message names that quarter hour's last instant).
    expect(thrown(() => call("weekday", 8.64e15, "Asia/Tokyo"))).toMatch(
      /^NativeError: timestamp `86400000\d{8}` is out of range$/,
    );
    expect(thrown(() => wallClock(-8.64e15 - 1, undefined))).toBe(
      "NativeError: timestamp `-8640000000000001` is out of range",
    );
  });

  it("types", () => {
    expect(sig("hour", T.timestamp)).toEqual({ ok: true, result: T.number });
    expect(sig("weekday", T.timestamp, T.string)).toEqual({ ok: true, result: T.number });
    expect(sig("hour", T.number)).toEqual({
      ok: false,
      message: "expected `timestamp`, found `number`",
      arg: 0,
    });
    expect(sig("hour", T.duration).ok).toBe(false);
    expect(native("hour").arity).toEqual([1, 2]);
  });
});

describe("format_time and format_duration", () => {
  it.each([
    ["2026-11-24T10:00:00Z", undefined, "2026-11-24T10:00:00Z"],
    ["2026-11-24T10:00:00.250Z", undefined, "2026-11-24T10:00:00.250Z"],
    ["2026-11-24T10:00:00Z", "Europe/Berlin", "2026-11-24T11:00:00+01:00"],
    ["2026-07-01T10:00:00Z", "America/New_York", "2026-07-01T06:00:00-04:00"],
    ["2026-11-24T10:00:00Z", "Asia/Kolkata", "2026-11-24T15:30:00+05:30"],
    ["2026-11-24T10:00:00Z", "Etc/UTC", "2026-11-24T10:00:00Z"],
  ])("%s in %s is %s", (iso, zone, text) => {
    expect(formatTime(at(iso), zone)).toBe(text);
    expect(call("format_time", at(iso), zone)).toBe(text);
  });

  it("round-trips through Date.parse", () => {
    for (const iso of ["2026-02-28T23:59:59.999Z", "1999-12-31T00:00:00Z"]) {
      for (const zone of [undefined, "Europe/Berlin", "Pacific/Chatham"]) {
        expect(Date.parse(formatTime(at(iso), zone))).toBe(at(iso));
      }
    }
  });

  it.each([
    [0, "0s"],
    [500, "500ms"],
    [1500, "1500ms"],
    [30_000, "30s"],
    [90_000, "90s"],
    [1_800_000, "30m"],
    [3_600_000, "1h"],
    [5_400_000, "90m"],
    [86_400_000 * 7, "7d"],
    [-1_800_000, "-30m"],
    [0.5, "0.5ms"],
  ])("format_duration(%d) is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("types and rejects a non-finite duration", () => {
    expect(sig("format_duration", T.duration)).toEqual({ ok: true, result: T.string });
    expect(sig("format_duration", T.number)).toEqual({
      ok: false,
      message: "expected `duration`, found `number`",
      arg: 0,
    });
    expect(sig("format_time", T.timestamp, T.string)).toEqual({ ok: true, result: T.string });
    expect(thrown(() => formatDuration(Number.POSITIVE_INFINITY))).toBe(
      "NativeError: duration `Infinity` is not finite",
    );
  });
});
