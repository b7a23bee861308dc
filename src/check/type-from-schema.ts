/**
 * JSON Schema → rplc Type: the inverse of schema-from-type.ts, plus what hand-written schemas use.
 *
 *   string / number / integer / boolean → string / number / number / bool
 *   { type: "string", format: "date-time" } → timestamp
 *   { type: "number" | "integer", format: "duration" } → duration (milliseconds)
 *   enum or const of strings → a string-literal union
 *   properties + required → an object (fields not in `required` are optional)
 *   additionalProperties: S with no properties → map<S>; items: S → list<S>; {} or true → any
 *   local $ref (`#/$defs/…`, `#/definitions/…`, `#`) → the referenced schema's type
 *
 * `additionalProperties: false` is accepted silently: the type already lets policies read only
 * the declared fields, and the runtime rejects the extra ones. Keywords the mapping cannot express
 * (`pattern`, `minLength`, `oneOf`, `not`, `if`, a nullable `type`, …) are collected, and the caller
 * reports them in one warning: the runtime still enforces them, as it validates with the original schema.
 */
import { type Diagnostic, diag, type Result } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { type FieldInfo, T, type Type } from "./types.js";

/** Keywords that only annotate: never a warning. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "definitions",
  "$anchor",
  "$vocabulary",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

interface Ctx {
  readonly root: unknown;
  /** Keyword labels the mapping could not express, in the order met. */
  readonly unsupported: Set<string>;
  readonly unresolved: Set<string>;
  readonly recursive: Set<string>;
  readonly refStack: string[];
}

/**
 * The Type of a JSON Schema. `at` is where problems are reported (the `from` string of the
 * declaration) and `name` how the schema is named in messages (its display path).
 */
export function schemaToType(schema: unknown, at: Span, name = "schema"): Result<Type> {
  const ctx: Ctx = {
    root: schema,
    unsupported: new Set(),
    unresolved: new Set(),
    recursive: new Set(),
    refStack: ["#"],
  };
  const value = mapSchema(schema, ctx);
  const diagnostics: Diagnostic[] = [];
  const list = (xs: Set<string>) => [...xs].map((x) => `\`${x}\``).join(", ");
  if (ctx.unresolved.size > 0) {
    diagnostics.push(
      diag("RPL3008", at, [name, list(ctx.unresolved)], {
        help: "only references inside the same file are supported, like `#/$defs/NAME`",
      }),
    );
  }
  if (ctx.recursive.size > 0) {
    diagnostics.push(
      diag("RPL3011", at, [name, `${list(ctx.recursive)} ${ctx.recursive.size === 1 ? "is" : "are"}`], {
        help: "the runtime still validates the whole value with the schema",
      }),
    );
  }
  if (ctx.unsupported.size > 0) {
    diagnostics.push(
      diag("RPL3007", at, [name, list(ctx.unsupported)], {
        help: "the type checker ignores them; the runtime still enforces them, as it validates requests with the original schema",
      }),
    );
  }
  return { value, diagnostics };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function mapSchema(schema: unknown, ctx: Ctx): Type {
  if (schema === true) return T.any;
  if (schema === false) {
    ctx.unsupported.add("false");
    return T.any;
  }
  if (!isRecord(schema)) return T.any;
  const used = new Set<string>();
  const result = mapRecord(schema, ctx, used);
  for (const key of Object.keys(schema)) {
    if (!used.has(key) && !ANNOTATIONS.has(key)) ctx.unsupported.add(key);
  }
  return result;
}

function mapRecord(s: Record<string, unknown>, ctx: Ctx, used: Set<string>): Type {
  if (typeof s.$ref === "string") {
    used.add("$ref");
    return mapRef(s.$ref, ctx);
  }
  let type = s.type;
  if (type !== undefined) used.add("type");
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    if (nonNull.length !== type.length) ctx.unsupported.add('type: "null"');
    if (nonNull.length === 1) type = nonNull[0];
    else {
      if (nonNull.length > 1) ctx.unsupported.add("type: [ … ]");
      return T.any;
    }
  }
  if (type === undefined) type = inferType(s);
  switch (type) {
    case "string":
      return mapString(s, used);
    case "number":
    case "integer":
      if (s.format === "duration") {
        used.add("format");
        return T.duration;
      }
      return T.number;
    case "boolean":
      return T.bool;
    case "array":
      return mapArray(s, ctx, used);
    case "object":
      return mapObject(s, ctx, used);
    case "null":
      ctx.unsupported.add('type: "null"');
      return T.any;
    default:
      return T.any;
  }
}

