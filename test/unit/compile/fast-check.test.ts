/**
 * The fast request checks (src/compile/fast-check.ts) against the full checks they stand in for:
 * the walk of step 1 and the ajv validator. For any value, a fast check that says yes must mean the
 * full checks say yes (else a bad request would be decided on); for a JSON value (what a request
 * parsed from JSON holds) the two must agree exactly (else valid requests take the slow path).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DIALECT_2020 } from "../../../src/check/schema-from-type.js";
import { fastCheck } from "../../../src/compile/fast-check.js";
import { Hoist } from "../../../src/compile/js-printer.js";
import { validatorFor } from "../../../src/compile/validators.js";
import { clean, MAX_DEPTH, walkErrors } from "../../../src/engine/request.js";
import { __runtime } from "../../../src/engine/runtime.js";

type Schema = Record<string, unknown>;

/** The fast check of `schema` as a function, or null when it has none. */
function fast(schema: Schema): ((v: unknown) => boolean) | null {
  const hoist = new Hoist();
  const lines = fastCheck(schema, "T0", hoist);
  if (lines === null) return null;
  const body = [...hoist.lines, ...lines, "return T0;"].join("\n");
  const make = new Function("rt", "clean", "HOP", "PIE", `"use strict";\n${body}`);
  return make(__runtime, clean, Object.prototype.hasOwnProperty, Object.prototype.propertyIsEnumerable);
}

/** The full checks: the walk (as of `args`) and ajv with the engines' options. */
function full(schema: Schema): (v: unknown) => boolean {
  const validator = validatorFor(schema);
  return (v) => walkErrors(v, {}) === null && validator(v);
}

const obj = (properties: Schema, required: string[] = [], extra: Schema = {}): Schema => ({
  $schema: DIALECT_2020,
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
  ...extra,
});

const PAY = obj(
  {
    amount: { type: "number" },
    to: { type: "array", items: { type: "string" } },
    note: { type: "string" },
    env: { type: "string", enum: ["dev", "production"] },
    at: { type: "string", format: "date-time" },
    wait: { type: "number", format: "duration", description: "a duration in milliseconds" },
    meta: {},
  },
  ["amount", "to", "env"],
);

