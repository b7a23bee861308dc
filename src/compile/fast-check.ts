/**
 * Fast request checks: for the JSON Schema of an action's `args` or of the context, a function
 * `T(value)` generated at build time that returns true only when the full checks would find
 * nothing — the walk of step 1 (LANGUAGE.md §3: JSON values, finite numbers, depth) and the ajv
 * validator of step 3. A compiled module calls it first and runs the full checks, which make the
 * error messages, only when it returns false (emit.ts). One walk of the value instead of two, and
 * none of ajv's per-call bookkeeping: the checks are most of a decision's cost.
 *
 * The contract is one-sided: `T(v)` true ⇒ the walk and ajv accept `v`. False may be wrong in
 * either direction — a value the full checks accept still decides correctly, only slower — so
 * anything unusual returns false: a non-enumerable own field, a number that is not finite (the
 * walk rejects it), a hole in a list of a declared element type. A schema outside the subset below gets no fast check
 * (null) and its module always runs the full checks.
 *
 * The subset is what `typeToSchema` makes (check/schema-from-type.ts) plus the same keywords in
 * a hand-written schema file: `type` (one of string, number, integer, boolean, null, array,
 * object), `enum` of strings on a string, `format` "date-time" on a string (the ajv-formats
 * function ajv's own code calls), `format` on a number (ajv applies formats to strings only),
 * `properties`, `required` (naming declared properties), `items` (one schema),
 * `additionalProperties` (absent, a boolean or a schema), and annotations. An empty schema is
 * any JSON value. Objects and lists deeper than the walk's limit get no fast check.
 *
 * Each object schema becomes one function: a `for…in` over the object's own keys, a `switch` on
 * the key with a case per declared property, and the additional-properties check in `default`.
 * Required properties are counted; an optional property the loop did not see must not be an own
 * property at all (a non-enumerable one is not walked). Generated identifiers only: property
 * names appear as `jsString` literals.
 */
import type { JsonSchema } from "../check/program.js";
import { MAX_DEPTH } from "../engine/request.js";
import { type Hoist, jsString } from "./js-printer.js";

const ANNOTATIONS = new Set([
  "$schema",
  "$comment",
  "$id",
  "title",
  "description",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
]);
const KEYWORDS = new Set([
  "type",
  "enum",
  "format",
  "properties",
  "required",
  "items",
  "additionalProperties",
]);

/** Enums longer than this test a hoisted Set instead of a chain of `===`. */
const INLINE_ENUM = 6;

/** The ajv-formats function ajv's standalone code calls for `format: "date-time"`. */
const DATE_TIME = 'rt.ajvRequire("ajv-formats/dist/formats").fullFormats["date-time"]';

class Unsupported extends Error {}

function isSchema(s: unknown): s is JsonSchema {
  return typeof s === "object" && s !== null && !Array.isArray(s);
}

function hasType(s: unknown): boolean {
  return isSchema(s) && s.type !== undefined;
}

class Generator {
  private readonly functions: string[][] = [];

  constructor(
    private readonly id: string,
    private readonly hoist: Hoist,
  ) {}

  /** The module-scope functions, the first of which checks a value of the top schema at `depth`. */
  top(schema: JsonSchema, depth: number): string[] {
    const type = this.keywords(schema);
    if (type !== "object") throw new Unsupported();
    this.object(schema, depth);
    return this.functions.flat();
  }