/** The type a schema without `type` describes, from the keywords it uses. */
function inferType(s: Record<string, unknown>): string | undefined {
  if ("properties" in s || "required" in s || "additionalProperties" in s) return "object";
  if ("items" in s) return "array";
  const values = Array.isArray(s.enum) ? s.enum : "const" in s ? [s.const] : undefined;
  if (values !== undefined && values.length > 0 && values.every((v) => typeof v === "string"))
    return "string";
  return undefined;
}

function mapString(s: Record<string, unknown>, used: Set<string>): Type {
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === "string")) {
    used.add("enum");
    return T.union(s.enum as string[]);
  }
  if (typeof s.const === "string") {
    used.add("const");
    return T.union([s.const]);
  }
  if (s.format === "date-time") {
    used.add("format");
    return T.timestamp;
  }
  return T.string;
}

function mapArray(s: Record<string, unknown>, ctx: Ctx, used: Set<string>): Type {
  if (s.items === undefined) return T.list(T.any);
  if (Array.isArray(s.items)) return T.list(T.any); // draft-07 tuple: `items` stays unsupported
  used.add("items");
  return T.list(mapSchema(s.items, ctx));
}

function mapObject(s: Record<string, unknown>, ctx: Ctx, used: Set<string>): Type {
  const properties = isRecord(s.properties) ? s.properties : undefined;
  const additional = s.additionalProperties;
  if (properties === undefined && !("required" in s) && additional !== undefined && additional !== false) {
    used.add("additionalProperties");
    return T.map(mapSchema(additional, ctx));
  }
  if (additional === false || additional === true) used.add("additionalProperties");
  else if (isRecord(additional) && Object.keys(additional).length === 0) used.add("additionalProperties");
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r) => typeof r === "string") : []);
  if ("required" in s) used.add("required");
  const fields: Record<string, FieldInfo> = Object.create(null);
  if (properties !== undefined) {
    used.add("properties");
    for (const [name, sub] of Object.entries(properties)) {
      fields[name] = { type: mapSchema(sub, ctx), optional: !required.has(name) };
    }
  }
  for (const name of required) {
    if (!Object.hasOwn(fields, name)) fields[name] = { type: T.any, optional: false };
  }
  return T.object(fields);
}

function mapRef(ref: string, ctx: Ctx): Type {
  if (ctx.refStack.includes(ref)) {
    ctx.recursive.add(ref);
    return T.any;
  }
  const target = resolvePointer(ctx.root, ref);
  if (target === undefined) {
    ctx.unresolved.add(ref);
    return T.error;
  }
  ctx.refStack.push(ref);
  const t = mapSchema(target.value, ctx);
  ctx.refStack.pop();
  return t;
}

/** A local reference `#` or `#/a/b~1c` in `root`, or undefined. */
export function resolvePointer(root: unknown, ref: string): { value: unknown } | undefined {
  if (!ref.startsWith("#")) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === "") return { value: root };
  if (!fragment.startsWith("/")) return undefined;
  let cur: unknown = root;
  for (const raw of fragment.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      const i = Number(key);
      if (!/^(0|[1-9][0-9]*)$/.test(key) || i >= cur.length) return undefined;
      cur = cur[i];
    } else if (isRecord(cur) && Object.hasOwn(cur, key)) {
      cur = cur[key];
    } else {
      return undefined;
    }
  }
  return { value: cur };
}
