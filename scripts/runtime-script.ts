/**
 * The build's last step (tsup.config.ts `onSuccess`): the runtime chunk of dist/ becomes a script
 * compiled with a V8 code cache, behind a loader with the chunk's name and exports (src/engine/boot.ts
 * says why). `import "runplane"` still loads two ES modules, dist/index.js and the loader.
 *
 * 1. The chunk is rebuilt by esbuild as CommonJS with every import left external, so that only
 *    three things from its module context remain: `require` (Node's built-in modules: any other
 *    static import is refused), `import.meta.url` (defined as `__importMetaUrl`) and `import()`.
 * 2. Each dynamic `import(` becomes `__importModule(`, the loader's own `import()`. esbuild says how
 *    many dynamic imports the chunk has (its metafile, and a report for each of a variable); the
 *    rewrite must find exactly that many, so text that merely looks like one (in a string, a
 *    comment) fails the build instead of being changed.
 * 3. The script is `(function (exports, require, module, __importMetaUrl, __importModule) { … })`,
 *    strict like the module it was, in ASCII (`asciiOnly`), with its source map; it exports
 *    esbuild's object of getters itself, not a copy (`exportDirectly`).
 * 4. The loader is src/engine/boot.ts bundled with the line that exports the chunk's names.
 * 5. One start of the runtime writes the code cache, so the first user of the build has it; it
 *    loads a small policy first (`warmUp`), so the functions that takes are in the cache compiled.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin, transform } from "esbuild";

const PARAMS = "exports, require, module, __importMetaUrl, __importModule";

/** Everything the chunk imports stays an import: the loader and Node resolve it at run time. */
const allExternal: Plugin = {
  name: "all-external",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === "entry-point" ? undefined : { path: args.path, external: true },
    );
  },
};

/** The one chunk that dist/index.js imports: the runtime (tsup.config.ts `runtimeInOneChunk`). */
export function runtimeChunk(dist: string): string {
  const index = readFileSync(path.join(dist, "index.js"), "utf8");
  const chunks = [...index.matchAll(/from "\.\/(chunk-[A-Za-z0-9_-]+\.js)"/g)].map((m) => m[1] ?? "");
  if (new Set(chunks).size !== 1)
    throw new Error(`dist/index.js should import exactly one chunk (the runtime), not ${chunks.length}`);
  return chunks[0] ?? "";
}

/**
 * Replace `import(` by `__importModule(` in esbuild's output, where `expected` is the number of
 * dynamic imports esbuild found. Throws when the text has another count of them.
 */
