/**
 * Load a CommonJS library on first use. The runtime entry imports the natives table, and two of its
 * libraries are heavy and often not needed: recheck (~200 ms to import; used only when the checker
 * vets a regular expression, never at decision time) and sql-parser-cst (~220 ms; used only by
 * policies that call `sql.*`). Loading them on first use keeps `import "runplane"` cheap for agents.
 * The same goes for re2js (re2.ts: `matches` and globs) and node:net (url.ts). web-tree-sitter is
 * ESM and loaded by `initShell()` with `import()`; emitted modules await it only when they call
 * `shell.*` (init.ts `needsInit`).
 */

/**
 * `require` for the runtime's CommonJS dependencies (here, and the ajv runtime in engine/runtime.ts).
 * Not `import { createRequire } from "node:module"`: that ES import builds the facade of node:module,
 * which loads fs/promises, readline and the streams at start-up (src/runtime/builtins.ts).
 */
export function packageRequire(id: string): unknown {
  req ??= process.getBuiltinModule("node:module").createRequire(import.meta.url);
  return req(id);
}

/** Made on first use: `createRequire` took ~0.7 ms of `import "runplane"`. */
let req: NodeJS.Require | undefined;

export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) loaded = packageRequire(id) as T;
    return loaded;
  };
}
