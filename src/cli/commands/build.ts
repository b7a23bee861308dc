/**
 * `rplc build PATHS… -o FILE`: compile the policy set into one self-contained ES module and
 * write it atomically (a temporary file in the same directory, then a rename: a reader never
 * sees half a module). `--dump=ast|ir|js` prints that stage's output on standard output.
 * Exit 0 on success, 1 when the policy set does not compile, 2 for a usage error.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../../check/files.js";
import { DUMPS, type DumpKind, dumpStage, dumpText, runPipeline } from "../../compile/pipeline.js";
import { type CliIo, usageError } from "../io.js";
import { compileFailed, printDiagnostics, readPolicyPaths } from "./policy-paths.js";

export interface BuildOptions {
  /** The module file to write (required unless `dump` is given). */
  readonly out: string;
  /** `ast`, `ir` or `js`. */
  readonly dump?: string;
}

/** Write `text` to `file` so that readers see the old file or the whole new one. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(tmp, text, { encoding: "utf8", flag: "wx" });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function buildCommand(paths: string[], opts: BuildOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) return usageError(io, "no paths given", "build");
  const dump = opts.dump;
  if (dump !== undefined && !(DUMPS as readonly string[]).includes(dump)) {
    return usageError(io, `unknown --dump '${dump}' (expected ${DUMPS.join(", ")})`, "build");
  }
  if (opts.out === "" && dump === undefined) return usageError(io, "missing -o FILE", "build");

  const files = await readPolicyPaths(paths, io, "build");
  if (typeof files === "number") return files;
  const until = dump === undefined || opts.out !== "" ? "emit" : dumpStage(dump as DumpKind);
  const r = await runPipeline({ files }, { cwd: io.cwd }, until);
  if (!r.ok) return compileFailed(r.diagnostics, io);
  if (r.diagnostics.length > 0) printDiagnostics(r.diagnostics, io); // warnings only: shown, not fatal
  if (dump !== undefined) io.stdout(dumpText(dump as DumpKind, r.artifacts));
  if (opts.out === "") return 0;

  const { code, hash } = r.artifacts;
  // INVARIANT: a pipeline that ran to `emit` without errors has the module's code and hash.
  if (code === undefined || hash === undefined) throw new Error("INVARIANT: no code after emit");
  const target = path.resolve(io.cwd, opts.out);
  try {
    await writeAtomically(target, code);
  } catch (e) {
    io.stderr(`rplc: cannot write '${opts.out}': ${describeFsError(e)}\n`);
    return 2;
  }
  const rules = r.artifacts.ir?.items.filter((i) => i.kind === "rule").length ?? 0;
  const risks = (r.artifacts.ir?.items.length ?? 0) - rules;
  io.stderr(
    `wrote ${opts.out} (${rules} rule${rules === 1 ? "" : "s"}, ${risks} risk${risks === 1 ? "" : "s"}, ${hash})\n`,
  );
  return 0;
}
