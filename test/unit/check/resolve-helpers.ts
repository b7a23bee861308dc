/** An in-memory project for resolver tests: files by path below /proj, read through `readFile`. */
import path from "node:path";
import { resolve } from "../../../src/check/resolve.js";
import type { ResolvedSet } from "../../../src/check/resolved.js";
import { stdlibDir } from "../../../src/check/stdlib.js";
import type { Diagnostic, Result } from "../../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import type { Span } from "../../../src/diagnostics/span.js";

export const CWD = "/proj";

export interface Project {
  readonly result: Result<ResolvedSet>;
  readonly set: ResolvedSet;
  readonly diagnostics: readonly Diagnostic[];
  /** `file:line:col` of a span's start. */
  where(span: Span | undefined): string;
  /** `[code, file:line:col]` of every diagnostic. */
  codes(): [string, string][];
}

/**
 * `files` maps paths relative to /proj (or `stdlib/NAME.rplc` for a pack) to their text;
 * `given` lists the paths handed to the compiler (default: every non-stdlib .rplc file).
 */
export function project(files: Record<string, string>, given?: readonly string[]): Project {
  const byAbs = new Map<string, string>();
  for (const [p, text] of Object.entries(files)) {
    const abs = p.startsWith("stdlib/")
      ? path.join(stdlibDir(), p.slice("stdlib/".length))
      : path.join(CWD, p);
    byAbs.set(abs, text);
  }
  const readFile = (abs: string): string => {
    const text = byAbs.get(abs);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${abs}`), { code: "ENOENT" });
    return text;
  };
  const roots = given ?? Object.keys(files).filter((p) => p.endsWith(".rplc") && !p.startsWith("stdlib/"));
  const result = resolve({ files: roots }, { cwd: CWD, readFile });
  const sources = new Map(result.value.sources.map((s) => [s.path, new SourceFile(s.path, s.text)]));
  const where = (span: Span | undefined): string => {
    if (span === undefined) return "-";
    const src = sources.get(span.file);
    if (src === undefined) return `${span.file}:?`;
    const { line, column } = src.position(span.start);
    return `${span.file}:${line}:${column}`;
  };
  return {
    result,
    set: result.value,
    diagnostics: result.diagnostics,
    where,
    codes: () => result.diagnostics.map((d) => [d.code, where(d.span)]),
  };
}

/** The one diagnostic with `code` (fails the test if there is not exactly one). */
export function only(p: Project, code: string): Diagnostic {
  const found = p.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) {
    throw new Error(`expected one ${code}, got ${JSON.stringify(p.codes())}`);
  }
  return found[0] as Diagnostic;
}
