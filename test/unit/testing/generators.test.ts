import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonSchema } from "../../../src/check/program.js";
import { validatorFor } from "../../../src/compile/validators.js";
import { initNatives } from "../../../src/natives/init.js";
import { globMatcher } from "../../../src/natives/patterns.js";
import { SchemaGen } from "../../../src/testing/generators.js";
import { collectLiterals, type PolicyLiterals } from "../../../src/testing/literals.js";
import { requestArbitrary } from "../../../src/testing/properties.js";
import { globExample, regexExample } from "../../../src/testing/strings.js";
import { checked, examplePolicies } from "./helpers.js";

beforeAll(async () => {
  await initNatives();
});

const NONE: PolicyLiterals = { strings: [], numbers: [], regexes: [], globs: [], dirs: [] };
const D2020 = "https://json-schema.org/draft/2020-12/schema";

const SCHEMAS: Record<string, JsonSchema> = {
  enums: {
    $schema: D2020,
    type: "object",
    properties: { mode: { enum: ["a", "b"] }, fixed: { const: 7 }, flag: { type: "boolean" } },
    required: ["mode", "fixed"],
  },
  numbers: {
    $schema: D2020,
    type: "object",
    properties: {
      n: { type: "integer", minimum: 3, maximum: 9 },
      x: { type: "number", exclusiveMinimum: 0 },
      big: { type: "integer", minimum: 1000000 },
    },
    required: ["n", "x", "big"],
  },
  strings: {
    $schema: D2020,
    type: "object",
    properties: {
      short: { type: "string", minLength: 2, maxLength: 5 },
      code: { type: "string", pattern: "^[A-Z]{3}-[0-9]{2}$" },
      at: { type: "string", format: "date-time" },
      day: { type: "string", format: "date" },
      mail: { type: "string", format: "email" },
      link: { type: "string", format: "uri" },
      ip: { type: "string", format: "ipv4" },
      id: { type: "string", format: "uuid" },
    },
    required: ["short", "code", "at", "day", "mail", "link", "ip", "id"],
    additionalProperties: false,
  },
  arrays: {
    $schema: D2020,
    type: "object",
    properties: {
      tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3, uniqueItems: true },
      pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
      grid: { type: "array", items: { type: "array", items: { type: "number" } } },
    },
    required: ["tags", "pair", "grid"],
  },
  composed: {
    $schema: D2020,
    type: "object",
    $defs: { user: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
    properties: {
      owner: { $ref: "#/$defs/user" },
      target: { anyOf: [{ type: "string" }, { type: "integer", minimum: 0 }] },
      both: {
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "boolean" } }, required: ["b"] },
        ],
      },
      headers: { type: "object", additionalProperties: { type: "string" } },
      anything: {},
    },
    required: ["owner", "target", "both", "headers"],
  },
  draft07: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { pair: { type: "array", items: [{ type: "string" }, { type: "boolean" }] } },
    required: ["pair"],
  },
};

describe("values from JSON Schema", () => {
  const lit = collectLiterals(examplePolicies());
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`every generated value satisfies the schema: ${name}`, () => {
      const validate = validatorFor(schema);
      const gen = new SchemaGen(lit);
      fc.assert(
        fc.property(gen.of(schema), (v) => {
          if (!validate(v)) throw new Error(`${JSON.stringify(v)}: ${JSON.stringify(validate.errors)}`);
        }),
        { numRuns: 300, seed: 1 },
      );
    });
  }

  it("every request drawn for the example policies satisfies its action's and the context's schemas", () => {
    const set = examplePolicies();
    const gen = new SchemaGen(collectLiterals(set));
    const ctx = validatorFor(set.context!.schema);
    for (const [action, info] of set.actions) {
      const args = validatorFor(info.schema);
      for (const r of fc.sample(requestArbitrary(set, [action], gen), { numRuns: 200, seed: 3 })) {
        expect(r.action).toBe(action);
        expect(args(r.args), JSON.stringify(r.args)).toBe(true);
        expect(ctx(r.context), JSON.stringify(r.context)).toBe(true);
        expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
    }
  });

  it("optional fields are both present and absent; enums take every value", () => {
    const gen = new SchemaGen(NONE);
    const values = fc.sample(gen.of(SCHEMAS.enums), { numRuns: 300, seed: 5 }) as Record<string, unknown>[];
    expect(values.some((v) => "flag" in v)).toBe(true);
    expect(values.some((v) => !("flag" in v))).toBe(true);
    expect(new Set(values.map((v) => v.mode))).toEqual(new Set(["a", "b"]));
  });
});

