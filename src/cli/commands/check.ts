/**
 * `rplc check PATHS…` (LANGUAGE.md §9, normative): parse and type-check, print the diagnostics.
 * Exit 0 without errors (warnings allowed), 1 with errors, 2 for a usage error or an unreadable path.
 */
import { codes } from "../../diagnostics/codes.js";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { renderHuman, renderJson } from "../../diagnostics/render.js";
import { renderSarif } from "../../diagnostics/render-sarif.js";
import { analyzePaths } from "../analyze.js";
import type { Format } from "../choices.js";
import { type CliIo, usageError } from "../io.js";

export { FORMATS, type Format } from "../choices.js";

export interface CheckOptions {
  readonly format: Format;
  /** `false` (`--no-warnings`) leaves warnings out of the output. */
  readonly warnings: boolean;
  /** Warning codes to leave out (`--disable RPL4001,RPL4002`). */
  readonly disable: readonly string[];
  /** The version recorded in SARIF output. */
  readonly version: string;
}

export async function checkCommand(paths: string[], opts: CheckOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) return usageError(io, "no paths given", "check");
  for (const code of opts.disable) {
    const problem = disableProblem(code);
    if (problem !== undefined) return usageError(io, problem, "check");
  }

  const analysis = await analyzePaths(paths, io.cwd, {
    disabled: new Set(opts.disable),
    warnings: opts.warnings,
  });
  if (analysis.problems.length > 0) {
    for (const p of analysis.problems) io.stderr(`rplc: cannot read '${p.path}': ${p.message}\n`);
    return 2;
  }
  if (analysis.files.length === 0) {
    const where = paths.map((p) => `'${p}'`).join(", ");
    io.stderr(`rplc: no .rplc files found in ${where}\n`);
    return 2;
  }

  const { diagnostics, sources } = analysis;
  switch (opts.format) {
    case "json":
      io.stdout(renderJson(diagnostics, sources));
      break;
    case "sarif":
      io.stdout(renderSarif(diagnostics, sources, opts.version, { cwd: io.cwd }));
      break;
    case "human": {
      const text = renderHuman(diagnostics, sources, { color: io.color });
      const n = analysis.files.length;
      io.stdout(text !== "" ? text : `no problems in ${n} file${n === 1 ? "" : "s"}\n`);
      break;
    }
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

/** Why a `--disable` code is not accepted, or undefined when it is a warning code. */
function disableProblem(code: string): string | undefined {
  if (!Object.hasOwn(codes, code)) return `unknown diagnostic code '${code}' in --disable`;
  const entry = codes[code as keyof typeof codes];
  if (entry.severity === "error") {
    return `'${code}' is an error and cannot be disabled: only warnings can`;
  }
  return undefined;
}