export function rewriteDynamicImports(code: string, expected: number): string {
  let found = 0;
  const out = code.replace(/(?<![\w$.])import\(/g, () => {
    found++;
    return "__importModule(";
  });
  if (found !== expected)
    throw new Error(
      `the runtime chunk has ${expected} dynamic import(s) but its text shows ${found} \`import(\`: a string or comment that looks like one? Reword it`,
    );
  return out;
}

/**
 * esbuild's CommonJS output ends its preamble with `module.exports = __toCommonJS(<chunk>_exports);`,
 * which copies every export (each a getter already) onto a new object, getter by getter: ~0.4 ms of
 * `import "runplane"` for the runtime's ~80 exports, in a process where nothing is optimized yet. The
 * loader only reads the exports by name, so the script exports that object itself. Throws when the
 * text does not have that line exactly once.
 */
export function exportDirectly(code: string): string {
  const lines = [...code.matchAll(/^module\.exports = __toCommonJS\(([A-Za-z0-9_$]+)\);$/gm)];
  const line = lines[0];
  if (lines.length !== 1 || line === undefined)
    throw new Error(
      `the runtime script should have one \`module.exports = __toCommonJS(…);\` line (esbuild's CommonJS output), not ${lines.length}`,
    );
  return code.replace(line[0], `module.exports = ${line[1]};`);
}

/**
 * The script in ASCII only, so that the loader takes it without decoding UTF-8 (code-cache.ts
 * `textOf`). esbuild escapes non-ASCII characters in code (its default charset), not in the comments
 * it keeps; each one left is written as `\u{…}`. Both texts, minified without comments, must be the
 * same: then only comments changed.
 */
export async function asciiOnly(code: string): Promise<string> {
  const ascii = code.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
  if (ascii === code) return code;
  const bare = async (text: string) =>
    (await transform(text, { minifyWhitespace: true, legalComments: "none", logLevel: "silent" })).code;
  if ((await bare(ascii)) !== (await bare(code)))
    throw new Error("the runtime script has non-ASCII characters outside its comments (esbuild's charset?)");
  return ascii;
}

/** The policy the build's start of the runtime loads and decides with (`warmUp`). */
const WARM_UP_POLICY = `action db.query { sql: string, rows?: number }
on db.query {
  block drop when starts_with(lower(args.sql), "drop") reason "no DROP"
  require approval big when (args.rows ?? 0) > 1000 approvers ["dba"]
  risk reads 10 when contains(args.sql, "select")
}
`;

/**
 * A script that starts the runtime in `dist/` (its loader `chunkPath`) and prints what became of
 * the code cache and whether it was rewritten. With dist/compiler.js there, it first compiles
 * WARM_UP_POLICY, loads the module from a file (with its own cache, then removed) and decides.
 */
function warmUp(dist: string, chunkPath: string): string {
  const url = (f: string) => JSON.stringify(pathToFileURL(f).href);
  const compiler = path.join(dist, "compiler.js");
  const policy = existsSync(compiler)
    ? `const { compile } = await import(${url(compiler)});
const built = await compile({ sources: [{ path: "warm-up.rplc", text: ${JSON.stringify(WARM_UP_POLICY)} }] });
const fs = await import("node:fs"), os = await import("node:os"), path = await import("node:path");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rplc-warm-up-"));
try {
  const file = path.join(dir, "policy.mjs");
  fs.writeFileSync(file, built.value.code);
  const policy = await loadPolicy(file);
  for (const sql of ["select 1", "drop table t", "delete from t"])
    for (const rows of [undefined, 5000]) policy.decide({ action: "db.query", args: { sql, rows }, context: {} });
  policy.decide({ action: "db.query", args: { sql: 5 } });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
`
    : "";
  return `const runtime = await import(${url(chunkPath)});
const { loadPolicy } = await import(${url(path.join(dist, "index.js"))});
${policy}console.log(runtime.__runtimeCodeCache, runtime.__saveRuntimeCodeCache());
`;
}

/** Turn `dist/<chunk>` into the script and the loader; returns the chunk's file name. */
export async function scriptRuntime(dist: string, root: string): Promise<string> {
  const chunk = runtimeChunk(dist);
  const chunkPath = path.join(dist, chunk);
  const scriptName = chunk.replace(/\.js$/, ".script.js");
  const scriptPath = path.join(dist, scriptName);

  // The names the chunk exports, from esbuild (as an ES module, so it lists them).
  const esm = await build({
    entryPoints: [chunkPath],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [allExternal],
    outfile: chunkPath,
  });
  const names = Object.values(esm.metafile.outputs).flatMap((o) => o.exports);

  const cjs = await build({
    entryPoints: [chunkPath],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    write: false,
    metafile: true,
    sourcemap: "external",
    define: { "import.meta.url": "__importMetaUrl" },
    // A dynamic import of a variable is not in the metafile: esbuild reports each one this way.
    logOverride: { "unsupported-dynamic-import": "warning" },
    logLevel: "silent",
    plugins: [allExternal],
    outfile: scriptPath,
  });
  const variable = cjs.warnings.filter((w) => w.id === "unsupported-dynamic-import").length;
  const warnings = cjs.warnings.filter((w) => w.id !== "unsupported-dynamic-import");
  if (warnings.length > 0)
    throw new Error(`turning ${chunk} into a script: ${warnings.map((w) => w.text).join("; ")}`);
  const input = Object.values(cjs.metafile.inputs)[0];
  if (input === undefined) throw new Error(`INVARIANT: esbuild read ${chunk}`);
  const dynamic = input.imports.filter((i) => i.kind === "dynamic-import").length + variable;
  const other = input.imports.filter((i) => i.kind !== "dynamic-import" && !isBuiltin(i.path));
  if (other.length > 0)
    throw new Error(
      `the runtime chunk imports ${other.map((i) => i.path).join(", ")} statically; it may import only Node's built-in modules (load packages on first use: src/natives/lazy.ts)`,
    );
  const js = cjs.outputFiles.find((f) => f.path === scriptPath);
  const map = cjs.outputFiles.find((f) => f.path === `${scriptPath}.map`);
  if (js === undefined || map === undefined)
    throw new Error(`INVARIANT: esbuild wrote ${scriptName} and its map`);
  // On the first line, so that the source map's lines stay right.
  // An ES module's code is strict; as a script it must say so (esbuild writes "use strict" for some).
  const code = await asciiOnly(exportDirectly(rewriteDynamicImports(js.text, dynamic)));
  const strict = code.startsWith('"use strict";') ? "" : '"use strict";';
  const text = `(function (${PARAMS}) {${strict}${code}\n})\n//# sourceMappingURL=${scriptName}.map\n`;

  const loader = await build({
    stdin: {
      contents: `import { bootRuntime } from "./src/engine/boot.ts";
const runtime = bootRuntime(import.meta.url, ${JSON.stringify(`./${scriptName}`)}, (specifier) => import(specifier));
/** What became of the runtime's code cache in this process (src/engine/boot.ts). */
export const __runtimeCodeCache = runtime.codeCache;
/** Rewrite the runtime's code cache with what V8 has compiled by now (the build's last step). */
export const __saveRuntimeCodeCache = runtime.saveCodeCache;
export const { ${names.join(", ")} } = runtime.exports;
`,
      resolveDir: root,
      sourcefile: "runtime-loader.ts",
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    plugins: [],
  });
  const loaderText = loader.outputFiles[0]?.text;
  if (loaderText === undefined) throw new Error("INVARIANT: esbuild bundled the runtime loader");

  writeFileSync(scriptPath, text);
  writeFileSync(`${scriptPath}.map`, map.text);
  writeFileSync(
    chunkPath,
    `// The runtime's loader (scripts/runtime-script.ts); the runtime is ${scriptName}.\n${loaderText}`,
  );
  rmSync(`${chunkPath}.map`, { force: true });

  // Write the code cache now: one start of the runtime, which also loads and uses a small policy
  // when the compiler is built, so that the cache holds those functions compiled too (~0.5 ms less
  // to import the runtime and load a module).
  rmSync(`${scriptPath}.v8cache`, { force: true });
  const probe = spawnSync(process.execPath, ["--input-type=module", "-e", warmUp(dist, chunkPath)], {
    encoding: "utf8",
  });
  if (probe.status !== 0 || probe.stdout.trim() !== "written true")
    throw new Error(`starting the built runtime: ${probe.stdout.trim()} ${probe.stderr.trim()}`);
  return chunk;
}