describe("bias towards the policy's constants", () => {
  const set = checked(`
action fs.delete { path: string, size: number, tags: list<string>, headers: map<string> }
on fs.delete {
  allow tmp when path.within(args.path, "/tmp")
  block marked when contains(args.path, "secret")
  risk big 10 when args.size > 4096
  block many when len(args.tags) > 20
  block dry when (args.headers["x-dry-run"] ?? "") == "true"
}
`);
  const gen = new SchemaGen(collectLiterals(set));
  const samples = fc.sample(requestArbitrary(set, ["fs.delete"], gen), { numRuns: 2000, seed: 11 });
  const args = samples.map(
    (s) => s.args as { path: string; size: number; tags: string[]; headers: Record<string, string> },
  );

  it("paths inside, beside and escaping the path.within directory", () => {
    const paths = args.map((a) => a.path);
    expect(paths.some((p) => /^\/tmp\/[^.]/.test(p))).toBe(true);
    expect(paths.some((p) => p.startsWith("/tmp/../"))).toBe(true);
    expect(paths.some((p) => /^\/tmp[a-z0-9]/.test(p))).toBe(true);
    expect(paths.some((p) => p.includes("secret") && p !== "secret")).toBe(true);
  });

  it("numbers next to the constants compared with, and negatives", () => {
    const sizes = new Set(args.map((a) => a.size));
    for (const n of [4095, 4096, 4097, 0, -1]) expect(sizes.has(n), String(n)).toBe(true);
    expect([...sizes].some((n) => n < -1)).toBe(true);
  });

  it("list lengths around the constants lengths are compared with", () => {
    expect(args.some((a) => a.tags.length === 21)).toBe(true);
    expect(args.some((a) => a.tags.length === 0)).toBe(true);
  });

  it("map keys the policy reads", () => {
    expect(args.some((a) => Object.hasOwn(a.headers, "x-dry-run"))).toBe(true);
    expect(args.some((a) => a.headers["x-dry-run"] === "true")).toBe(true);
  });

  it("times cover every hour and weekday", () => {
    const times = samples.map((s) => new Date(s.time as string));
    expect(new Set(times.map((t) => t.getUTCHours())).size).toBe(24);
    expect(new Set(times.map((t) => t.getUTCDay())).size).toBe(7);
  });
});

describe("pattern examples", () => {
  it("glob examples match their glob (the natives' glob semantics)", () => {
    for (const glob of [
      "**/.ssh/**",
      "*.acme.com",
      "payments-*",
      "/var/log/{app,web}/*.log",
      "file?.[ch]",
      "x[!0-9]y",
    ]) {
      const isMatch = globMatcher(glob);
      for (const s of fc.sample(globExample(glob), { numRuns: 50, seed: 2 }))
        expect(isMatch(s), `${glob}: ${s}`).toBe(true);
    }
  });

  it("regex examples match their regex; unsupported syntax gives none", () => {
    const re = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$";
    const arb = regexExample(re);
    expect(arb).toBeDefined();
    for (const s of fc.sample(arb!, { numRuns: 50, seed: 2 })) expect(new RegExp(re).test(s)).toBe(true);
    expect(regexExample("(?<=a)b")).toBeUndefined();
  });
});

describe("a property's own constants are favoured", () => {
  it("a `where` on one directory is satisfied often although the set names hundreds of others", () => {
    const many: PolicyLiterals = {
      ...NONE,
      strings: Array.from({ length: 300 }, (_, i) => `value-${i}`),
      dirs: Array.from({ length: 100 }, (_, i) => `/dir${i}`),
    };
    const focus: PolicyLiterals = { ...NONE, strings: ["/etc"], dirs: ["/etc"] };
    const schema = { type: "string" };
    const share = (gen: SchemaGen) =>
      (fc.sample(gen.of(schema), { numRuns: 1000, seed: 4 }) as string[]).filter(
        (s) => s === "/etc" || s.startsWith("/etc/"),
      ).length / 1000;
    expect(share(new SchemaGen(many))).toBeLessThan(0.02);
    expect(share(new SchemaGen(many, focus))).toBeGreaterThan(0.1);
  });

  it("collectLiterals takes the roots to walk: a property's `where` alone", () => {
    const set = checked(`
action fs.delete { path: string }
on fs.delete { block etc when path.within(args.path, "/etc") }
property "p" {
  for fs.delete where path.within(args.path, "/srv") and args.path != "/srv/keep"
  expect block
}
`);
    const where = set.properties[0]!.where;
    expect(collectLiterals(set, where)).toEqual({
      strings: ["/srv", "/srv/keep"],
      numbers: [],
      regexes: [],
      globs: [],
      dirs: ["/srv"],
    });
  });
});

describe("recursive schemas", () => {
  it("a tree through $ref stays small and valid", () => {
    const tree: JsonSchema = {
      $schema: D2020,
      $defs: {
        node: {
          type: "object",
          properties: {
            name: { type: "string" },
            children: { type: "array", items: { $ref: "#/$defs/node" } },
          },
          required: ["name", "children"],
        },
      },
      $ref: "#/$defs/node",
    };
    const validate = validatorFor(tree);
    const values = fc.sample(new SchemaGen(NONE).of(tree), { numRuns: 200, seed: 8 });
    for (const v of values) {
      expect(validate(v), JSON.stringify(v)).toBe(true);
      expect(JSON.stringify(v).length).toBeLessThan(20_000);
    }
    expect(values.some((v) => (v as { children: unknown[] }).children.length > 0)).toBe(true);
  });
});
