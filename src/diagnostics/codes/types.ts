import { defineCodes } from "./entry.js";

/** RPL3xxx: types and schemas. Added by the type checker. */
export const typeCodes = defineCodes({
  // -------------------------------------------------------------------------------------------
  // RPL3001–RPL3099: type declarations, JSON Schemas, constants (src/check/type-node.ts,
  // schema.ts, constant.ts; the resolver's half of the checker).
  RPL3001: {
    severity: "error",
    title: "unknown type",
    explain:
      "Types are `string number bool duration timestamp any`, `list<T>`, `map<T>`, objects " +
      '`{ name: T, opt?: T }` and string-literal unions `"a" | "b"`.',
    message: (name = "") => `unknown type \`${name}\``,
  },
  RPL3003: {
    severity: "error",
    title: "duplicate field",
    explain: "An object type declares the same field twice.",
    message: (name = "") => `field \`${name}\` is declared twice`,
  },
  RPL3004: {
    severity: "error",
    title: "unreadable schema file",
    explain:
      '`action NAME from "FILE"` names a JSON Schema file (relative to the policy file) that cannot be read.',
    message: (path = "", reason = "") => `cannot read schema \`${path}\`: ${reason}`,
  },
  RPL3005: {
    severity: "error",
    title: "schema file is not JSON",
    explain: "The file named by `from` must hold one JSON document: a JSON Schema.",
    message: (path = "", reason = "") => `\`${path}\` is not valid JSON: ${reason}`,
  },
  RPL3006: {
    severity: "error",
    title: "invalid JSON Schema",
    explain:
      "The file named by `from` is not a valid JSON Schema of its dialect (draft 2020-12 by default, " +
      "draft-07 when its `$schema` says so).",
    message: (path = "", reason = "") => `\`${path}\` is not a valid JSON Schema: ${reason}`,
  },
  RPL3007: {
    severity: "warning",
    title: "schema keywords without a type",
    explain:
      "The JSON Schema uses keywords that rplc types cannot express (`pattern`, `minLength`, `oneOf`, …). " +
      "The type checker ignores them, but the runtime validates requests with the original schema, so they " +
      "are still enforced. All such keywords of one file are named in one warning.",
    message: (path = "", keywords = "") => `\`${path}\` uses keywords rplc types cannot express: ${keywords}`,
  },
  RPL3008: {
    severity: "error",
    title: "unresolvable $ref",
    explain:
      "Only references inside the same schema file are supported: `#/$defs/NAME`, `#/definitions/NAME`.",
    message: (path = "", refs = "") => `\`${path}\`: cannot resolve \`$ref\` ${refs}`,
  },
  RPL3009: {
    severity: "error",
    title: "arguments are not an object",
    explain:
      "An action's arguments (and the context) are JSON objects, so the schema must describe an object.",
    message: (path = "", found = "") => `\`${path}\` describes \`${found}\`, not an object`,
  },
  RPL3010: {
    severity: "error",
    title: "unsupported schema dialect",
    explain: "Schema files may be JSON Schema draft 2020-12 (the default) or draft-07, chosen by `$schema`.",
    message: (dialect = "") => `unsupported \`$schema\` \`${dialect}\``,
  },
  RPL3011: {
    severity: "warning",
    title: "recursive schema",
    explain:
      "A `$ref` refers to a schema that contains it. rplc types are not recursive: the inner " +
      "occurrence is typed `any` (the runtime still validates it).",
    message: (path = "", refs = "") => `\`${path}\`: recursive \`$ref\` ${refs} typed \`any\``,
  },
  RPL3012: {
    severity: "error",
    title: "constant of the wrong type",
    explain: "A `with` value or a `param` default does not have the param's declared type.",
    message: (what = "", expected = "", found = "") => `${what} must be \`${expected}\`, found \`${found}\``,
  },
  RPL3013: {
    severity: "error",
    title: "not a constant",
    explain:
      "`with` values and `param` defaults are compile-time constants: strings, numbers, durations, " +
      "booleans, and lists and objects of those.",
    message: (what = "") => `${what} must be a constant`,
  },
  RPL3014: {
    severity: "error",
    title: "unknown field in a constant",
    explain:
      "An object given as a `with` value or a `param` default names a field its type does not declare.",
    message: (what = "", field = "") => `${what} has no field \`${field}\``,
  },
  // ------------------------------------------------------------------------------------------- end of RPL30xx
});
