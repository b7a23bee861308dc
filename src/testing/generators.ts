/**
 * fast-check arbitraries from JSON Schema (the schemas the runtime validates `args` and
 * `context` with: inline declarations converted, or `from` files), biased by the policy's
 * constants (strings.ts).
 *
 * Understood: `type` (one or several), `const`, `enum`, `properties` + `required` (optional
 * fields present and absent), `additionalProperties` as a map's value schema (keys drawn from the
 * policy's strings and random words), `items` / `prefixItems` (draft-07 tuple `items` too),
 * `minItems` / `maxItems` / `uniqueItems`, `minLength` / `maxLength` / `pattern`, `minimum` /
 * `maximum` (exclusive too), `format` (date-time, date, time, uri, url, email, hostname, ipv4,
 * ipv6, uuid), `anyOf` / `oneOf` (a branch merged into its parent), `allOf` (merged), local
 * `$ref`s. Anything else is generated loosely: every request is validated against the real schema
 * before it is used, so a value the generator gets wrong is discarded, never decided.
 */
import fc from "fast-check";
import { resolvePointer } from "../check/schema.js";
import type { PolicyLiterals } from "./literals.js";
import { biasedNumber, biasedString, dateTime, emailArb, urlArb, word } from "./strings.js";

type Arb = fc.Arbitrary<unknown>;
type Schema = Record<string, unknown>;

/** Past this nesting (recursive `$ref`s), values are the smallest the type allows. */
const MAX_DEPTH = 10;

export class SchemaGen {
  readonly strings: fc.Arbitrary<string>;
  private readonly numbers: fc.Arbitrary<number>;
  private readonly integers: fc.Arbitrary<number>;
  private readonly keys: fc.Arbitrary<string>;
  private readonly lengths: readonly number[];

  /**
   * `focus`: the constants of the property's `where`. Half the strings and numbers are then drawn
   * from a mix over those alone, so `where path.within(args.path, "/etc")` is satisfied often even
   * when the policy set mentions hundreds of other strings.
   */
  constructor(
    readonly literals: PolicyLiterals,
    focus?: PolicyLiterals,
  ) {
    const focused = focus !== undefined && hasAny(focus);
    this.strings = focused ? fc.oneof(biasedString(focus), biasedString(literals)) : biasedString(literals);
    this.numbers = focused
      ? fc.oneof(biasedNumber(focus, false), biasedNumber(literals, false))
      : biasedNumber(literals, false);
    this.integers = focused
      ? fc.oneof(biasedNumber(focus, true), biasedNumber(literals, true))
      : biasedNumber(literals, true);
    const keyLike = literals.strings.filter((s) => s.length > 0 && s.length <= 40 && !/\s/.test(s));
    this.keys = keyLike.length > 0 ? fc.oneof(fc.constantFrom(...keyLike), word) : word;
    const lengths = new Set<number>();
    for (const n of literals.numbers) {
      for (const v of [n - 1, n, n + 1]) if (Number.isInteger(v) && v >= 0 && v <= 100) lengths.add(v);
    }
    this.lengths = [...lengths].sort((a, b) => a - b);
  }

  /** An arbitrary for values of `schema`; `root` resolves `$ref`s. */
  of(schema: unknown, root: unknown = schema): Arb {
    return this.gen(schema, root, 0);
  }

  private gen(schema: unknown, root: unknown, depth: number): Arb {
    if (schema === true || schema === undefined) return this.anyJson(depth);
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return fc.constant(null);
    const s = schema as Schema;
    if (depth > MAX_DEPTH) return this.minimal(s);
    if (typeof s.$ref === "string") {
      const target = resolvePointer(root, s.$ref);
      const { $ref: _ref, ...rest } = s;
      if (target === undefined) return this.gen(rest, root, depth + 1);
      return this.gen(merge(rest, target.value), root, depth + 1);
    }
    if ("const" in s) return fc.constant(s.const);
    if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
    if (Array.isArray(s.allOf)) {
      const { allOf, ...rest } = s;
      return this.gen(
        (allOf as unknown[]).reduce<Schema>((acc, part) => merge(acc, part), rest),
        root,
        depth + 1,
      );
    }
    for (const key of ["anyOf", "oneOf"] as const) {
      const branches = s[key];
      if (Array.isArray(branches) && branches.length > 0) {
        const { [key]: _b, ...rest } = s;
        return fc.oneof(...branches.map((b) => this.gen(merge(rest, b), root, depth + 1)));
      }
    }
    const type = s.type;
    if (Array.isArray(type)) {
      const types = type.filter((t): t is string => typeof t === "string");
      if (types.length === 0) return this.anyJson(depth);
      return fc.oneof(...types.map((t) => this.typed({ ...s, type: t }, t, root, depth)));
    }
    return this.typed(s, typeof type === "string" ? type : inferType(s), root, depth);
  }

