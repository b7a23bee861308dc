import { describe, expect, it } from "vitest";
import { MAX_DEPTH, MAX_STRING, redactor } from "../../../src/runtime/audit/redact.js";

const AWS_SECRET = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("redactor", () => {
  it("removes the named fields and says which, without touching the caller's request", () => {
    const request = {
      action: "http.request",
      args: { url: "https://x.test", headers: { authorization: "Bearer abc" }, body: "hi" },
      context: { user: { id: "u1", email: "u1@x.test" } },
    };
    const before = structuredClone(request);
    const r = redactor(["args.headers", "context.user.email", "args.missing"])(request);
    expect(r.value).toEqual({
      action: "http.request",
      args: { url: "https://x.test", body: "hi" },
      context: { user: { id: "u1" } },
    });
    expect(r.removed).toEqual(["args.headers", "context.user.email"]);
    expect(request).toEqual(before);
  });

  it("keeps an own __proto__ key as a field of the copy (it is not the copy's prototype)", () => {
    const request = JSON.parse('{"action":"a","args":{"__proto__":{"sql":"DROP TABLE users"},"n":1}}');
    const r = redactor([])(request);
    const args = (r.value as { args: Record<string, unknown> }).args;
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.hasOwn(args, "__proto__")).toBe(true);
    expect(JSON.stringify(r.value)).toBe(
      '{"action":"a","args":{"__proto__":{"sql":"DROP TABLE users"},"n":1}}',
    );
  });

  it("matches any key with `*`, array items included", () => {
    const r = redactor(["args.*.password", "args.list.1"])({
      args: { a: { password: "p1", user: "x" }, b: { password: "p2" }, list: ["keep", "drop", "keep"] },
    });
    expect(r.value).toEqual({ args: { a: { user: "x" }, b: {}, list: ["keep", "[redacted]", "keep"] } });
    expect(r.removed).toEqual(["args.a.password", "args.b.password", "args.list.1"]);
  });

  it("masks secrets in every string and counts them", () => {
    const r = redactor()({ args: { body: `hello ${AWS_SECRET}`, to: ["a@b.c"] } });
    const body = (r.value.args as { body: string }).body;
    expect(body).toContain("[REDACTED:");
    expect(body).not.toContain("wJalrXUtnFEMI");
    expect(r.masked).toBe(1);
    expect(redactor().mask(`x ${AWS_SECRET}`)).not.toContain("wJalrXUtnFEMI");
  });

  it("bounds what one record can hold: long strings are cut, deep nesting replaced", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const r = redactor()({ args: { long: "x".repeat(MAX_STRING + 10), deep } });
    const args = r.value.args as { long: string; deep: unknown };
    expect(args.long.endsWith("…[cut 10 characters]")).toBe(true);
    let depth = 0;
    let node: unknown = args.deep;
    while (typeof node === "object" && node !== null) {
      node = (node as { d: unknown }).d;
      depth++;
    }
    expect(node).toBe("[too deep]");
    expect(depth).toBe(MAX_DEPTH - 2);
  });
});
