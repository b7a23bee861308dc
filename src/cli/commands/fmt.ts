/**
 * `rplc fmt PATHS… [--check]` (LANGUAGE.md §9): rewrite files in the one canonical layout
 * (src/syntax/print.ts).
 *
 * - Without `--check`: each file that changes is written to a temporary file in its directory and
 *   renamed over the original (a crash never leaves a half-written policy); unchanged files are
 *   not touched. The changed files' paths are printed on standard output. Exit 0, or 1 when a file
 *   could not be formatted.
 * - With `--check`: nothing is written; the files that would change are listed on standard output;
 *   exit 1 if there is any (or a file could not be formatted), 0 otherwise.
 * - A file with syntax errors is never rewritten: its diagnostics go to standard error, exit 1.
 * - A path that does not exist or cannot be read: one line on standard error, exit 2, nothing written.
 * Before writing, the output is parsed again and must give the same tree and the same comments;
 * otherwise the file is left alone and the problem reported as a bug in rplc.
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError, displayPath, expandPaths } from "../../check/files.js";
import { type Diagnostic, hasErrors } from "../../diagnostics/diagnostic.js";
import { renderHuman } from "../../diagnostics/render.js";
import { SourceFile } from "../../diagnostics/source.js";
import type { FileNode } from "../../syntax/ast.js";
import { sameTree } from "../../syntax/ast-compare.js";
import { parse } from "../../syntax/parse.js";
import { format } from "../../syntax/print.js";
import { decodeSource, MAX_FILE_BYTES } from "../analyze.js";
import { type CliIo, usageError } from "../io.js";

export interface FmtOptions {
  /** List the files that would change, write nothing. */
  readonly check: boolean;
}

type Outcome = "unchanged" | "changed" | "failed" | "unreadable";

export async function fmtCommand(paths: string[], opts: FmtOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) return usageError(io, "no paths given", "fmt");
  const expanded = expandPaths(paths, io.cwd);
  if (expanded.problems.length > 0) {
    for (const p of expanded.problems) io.stderr(`rplc: cannot read '${p.path}': ${p.message}\n`);
    return 2;
  }
  if (expanded.files.length === 0) {
    io.stderr(`rplc: no .rplc files found in ${paths.map((p) => `'${p}'`).join(", ")}\n`);
    return 2;
  }
  let changed = 0;
  let failed = false;
  let unreadable = false;
  for (const abs of expanded.files) {
    const outcome = await fmtFile(abs, displayPath(abs, io.cwd), opts, io);
    if (outcome === "changed") changed++;
    else if (outcome === "failed") failed = true;
    else if (outcome === "unreadable") unreadable = true;
  }
  if (unreadable) return 2;
  if (failed) return 1;
  return opts.check && changed > 0 ? 1 : 0;
}

async function fmtFile(abs: string, shown: string, opts: FmtOptions, io: CliIo): Promise<Outcome> {
  let bytes: Uint8Array;
  try {
    const st = await stat(abs);
    if (st.size > MAX_FILE_BYTES) {
      io.stderr(`rplc: cannot format '${shown}': larger than 16 MiB\n`);
      return "failed";
    }
    bytes = await readFile(abs);
  } catch (e) {
    io.stderr(`rplc: cannot read '${shown}': ${describeFsError(e)}\n`);
    return "unreadable";
  }
  const decoded = decodeSource(bytes, shown);
  const source = decoded.source;
  if (decoded.diagnostics.length > 0) return report(decoded.diagnostics, source, io);
  const parsed = parse(source);
  if (hasErrors(parsed.diagnostics))
    return report(
      parsed.diagnostics.filter((d) => d.severity === "error"),
      source,
      io,
    );

  const text = format(parsed.value, source);
  if (text === source.text) return "unchanged";
  const problem = verify(parsed.value, text, shown);
  if (problem !== undefined) {
    io.stderr(
      `rplc: internal error: formatting '${shown}' ${problem}; the file was left unchanged (please report this as a bug)\n`,
    );
    return "failed";
  }
  if (!opts.check) {
    try {
      await replaceFile(abs, text);
    } catch (e) {
      io.stderr(`rplc: cannot write '${shown}': ${describeFsError(e)}\n`);
      return "failed";
    }
  }
  io.stdout(`${shown}\n`);
  return "changed";
}

function report(diagnostics: readonly Diagnostic[], source: SourceFile, io: CliIo): Outcome {
  io.stderr(renderHuman(diagnostics, new Map([[source.path, source]]), { color: io.color }));
  return "failed";
}

/** Why the formatted text does not mean the same as the original, or undefined when it does. */
function verify(original: FileNode, text: string, shown: string): string | undefined {
  const again = parse(new SourceFile(shown, text));
  if (hasErrors(again.diagnostics)) return "produced text that does not parse";
  const { comments: before, ...treeBefore } = original;
  const { comments: after, ...treeAfter } = again.value;
  if (!sameTree(treeBefore, treeAfter)) return "changed the meaning of the file";
  const texts = (cs: typeof before) => cs.map((c) => c.text.trimEnd());
  if (!sameTree(texts(before), texts(after))) return "lost or changed a comment";
  return undefined;
}

/** Write `text` to a temporary file beside `abs`, then rename it over `abs` (same permissions). */
async function replaceFile(abs: string, text: string): Promise<void> {
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const mode = (await stat(abs)).mode & 0o7777;
  try {
    await writeFile(tmp, text, { encoding: "utf8", mode: 0o600, flag: "wx" });
    await chmod(tmp, mode);
    await rename(tmp, abs);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
