/**
 * Request validators (LANGUAGE.md §3 step 3) from the JSON Schemas of actions and the context.
 *
 * One set of ajv options for both engines, so the interpreter (validators compiled in memory)
 * and the compiled module (ajv standalone code, generated here at build time and inlined into
 * the module) reject the same values with the same error objects:
 * - own properties only (`ownProperties`): a field the request inherits is not there;
 * - the first violation only (`allErrors: false`): bounded work on hostile input;
 * - formats checked (`ajv-formats`): `date-time` is RFC 3339 with a time zone.
 * The dialect is draft 2020-12 unless the schema's `$schema` names draft-07.
 */
import { Ajv, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCodeModule from "ajv/dist/standalone/index.js";
import addFormatsModule from "ajv-formats";
import type { JsonSchema } from "../check/program.js";
import type { Validator } from "../engine/request.js";

// Both packages are CommonJS: `module.exports` is the function and `exports.default` is it again,
// which is what TypeScript's NodeNext view of the default import sees.
const standaloneCode = standaloneCodeModule.default;
const addFormats = addFormatsModule.default;

const OPTIONS: Options = {
  strict: false,
  logger: false,
  allErrors: false,
  ownProperties: true,
  validateFormats: true,
};

/** The ajv runtime modules standalone code may `require`; the compiled module's runtime provides them. */
export const AJV_RUNTIME_MODULES: readonly string[] = [
  "ajv/dist/runtime/ucs2length",
  "ajv/dist/runtime/equal",
  "ajv/dist/runtime/uri",
  "ajv/dist/runtime/validation_error",
  "ajv-formats/dist/formats",
];

function isDraft07(schema: JsonSchema): boolean {
  const id = schema.$schema;
  return typeof id === "string" && id.includes("draft-07");
}

function newAjv(schema: JsonSchema, extra: Options = {}): Ajv {
  const options = { ...OPTIONS, ...extra };
  const ajv = isDraft07(schema) ? new Ajv(options) : (new Ajv2020(options) as unknown as Ajv);
  addFormats(ajv);
  return ajv;
}

/**
 * Compiling a schema costs milliseconds; the same schemas come back (every policy set of a test
 * run, every `rplc test` request): results are cached by the schema's JSON text.
 */
const CACHE_LIMIT = 256;
const compiled = new Map<string, Validator>();
const standalone = new Map<string, StandaloneResult>();

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, v);
  }
  return v;
}

/** A validator compiled in memory (the interpreter's). */
export function validatorFor(schema: JsonSchema): Validator {
  return remember(compiled, JSON.stringify(schema), () => newAjv(schema).compile(schema) as Validator);
}

export type StandaloneResult =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly message: string };

const PREFIX = /^"use strict";export const validate = (\w+);export default \1;/;
const REQUIRE = /require\("([^"]*)"\)/g;

/**
 * The standalone validator of `schema` as a JavaScript expression: an arrow function applied
 * to `require`, whose result is the validate function. `requireName` is the identifier of the
 * module-scope function that provides the ajv runtime modules.
 */
export function standaloneValidator(schema: JsonSchema, requireName: string): StandaloneResult {
  return remember(standalone, `${requireName}\u0000${JSON.stringify(schema)}`, () =>
    generate(schema, requireName),
  );
}

function generate(schema: JsonSchema, requireName: string): StandaloneResult {
  let source: string;
  try {
    const ajv = newAjv(schema, { code: { esm: true, source: true } });
    source = standaloneCode(ajv, ajv.compile(schema));
  } catch (e) {
    return { ok: false, message: e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e) };
  }
  const m = PREFIX.exec(source);
  if (m === null) return { ok: false, message: "unexpected standalone code from ajv" };
  for (const r of source.matchAll(REQUIRE)) {
    const id = r[1] ?? "";
    if (!AJV_RUNTIME_MODULES.includes(id)) {
      return {
        ok: false,
        message: `the schema needs the ajv runtime module \`${id}\`, which rplc does not ship`,
      };
    }
  }
  const body = source.slice(m[0].length);
  return { ok: true, code: `((require) => {${body}return ${m[1]};})(${requireName})` };
}