  /** The schema's validation keywords are all in the subset; returns its `type` (undefined: none). */
  private keywords(s: JsonSchema): string | undefined {
    for (const key of Object.keys(s))
      if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) throw new Unsupported();
    const type = s.type;
    if (type === undefined) {
      // Only `{}` (with annotations): any JSON value.
      if (Object.keys(s).some((k) => KEYWORDS.has(k))) throw new Unsupported();
      return undefined;
    }
    if (typeof type !== "string") throw new Unsupported();
    const allowed: Record<string, readonly string[]> = {
      string: ["enum", "format"],
      number: ["format"],
      integer: ["format"],
      boolean: [],
      null: [],
      array: ["items"],
      object: ["properties", "required", "additionalProperties"],
    };
    const own = allowed[type];
    if (own === undefined) throw new Unsupported();
    for (const key of Object.keys(s))
      if (KEYWORDS.has(key) && key !== "type" && !own.includes(key)) throw new Unsupported();
    return type;
  }

  /**
   * Statements that `return false` unless `v` (a variable) is valid for `s` at `depth` (the depth
   * the walk gives the value: `args` itself is 1). `ind` is the indentation.
   */
  private check(s: unknown, v: string, depth: number, ind: string): string[] {
    if (s === true) return [`${ind}if (!clean(${v}, ${depth})) return false;`];
    if (!isSchema(s)) throw new Unsupported();
    const type = this.keywords(s);
    switch (type) {
      case undefined:
        return [`${ind}if (!clean(${v}, ${depth})) return false;`];
      case "string": {
        const out = [`${ind}if (typeof ${v} !== "string") return false;`];
        if (s.enum !== undefined) {
          const values = s.enum;
          if (!Array.isArray(values) || values.length === 0 || !values.every((x) => typeof x === "string"))
            throw new Unsupported();
          if (values.length <= INLINE_ENUM)
            out.push(`${ind}if (${values.map((x) => `${v} !== ${jsString(x)}`).join(" && ")}) return false;`);
          else out.push(`${ind}if (!${this.hoist.set(values)}.has(${v})) return false;`);
        }
        if (s.format !== undefined) {
          if (s.format !== "date-time") throw new Unsupported();
          out.push(`${ind}if (!${this.hoist.derived(DATE_TIME)}.validate(${v})) return false;`);
        }
        return out;
      }
      case "number":
        // Finite: the walk rejects NaN and ±Infinity, which `type: number` accepts.
        return [`${ind}if (!Number.isFinite(${v})) return false;`];
      case "integer":
        return [`${ind}if (!Number.isInteger(${v})) return false;`];
      case "boolean":
        return [`${ind}if (typeof ${v} !== "boolean") return false;`];
      case "null":
        return [`${ind}if (${v} !== null) return false;`];
      case "array": {
        if (depth >= MAX_DEPTH) throw new Unsupported();
        if (s.items === undefined)
          return [`${ind}if (!Array.isArray(${v}) || !clean(${v}, ${depth})) return false;`];
        const i = `i${depth}`;
        const e = `e${depth}`;
        return [
          `${ind}if (!Array.isArray(${v})) return false;`,
          `${ind}for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
          `${ind}  const ${e} = ${v}[${i}];`,
          ...this.check(s.items, e, depth + 1, `${ind}  `),
          `${ind}}`,
        ];
      }
      case "object":
        return [`${ind}if (!${this.object(s, depth)}(${v})) return false;`];
    }
    throw new Unsupported();
  }

  /** The function checking an object of schema `s` at `depth`; returns its name. */
  private object(s: JsonSchema, depth: number): string {
    if (depth >= MAX_DEPTH) throw new Unsupported();
    const name = this.functions.length === 0 ? this.id : `${this.id}_${this.functions.length}`;
    const lines: string[] = [];
    this.functions.push(lines); // reserve the name before nested objects take theirs
    const properties = s.properties ?? {};
    if (!isSchema(properties)) throw new Unsupported();
    const names = Object.keys(properties);
    const required = s.required ?? [];
    if (
      !Array.isArray(required) ||
      !required.every((r) => typeof r === "string" && names.includes(r)) ||
      new Set(required).size !== required.length
    )
      throw new Unsupported();
    const optional = names.filter((n) => !required.includes(n));
    const additional = s.additionalProperties;
    // ajv does not check a property named `__proto__` (nor exclude it from the additional ones):
    // a fast check would be stricter than ajv, so valid requests would take the slow path.
    if (names.includes("__proto__")) throw new Unsupported();
    lines.push(
      `function ${name}(d) {`,
      '  if (typeof d !== "object" || d === null || Array.isArray(d)) return false;',
    );
    if (names.length === 0 && additional === undefined) {
      lines.push(`  return clean(d, ${depth});`, "}", "");
      return name;
    }
    if (required.length > 0) lines.push("  let n = 0;");
    if (optional.length > 0) lines.push("  let o = 0;");
    lines.push("  for (const key in d) {", "    if (!HOP.call(d, key)) continue;", "    const v = d[key];");
    const other: string[] =
      additional === false
        ? ["return false;"]
        : additional === undefined || additional === true
          ? [`if (!clean(v, ${depth + 1})) return false;`]
          : this.check(additional, "v", depth + 1, "");
    if (names.length === 0) lines.push(...other.map((l) => `    ${l}`));
    else {
      lines.push("    switch (key) {");
      for (const p of names) {
        lines.push(`      case ${jsString(p)}:`);
        if (required.includes(p)) {
          // Every type check rejects undefined; an empty schema does not, and ajv calls it missing.
          if (!hasType(properties[p])) lines.push("        if (v === undefined) return false;");
          lines.push(...this.check(properties[p], "v", depth + 1, "        "), "        n++;");
        } else {
          lines.push(
            "        if (v !== undefined) {",
            ...this.check(properties[p], "v", depth + 1, "          "),
          );
          lines.push("        }", "        o++;");
        }
        lines.push("        break;");
      }
      lines.push("      default:", ...other.map((l) => `        ${l}`), "    }");
    }
    lines.push("  }");
    if (required.length > 0) lines.push(`  if (n !== ${required.length}) return false;`);
    if (optional.length > 0) {
      // An optional property the loop did not see is absent, or own and not enumerable: not walked.
      const hidden = optional.map((p) => `(HOP.call(d, ${jsString(p)}) && !PIE.call(d, ${jsString(p)}))`);
      lines.push(`  if (o !== ${optional.length} && (${hidden.join(" || ")})) return false;`);
    }
    lines.push("  return true;", "}", "");
    return name;
  }
}

/**
 * The fast check of `schema` as module-scope function declarations (the first is named `id`, for
 * a value at `depth`), or null when the schema is outside the subset. The code uses the module's
 * `HOP` and `PIE` (Object.prototype's hasOwnProperty and propertyIsEnumerable) and the runtime's
 * `clean`.
 */
export function fastCheck(schema: JsonSchema, id: string, hoist: Hoist, depth = 1): string[] | null {
  try {
    return new Generator(id, hoist).top(schema, depth);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}
