import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { policyHash } from "../../../src/engine/hash.js";
import { loadPolicy, PolicyLoadError } from "../../../src/engine/load.js";
import { OLDEST_ABI, RUNTIME_ABI } from "../../../src/engine/runtime.js";
import { removeTempTrees, tempTree } from "../../cli/helpers.js";

afterAll(removeTempTrees);

const root = path.resolve(import.meta.dirname, "../../..");

const A = { path: "a.rplc", text: "action a.b { x: number }\non a.b { block big when args.x > 10 }\n" };
const B = { path: "b.rplc", text: "risk r 5\n" };

describe("policy hash", () => {
  it("equal sources give equal hashes, in any order", () => {
    expect(policyHash([A, B])).toBe(policyHash([B, A]));
    expect(policyHash([A, B])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("any change of a path or a text changes it; parts cannot be shifted between fields", () => {
    const h = policyHash([A, B]);
    expect(policyHash([A])).not.toBe(h);
    expect(policyHash([{ ...A, text: `${A.text} ` }, B])).not.toBe(h);
    expect(policyHash([{ ...A, path: "c.rplc" }, B])).not.toBe(h);
    expect(policyHash([{ path: "ab", text: "c" }])).not.toBe(policyHash([{ path: "a", text: "bc" }]));
  });

  it("the compiled module and the interpreter report the same hash", async () => {
    const r = await compile({ sources: [B, A] }, { cwd: "/x" });
    expect(r.value?.hash).toBe(policyHash([A, B]));
  });
});

describe("loadPolicy", () => {
  it("loads from source text and from a path", async () => {
    const r = await compile({ sources: [A] }, { cwd: "/x" });
    const code = r.value?.code ?? "";
    const fromText = await loadPolicy(code);
    const dir = tempTree({});
    const file = path.join(dir, "p.mjs");
    writeFileSync(file, code);
    const fromPath = await loadPolicy(file);
    const fromObject = await loadPolicy({ path: file });
    const q = { action: "a.b", args: { x: 11 }, time: "2026-01-01T00:00:00Z" };
    expect(fromPath.decide(q)).toEqual(fromText.decide(q));
    expect(fromObject.decide(q).decision).toBe("BLOCK");
    expect(fromText.rules).toEqual([{ id: "big", effect: "block", location: "a.rplc:2:10" }]);
    expect(Object.isFrozen(fromText.rules[0])).toBe(true);
  });

  it("rejects what rplc did not build", async () => {
    await expect(loadPolicy("export function decide() {}\n")).rejects.toThrow(PolicyLoadError);
    await expect(loadPolicy("// Runplane compiled policy set. x\nexport const x = 1;\n")).rejects.toThrow(
      "does not import the runplane runtime",
    );
    await expect(loadPolicy("/no/such/policy.mjs")).rejects.toThrow("cannot read `/no/such/policy.mjs`");
    const r = await compile({ sources: [A] }, { cwd: "/x" });
    const code = r.value?.code ?? "";
    // A module cut short, or with its exports edited, is refused before anything of it runs.
    for (const edited of [code.slice(0, -2), code.replace("\nexport const rules = ", "\nconst rules = ")]) {
      expect(edited).not.toBe(code);
      await expect(loadPolicy(edited)).rejects.toThrow("does not end with the exports of an rplc module");
    }
    // A comment appended to the module is no reason to refuse it.
    expect((await loadPolicy(`${code}//# sourceMappingURL=p.mjs.map\n`)).hash).toBe(r.value?.hash);
    // Text between the two lines that is not one function expression.
    const two = code.replace('\n"use strict";\n', '\n"use strict";\n}); void (async function (rt) {\n');
    await expect(loadPolicy(two)).rejects.toThrow("does not hold its policy set as one function");
    // A module of ABI 2 (declarations exported at the top level) without one of its exports.
    const old = readFileSync(path.join(root, "test/fixtures/modules/abi2-db.js"), "utf8");
    for (const declaration of ["export const rules = ", "export function decide("]) {
      const edited = old.replace(`\n${declaration}`, `\n${declaration.replace("export ", "")}`);
      expect(edited).not.toBe(old);
      await expect(loadPolicy(edited)).rejects.toThrow(
        `does not declare its exports as rplc modules do (\`${declaration}\`)`,
      );
    }
  });

  it("stack traces of a module loaded from a file give the file's lines", async () => {
    const r = await compile({ sources: [A] }, { cwd: "/x" });
    const code = (r.value?.code ?? "").replace(
      "function decide(request) {\n",
      'function decide(request) {\n  if (request === 42) return new Error("here").stack;\n',
    );
    const line = code.split("\n").findIndex((l) => l.includes('new Error("here")')) + 1;
    const dir = tempTree({});
    const file = path.join(dir, "p.mjs");
    writeFileSync(file, code);
    for (const codeCache of [true, false]) {
      const p = await loadPolicy(file, { codeCache });
      expect(String(p.decide(42))).toContain(`${file}:${line}:`);
    }
    expect(String((await loadPolicy(code)).decide(42))).toContain(`(policy module:${line}:`);
  });

  it("a module built for another runtime ABI fails loudly", async () => {
    const r = await compile({ sources: [A] }, { cwd: "/x" });
    const code = r.value?.code ?? "";
    expect(code).toContain(`rt.abi(${RUNTIME_ABI});`);
    for (const version of [999, RUNTIME_ABI + 1, OLDEST_ABI - 1]) {
      const other = code.replace(`rt.abi(${RUNTIME_ABI});`, `rt.abi(${version});`);
      await expect(loadPolicy(other)).rejects.toThrow(`needs runtime ABI ${version}`);
    }
  });

  it("the rule and risk tables are frozen, approvers included", async () => {
    const text = readFileSync(path.join(root, "test/golden/js/db.rplc"), "utf8");
    const r = await compile({ sources: [{ path: "db.rplc", text }] }, { cwd: "/golden" });
    expect(r.value?.code).toContain("\nconst rules = rt.table([");
    const p = await loadPolicy(r.value?.code ?? "");
    const withApprovers = p.rules.find((rule) => rule.approvers !== undefined);
    expect(withApprovers?.approvers).toEqual(["dba"]);
    expect(Object.isFrozen(withApprovers?.approvers)).toBe(true);
    for (const table of [p.rules, p.risks]) {
      expect(table.length).toBeGreaterThan(0);
      expect(Object.isFrozen(table)).toBe(true);
      for (const row of table) expect(Object.isFrozen(row)).toBe(true);
    }
    expect(() => (p.rules as unknown as { id: string }[]).push({ id: "x" })).toThrow(TypeError);
  });

  // Each fixture is test/golden/js/db.js as rplc emitted it for an older ABI: 1 (before the fast
  // request checks), 2 (tables made with `rt.constant`, before `rt.table`). The same policy compiled
  // now must decide every request alike.
  it.each(["abi1-db.js", "abi2-db.js"])(
    "a module of an older ABI (%s) still loads and decides as one built now",
    async (fixture) => {
      const old = await loadPolicy(readFileSync(path.join(root, "test/fixtures/modules", fixture), "utf8"));
      expect(Object.isFrozen(old.rules[0])).toBe(true);
      const text = readFileSync(path.join(root, "test/golden/js/db.rplc"), "utf8");
      const r = await compile({ sources: [{ path: "db.rplc", text }] }, { cwd: "/golden" });
      const now = await loadPolicy(r.value?.code ?? "");
      expect(old.hash).toBe(now.hash);
      expect(old.rules).toEqual(now.rules);
      const time = "2026-11-24T10:00:00Z";
      const context = { env: "production", agent: "a", user: { id: "u", roles: ["oncall"] } };
      const requests: unknown[] = [
        { action: "db.query", args: { sql: "DELETE FROM users" }, context, time },
        {
          action: "db.query",
          args: { sql: "UPDATE t SET a = 1 WHERE id = 2", database: "main" },
          context,
          time,
        },
        {
          action: "db.query",
          args: { sql: "SELECT 1", extra: { deep: [1, 2] } },
          context: { env: "dev", agent: "b" },
          time,
        },
        { action: "db.query", args: { sql: 5 }, context, time },
        { action: "db.query", args: {}, context, time },
        { action: "db.query", args: { sql: "SELECT 1" }, context: { env: "prod", agent: "a" }, time },
        { action: "db.query", args: { sql: "SELECT 1" }, context: { env: "dev" }, time },
        { action: "db.query", args: { sql: "SELECT 1", n: Number.NaN }, context, time },
        { action: "db.query", args: { sql: "SELECT 1" }, context, time: "yesterday" },
        { action: "db.query", args: { sql: "SELECT 1" }, context, time, extra: 1 },
        { action: "fs.read", args: { path: "/x" }, context, time: "2026-11-24T03:00:00Z" },
        { action: "fs.read", args: { f: () => 1 }, context, time },
        { args: { sql: "SELECT 1" } },
        [],
        null,
      ];
      for (const q of requests) expect(now.decide(q)).toEqual(old.decide(q));
    },
  );
});