describe("fast checks: what they accept and refuse", () => {
  const check = fast(PAY);
  const ok = { amount: 5, to: ["a"], env: "dev" };
  it("accept a valid value, with extra fields of any JSON value", () => {
    expect(check?.(ok)).toBe(true);
    expect(
      check?.({ ...ok, note: "n", at: "2026-11-24T10:00:00Z", wait: 5, meta: [{ a: null }], x: { y: [1] } }),
    ).toBe(true);
    expect(check?.({ ...ok, note: undefined })).toBe(true); // undefined: absent, to ajv and the walk
  });

  it("refuse what the walk or ajv refuses", () => {
    const bad: unknown[] = [
      { to: ["a"], env: "dev" }, // a required field missing
      { ...ok, amount: undefined }, // undefined is missing
      { ...ok, amount: "5" },
      { ...ok, amount: Number.NaN }, // ajv takes NaN as a number; the walk does not
      { ...ok, amount: Number.POSITIVE_INFINITY },
      { ...ok, to: "a" },
      { ...ok, to: ["a", 1] },
      { ...ok, env: "prod" },
      { ...ok, at: "2026-13-01T00:00:00Z" },
      { ...ok, note: 1 },
      { ...ok, x: () => 1 }, // an extra field the walk rejects
      { ...ok, x: { y: Number.NaN } },
      { ...ok, x: 1n },
      [],
      null,
      "x",
    ];
    const slow = full(PAY);
    for (const v of bad) {
      expect(
        slow(v),
        JSON.stringify(v, (_, x) => (typeof x === "bigint" ? "1n" : x)),
      ).toBe(false);
      expect(check?.(v)).toBe(false);
    }
  });

  it("refuse, conservatively, what they cannot see as the full checks do", () => {
    // A declared field that is own but not enumerable: ajv reads it; the loop does not see it.
    const hidden = { ...ok };
    Object.defineProperty(hidden, "note", { value: 5, enumerable: false });
    expect(full(PAY)(hidden)).toBe(false);
    expect(check?.(hidden)).toBe(false);
    const hiddenRequired = { to: ["a"], env: "dev" };
    Object.defineProperty(hiddenRequired, "amount", { value: 5, enumerable: false });
    expect(check?.(hiddenRequired)).toBe(false);
    // A list with a hole: ajv sees undefined where a string must be.
    // biome-ignore lint/suspicious/noSparseArray: a hole on purpose
    expect(check?.({ ...ok, to: [, "a"] })).toBe(false);
    // A cycle in an extra field: the walk's depth limit.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(check?.({ ...ok, x: cyclic })).toBe(false);
  });

  it("never read the prototype: inherited fields are not there", () => {
    const inherited = Object.assign(Object.create({ amount: "not a number", x: () => 1 }), {
      to: ["a"],
      env: "dev",
    });
    expect(full(PAY)(inherited)).toBe(false); // amount is missing
    expect(check?.(inherited)).toBe(false);
    const shadowed = Object.assign(Object.create({ note: 1, y: () => 1 }), ok);
    expect(full(PAY)(shadowed)).toBe(true);
    expect(check?.(shadowed)).toBe(true);
    const proto = JSON.parse('{"amount": 1, "to": [], "env": "dev", "__proto__": {"note": 1}}');
    expect(check?.(proto)).toBe(full(PAY)(proto));
    expect(check?.(proto)).toBe(true);
  });

  it("count depth as the walk does", () => {
    const nested = (n: number): unknown => (n === 0 ? 1 : { a: nested(n - 1) });
    const s = obj({}, [], {});
    // args is at depth 1: an extra field holds objects down to depth MAX_DEPTH - 1.
    for (const n of [MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH]) {
      const v = { x: nested(n) };
      expect(fast(s)?.(v), `nesting ${n}`).toBe(full(s)(v));
    }
    expect(full(s)({ x: nested(MAX_DEPTH - 2) })).toBe(true);
    expect(full(s)({ x: nested(MAX_DEPTH - 1) })).toBe(false);
  });

  it("property names are data, never code", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
    const names = ['a"b', "x\n}); globalThis.pwned = 1; (() => {", "constructor", "line\u2028sep", "${x}"];
    const s = obj(Object.fromEntries(names.map((n) => [n, { type: "string" }])), names);
    const check = fast(s);
    const v = Object.fromEntries(names.map((n) => [n, "v"]));
    expect(check?.(v)).toBe(true);
    expect(check?.({ ...v, constructor: 1 })).toBe(false);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it("no fast check for a schema outside the subset: the module runs the full checks", () => {
    const outside: Schema[] = [
      obj({ a: { type: "string", pattern: "^x" } }),
      obj({ a: { type: ["string", "null"] } }),
      obj({ a: { $ref: "#/$defs/x" } }),
      obj({ a: { type: "array", items: [{ type: "string" }] } }),
      obj({ a: { type: "number", enum: [1, 2] } }),
      obj({ a: { type: "string", format: "email" } }),
      obj({ a: { type: "object", minProperties: 1 } }),
      obj({ a: { enum: ["x"] } }),
      obj({ a: false }),
      obj({ a: { type: "string" } }, ["b"]),
      obj({}, [], { allOf: [{}] }),
      obj({ ["__proto__"]: { type: "string" } }), // ajv does not check it: a fast check would be stricter
      { $schema: DIALECT_2020, type: "array" },
    ];
    for (const s of outside) expect(fastCheck(s, "T0", new Hoist()), JSON.stringify(s)).toBeNull();
    let deep: Schema = { type: "string" };
    for (let i = 0; i < MAX_DEPTH; i++) deep = { type: "object", properties: { a: deep } };
    expect(fastCheck(deep, "T0", new Hoist())).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Random schemas of the subset and random values, mostly shaped by the schema.

/** Declared property names; requests' extra keys may also be `__proto__` (see the exclusion above). */
const KEYS = ["a", "b", "c", "constructor", "x y"];
const STRINGS = ["", "a", "dev", "production", "2026-11-24T10:00:00Z", "2026-02-30T10:00:00Z"];

const leaf: fc.Arbitrary<Schema> = fc.constantFrom<Schema>(
  { type: "string" },
  { type: "number" },
  { type: "integer" },
  { type: "boolean" },
  { type: "null" },
  {},
  { type: "string", enum: ["dev", "production"] },
  { type: "string", enum: ["a", "b", "c", "d", "e", "f", "g", "dev"] },
  { type: "string", format: "date-time" },
  { type: "number", format: "duration", description: "ms" },
);

const { schema } = fc.letrec<{ schema: Schema; object: Schema; array: Schema }>((tie) => ({
  schema: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc
    .option(tie("schema"), { nil: undefined })
    .map((items) => (items === undefined ? { type: "array" } : { type: "array", items })),
  object: fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...KEYS), tie("schema"), { maxKeys: 4 }),
      requiredMask: fc.nat(15),
      additional: fc.option(fc.oneof(fc.boolean(), tie("schema")), { nil: undefined }),
    })
    .map(({ properties, requiredMask, additional }) => {
      const s: Schema = { type: "object", properties };
      const required = Object.keys(properties).filter((_, i) => (requiredMask >> i) & 1);
      if (required.length > 0) s.required = required;
      if (additional !== undefined) s.additionalProperties = additional;
      return s;
    }),
}));

const cyclic = (): unknown => {
  const o: Record<string, unknown> = {};
  o.o = o;
  return o;
};

/** Values that are not JSON, or JSON the schema may not expect. */
const odd: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    1.5,
    undefined,
    null,
    () => 1,
    Symbol("s"),
    10n,
    // biome-ignore lint/suspicious/noSparseArray: a hole on purpose
    [, "a"],
  ),
  fc.constant(null).map(cyclic),
  fc.jsonValue({ maxDepth: 2 }),
);

