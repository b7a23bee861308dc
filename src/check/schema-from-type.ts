/**
 * rplc Type → JSON Schema (draft 2020-12). The runtime validates `args` and `context` with the
 * schema made here, so it must accept exactly the values the Type describes:
 *
 *   string → { type: "string" }                 number → { type: "number" }
 *   bool → { type: "boolean" }                  any → {}
 *   timestamp → { type: "string", format: "date-time" }   (RFC 3339; the runtime converts on read)
 *   duration → { type: "number", format: "duration", description }   (milliseconds, as at run time)
 *   "a" | "b" → { type: "string", enum: ["a", "b"] }
 *   list<T> → { type: "array", items: T }       map<T> → { type: "object", additionalProperties: T }
 *   { a: T, b?: U } → { type: "object", properties: { a: T, b: U }, required: ["a"] }
 *
 * Objects are open: `additionalProperties` is left out, so a request may carry fields the
 * declaration does not name (agent tools often send extra arguments; a closed schema would turn a
 * harmless client change into a BLOCK). Policies can only read declared fields.
 *
 * `format: "duration"` is JSON Schema's ISO 8601 format, which applies to strings only; on a number
 * it validates nothing and serves as the marker that maps the schema back to `duration`.
 */
import type { JsonSchema } from "./program.js";
import type { Type } from "./types.js";

export const DIALECT_2020 = "https://json-schema.org/draft/2020-12/schema";
export const DIALECT_07 = "http://json-schema.org/draft-07/schema#";
export const DURATION_DESCRIPTION = "a duration in milliseconds";

export function typeToSchema(t: Type): JsonSchema {
  switch (t.kind) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: "number" };
    case "bool":
      return { type: "boolean" };
    case "timestamp":
      return { type: "string", format: "date-time" };
    case "duration":
      return { type: "number", format: "duration", description: DURATION_DESCRIPTION };
    case "any":
    case "error":
      // A declaration that already produced a diagnostic never reaches the runtime.
      return {};
    case "union":
      return { type: "string", enum: [...t.values] };
    case "list":
      return { type: "array", items: typeToSchema(t.element) };
    case "map":
      return { type: "object", additionalProperties: typeToSchema(t.value) };
    case "object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [name, field] of Object.entries(t.fields)) {
        Object.defineProperty(properties, name, {
          value: typeToSchema(field.type),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        if (!field.optional) required.push(name);
      }
      const schema: JsonSchema = { type: "object", properties };
      if (required.length > 0) schema.required = required;
      return schema;
    }
    case "function":
      // INVARIANT: function types only exist for lambda arguments, never in declarations.
      throw new Error("typeToSchema: a function type has no JSON Schema");
  }
}

/** The schema of a whole declaration (action args, context): the type's schema with its dialect. */
export function declarationSchema(t: Type): JsonSchema {
  return { $schema: DIALECT_2020, ...typeToSchema(t) };
}
