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
  // -------------------------------------------------------------------------------------------
  // RPL3100–RPL3999: expressions (src/check/typecheck*.ts, the type checker).
  RPL3101: {
    severity: "error",
    title: "condition is not a boolean",
    explain:
      "`when`, `unless`, `where`, the operands of `and`, `or` and `not`, and the bodies of `any`, " +
      "`all`, `count` and `filter` lambdas must be `bool`.",
    message: (what = "", found = "") => `${what} must be \`bool\`, found \`${found}\``,
  },
  RPL3102: {
    severity: "error",
    title: "type mismatch",
    explain:
      "An expression has a different type from the one its place needs: a `reason` is a string, " +
      "`approvers` a list of strings, a risk weight a number, a def's body its return type, a def's " +
      "argument its parameter's type.",
    message: (what = "", expected = "", found = "") => `${what} must be \`${expected}\`, found \`${found}\``,
  },
  RPL3103: {
    severity: "error",
    title: "operator applied to the wrong types",
    explain:
      "`==`/`!=` compare two values of the same type (a string-literal union compares with strings); " +
      "`< <= > >=` take two numbers, two durations or two timestamps; `+` adds numbers, joins strings, " +
      "or moves a timestamp by a duration; `- * / %` take numbers (and durations, see the reference); " +
      "`in` takes `T` and `list<T>`; `??` needs two sides of one type.",
    message: (op = "", left = "", right = "") =>
      `\`${op}\` cannot be applied to \`${left}\` and \`${right}\``,
  },
  RPL3104: {
    severity: "error",
    title: "unary operator applied to the wrong type",
    explain: "Unary `-` takes a number or a duration; `not` takes a `bool`.",
    message: (op = "", found = "") => `\`${op}\` cannot be applied to \`${found}\``,
  },
  RPL3105: {
    severity: "error",
    title: "value outside a string-literal union",
    explain:
      "The other side of this comparison can only hold the listed strings, so comparing it with a " +
      "string outside them is always false (or always true for `!=`): usually a typo.",
    message: (value = "", union = "") => `\`${value}\` is not one of \`${union}\``,
  },
  RPL3106: {
    severity: "error",
    title: "optional field read without a guard",
    explain:
      "The field may be absent from the request. Read it only where it is known to be present, " +
      "`has(x.f) and …x.f…` (also in `unless` after `when has(x.f)`, and after `not has(x.f) or`), " +
      "or give a default: `x.f ?? DEFAULT`.",
    message: (path = "") => `\`${path}\` may be absent`,
  },
  RPL3107: {
    severity: "error",
    title: "`??` after a value that is never absent",
    explain:
      "The left side of `??` must be a read that may be absent: an optional field (`context.user`), " +
      'a map entry (`m["k"]`) or a field of an `any` value.',
    message: () => "the left side of `??` is never absent",
  },
  RPL3108: {
    severity: "error",
    title: "invalid `has` argument",
    explain:
      '`has` takes one field read, `has(context.user)` or `has(m["key"])`, and tells whether it is present.',
    message: () => "`has` takes a field or map entry, like `has(context.user)`",
  },
  RPL3109: {
    severity: "error",
    title: "unknown field",
    explain: "The object has no field of this name. Field names are case-sensitive.",
    message: (field = "", owner = "") => `\`${owner}\` has no field \`${field}\``,
  },
  RPL3110: {
    severity: "error",
    title: "field not shared by every action of the block",
    explain:
      "Inside `on A, B { … }`, a field of `args` is readable only when every matched action type has it " +
      "with the same type. Split the block, or give the actions the same field.",
    message: (field = "") => `\`args.${field}\` is not a field of every action of this block`,
  },
  RPL3111: {
    severity: "error",
    title: "no fields to read",
    explain: "Only objects, maps and `any` values have fields; lists and maps are read with `[index]`.",
    message: (type = "") => `a value of type \`${type}\` has no fields`,
  },
  RPL3112: {
    severity: "error",
    title: "cannot index",
    explain:
      '`xs[i]` reads a list element (a number index), `m["k"]` a map entry (a string key), and ' +
      '`obj["k"]` an object field (a string literal key).',
    message: (type = "", index = "") => `a value of type \`${type}\` cannot be indexed with \`${index}\``,
  },
  RPL3113: {
    severity: "error",
    title: "unknown name",
    explain:
      "The name is not a root (`action`, `args`, `context`, `now`), a let, def or param, a local of " +
      "this `on` block, or a parameter in scope.",
    message: (name = "") => `unknown name \`${name}\``,
  },
  RPL3114: {
    severity: "error",
    title: "root not available here",
    explain:
      "`args` exists only inside `on` blocks (and property `where`s). Top-level lets, defs and params " +
      "are constants: they read no request (`args`, `context`, `action`, `now`); pass what a def needs as a parameter.",
    message: (name = "", where = "") => `\`${name}\` is not available ${where}`,
  },
  RPL3115: {
    severity: "error",
    title: "namespace used as a value",
    explain:
      "`sql`, `shell`, `path`, `url` and `secrets` only name functions: call one, `sql.verb(args.sql)`.",
    message: (name = "") => `\`${name}\` is a namespace, not a value`,
  },
  RPL3116: {
    severity: "error",
    title: "unknown function",
    explain: "The function is neither a built-in function nor a `def` of the policy set.",
    message: (name = "") => `unknown function \`${name}\``,
  },
  RPL3117: {
    severity: "error",
    title: "wrong number of arguments",
    explain: "The call passes more or fewer arguments than the function takes.",
    message: (name = "", expected = "", found = "") => `\`${name}\` takes ${expected}, found ${found}`,
  },
  RPL3118: {
    severity: "error",
    title: "wrong argument type",
    explain: "A built-in function was given an argument of a type it does not take.",
    message: (name = "", problem = "") => `\`${name}\`: ${problem}`,
  },
  RPL3119: {
    severity: "error",
    title: "argument must be a string literal",
    explain:
      "Patterns (`matches`, `glob`, `host_matches`) and time zones are compiled once, so they must be " +
      "written as string literals.",
    message: (name = "", position = "") => `argument ${position} of \`${name}\` must be a string literal`,
  },
  RPL3120: {
    severity: "error",
    title: "invalid literal argument",
    explain:
      "The literal was rejected at compile time: a regular expression that can backtrack catastrophically, " +
      "an unknown time zone, an invalid pattern.",
    message: (name = "", problem = "") => `\`${name}\`: ${problem}`,
  },
  RPL3121: {
    severity: "error",
    title: "lambda in the wrong place",
    explain:
      "A lambda `x => …` is only allowed as the function argument of `any`, `all`, `count`, `filter` and `map`.",
    message: () => "a lambda is only allowed as the function argument of a list function",
  },
  RPL3122: {
    severity: "error",
    title: "lambda expected",
    explain: 'This argument of a list function is a lambda: `any(args.to, t => ends_with(t, "@acme.com"))`.',
    message: (name = "", position = "") =>
      `argument ${position} of \`${name}\` must be a lambda, like \`x => …\``,
  },
  RPL3123: {
    severity: "error",
    title: "lambda with the wrong number of parameters",
    explain: "The lambda declares more or fewer parameters than the function passes to it.",
    message: (name = "", expected = "", found = "") =>
      `the lambda of \`${name}\` takes ${expected}, found ${found}`,
  },
  RPL3124: {
    severity: "error",
    title: "not a function",
    explain: "Only built-in functions and defs can be called: `f(x)`, `sql.verb(x)`.",
    message: () => "only functions can be called",
  },
  RPL3125: {
    severity: "error",
    title: "recursive def",
    explain: "Defs may not call themselves, directly or through other defs: every def must terminate.",
    message: (name = "", cycle = "") => `\`${name}\` calls itself: ${cycle}`,
  },
  RPL3126: {
    severity: "error",
    title: "circular let",
    explain: "A top-level `let` depends on itself through other lets or defs, so it has no value.",
    message: (name = "", cycle = "") => `\`${name}\` depends on itself: ${cycle}`,
  },
  RPL3127: {
    severity: "error",
    title: "local used before its definition",
    explain: "A `let` of an `on` block may only read the lets above it.",
    message: (name = "") => `\`${name}\` is used before its \`let\``,
  },
  RPL3128: {
    severity: "error",
    title: "list items of different types",
    explain: "All items of a list literal have one type.",
    message: (first = "", item = "") => `list items must have one type: \`${first}\` and \`${item}\``,
  },
  RPL3129: {
    severity: "error",
    title: "object literal outside a test",
    explain: "Object literals `{ key: value }` are only allowed in test requests and `with`.",
    message: () => "object literals are only allowed in tests and `with`",
  },
  RPL3130: {
    severity: "error",
    title: "invalid test request",
    explain:
      "A test's `request { … }` takes `action` (a string literal), and optionally `args` and `context` " +
      "(objects) and `time` (an RFC 3339 string).",
    message: (problem = "") => `invalid test request: ${problem}`,
  },
  RPL3131: {
    severity: "error",
    title: "invalid property runs",
    explain: "`runs N` takes a whole number from 1 to 1000000.",
    message: (value = "") => `\`runs\` must be a whole number from 1 to 1000000, found \`${value}\``,
  },
  RPL3132: {
    severity: "error",
    title: "def used as a value",
    explain: "A def is a function: call it with its arguments, `internal(args.to)`.",
    message: (name = "") => `\`${name}\` is a def, not a value`,
  },
  // ------------------------------------------------------------------------------------------- end of RPL31xx
});
