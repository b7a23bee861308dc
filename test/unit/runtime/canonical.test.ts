import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approvalDigest, CanonicalError, canonicalize } from "../../../src/runtime/canonical.js";

describe("canonicalize (RFC 8785 style)", () => {
  it("sorts keys by UTF-16 code units and writes no whitespace", () => {
    expect(canonicalize({ b: 1, a: [true, null, "x"], A: {} })).toBe('{"A":{},"a":[true,null,"x"],"b":1}');
    // U+20AC (€) sorts before U+1F600 (😀, surrogates D83D…) in UTF-16 although not in code points.
    expect(canonicalize({ "😀": 1, "€": 2, "\r": 3 })).toBe('{"\\r":3,"€":2,"😀":1}');
  });

  it("writes numbers and strings as ECMAScript JSON does (the RFC's own examples)", () => {
    expect(canonicalize([1e21, 1e-7, 0.1 + 0.2, -0, 333333333.3333333, 4.5])).toBe(
      "[1e+21,1e-7,0.30000000000000004,0,333333333.3333333,4.5]",
    );
    expect(canonicalize('\u2028\u0001"\\')).toBe('"\u2028\\u0001\\"\\\\"');
  });

  it("leaves out undefined fields, turns undefined array items into null, and refuses what JSON cannot hold", () => {
    expect(canonicalize({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(() => canonicalize({ n: Number.NaN })).toThrow(CanonicalError);
    expect(() => canonicalize({ n: Infinity })).toThrow("/n: Infinity is not a JSON number");
    expect(() => canonicalize({ f: () => 1 })).toThrow(CanonicalError);
    expect(() => canonicalize(10n)).toThrow(CanonicalError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow("refers to itself");
  });

  it("does not depend on key order, and reads back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalize(v);
        expect(canonicalize(JSON.parse(c))).toBe(c);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
        if (typeof v === "object" && v !== null && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(canonicalize(reversed)).toBe(c);
        }
      }),
    );
  });
});

describe("approvalDigest", () => {
  const request = {
    action: "db.query",
    args: { sql: "DELETE FROM users WHERE id = 1" },
    context: { env: "production" },
  };
  const d = approvalDigest(request, "sha256:p");

  it("ignores the request's time and key order", () => {
    expect(d).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(approvalDigest({ ...request, time: "2026-01-01T00:00:00Z" }, "sha256:p")).toBe(d);
    expect(
      approvalDigest({ context: request.context, args: request.args, action: request.action }, "sha256:p"),
    ).toBe(d);
  });

  it("changes with any argument, the context, the action or the policy", () => {
    expect(
      approvalDigest({ ...request, args: { sql: "DELETE FROM users WHERE id = 2" } }, "sha256:p"),
    ).not.toBe(d);
    expect(approvalDigest({ ...request, context: { env: "dev" } }, "sha256:p")).not.toBe(d);
    expect(approvalDigest({ ...request, action: "db.exec" }, "sha256:p")).not.toBe(d);
    expect(approvalDigest(request, "sha256:q")).not.toBe(d);
    expect(approvalDigest({ ...request, args: { ...request.args, extra: undefined } }, "sha256:p")).toBe(d);
  });
});
