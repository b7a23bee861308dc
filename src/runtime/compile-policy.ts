/**
 * Compiling `.rplc` sources in memory for `createRunplane({ policy: "./policies" })`.
 *
 * Only ever loaded with a dynamic `import()` (policy.ts), and only when the policy option names
 * `.rplc` files or directories: the runtime entry never loads the compiler or Chevrotain for a
 * module built by `rplc build`.
 */
import path from "node:path";
import { expandPaths } from "../check/files.js";
import { compile } from "../compile/compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";
import { fs } from "./builtins.js";

const { readFileSync } = fs;

export type CompileOutcome =
  | { readonly ok: true; readonly code: string; readonly hash: string; readonly files: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly diagnostics: readonly Diagnostic[] };

/** At most this many errors are named in the message (all are in `diagnostics`). */
const SHOWN = 5;

export async function compilePolicyPaths(paths: readonly string[], cwd: string): Promise<CompileOutcome> {
  const expanded = expandPaths(paths, cwd);
  if (expanded.problems.length > 0) {
    const p = expanded.problems[0]!;
    return { ok: false, message: `cannot read \`${p.path}\`: ${p.message}`, diagnostics: [] };
  }
  if (expanded.files.length === 0) {
    return {
      ok: false,
      message: `no .rplc files in ${paths.map((p) => `\`${p}\``).join(", ")}`,
      diagnostics: [],
    };
  }
  const r = await compile({ files: expanded.files }, { cwd });
  if (r.value === undefined) {
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    const shown = errors.slice(0, SHOWN).map((d) => describe(d, cwd));
    const more = errors.length > SHOWN ? `\n  … and ${errors.length - SHOWN} more` : "";
    return {
      ok: false,
      message: `the policy set does not compile (${errors.length} error${errors.length === 1 ? "" : "s"}):\n  ${shown.join("\n  ")}${more}`,
      diagnostics: r.diagnostics,
    };
  }
  return { ok: true, code: r.value.code, hash: r.value.hash, files: expanded.files };
}

/** `file:line:col: error[CODE]: message`. */
function describe(d: Diagnostic, cwd: string): string {
  let where = "";
  if (d.span !== undefined) {
    try {
      const text = readFileSync(path.resolve(cwd, d.span.file), "utf8");
      const pos = new SourceFile(d.span.file, text).position(d.span.start);
      where = `${d.span.file}:${pos.line}:${pos.column}: `;
    } catch {
      where = `${d.span.file}: `;
    }
  }
  return `${where}${d.severity}[${d.code}]: ${d.message}`;
}
