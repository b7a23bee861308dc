import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { isTime, parseTime } from "../../../src/engine/time.js";
import {
  convertTimes,
  entry,
  eq,
  get,
  index,
  isIn,
  need,
  RuntimeFault,
  timePlan,
} from "../../../src/engine/values.js";

describe("own-property reads", () => {
  it("never read the prototype chain", () => {
    const o = JSON.parse('{"a": 1, "__proto__": 2}') as Record<string, unknown>;
    expect(get(o, "a")).toBe(1);
    expect(get(o, "__proto__")).toBe(2);
    expect(get({}, "constructor")).toBeUndefined();
    expect(get({}, "__proto__")).toBeUndefined();
    expect(get(Object.create({ inherited: 1 }), "inherited")).toBeUndefined();
    expect(get([1], "length")).toBeUndefined();
    expect(get("str", "length")).toBeUndefined();
    expect(() => need({}, "toString")).toThrow('missing field "toString"');
    expect(() => entry({}, "constructor")).toThrow('missing map key "constructor"');
  });

  it("a key quoted in a message is cut to a readable length", () => {
    expect(() => entry({}, "k".repeat(1000))).toThrow(/"k{64}…"/);
  });

  it("index: lists by whole numbers in range, maps by keys", () => {
    expect(index([1, 2, 3], 2, false, false, false)).toBe(3);
    expect(() => index([1], 1, false, false, false)).toThrow("index 1 out of range for a list of length 1");
    expect(() => index([1], -1, false, false, false)).toThrow(RuntimeFault);
    expect(() => index([1], 0.5, false, false, false)).toThrow(RuntimeFault);
    expect(index({ k: 1 }, "k", false, false, false)).toBe(1);
    expect(index({}, "k", true, false, false)).toBeUndefined();
    expect(() => index({}, "k", false, true, false)).toThrow('missing field "k"');
    expect(() => index({}, "k", false, false, false)).toThrow('missing map key "k"');
    expect(index(undefined, "k", true, false, true)).toBeUndefined();
  });

  it("== compares JSON values deeply, own keys only", () => {
    expect(eq([1, { a: "x" }], [1, { a: "x" }])).toBe(true);
    expect(eq({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(eq({ a: undefined }, { b: undefined })).toBe(false);
    expect(eq([1], { 0: 1 })).toBe(false);
    expect(eq("1", 1)).toBe(false);
    expect(isIn({ a: [1] }, [{ a: [1] }])).toBe(true);
    expect(() => isIn(1, "not a list")).toThrow(RuntimeFault);
  });
});

describe("time", () => {
  it("parses RFC 3339 date-times to epoch milliseconds", () => {
    expect(parseTime("2026-11-24T10:00:00Z")).toBe(Date.UTC(2026, 10, 24, 10));
    expect(parseTime("2026-11-24T11:30:00+01:30")).toBe(Date.UTC(2026, 10, 24, 10));
    expect(parseTime("2026-11-24t10:00:00.123456z")).toBe(Date.UTC(2026, 10, 24, 10, 0, 0, 123));
    expect(parseTime("2026-11-24 10:00:00.5-00:00")).toBe(Date.UTC(2026, 10, 24, 10, 0, 0, 500));
    expect(parseTime("0001-01-01T00:00:00Z")).toBe(-62135596800000);
    expect(parseTime("2016-12-31T23:59:60Z")).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 999));
    expect(parseTime("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });

  it("remembers only the last string: alternating times and invalid ones stay right", () => {
    for (let i = 0; i < 3; i++) {
      expect(parseTime("2026-11-24T10:00:00Z")).toBe(Date.UTC(2026, 10, 24, 10));
      expect(parseTime("2026-02-30T10:00:00Z")).toBeUndefined();
      expect(parseTime("2026-11-24T10:00:01Z")).toBe(Date.UTC(2026, 10, 24, 10, 0, 1));
      expect(isTime("2026-11-24T10:00:00Z")).toBe(true);
      expect(isTime("2026-02-30T10:00:00Z")).toBe(false);
      expect(isTime("2026-02-28T10:00:00Z")).toBe(true);
      expect(isTime("2026-02-28T10:00:00")).toBe(false);
    }
  });

  it("agrees with Date.parse over the whole range of years, year 0 and leap days included", () => {
    // Year 0 is a leap year; Date.UTC reads years 0–99 as 1900–1999 (1900 is not one).
    for (const t of [
      "0000-02-29T00:00:00Z",
      "0000-03-01T12:34:56.789Z",
      "0004-02-29T23:59:59Z",
      "0099-12-31T23:59:59.999Z",
      "1969-12-31T23:59:59.999Z",
      "2000-02-29T12:00:00+05:30",
      "9999-12-31T23:59:59.999-23:59",
    ]) {
      expect(parseTime(t), t).toBe(Date.parse(t));
    }
    for (let year = 0; year <= 9999; year += 7) {
      const t = `${String(year).padStart(4, "0")}-03-01T00:00:00Z`;
      expect(parseTime(t), t).toBe(Date.parse(t));
    }
  });

  it("rejects everything else", () => {
    for (const bad of [
      "2026-11-24",
      "2026-11-24T10:00:00",
      "2026-13-01T00:00:00Z",
      "2025-02-29T00:00:00Z",
      "2026-11-24T24:00:00Z",
      "2026-11-24T10:60:00Z",
      "2026-11-24T10:00:00+24:00",
      " 2026-11-24T10:00:00Z",
      "2026-11-24T10:00:00Z\n",
      "x".repeat(10_000_000),
    ]) {
      expect(parseTime(bad)).toBeUndefined();
    }
  });

  it("converts the timestamps a type says are there, and nothing else", () => {
    // fromEntries makes `__proto__` an own key (an object literal would set the prototype).
    const type = T.object(
      Object.fromEntries([
        ["at", { type: T.timestamp, optional: false }],
        ["list", { type: T.list(T.timestamp), optional: true }],
        ["__proto__", { type: T.map(T.timestamp), optional: true }],
        ["plain", { type: T.string, optional: false }],
      ]),
    );
    const plan = timePlan(type);
    expect(timePlan(T.object({ a: { type: T.string, optional: false } }))).toBeUndefined();
    if (plan === undefined) throw new Error("no plan");
    const input = JSON.parse(
      '{"at":"2026-01-01T00:00:00Z","list":["2026-01-01T00:00:01Z"],"__proto__":{"k":"2026-01-01T00:00:02Z"},"plain":"2026-01-01T00:00:00Z"}',
    ) as Record<string, unknown>;
    const out = convertTimes(input, plan, "/args") as Record<string, unknown>;
    const t0 = Date.UTC(2026, 0, 1);
    expect(out.at).toBe(t0);
    expect(out.list).toEqual([t0 + 1000]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(get(out, "__proto__")).toEqual({ k: t0 + 2000 });
    expect(out.plain).toBe("2026-01-01T00:00:00Z");
    expect(input.at).toBe("2026-01-01T00:00:00Z");
    expect(() => convertTimes({ at: "later" }, plan, "/args")).toThrow(
      "/args/at: must be an RFC 3339 date-time",
    );
  });
});
