/**
 * The policy paths of `eval` and `build`: read and parse them through analyzePaths (unreadable
 * paths exit 2, syntax errors exit 1, like `rplc check`), and report a policy set that does not
 * compile on standard error.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expandPaths } from "../../check/files.js";
import { type Diagnostic, hasErrors } from "../../diagnostics/diagnostic.js";
import { renderHuman } from "../../diagnostics/render.js";
import { SourceFile } from "../../diagnostics/source.js";
import { analyzePaths } from "../analyze.js";
import type { CliIo } from "../io.js";

/** The absolute paths of the policy set's files, or the exit code when they cannot be used. */
export async function readPolicyPaths(
  paths: string[],
  io: CliIo,
  _command: string,
): Promise<string[] | number> {
  const analysis = await analyzePaths(paths, io.cwd);
  if (analysis.problems.length > 0) {
    for (const p of analysis.problems) io.stderr(`rplc: cannot read '${p.path}': ${p.message}\n`);
    return 2;
  }
  if (analysis.files.length === 0) {
    io.stderr(`rplc: no .rplc files found in ${paths.map((p) => `'${p}'`).join(", ")}\n`);
    return 2;
  }
  if (hasErrors(analysis.diagnostics)) {
    io.stderr(renderHuman(analysis.diagnostics, analysis.sources, { color: false }));
    return 1;
  }
  return [...expandPaths(paths, io.cwd).files];
}

/** Print the diagnostics of a policy set that does not compile; exit code 1. */
export function compileFailed(diagnostics: readonly Diagnostic[], io: CliIo): number {
  printDiagnostics(diagnostics, io);
  return 1;
}

/** Print diagnostics on standard error, with code frames where the files can be read. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIo): void {
  const sources = new Map<string, SourceFile>();
  for (const d of diagnostics) {
    const file = d.span?.file;
    if (file === undefined || sources.has(file)) continue;
    try {
      sources.set(file, new SourceFile(file, readFileSync(path.resolve(io.cwd, file), "utf8")));
    } catch {
      // A file that cannot be read again (a pack, a removed file) is shown without a code frame.
    }
  }
  io.stderr(renderHuman(diagnostics, sources, { color: false }));
}
