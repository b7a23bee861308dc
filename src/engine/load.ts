/**
 * Loading a compiled policy module (the output of `rplc build` or `compile()`) in this process:
 * `loadPolicy(sourceOrPath)` → `{ decide, hash, rules, risks }`.
 *
 * A built module imports its runtime from the package (`import { __runtime as rt } from
 * "runplane"`), which resolves where runplane is installed. To load a module from a string or
 * from any path, this loader does not go through the module system: it checks the module's
 * marker and import line, turns its top-level `export`s into plain declarations and runs the
 * body as an async function given this process's runtime. The emitter guarantees the lines it
 * rewrites (no user text ever starts a line: every string is JSON-escaped, U+2028/2029 included).
 * A module loaded from a file is compiled with V8's code cache beside it (code-cache.ts).
 *
 * Part of the runtime: it never imports the compiler or Chevrotain.
 */
import { resolve as resolvePath } from "node:path";
import { compileWithCache, textOf } from "./code-cache.js";
import type { Decision } from "./decision.js";
import type { RiskEntry, RuleEntry } from "./finalize.js";
import { __runtime, RUNTIME_ABI } from "./runtime.js";

/** The first words of every emitted module. */
export const MODULE_MARKER = "// Runplane compiled policy set.";
/** The one import of every emitted module. */
export const RUNTIME_IMPORT = 'import { __runtime as rt } from "runplane";';
export const MODULE_ABI = RUNTIME_ABI;

export interface LoadedPolicy {
  readonly hash: string;
  readonly rules: readonly RuleEntry[];
  readonly risks: readonly RiskEntry[];
  decide(request: unknown): Decision;
}

export class PolicyLoadError extends Error {
  override readonly name = "PolicyLoadError";
}

type Body = (rt: typeof __runtime) => Promise<LoadedPolicy>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  param: string,
  body: string,
) => Body;

/**
 * The top-level declarations every emitted module exports, in the order the emitter writes them
 * (emit.ts), each at the start of a line.
 */
const EXPORTS = [
  "\nexport const hash = ",
  "\nexport const rules = ",
  "\nexport const risks = ",
  "\nexport function decide(",
] as const;

/** The module's body as the body of an async function of `rt` returning its exports. */
function toFunctionBody(source: string, origin: string): string {
  if (!source.startsWith(MODULE_MARKER)) {
    throw new PolicyLoadError(
      `${origin} is not a policy module built by rplc (its first line is not \`${MODULE_MARKER} …\`)`,
    );
  }
  const at = source.indexOf(`\n${RUNTIME_IMPORT}\n`);
  if (at < 0) throw new PolicyLoadError(`${origin} does not import the runplane runtime as rplc modules do`);
  // Slices around the import line and the four `export ` keywords, found with indexOf: a regular
  // expression replacing them over a 1,000-rule module (380 KiB) took 6 ms of a cold process.
  let body = `"use strict";\n${source.slice(0, at + 1)}`;
  let from = at + 1 + RUNTIME_IMPORT.length;
  for (const declaration of EXPORTS) {
    const next = source.indexOf(declaration, from);
    if (next < 0)
      throw new PolicyLoadError(
        `${origin} does not declare its exports as rplc modules do (\`${declaration.slice(1)}\`)`,
      );
    body += source.slice(from, next + 1);
    from = next + 1 + "export ".length;
  }
  return `${body}${source.slice(from)}\nreturn { decide, hash, rules, risks };`;
}

export interface LoadOptions {
  /**
   * For a module loaded from a file: keep V8's compiled code of it in `<file>.v8cache` and use it
   * on later loads (code-cache.ts). Default true.
   */
  readonly codeCache?: boolean;
}

/**
 * Load a compiled module from its source text (anything with a line break) or from a file path.
 * Rejects with PolicyLoadError when the text is not a module built by rplc.
 */
export async function loadPolicy(
  input: string | { readonly source: string } | { readonly path: string },
  options: LoadOptions = {},
): Promise<LoadedPolicy> {
  let source: string;
  let file: string | undefined;
  let bytes: Buffer | undefined;
  let origin = "the source";
  if (typeof input === "string" ? input.includes("\n") : "source" in input) {
    source = typeof input === "string" ? input : (input as { source: string }).source;
  } else {
    const path = typeof input === "string" ? input : (input as { path: string }).path;
    file = path;
    origin = `\`${path}\``;
    try {
      bytes = process.getBuiltinModule("node:fs").readFileSync(path);
      source = textOf(bytes);
    } catch (e) {
      throw new PolicyLoadError(`cannot read ${origin}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const body = toFunctionBody(source, origin);
  let loaded: LoadedPolicy;
  if (file !== undefined && bytes !== undefined && options.codeCache !== false) {
    const compiled = compileWithCache(body, resolvePath(file), bytes);
    loaded = (await compiled.run(__runtime)) as LoadedPolicy;
    compiled.save();
  } else {
    loaded = await new AsyncFunction("rt", body)(__runtime);
  }
  return Object.freeze({
    hash: loaded.hash,
    rules: loaded.rules,
    risks: loaded.risks,
    decide: loaded.decide,
  });
}
