import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dialectOf, loadObjectSchema, schemaToType } from "../../../src/check/schema.js";
import { T } from "../../../src/check/types.js";
import { span } from "../../../src/diagnostics/span.js";

const at = span("p.rplc", 5, 20);
const read = (p: string) => readFileSync(p, "utf8");

function load(content: string | object | boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), "rplc-schema-"));
  const file = path.join(dir, "s.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return loadObjectSchema(file, "schemas/s.json", at, read);
}

describe("schemaToType on hand-written schemas", () => {
  it("maps the supported keywords", () => {
    const r = schemaToType(
      {
        type: "object",
        properties: {
          path: { type: "string", description: "where" },
          size: { type: "integer" },
          mode: { enum: ["r", "w"] },
          at: { type: "string", format: "date-time" },
          tags: { type: "array", items: { type: "string" } },
          meta: { type: "object", additionalProperties: { type: "boolean" } },
          kind: { const: "file" },
          raw: true,
        },
        required: ["path", "missing"],
        additionalProperties: false,
      },
      at,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual(
      T.object({
        path: { type: T.string, optional: false },
        size: { type: T.number, optional: true },
        mode: { type: T.union(["r", "w"]), optional: true },
        at: { type: T.timestamp, optional: true },
        tags: { type: T.list(T.string), optional: true },
        meta: { type: T.map(T.bool), optional: true },
        kind: { type: T.union(["file"]), optional: true },
        raw: { type: T.any, optional: true },
        missing: { type: T.any, optional: false },
      }),
    );
  });

  it("resolves local references, draft-07 definitions included", () => {
    const r = schemaToType(
      {
        $schema: "http://json-schema.org/draft-07/schema#",
        definitions: { user: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
        type: "object",
        properties: { owner: { $ref: "#/definitions/user" }, "a/b": { $ref: "#/properties/owner" } },
      },
      at,
    );
    expect(r.diagnostics).toEqual([]);
    const user = T.object({ id: { type: T.string, optional: false } });
    expect(r.value).toEqual(
      T.object({ owner: { type: user, optional: true }, "a/b": { type: user, optional: true } }),
    );
  });

  it("warns once per file, naming every keyword it cannot express", () => {
    const r = schemaToType(
      {
        type: "object",
        properties: {
          a: { type: "string", pattern: "^x", minLength: 2 },
          b: { type: "string", pattern: "^y", format: "email" },
          c: { oneOf: [{ type: "string" }, { type: "number" }] },
          d: { type: ["string", "null"] },
        },
      },
      at,
      "schemas/s.json",
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([["RPL3007", "warning", at]]);
    expect(r.diagnostics[0]?.message).toBe(
      '`schemas/s.json` uses keywords rplc types cannot express: `pattern`, `minLength`, `format`, `oneOf`, `type: "null"`',
    );
    expect(r.diagnostics[0]?.help).toMatch(/runtime still enforces/);
    expect(r.value).toEqual(
      T.object({
        a: { type: T.string, optional: true },
        b: { type: T.string, optional: true },
        c: { type: T.any, optional: true },
        d: { type: T.string, optional: true },
      }),
    );
  });

  it("types recursive references as any, with a warning", () => {
    const r = schemaToType(
      {
        $defs: {
          node: {
            type: "object",
            properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } },
          },
        },
        $ref: "#/$defs/node",
      },
      at,
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["RPL3011"]);
    expect(r.value).toEqual(
      T.object({
        children: { type: T.list(T.any), optional: true },
      }),
    );
  });

  it("reports references it cannot resolve", () => {
    const r = schemaToType({ properties: { x: { $ref: "#/$defs/nope" }, y: { $ref: "other.json#/a" } } }, at);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["RPL3008"]);
    expect(r.diagnostics[0]?.message).toContain("`#/$defs/nope`, `other.json#/a`");
    expect(r.value.kind).toBe("object");
  });
});

describe("dialectOf", () => {
  it("picks the dialect from $schema", () => {
    expect(dialectOf({})).toBe("2020-12");
    expect(dialectOf({ $schema: "https://json-schema.org/draft/2020-12/schema" })).toBe("2020-12");
    expect(dialectOf({ $schema: "http://json-schema.org/draft-07/schema#" })).toBe("draft-07");
    expect(dialectOf({ $schema: "http://json-schema.org/draft-07/schema" })).toBe("draft-07");
    expect(dialectOf({ $schema: "http://json-schema.org/draft-04/schema#" })).toBeUndefined();
  });
});

describe("loadObjectSchema", () => {
  it("reads, validates and maps a schema file", () => {
    const r = load({ type: "object", properties: { path: { type: "string" } }, required: ["path"] });
    expect(r.diagnostics).toEqual([]);
    expect(r.type).toEqual(T.object({ path: { type: T.string, optional: false } }));
    expect(r.schema).toEqual({
      type: "object",
      properties: { path: { type: "string" } },
      required: ["path"],
    });
  });

  it("reports an unreadable file at the from string", () => {
    const r = loadObjectSchema("/nonexistent/s.json", "schemas/s.json", at, read);
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([["RPL3004", at]]);
    expect(r.diagnostics[0]?.message).toBe("cannot read schema `schemas/s.json`: no such file or directory");
    expect(r.type.kind).toBe("error");
  });

  it("reports bad JSON", () => {
    const r = load("{ type: object");
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([["RPL3005", at]]);
  });

  it("reports a schema the meta-schema rejects", () => {
    const r = load({ type: "strin" });
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([["RPL3006", at]]);
    expect(r.diagnostics[0]?.message).toContain("`/type`");
  });

  it("validates draft-07 schemas with the draft-07 meta-schema", () => {
    // `$defs` is only a keyword in 2020-12, `definitions` in both; an integer `exclusiveMinimum`
    // is draft-07 style and valid in both, a boolean one is draft-04 and valid in neither.
    const ok = load({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: {} });
    expect(ok.diagnostics).toEqual([]);
    const bad = load({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      minProperties: -1,
    });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["RPL3006"]);
  });

  it("reports a pattern that is not a regular expression", () => {
    const r = load({ type: "object", properties: { a: { type: "string", pattern: "(" } } });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["RPL3006"]);
  });

  it("rejects dialects other than 2020-12 and draft-07", () => {
    const r = load({ $schema: "http://json-schema.org/draft-04/schema#", type: "object" });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["RPL3010"]);
  });

  it("requires the schema to describe an object", () => {
    const r = load({ type: "array", items: { type: "string" } });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["RPL3009", "`schemas/s.json` describes `list<string>`, not an object"],
    ]);
    expect(load({}).type).toEqual(T.object({}));
    expect(load(true).type).toEqual(T.object({}));
  });

  it("accepts the same $id twice (validation leaves no schema behind)", () => {
    const s = { $id: "https://example.com/s", type: "object" };
    expect(load(s).diagnostics).toEqual([]);
    expect(load(s).diagnostics).toEqual([]);
  });
});
