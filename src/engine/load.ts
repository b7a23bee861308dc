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
 *
 * Part of the runtime: it never imports the compiler or Chevrotain.
 */
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

/** The module's body as the body of an async function of `rt` returning its exports. */
function toFunctionBody(source: string, origin: string): string {
  if (!source.startsWith(MODULE_MARKER)) {
    throw new PolicyLoadError(
      `${origin} is not a policy module built by rplc (its first line is not \`${MODULE_MARKER} …\`)`,
    );
  }
  // One pass over the text, not a split into lines: a 1,000-rule module is ~9,000 lines.
  const at = source.indexOf(`\n${RUNTIME_IMPORT}\n`);
  if (at < 0) throw new PolicyLoadError(`${origin} does not import the runplane runtime as rplc modules do`);
  const body = `${source.slice(0, at + 1)}${source.slice(at + 1 + RUNTIME_IMPORT.length)}`.replace(
    /\nexport (function|const) /g,
    "\n$1 ",
  );
  return `"use strict";\n${body}\nreturn { decide, hash, rules, risks };`;
}

/**
 * Load a compiled module from its source text (anything with a line break) or from a file path.
 * Rejects with PolicyLoadError when the text is not a module built by rplc.
 */
export async function loadPolicy(
  input: string | { readonly source: string } | { readonly path: string },
): Promise<LoadedPolicy> {
  let source: string;
  let origin = "the source";
  if (typeof input === "string" ? input.includes("\n") : "source" in input) {
    source = typeof input === "string" ? input : (input as { source: string }).source;
  } else {
    const path = typeof input === "string" ? input : (input as { path: string }).path;
    origin = `\`${path}\``;
    try {
      // Imported here: loading from a string (the common case in tests and bundles) never needs fs.
      const { readFile } = await import("node:fs/promises");
      source = await readFile(path, "utf8");
    } catch (e) {
      throw new PolicyLoadError(`cannot read ${origin}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const run = new AsyncFunction("rt", toFunctionBody(source, origin));
  const loaded = await run(__runtime);
  return Object.freeze({
    hash: loaded.hash,
    rules: loaded.rules,
    risks: loaded.risks,
    decide: loaded.decide,
  });
}