function valueFor(s: unknown, depth = 0): fc.Arbitrary<unknown> {
  const shaped = (() => {
    if (typeof s !== "object" || s === null) return fc.jsonValue({ maxDepth: 2 });
    const t = s as Schema;
    switch (t.type) {
      case "string":
        return Array.isArray(t.enum)
          ? fc.constantFrom(...(t.enum as string[]), "other")
          : fc.constantFrom(...STRINGS);
      case "number":
        return fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double()); // NaN and ±Infinity too
      case "integer":
        return fc.oneof(
          fc.integer({ min: -5, max: 5 }),
          fc.constantFrom(0.5, 2 ** 53, Number.POSITIVE_INFINITY),
        );
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return depth > 4 ? fc.constant([]) : fc.array(valueFor(t.items, depth + 1), { maxLength: 3 });
      case "object": {
        if (depth > 4) return fc.constant({});
        const properties = (t.properties ?? {}) as Schema;
        const names = Object.keys(properties);
        return fc
          .tuple(
            fc.tuple(
              ...names.map((n) => fc.option(valueFor(properties[n], depth + 1), { nil: undefined, freq: 4 })),
            ),
            fc.dictionary(
              fc.constantFrom(...KEYS, "z", "__proto__"),
              valueFor(t.additionalProperties, depth + 1),
              {
                maxKeys: 2,
              },
            ),
          )
          .map(([values, extra]) => {
            const o: Record<string, unknown> = JSON.parse("{}");
            for (const [k, v] of Object.entries(extra))
              Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
            names.forEach((n, i) => {
              if (values[i] !== undefined)
                Object.defineProperty(o, n, {
                  value: values[i],
                  enumerable: true,
                  writable: true,
                  configurable: true,
                });
            });
            return o;
          });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return fc.oneof({ arbitrary: shaped, weight: 12 }, { arbitrary: odd, weight: 1 });
}

// Several values per schema: compiling the schema with ajv is most of the cost.
const cases = schema
  .filter((s) => s.type === "object")
  .chain((s) =>
    fc.tuple(
      fc.constant({ $schema: DIALECT_2020, ...s }),
      fc.array(valueFor(s), { minLength: 8, maxLength: 8 }),
    ),
  );

describe("fast checks against the full checks, on random schemas and values", () => {
  it("yes means yes; on JSON values they agree", () => {
    let accepted = 0;
    let agreedJson = 0;
    fc.assert(
      fc.property(cases, ([s, values]) => {
        const check = fast(s);
        if (check === null) {
          // The one exclusion inside the subset: ajv does not check a property named `__proto__`.
          expect(JSON.stringify(s)).toContain('"__proto__":{');
          return;
        }
        const slow = full(s);
        for (const v of values) {
          if (check(v)) {
            accepted++;
            expect(slow(v)).toBe(true);
          }
          let text: string | undefined;
          try {
            text = JSON.stringify(v);
          } catch {
            continue; // cyclic, bigint: not JSON
          }
          if (text === undefined) continue;
          const json = JSON.parse(text);
          expect(check(json)).toBe(slow(json));
          agreedJson++;
        }
      }),
      { numRuns: 400 },
    );
    // Not vacuous: many values pass the fast check, and most are compared as JSON.
    expect(accepted).toBeGreaterThan(300);
    expect(agreedJson).toBeGreaterThan(2000);
  });
});
