/**
 * `rplc eval PATHS… --request FILE|-` (LANGUAGE.md §9, normative): decide one request and print
 * the decision as JSON on standard output. Exit 0 whatever the decision, 1 when the policy set
 * does not compile (diagnostics on standard error), 2 for a usage error (no paths, no
 * `--request`, an unreadable request file, a request that is not JSON, an unreadable path).
 *
 * The compiled module decides by default (what production runs); `--interpret` uses the
 * reference interpreter. `--explain` adds a human account on standard error.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../../check/files.js";
import { runPipeline } from "../../compile/pipeline.js";
import type { Decision } from "../../engine/decision.js";
import { explain } from "../../engine/explain.js";
import { decideWith, prepare } from "../../engine/interpret.js";
import { loadPolicy } from "../../engine/load.js";
import { type CliIo, usageError } from "../io.js";
import { compileFailed, readPolicyPaths } from "./policy-paths.js";

export interface EvalOptions {
  /** A file path, or `-` for standard input. */
  readonly request: string;
  readonly explain: boolean;
  readonly interpret: boolean;
}

async function readRequest(
  io: CliIo,
  from: string,
): Promise<
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }
> {
  let text: string;
  try {
    text = from === "-" ? await io.readStdin() : await readFile(path.resolve(io.cwd, from), "utf8");
  } catch (e) {
    return { ok: false, message: `cannot read the request '${from}': ${describeFsError(e)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      message: `the request '${from === "-" ? "(standard input)" : from}' is not JSON: ${why}`,
    };
  }
}

export async function evalCommand(paths: string[], opts: EvalOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) return usageError(io, "no paths given", "eval");
  if (opts.request === "") return usageError(io, "missing --request FILE (use - for standard input)", "eval");
  const request = await readRequest(io, opts.request);
  if (!request.ok) return usageError(io, request.message, "eval");

  const files = await readPolicyPaths(paths, io, "eval");
  if (typeof files === "number") return files;
  const r = await runPipeline({ files }, { cwd: io.cwd }, opts.interpret ? "check" : "emit");
  const checked = r.artifacts.checked;
  if (!r.ok || checked === undefined) return compileFailed(r.diagnostics, io);

  // The current time, once: the decision and its explanation see the same `now`.
  const req = withTime(request.value);
  const prepared = prepare(checked);
  let decision: Decision;
  if (opts.interpret) decision = decideWith(prepared, req);
  else {
    const code = r.artifacts.code;
    // INVARIANT: a pipeline that ran to `emit` without errors has the module's code.
    if (code === undefined) throw new Error("INVARIANT: no code after emit");
    decision = (await loadPolicy(code)).decide(req);
  }
  io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
  if (opts.explain) io.stderr(explain(prepared, req, decision));
  return 0;
}

/** A request object without `time` gets the current time (LANGUAGE.md §1: the runtime fills it in). */
function withTime(request: unknown): unknown {
  if (typeof request !== "object" || request === null || Array.isArray(request)) return request;
  if (Object.hasOwn(request, "time")) return request;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  out.time = new Date().toISOString();
  return out;
}
