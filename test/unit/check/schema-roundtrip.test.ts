import { fc, test } from "@fast-check/vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { declarationSchema, schemaToType, typeToSchema } from "../../../src/check/schema.js";
import { type FieldInfo, T, type Type } from "../../../src/check/types.js";
import { span } from "../../../src/diagnostics/span.js";

// ajv-formats is CommonJS: depending on the loader its default import is the plugin or the module.
const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (
  a: Ajv2020,
) => void;
const ajv = new Ajv2020({ strict: true, allErrors: false });
addFormats(ajv);

const at = span("p.rplc", 0, 1);
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/** What a value of type `t` is, written independently of the schema mapping. */
function conforms(v: unknown, t: Type): boolean {
  switch (t.kind) {
    case "string":
      return typeof v === "string";
    case "number":
    case "duration":
      return typeof v === "number";
    case "bool":
      return typeof v === "boolean";
    case "timestamp":
      return typeof v === "string" && RFC3339.test(v) && !Number.isNaN(Date.parse(v));
    case "any":
      return true;
    case "union":
      return typeof v === "string" && t.values.includes(v);
    case "list":
      return Array.isArray(v) && v.every((x) => conforms(x, t.element));
    case "map":
      return isObject(v) && Object.values(v).every((x) => conforms(x, t.value));
    case "object":
      return (
        isObject(v) &&
        Object.entries(t.fields).every(([k, f]) =>
          Object.hasOwn(v, k) ? conforms(v[k], f.type) : f.optional,
        )
      );
    default:
      throw new Error(`no values for ${t.kind}`);
  }
}
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const fieldName = fc.constantFrom("a", "b", "sql", "path", "user", "x-y");
const typeArb: fc.Arbitrary<Type> = fc.letrec<{ type: Type }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(T.string, T.number, T.bool, T.duration, T.timestamp, T.any),
    fc.uniqueArray(fc.constantFrom("dev", "prod", "staging", ""), { minLength: 1 }).map((vs) => T.union(vs)),
    tie("type").map((e) => T.list(e)),
    tie("type").map((e) => T.map(e)),
    fc
      .dictionary(fieldName, fc.record({ type: tie("type"), optional: fc.boolean() }), { maxKeys: 4 })
      .map((fields) => T.object(fields as Record<string, FieldInfo>)),
  ),
})).type;

/** Values near the type (mostly conforming, sometimes not) plus arbitrary JSON. */
function valueFor(t: Type): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
  );
  const right = ((): fc.Arbitrary<unknown> => {
    switch (t.kind) {
      case "string":
        return fc.string();
      case "number":
      case "duration":
        return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
      case "bool":
        return fc.boolean();
      case "timestamp":
        return fc
          .date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      case "any":
        return fc.jsonValue();
      case "union":
        return fc.constantFrom(...t.values);
      case "list":
        return fc.array(valueFor(t.element), { maxLength: 3 });
      case "map":
        return fc.dictionary(fc.string({ maxLength: 3 }), valueFor(t.value), { maxKeys: 3 });
      case "object": {
        const entries = Object.entries(t.fields).map(
          ([k, f]) =>
            [k, f.optional ? fc.option(valueFor(f.type), { nil: undefined }) : valueFor(f.type)] as const,
        );
        return fc
          .tuple(
            fc.tuple(...entries.map(([, a]) => a)),
            fc.dictionary(fc.constantFrom("extra", "z"), fc.jsonValue()),
          )
          .map(([vals, extra]) => {
            const o: Record<string, unknown> = { ...extra };
            entries.forEach(([k], i) => {
              if (vals[i] !== undefined) o[k] = vals[i];
            });
            return o;
          });
      }
      default:
        return fc.constant(null);
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

describe("typeToSchema ⇄ schemaToType", () => {
  test.prop([typeArb])("schemaToType inverts typeToSchema without diagnostics", (t) => {
    const back = schemaToType(typeToSchema(t), at);
    expect(back.diagnostics).toEqual([]);
    expect(back.value).toEqual(t);
  });

  test.prop(
    [typeArb.chain((t) => fc.tuple(fc.constant(t), fc.array(valueFor(t), { minLength: 1, maxLength: 8 })))],
    {
      numRuns: 300,
    },
  )("ajv with the type's schema accepts exactly the values of the type", ([t, values]) => {
    const validate = ajv.compile(declarationSchema(t));
    for (const v of values) expect([v, validate(v)]).toEqual([v, conforms(v, t)]);
  });

  it("leaves objects open and lists only required fields", () => {
    const t = T.object({
      sql: { type: T.string, optional: false },
      database: { type: T.string, optional: true },
    });
    expect(typeToSchema(t)).toEqual({
      type: "object",
      properties: { sql: { type: "string" }, database: { type: "string" } },
      required: ["sql"],
    });
    const validate = ajv.compile(typeToSchema(t));
    expect(validate({ sql: "SELECT 1", extra: 1 })).toBe(true);
    expect(validate({ database: "x" })).toBe(false);
  });

  it("writes durations as numbers of milliseconds and timestamps as date-time strings", () => {
    expect(typeToSchema(T.duration)).toMatchObject({ type: "number", format: "duration" });
    expect(typeToSchema(T.timestamp)).toEqual({ type: "string", format: "date-time" });
    expect(typeToSchema(T.union(["b", "a"]))).toEqual({ type: "string", enum: ["a", "b"] });
    expect(typeToSchema(T.map(T.number))).toEqual({
      type: "object",
      additionalProperties: { type: "number" },
    });
    expect(typeToSchema(T.any)).toEqual({});
  });

  it("keeps a field named __proto__ as a field", () => {
    const fields = Object.create(null) as Record<string, FieldInfo>;
    Object.defineProperty(fields, "__proto__", {
      value: { type: T.string, optional: false },
      enumerable: true,
    });
    const schema = typeToSchema(T.object(fields));
    expect(Object.keys(schema.properties as object)).toEqual(["__proto__"]);
    const back = schemaToType(JSON.parse(JSON.stringify(schema)), at).value;
    expect(back.kind === "object" && Object.hasOwn(back.fields, "__proto__")).toBe(true);
  });
});