  private typed(s: Schema, type: string | undefined, root: unknown, depth: number): Arb {
    switch (type) {
      case "string":
        return this.string(s);
      case "number":
        return this.number(s, false);
      case "integer":
        return this.number(s, true);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return this.array(s, root, depth);
      case "object":
        return this.object(s, root, depth);
      default:
        return this.anyJson(depth);
    }
  }

  private string(s: Schema): fc.Arbitrary<string> {
    const format = typeof s.format === "string" ? formatArb(s.format, this.literals) : undefined;
    if (format !== undefined) return format;
    let base = this.strings;
    if (typeof s.pattern === "string") {
      try {
        const re = new RegExp(s.pattern, "u");
        const literal = this.literals.strings.filter((x) => re.test(x));
        const matching = fc.stringMatching(re, { size: "xsmall" });
        base = literal.length > 0 ? fc.oneof(fc.constantFrom(...literal), matching) : matching;
      } catch {
        // A pattern fast-check cannot read: generated strings are checked by the validator.
      }
    }
    const min = num(s.minLength) ?? 0;
    const max = num(s.maxLength);
    if (min === 0 && max === undefined) return base;
    // Fit lengths by padding and cutting (never by filtering: a filter that rarely passes hangs).
    return base.map((x) => {
      const units = [...x];
      if (max !== undefined && units.length > max) return units.slice(0, max).join("");
      return units.length < min ? x + "x".repeat(min - units.length) : x;
    });
  }

  private number(s: Schema, integer: boolean): fc.Arbitrary<number> {
    const base = integer ? this.integers : this.numbers;
    const exMin = typeof s.exclusiveMinimum === "number";
    const exMax = typeof s.exclusiveMaximum === "number";
    const lo = exMin ? (s.exclusiveMinimum as number) : num(s.minimum);
    const hi = exMax ? (s.exclusiveMaximum as number) : num(s.maximum);
    if (lo === undefined && hi === undefined) return base;
    // The smallest and largest allowed values (a step inside an exclusive bound).
    const step = integer ? 1 : 0.01;
    let a = lo === undefined ? undefined : exMin ? lo + step : lo;
    let b = hi === undefined ? undefined : exMax ? hi - step : hi;
    if (integer) {
      a = a === undefined ? undefined : Math.ceil(a);
      b = b === undefined ? undefined : Math.floor(b);
    }
    if (a !== undefined && b !== undefined && a > b) return base;
    const clamp = (v: number) => (a !== undefined && v < a ? a : b !== undefined && v > b ? b : v);
    const from = a ?? (b as number) - 1000;
    const to = b ?? (a as number) + 1000;
    const choices: fc.Arbitrary<number>[] = [base.map(clamp), fc.constantFrom(from, to)];
    if (
      Number.isSafeInteger(Math.ceil(from)) &&
      Number.isSafeInteger(Math.floor(to)) &&
      Math.ceil(from) <= Math.floor(to)
    ) {
      choices.push(fc.integer({ min: Math.ceil(from), max: Math.floor(to) }));
    }
    return fc.oneof(...choices);
  }

  private array(s: Schema, root: unknown, depth: number): Arb {
    const prefix = Array.isArray(s.prefixItems)
      ? s.prefixItems
      : Array.isArray(s.items)
        ? s.items
        : undefined;
    if (prefix !== undefined) {
      return fc.tuple(...prefix.map((p) => this.gen(p, root, depth + 1)));
    }
    const item = this.gen(s.items ?? true, root, depth + 1);
    const min = num(s.minItems) ?? 0;
    // Deep in a recursive schema, lists shrink to keep values (and arbitraries) small.
    const room = depth > 6 ? 0 : depth > 3 ? 1 : 4;
    const max = Math.min(num(s.maxItems) ?? min + room, min + room);
    const make = (minLength: number, maxLength: number): Arb =>
      s.uniqueItems === true
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    const lengths = this.lengths.filter((n) => n >= min && n <= (num(s.maxItems) ?? 100));
    if (lengths.length === 0) return make(min, max);
    return fc.oneof(
      { arbitrary: make(min, max), weight: 5 },
      { arbitrary: fc.constantFrom(...lengths).chain((n) => make(n, n)), weight: 1 },
    );
  }

