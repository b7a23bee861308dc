/**
 * The V8 code cache beside a policy module loaded from a file (src/engine/code-cache.ts): written
 * on the first load, used by later ones, and never trusted for a module that changed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadPolicy } from "../../../src/engine/load.js";
import { removeTempTrees, tempTree } from "../../cli/helpers.js";

afterAll(removeTempTrees);

const POLICY = "action a.b { x: number }\non a.b { block big when args.x > 10 }\n";

async function moduleFile(): Promise<string> {
  const r = await compile({ sources: [{ path: "a.rplc", text: POLICY }] }, { cwd: "/x" });
  const file = path.join(tempTree({}), "policy.mjs");
  writeFileSync(file, r.value?.code ?? "");
  return file;
}

const decide = async (file: string, x: number, codeCache?: boolean) =>
  (await loadPolicy(file, { codeCache })).decide({ action: "a.b", args: { x } }).decision;

describe("the code cache of a policy module", () => {
  it("is written beside the module on the first load and holds the module's exact bytes", async () => {
    const file = await moduleFile();
    expect(await decide(file, 11)).toBe("BLOCK");
    const cache = readFileSync(`${file}.v8cache`);
    const nl = cache.indexOf(10);
    expect(JSON.parse(cache.toString("utf8", 0, nl))).toMatchObject({
      format: 2,
      v8: process.versions.v8,
      bytes: readFileSync(file).length,
      data: cache.length - nl - 1 - readFileSync(file).length,
    });
    expect(cache.subarray(nl + 1).indexOf(readFileSync(file))).toBe(0);
    // A second load decides the same, and leaves no temporary file behind.
    expect(await decide(file, 11)).toBe("BLOCK");
    expect(await decide(file, 3)).toBe("ALLOW");
    expect(readdirSync(path.dirname(file)).sort()).toEqual(["policy.mjs", "policy.mjs.v8cache"]);
  });

  it("is not used for a module edited in place, even to the same length", async () => {
    const file = await moduleFile();
    expect(await decide(file, 50)).toBe("BLOCK");
    const text = readFileSync(file, "utf8");
    // The rule table is top-level code, which the cache holds compiled: "block" → "allow".
    expect(text).toContain('{ id: "big", effect: "block"');
    writeFileSync(file, text.replace('{ id: "big", effect: "block"', '{ id: "big", effect: "allow"'));
    expect(readFileSync(file).length).toBe(Buffer.byteLength(text));
    expect(await decide(file, 50)).toBe("ALLOW");
  });

  it("is not used for a large module edited in place past its first 64 KiB", async () => {
    // The copy of the module in the cache is compared a chunk at a time (code-cache.ts). The edit
    // is in the rule table, top-level code that the cache holds compiled, past two chunks.
    const name = (i: number) => `rule_${i}_${"x".repeat(100)}`;
    const rules = Array.from({ length: 1000 }, (_, i) => `  block ${name(i)} when args.x == ${100_000 + i}`);
    const text = `action a.b { x: number }\non a.b {\n${rules.join("\n")}\n  block last when args.x == 7\n}\n`;
    const r = await compile({ sources: [{ path: "a.rplc", text }] }, { cwd: "/x" });
    const file = path.join(tempTree({}), "policy.mjs");
    const code = r.value?.code ?? "";
    writeFileSync(file, code);
    expect(await decide(file, 7)).toBe("BLOCK");
    const row = '{ id: "last", effect: "block"';
    const at = code.indexOf(row);
    expect(at).toBeGreaterThan(2 * 64 * 1024);
    writeFileSync(file, `${code.slice(0, at)}${row.replace("block", "allow")}${code.slice(at + row.length)}`);
    expect(await decide(file, 7)).toBe("ALLOW");
  });

  // V8 checks the data's version, flags and length, not its content (no checksum in release
  // builds): a cache damaged in place can crash the process, like a damaged module (docs/cli.md).
  it("a truncated cache, or one that is not a cache, is ignored and rewritten", async () => {
    const file = await moduleFile();
    await decide(file, 11);
    const cache = readFileSync(`${file}.v8cache`);
    writeFileSync(`${file}.v8cache`, cache.subarray(0, cache.length - 500));
    expect(await decide(file, 11)).toBe("BLOCK");
    expect(readFileSync(`${file}.v8cache`).length).toBeGreaterThan(cache.length - 500);
    writeFileSync(`${file}.v8cache`, "not a cache");
    expect(await decide(file, 11)).toBe("BLOCK");
    expect(readFileSync(`${file}.v8cache`).subarray(0, 1).toString()).toBe("{");
  });

  it("is neither read nor written with codeCache: false, nor for a module given as text", async () => {
    const file = await moduleFile();
    expect(await decide(file, 11, false)).toBe("BLOCK");
    expect(existsSync(`${file}.v8cache`)).toBe(false);
    await loadPolicy(readFileSync(file, "utf8"));
    expect(existsSync(`${file}.v8cache`)).toBe(false);
  });

  it("a cache that cannot be written is no error", async () => {
    const file = await moduleFile();
    mkdirSync(`${file}.v8cache`); // a directory where the cache would go: the rename fails
    expect(await decide(file, 11)).toBe("BLOCK");
    expect(readdirSync(path.dirname(file)).sort()).toEqual(["policy.mjs", "policy.mjs.v8cache"]);
  });
});
