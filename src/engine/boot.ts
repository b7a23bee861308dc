/**
 * How the built runtime starts: the loader that the build (scripts/runtime-script.ts) puts in the
 * place of the runtime chunk of dist/. Never imported by the runtime itself.
 *
 * Node 20 compiles every ES module from its text on every start (it has no compile cache before
 * Node 22), and V8 took ~6 ms to compile the runtime chunk (190 KiB), most of `import "runplane"`.
 * The build therefore turns the chunk into a script, `chunk-….script.js`, a function of what the
 * module had from its context (`require` for Node's built-in modules, `import.meta.url`, `import()`),
 * and leaves in its place this loader, which compiles that script with the V8 code cache beside it
 * (code-cache.ts: used only when made from the same bytes by the same V8) and exports what the
 * chunk exported, under the same names. The entries and chunks that imported the runtime chunk
 * import the loader instead, so there is still one runtime per process.
 */
import { compileCached, textOf } from "./code-cache.js";

/** The script's function: the chunk's code, with the chunk's exports put on `module.exports`. */
type ScriptBody = (
  exports: Record<string, unknown>,
  require: (id: string) => unknown,
  module: { exports: Record<string, unknown> },
  importMetaUrl: string,
  importModule: (specifier: string) => Promise<unknown>,
) => void;

/** What became of the code cache in this process: read, written, or neither (a read-only dist/). */
export type RuntimeCodeCache = "used" | "written" | "not written";

/** Only Node's own modules: the build refuses a runtime chunk that imports anything else statically. */
function builtin(id: string): unknown {
  const m = process.getBuiltinModule(id);
  if (m === undefined)
    throw new Error(`INVARIANT: the runtime script requires only Node's built-in modules, not \`${id}\``);
  return m;
}

/**
 * Run the runtime script `script` (a file name beside `url`, the loader's `import.meta.url`) and
 * return its exports. `importModule` is the loader's own `import()`, so a specifier resolves from
 * dist/ exactly as it did from the chunk.
 */
export function bootRuntime(
  url: string,
  script: string,
  importModule: (specifier: string) => Promise<unknown>,
): {
  exports: Record<string, unknown>;
  codeCache: RuntimeCodeCache;
  /** Rewrite the cache with what V8 has compiled by now (the build, after loading a policy). */
  saveCodeCache: () => boolean;
} {
  const fs = process.getBuiltinModule("node:fs");
  const file = process.getBuiltinModule("node:url").fileURLToPath(new URL(script, url));
  const source = fs.readFileSync(file);
  const compiled = compileCached(textOf(source), file, `${file}.v8cache`, source);
  const module = { exports: {} as Record<string, unknown> };
  (compiled.value as ScriptBody)(module.exports, builtin, module, url, importModule);
  const codeCache = compiled.used ? "used" : compiled.save() ? "written" : "not written";
  return { exports: module.exports, codeCache, saveCodeCache: () => compiled.save(true) };
}
