/**
 * The build's last step (scripts/runtime-script.ts): a runtime chunk becomes a script run by a
 * loader with its exports, and whatever the rewrite cannot do safely fails the build. Run on small
 * dist/ directories made here, with the real src/engine/boot.ts bundled into their loaders.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  asciiOnly,
  exportDirectly,
  rewriteDynamicImports,
  scriptRuntime,
} from "../../../scripts/runtime-script.js";
import { ROOT } from "../../integration/runtime/procs.js";
import { removeTempDirs, tempDir } from "../runtime/helpers.js";

afterAll(removeTempDirs);

/** A dist/ with an entry that re-exports `names` from `chunk-TEST.js`, whose text is `chunk`. */
function fakeDist(chunk: string, names: string[]): string {
  const dist = path.join(tempDir("rp-script-"), "dist");
  mkdirSync(dist);
  writeFileSync(path.join(dist, "index.js"), `export { ${names.join(", ")} } from "./chunk-TEST.js";\n`);
  writeFileSync(path.join(dist, "chunk-TEST.js"), chunk);
  writeFileSync(path.join(dist, "chunk-TEST.js.map"), "{}");
  writeFileSync(path.join(dist, "later.js"), "export const later = 42;\n");
  return dist;
}

function run(script: string): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("rewriteDynamicImports", () => {
  it("rewrites each import( and nothing that only ends in it", () => {
    expect(rewriteDynamicImports('await import("a"); x.import(y); reimport(z); $import(w);', 1)).toBe(
      'await __importModule("a"); x.import(y); reimport(z); $import(w);',
    );
  });

  it("refuses text with more import( than esbuild found dynamic imports", () => {
    expect(() => rewriteDynamicImports('const s = "import("; await import("a");', 1)).toThrow(
      /1 dynamic import\(s\) but its text shows 2/,
    );
  });
});

describe("exportDirectly", () => {
  it("exports esbuild's object of getters instead of a copy of it", () => {
    const code =
      "var x_exports = {};\n__export(x_exports, { a: () => a });\nmodule.exports = __toCommonJS(x_exports);\nvar a = 1;\n";
    expect(exportDirectly(code)).toBe(
      "var x_exports = {};\n__export(x_exports, { a: () => a });\nmodule.exports = x_exports;\nvar a = 1;\n",
    );
  });

  it("refuses text without that line, or with two", () => {
    expect(() => exportDirectly("module.exports = x_exports;\n")).toThrow(/not 0/);
    const twice = "module.exports = __toCommonJS(a);\nmodule.exports = __toCommonJS(b);\n";
    expect(() => exportDirectly(twice)).toThrow(/not 2/);
  });
});

describe("asciiOnly", () => {
  it("writes the non-ASCII characters of comments as \\u{…}", async () => {
    expect(await asciiOnly("// a … b\nconst x = 1; /* “q” */\n")).toBe(
      "// a \\u{2026} b\nconst x = 1; /* \\u{201c}q\\u{201d} */\n",
    );
    expect(await asciiOnly("const x = 1;\n")).toBe("const x = 1;\n");
  });

  it("keeps a string's meaning, and refuses a change of meaning (a regular expression without u)", async () => {
    const s = await asciiOnly('const s = "…";\n');
    expect(s).toBe('const s = "\\u{2026}";\n');
    expect(new Function(`${s}; return s;`)()).toBe("…");
    await expect(asciiOnly("const r = /…/;\n")).rejects.toThrow(/non-ASCII characters outside its comments/);
  });
});

describe("scriptRuntime", () => {
  it("the loader exports the chunk's names, with its imports, import.meta.url and import() working", async () => {
    const dist = fakeDist(
      `import path from "node:path";
const sep = path.sep;
function later() { return import("./later.js").then((m) => m.later); }
function os() { const name = "node:os"; return import(name).then((m) => typeof m.cpus); }
const url = import.meta.url;
class Thing {}
function strictThis() { return this; }
export { sep, later, os, url, Thing, strictThis as strict };
`,
      ["sep", "later", "os", "url", "Thing", "strict"],
    );
    expect(await scriptRuntime(dist, ROOT)).toBe("chunk-TEST.js");
    expect(readdirSync(dist).sort()).toEqual([
      "chunk-TEST.js",
      "chunk-TEST.script.js",
      "chunk-TEST.script.js.map",
      "chunk-TEST.script.js.v8cache",
      "index.js",
      "later.js",
    ]);
    const index = pathToFileURL(path.join(dist, "index.js")).href;
    const chunk = pathToFileURL(path.join(dist, "chunk-TEST.js")).href;
    const r = run(`const m = await import(${JSON.stringify(index)});
const c = await import(${JSON.stringify(chunk)});
console.log(JSON.stringify({ sep: m.sep, later: await m.later(), os: await m.os(), url: m.url,
  same: m.Thing === c.Thing, strict: (0, m.strict)() === undefined, cache: c.__runtimeCodeCache }));`);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      sep: "/",
      later: 42,
      os: "function",
      url: chunk,
      same: true,
      strict: true,
      cache: "used",
    });
    expect(readFileSync(path.join(dist, "chunk-TEST.script.js"), "utf8")).toMatch(
      /^\(function \(exports, require, module, __importMetaUrl, __importModule\) \{"use strict";/,
    );
  });

  it("refuses a chunk that imports a package statically", async () => {
    const dist = fakeDist('import pm from "picomatch";\nconst m = pm;\nexport { m };\n', ["m"]);
    await expect(scriptRuntime(dist, ROOT)).rejects.toThrow(/imports picomatch statically/);
    // Nothing was changed.
    expect(readFileSync(path.join(dist, "chunk-TEST.js"), "utf8")).toContain('from "picomatch"');
    expect(existsSync(path.join(dist, "chunk-TEST.script.js"))).toBe(false);
  });

  it("refuses a chunk whose text shows an import( that is not one", async () => {
    const dist = fakeDist(
      'const s = "import(";\nfunction f() { return import("./later.js"); }\nexport { s, f };\n',
      ["s", "f"],
    );
    await expect(scriptRuntime(dist, ROOT)).rejects.toThrow(/looks like one/);
    expect(existsSync(path.join(dist, "chunk-TEST.script.js"))).toBe(false);
  });

  it("refuses a chunk that uses import.meta other than its url", async () => {
    const dist = fakeDist("const d = import.meta.dirname;\nexport { d };\n", ["d"]);
    await expect(scriptRuntime(dist, ROOT)).rejects.toThrow(/turning chunk-TEST\.js into a script/);
  });

  it("refuses a dist/index.js that imports no chunk", async () => {
    const dist = fakeDist("export const a = 1;\n", ["a"]);
    writeFileSync(path.join(dist, "index.js"), "export const a = 1;\n");
    await expect(scriptRuntime(dist, ROOT)).rejects.toThrow(/exactly one chunk/);
  });
});
