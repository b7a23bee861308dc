import { describe, expect, it } from "vitest";
import { prepareRequest } from "../../../src/runtime/prepare.js";

const NOW = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("prepareRequest", () => {
  it("merges the runtime's context under the request's own, key by key", () => {
    const out = prepareRequest(
      { action: "a", args: {}, context: { env: "dev", user: "x" } },
      { env: "production", agent: "bot" },
    ) as Record<string, unknown>;
    expect(out.context).toStrictEqual({ env: "dev", agent: "bot", user: "x" });
  });

  it("fills in the time when the request has none and keeps the request's own", () => {
    const filled = prepareRequest({ action: "a", args: {} }, undefined) as Record<string, unknown>;
    expect(filled.time).toMatch(NOW);
    expect(Object.keys(filled)).toStrictEqual(["action", "args", "time"]);
    const kept = prepareRequest(
      { action: "a", args: {}, time: "2026-01-01T00:00:00Z" },
      {
        env: "dev",
      },
    ) as Record<string, unknown>;
    expect(kept).toStrictEqual({
      action: "a",
      args: {},
      context: { env: "dev" },
      time: "2026-01-01T00:00:00Z",
    });
  });

  it("never changes what the caller passed", () => {
    const request = { action: "a", args: { n: 1 }, context: { env: "dev" } };
    const context = { agent: "bot" };
    prepareRequest(request, context);
    expect(request).toStrictEqual({ action: "a", args: { n: 1 }, context: { env: "dev" } });
    expect(context).toStrictEqual({ agent: "bot" });
  });

  it("passes a context that is not an object on, for the shape check to refuse", () => {
    const out = prepareRequest({ action: "a", args: {}, context: "prod" }, { env: "dev" });
    expect((out as Record<string, unknown>).context).toBe("prod");
  });

  it("keeps unknown fields and a missing action as they are (the shape check names them)", () => {
    const extra = prepareRequest({ action: "a", args: {}, principal: "p" }, { env: "dev" });
    expect(extra).toMatchObject({ action: "a", principal: "p", context: { env: "dev" } });
    const noAction = prepareRequest({ args: {} }, undefined) as Record<string, unknown>;
    expect(Object.hasOwn(noAction, "action")).toBe(false);
    const numberAction = prepareRequest({ action: 7, args: {} }, undefined);
    expect((numberAction as Record<string, unknown>).action).toBe(7);
  });

  it("reads only the request's own keys, and a __proto__ key stays a plain key", () => {
    const inherited = Object.create({ context: { env: "production" }, time: "2020-01-01T00:00:00Z" });
    inherited.action = "a";
    inherited.args = {};
    const out = prepareRequest(inherited, { env: "dev" }) as Record<string, unknown>;
    expect(out.context).toStrictEqual({ env: "dev" });
    expect(out.time).toMatch(NOW);

    const hostile = JSON.parse(
      '{"action":"a","args":{},"__proto__":{"polluted":true},"context":{"__proto__":{"p":1}}}',
    );
    const safe = prepareRequest(hostile, { env: "dev" }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(safe.context)).toBe(Object.prototype);
    expect(Object.hasOwn(safe, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("passes anything that is not an object on unchanged", () => {
    expect(prepareRequest(null, { env: "dev" })).toBeNull();
    expect(prepareRequest("x", undefined)).toBe("x");
    const list = [1];
    expect(prepareRequest(list, undefined)).toBe(list);
  });
});
