/**
 * JSON Schema ⇄ Type, and loading the schema file of `action NAME from "FILE"`.
 * The mapping lives in schema-from-type.ts and type-from-schema.ts; this file reads, parses and
 * validates schema files (ajv, draft 2020-12 unless `$schema` says draft-07).
 */
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { describeFsError } from "./files.js";
import type { JsonSchema } from "./program.js";
import { DIALECT_07, DIALECT_2020 } from "./schema-from-type.js";
import { schemaToType } from "./type-from-schema.js";
import { formatType, T, type Type } from "./types.js";

export { DIALECT_07, DIALECT_2020, declarationSchema, typeToSchema } from "./schema-from-type.js";
export { resolvePointer, schemaToType } from "./type-from-schema.js";

export type Dialect = "2020-12" | "draft-07";

/** The dialect a `$schema` value names (absent: 2020-12), or undefined for one we do not support. */
export function dialectOf(schema: unknown): Dialect | undefined {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return "2020-12";
  const id = (schema as Record<string, unknown>).$schema;
  if (id === undefined) return "2020-12";
  if (typeof id !== "string") return undefined;
  const bare = id.replace(/#$/, "").replace(/^https?:\/\//, "");
  if (bare === DIALECT_2020.replace(/^https:\/\//, "")) return "2020-12";
  if (bare === DIALECT_07.replace(/#$/, "").replace(/^http:\/\//, "")) return "draft-07";
  return undefined;
}

let ajv2020: Ajv2020 | undefined;
let ajv07: Ajv | undefined;

/** One validator per dialect, lenient (strict mode off) and silent: it only checks schemas. */
function validatorFor(dialect: Dialect): Ajv | Ajv2020 {
  if (dialect === "2020-12") {
    ajv2020 ??= new Ajv2020({ strict: false, logger: false, validateFormats: false });
    return ajv2020;
  }
  ajv07 ??= new Ajv({ strict: false, logger: false, validateFormats: false });
  return ajv07;
}

/** Why `schema` is not a valid schema of its dialect (by its meta-schema), or undefined when it is. */
export function schemaProblem(schema: unknown, dialect: Dialect): string | undefined {
  const ajv = validatorFor(dialect);
  if (
    typeof schema !== "boolean" &&
    (typeof schema !== "object" || schema === null || Array.isArray(schema))
  ) {
    return "a schema is an object or a boolean";
  }
  if (ajv.validateSchema(schema as JsonSchema) === true) return undefined;
  const first = ajv.errors?.[0];
  if (first === undefined) return "rejected by the meta-schema";
  return `${first.instancePath === "" ? "the schema" : `\`${first.instancePath}\``} ${first.message ?? "is invalid"}`;
}

/**
 * Why ajv cannot compile `schema` although its meta-schema accepts it (a `pattern` that is not a
 * regular expression, for one), or undefined. References are resolved by the caller first.
 */
export function compileProblem(schema: JsonSchema | boolean, dialect: Dialect): string | undefined {
  if (typeof schema === "boolean") return undefined;
  const ajv = validatorFor(dialect);
  try {
    ajv.compile(schema);
    return undefined;
  } catch (e) {
    return e instanceof Error ? (e.message.split("\n")[0] ?? e.message) : String(e);
  } finally {
    ajv.removeSchema(schema);
  }
}

export interface LoadedSchema {
  /** The type; the error type when the file could not be used. */
  readonly type: Type;
  /** The schema as written (the runtime validates with it); `{}` when the file could not be used. */
  readonly schema: JsonSchema;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Read the schema file of an action (or anything whose values are JSON objects): `shown` is how
 * the file is named in messages and `at` the `from` string where problems are reported.
 */
export function loadObjectSchema(
  absPath: string,
  shown: string,
  at: Span,
  readFile: (absPath: string) => string,
): LoadedSchema {
  const failed = (d: Diagnostic): LoadedSchema => ({ type: T.error, schema: {}, diagnostics: [d] });
  let text: string;
  try {
    text = readFile(absPath);
  } catch (e) {
    return failed(diag("RPL3004", at, [shown, describeFsError(e)]));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return failed(diag("RPL3005", at, [shown, jsonErrorReason(e, text)]));
  }
  const dialect = dialectOf(parsed);
  if (dialect === undefined) {
    const id = (parsed as Record<string, unknown>).$schema;
    return failed(
      diag("RPL3010", at, [typeof id === "string" ? id : JSON.stringify(id)], {
        help: `use \`${DIALECT_2020}\` or \`${DIALECT_07}\``,
      }),
    );
  }
  const problem = schemaProblem(parsed, dialect);
  if (problem !== undefined) return failed(diag("RPL3006", at, [shown, problem]));
  const mapped = objectSchemaType(parsed as JsonSchema | boolean, shown, at);
  if (mapped.diagnostics.some((d) => d.code === "RPL3008")) return mapped;
  const compileError = compileProblem(parsed as JsonSchema | boolean, dialect);
  if (compileError !== undefined) return failed(diag("RPL3006", at, [shown, compileError]));
  return mapped;
}

/** Map a valid schema whose values must be objects. */
export function objectSchemaType(schema: JsonSchema | boolean, shown: string, at: Span): LoadedSchema {
  const mapped = schemaToType(schema, at, shown);
  const diagnostics = [...mapped.diagnostics];
  let type = mapped.value;
  // `{}` or `true` at the top: any object; the request shape already requires an object.
  if (type.kind === "any") type = T.object({});
  if (type.kind !== "object" && type.kind !== "error") {
    diagnostics.push(
      diag("RPL3009", at, [shown, formatType(type)], {
        help: 'give the schema `"type": "object"` and `"properties"`',
      }),
    );
    type = T.error;
  }
  const schemaValue: JsonSchema = typeof schema === "boolean" ? {} : schema;
  return { type, schema: schemaValue, diagnostics };
}

/** JSON.parse's complaint, with the position as line and column, worded alike on every Node version. */
export function jsonErrorReason(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const position = /at position (\d+)/.exec(message);
  let reason = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/\s*in JSON at position \d+/, "");
  if (position?.[1] !== undefined) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset).split("\n");
    reason += ` at line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
  }
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}
