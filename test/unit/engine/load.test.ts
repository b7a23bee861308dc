import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { policyHash } from "../../../src/engine/hash.js";
import { loadPolicy, PolicyLoadError } from "../../../src/engine/load.js";
import { removeTempTrees, tempTree } from "../../cli/helpers.js";

afterAll(removeTempTrees);

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
  });

  it("a module built for another runtime ABI fails loudly", async () => {
    const r = await compile({ sources: [A] }, { cwd: "/x" });
    const other = (r.value?.code ?? "").replace("rt.abi(1);", "rt.abi(999);");
    await expect(loadPolicy(other)).rejects.toThrow("needs runtime ABI 999");
  });
});
