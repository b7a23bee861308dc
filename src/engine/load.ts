/**
 * Loading a compiled policy module (the output of `rplc build` or `compile()`) in this process:
 * `loadPolicy(sourceOrPath)` → `{ decide, hash, rules, risks }`.
 *
 * A built module imports its runtime from the package (`import { __runtime as rt } from
 * "runplane"`), which resolves where runplane is installed. To load a module from a string or
 * from any path, this loader does not go through the module system: it checks the module's
 * marker and import line and runs the policy set as an async function given this process's
 * runtime. Since ABI 3 the module holds that function as it is, `(async function (rt) { … })`,
 * between two lines only the emitter writes (no user text ever starts a line: every string is
 * JSON-escaped, U+2028/2029 included), so the loader compiles a slice of the module's text: no
 * copy of it (flattening the joined pieces of a 370 KiB module took 1.4 ms of a cold load). A
 * module of ABI 1 or 2 has its declarations at the top level, exported: the loader turns its
 * `export`s into plain declarations and wraps the body in the same function. A module loaded
 * from a file is compiled with V8's code cache beside it (code-cache.ts).
 *
 * Part of the runtime: it never imports the compiler or Chevrotain.
 */
import { resolve as resolvePath } from "node:path";
import { compileCached, type Position, textOf } from "./code-cache.js";
import type { Decision } from "./decision.js";
import type { RiskEntry, RuleEntry } from "./finalize.js";
import { __runtime, RUNTIME_ABI } from "./runtime.js";

/** The first words of every emitted module. */
export const MODULE_MARKER = "// Runplane compiled policy set.";
/** The one import of every emitted module. */
export const RUNTIME_IMPORT = 'import { __runtime as rt } from "runplane";';
export const MODULE_ABI = RUNTIME_ABI;
/**
 * The line that opens the policy set's function in a module of ABI 3 or later (after the import
 * line); the function is the text from `(async` to the `})` that starts POLICY_CLOSE.
 */
export const POLICY_OPEN = "const policy = await (async function (rt) {";
/** The module's last lines, from the end of the policy set's function: its exports. */
export const POLICY_CLOSE = [
  "})(rt);",
  "export const hash = policy.hash;",
  "export const rules = policy.rules;",
  "export const risks = policy.risks;",
  "export function decide(request) {",
  "  return policy.decide(request);",
  "}",
  "",
].join("\n");

export interface LoadedPolicy {
  readonly hash: string;
  readonly rules: readonly RuleEntry[];
  readonly risks: readonly RiskEntry[];
  decide(request: unknown): Decision;
}

export class PolicyLoadError extends Error {
  override readonly name = "PolicyLoadError";
}

/** Run the policy set's function (what compiling its text gave) with this process's runtime. */
function runPolicy(fn: unknown, origin: string): Promise<unknown> {
  if (typeof fn !== "function")
    throw new PolicyLoadError(`${origin} does not hold its policy set as one function, as rplc modules do`);
  return (fn as (rt: typeof __runtime) => Promise<unknown>)(__runtime);
}

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

/** The policy set's function as text, and where it starts in the module. */
interface PolicyFunction {
  readonly text: string;
  readonly at: Position;
}

/** The module's policy set as the text of an async function of `rt` that returns its exports. */
function policyFunction(source: string, origin: string): PolicyFunction {
  if (!source.startsWith(MODULE_MARKER)) {
    throw new PolicyLoadError(
      `${origin} is not a policy module built by rplc (its first line is not \`${MODULE_MARKER} …\`)`,
    );
  }
  const at = source.indexOf(`\n${RUNTIME_IMPORT}\n`);
  if (at < 0) throw new PolicyLoadError(`${origin} does not import the runplane runtime as rplc modules do`);
  const open = source.indexOf(`\n${POLICY_OPEN}\n`, at);
  if (open < 0) return { text: olderFunction(source, origin, at), at: { lineOffset: 0, columnOffset: 0 } };
  // The last one: text appended after the module (a comment) is left alone.
  const close = source.lastIndexOf(`\n${POLICY_CLOSE}`);
  if (close < open)
    throw new PolicyLoadError(`${origin} does not end with the exports of an rplc module: is it cut short?`);
  const start = open + 1 + POLICY_OPEN.indexOf("(async");
  let lines = 0;
  for (let i = source.indexOf("\n"); i >= 0 && i < start; i = source.indexOf("\n", i + 1)) lines++;
  return {
    // A slice: V8 keeps it as a view of the module's text and compiles it without a copy.
    text: source.slice(start, close + 1 + "})".length),
    at: { lineOffset: lines, columnOffset: start - (open + 1) },
  };
}

/**
 * A module of ABI 1 or 2 (its declarations at the top level, exported) as the text of the same
 * function; `at` is the line break before its import line.
 */
function olderFunction(source: string, origin: string, at: number): string {
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
  return `(async function (rt) {\n${body}${source.slice(from)}\nreturn { decide, hash, rules, risks };\n})`;
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
  const fn = policyFunction(source, origin);
  let loaded: LoadedPolicy;
  if (file !== undefined && bytes !== undefined && options.codeCache !== false) {
    const full = resolvePath(file);
    const compiled = compileCached(fn.text, full, `${full}.v8cache`, bytes, fn.at);
    loaded = (await runPolicy(compiled.value, origin)) as LoadedPolicy;
    compiled.save(); // after the module ran: more of it is compiled by then
  } else {
    const vm = process.getBuiltinModule("node:vm");
    const filename = file === undefined ? "policy module" : resolvePath(file);
    const script = new vm.Script(fn.text, { filename, ...fn.at });
    loaded = (await runPolicy(script.runInThisContext(), origin)) as LoadedPolicy;
  }
  return Object.freeze({
    hash: loaded.hash,
    rules: loaded.rules,
    risks: loaded.risks,
    decide: loaded.decide,
  });
}
