import { describe, expect, it } from "vitest";
import { LruCache, MAX_CACHED_INPUT, memo } from "../../../src/natives/cache.js";
import { thrown } from "./helpers.js";

describe("LruCache", () => {
  it("keeps the recently used half and drops what was not used for a generation", () => {
    const c = new LruCache<string, number>(4); // generations of 2
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1);
    c.set("c", 3); // a new generation: a and b are old
    c.set("d", 4);
    expect(c.get("a")).toBe(1); // used again: a moves to the young generation, b is dropped
    expect(c.has("b")).toBe(false);
    expect([c.has("a"), c.has("c"), c.has("d")]).toEqual([true, true, true]);
    expect(c.size).toBe(3);
  });

  it("a capacity of one holds the last key only", () => {
    const c = new LruCache<string, number>(1);
    c.set("a", 1);
    c.set("b", 2);
    expect([c.has("a"), c.get("b"), c.size]).toEqual([false, 2, 1]);
  });

  it("overwrites without growing", () => {
    const c = new LruCache<string, number>(2);
    c.set("a", 1);
    c.set("a", 2);
    c.set("b", 3);
    expect([c.get("a"), c.get("b"), c.size]).toEqual([2, 3, 2]);
    c.clear();
    expect(c.size).toBe(0);
  });

  it("stays within its capacity", () => {
    const c = new LruCache<number, number>(1000);
    for (let i = 0; i < 5000; i++) c.set(i, i);
    expect(c.size).toBe(1000);
    expect(c.has(3999)).toBe(false);
    expect(c.has(4000)).toBe(true);
  });

  it("refuses a capacity below one", () => {
    expect(thrown(() => new LruCache(0))).toBe("Error: INVARIANT: LRU capacity 0");
  });
});

describe("memo", () => {
  it("computes once per key and skips caching long keys", () => {
    const c = new LruCache<string, number>(10);
    let calls = 0;
    const f = (k: string) => {
      calls++;
      return k.length;
    };
    expect(memo(c, "abc", f)).toBe(3);
    expect(memo(c, "abc", f)).toBe(3);
    expect(calls).toBe(1);
    const long = "x".repeat(MAX_CACHED_INPUT + 1);
    memo(c, long, f);
    memo(c, long, f);
    expect(calls).toBe(3);
    expect(c.size).toBe(1);
  });
});