  private object(s: Schema, root: unknown, depth: number): Arb {
    const props = isSchema(s.properties) ? s.properties : {};
    const required = Array.isArray(s.required)
      ? s.required.filter((r): r is string => typeof r === "string")
      : [];
    const extra = s.additionalProperties;
    const names = Object.keys(props);
    if (names.length === 0 && required.length === 0) {
      if (extra === false) return fc.constant({});
      const value = this.gen(isSchema(extra) ? extra : true, root, depth + 1);
      return fc.dictionary(this.keys, value, { maxKeys: 4, noNullPrototype: true });
    }
    const model: Record<string, Arb> = {};
    for (const name of new Set([...names, ...required])) {
      const sub = Object.hasOwn(props, name) ? props[name] : isSchema(extra) ? extra : true;
      Object.defineProperty(model, name, {
        value: this.gen(sub, root, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return fc.record(model, { requiredKeys: required, noNullPrototype: true });
  }

  /**
   * Any JSON value but null (the language has no null literal): strings, numbers, booleans, lists
   * of one of those (a list literal's items must have one type), objects.
   */
  private anyJson(depth: number): Arb {
    const leaf = fc.oneof(this.strings, this.integers, fc.boolean());
    if (depth > 4) return leaf;
    const list = fc.oneof(
      fc.array(this.strings, { maxLength: 3 }),
      fc.array(this.integers, { maxLength: 3 }),
      fc.array(fc.boolean(), { maxLength: 3 }),
    );
    return fc.oneof(
      { arbitrary: leaf, weight: 4 },
      { arbitrary: list, weight: 1 },
      { arbitrary: fc.dictionary(this.keys, leaf, { maxKeys: 3, noNullPrototype: true }), weight: 1 },
    );
  }

  /** Past the depth limit (recursive `$ref`s): the smallest value the type allows. */
  private minimal(s: Schema): Arb {
    switch (s.type) {
      case "array":
        return fc.constant([]);
      case "object":
        return fc.constant({});
      case "string":
        return fc.constant("");
      case "number":
      case "integer":
        return fc.constant(0);
      case "boolean":
        return fc.constant(false);
      default:
        return fc.constant(null);
    }
  }
}

/** ajv-formats' `email` (full mode): the policy's hosts that it rejects (`x@localhost`) are left out. */
const EMAIL_RE =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

function formatArb(format: string, lit: PolicyLiterals): fc.Arbitrary<string> | undefined {
  switch (format) {
    case "date-time":
      return dateTime;
    case "date":
      return dateTime.map((t) => t.slice(0, 10));
    case "time":
      return dateTime.map((t) => `${t.slice(11, 19)}Z`);
    case "uri":
    case "url":
    case "iri":
    case "uri-reference":
    case "iri-reference":
      return urlArb(lit);
    case "email":
    case "idn-email":
      return emailArb(lit).filter((e) => EMAIL_RE.test(e));
    case "hostname":
    case "idn-hostname":
      return fc.oneof(fc.domain(), fc.constantFrom("localhost", "example.com"));
    case "ipv4":
      return fc.ipV4();
    case "ipv6":
      return fc.ipV6();
    case "uuid":
      return fc.uuid();
    default:
      return undefined;
  }
}

function inferType(s: Schema): string | undefined {
  if ("properties" in s || "required" in s || "additionalProperties" in s) return "object";
  if ("items" in s || "prefixItems" in s || "minItems" in s) return "array";
  if ("minLength" in s || "maxLength" in s || "pattern" in s || "format" in s) return "string";
  if ("minimum" in s || "maximum" in s || "multipleOf" in s) return "number";
  return undefined;
}

function hasAny(l: PolicyLiterals): boolean {
  return l.strings.length + l.numbers.length + l.regexes.length + l.globs.length + l.dirs.length > 0;
}

function isSchema(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A shallow merge of two schemas: properties merged, `required` united, the rest from `b`. */
function merge(a: Schema, b: unknown): Schema {
  if (!isSchema(b)) return a;
  const out: Schema = { ...a, ...b };
  if (isSchema(a.properties) && isSchema(b.properties)) out.properties = { ...a.properties, ...b.properties };
  if (Array.isArray(a.required) && Array.isArray(b.required))
    out.required = [...new Set([...a.required, ...b.required])];
  return out;
}
