/**
 * Requests as untrusted input: the shape (§1), and hostile values a library caller can pass
 * (cycles, deep nesting, huge strings, functions, throwing proxies). Every one ends as a
 * decision with errors, from both engines, in bounded time: never an exception.
 */
import { describe, expect, it } from "vitest";
import { MAX_DEPTH, requestTime, schemaMessage, shapeErrors } from "../../../src/engine/request.js";
import { enginesFor } from "../../conformance/harness.js";

const POLICY = `
action t.x {
  s: string
  meta?: any
  xs?: list<any>
}
on t.x {
  allow short when len(args.s) < 5
  risk long 10 when lower(args.s) != args.s or len(args.s) > 1000
  block meta_y when (args.meta.y ?? 0) == 1
  block deep when has(args.meta) and str(args.meta) == "x"
}
`;
const engines = enginesFor([{ path: "p.rplc", text: POLICY }]);
const T0 = "2026-11-24T10:00:00Z";

async function both(request: unknown) {
  const e = await engines;
  const a = e.interpret(request);
  const b = e.compiled(request);
  expect(b).toEqual(a);
  return a;
}

describe("request shape", () => {
  it("accepts the four fields, args and context objects, an RFC 3339 time", () => {
    expect(shapeErrors({ action: "a" }, 0)).toBeNull();
    expect(shapeErrors({ action: "a", args: {}, context: {}, time: T0 }, 0)).toBeNull();
    expect(shapeErrors({ action: "a", args: undefined, time: undefined }, 0)).toBeNull();
  });

  it("reports each problem with its pointer", () => {
    expect(shapeErrors(Object.create({ action: "inherited" }), 0)).toEqual([
      { message: "/action: is required" },
    ]);
    expect(shapeErrors({ action: "a", args: { f: () => 1 } }, 0)).toEqual([
      { message: "/args/f: must be a JSON value, not a function" },
    ]);
    expect(shapeErrors({ action: "a", context: { n: [1, Number.NaN] } }, 0)).toEqual([
      { message: "/context/n/1: must be a finite number" },
    ]);
    expect(shapeErrors({ action: "a", args: { "a/b": { "~": 10n } } }, 0)).toEqual([
      { message: "/args/a~1b/~0: must be a JSON value, not a bigint" },
    ]);
  });

  it("schema messages name the offending value's pointer", () => {
    expect(
      schemaMessage({ instancePath: "/a", keyword: "type", params: {}, message: "must be string" }, "/args"),
    ).toBe("/args/a: must be string");
    expect(
      schemaMessage({ instancePath: "", keyword: "required", params: { missingProperty: "x/y" } }, "/args"),
    ).toBe("/args/x~1y: is required");
    expect(
      schemaMessage(
        { instancePath: "/o", keyword: "additionalProperties", params: { additionalProperty: "z" } },
        "/context",
      ),
    ).toBe("/context/o/z: is not allowed");
    const many = Array.from({ length: 12 }, (_, i) => `v${i}`);
    expect(
      schemaMessage({ instancePath: "/e", keyword: "enum", params: { allowedValues: many } }, "/args"),
    ).toBe(
      `/args/e: must be one of ${many
        .slice(0, 10)
        .map((v) => `"${v}"`)
        .join(", ")}, …`,
    );
  });
});

describe("requestTime", () => {
  it("is the request's time, the clock's when it has none, NaN when it is not RFC 3339", () => {
    expect(requestTime({ action: "a", time: "2026-11-24T10:00:00Z" })).toBe(Date.UTC(2026, 10, 24, 10));
    expect(requestTime({ action: "a" }, () => 42)).toBe(42);
    expect(requestTime({ action: "a", time: undefined }, () => 42)).toBe(42);
    expect(requestTime({ action: "a", time: "yesterday" })).toBeNaN();
    expect(requestTime({ action: "a", time: 5 })).toBeNaN();
  });

  it("without a clock (a policy that never reads now) is 0 or NaN: it only checks the time", () => {
    expect(requestTime({ action: "a", time: "2026-11-24T10:00:00Z" }, null)).toBe(0);
    expect(requestTime({ action: "a" }, null)).toBe(0);
    expect(requestTime({ action: "a", time: "2026-13-01T00:00:00Z" }, null)).toBeNaN();
    expect(requestTime({ action: "a", time: ["x"] }, null)).toBeNaN();
  });
});

describe("hostile requests end as error decisions, identical from both engines", () => {
  it("a cyclic object", async () => {
    const meta: Record<string, unknown> = {};
    meta.self = meta;
    const d = await both({ action: "t.x", args: { s: "a", meta }, time: T0 });
    expect(d.decision).toBe("BLOCK");
    expect(d.matched).toEqual([]);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]?.message).toMatch(
      /^\/args\/meta(\/self)+: nested deeper than 128 levels \(or cyclic\)$/,
    );
  });

  it("10,000 levels of nesting", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const started = performance.now();
    const d = await both({ action: "t.x", args: { s: "a", xs: [deep] }, time: T0 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(d.errors[0]?.message).toBe(
      `/args/xs${"/0".repeat(MAX_DEPTH - 2)}: nested deeper than 128 levels (or cyclic)`,
    );
  });

  it("nesting just within the limit is evaluated", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DEPTH - 3; i++) deep = { y: deep };
    const d = await both({ action: "t.x", args: { s: "a", meta: deep }, time: T0 });
    expect(d.errors).toEqual([]);
    expect(d.matched.map((m) => m.rule)).toEqual(["short"]);
  });

  it("a 10 MB string", async () => {
    const s = "A".repeat(10 * 1024 * 1024);
    const started = performance.now();
    const d = await both({ action: "t.x", args: { s }, time: T0 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(d).toMatchObject({ decision: "ALLOW", score: 10, errors: [] });
  });

  it("functions, symbols and non-finite numbers", async () => {
    const d = await both({ action: "t.x", args: { s: "a", meta: { f: Symbol("x") } }, time: T0 });
    expect(d.errors).toEqual([{ message: "/args/meta/f: must be a JSON value, not a symbol" }]);
    const inf = await both({ action: "t.x", args: { s: "a", meta: Number.POSITIVE_INFINITY }, time: T0 });
    expect(inf.errors).toEqual([{ message: "/args/meta: must be a finite number" }]);
  });

  it("a proxy that throws and a throwing getter", async () => {
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    const d = await both({ action: "t.x", args: { s: "a", meta: trap }, time: T0 });
    expect(d).toMatchObject({
      decision: "BLOCK",
      matched: [],
      errors: [{ message: "internal error: trap" }],
    });
    const getter = {
      get action(): string {
        throw new Error("getter");
      },
    };
    const g = await both(getter);
    expect(g).toMatchObject({ decision: "BLOCK", errors: [{ message: "internal error: getter" }] });
  });

  it("a request without time is decided at the current time", async () => {
    const d = await both({ action: "t.x", args: { s: "a" } });
    expect(d.decision).toBe("ALLOW");
  });
});
