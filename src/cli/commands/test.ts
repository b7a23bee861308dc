/**
 * `rplc test PATHS…` (LANGUAGE.md §7, §9: exit 0 when every test and property passes, 1
 * otherwise, 2 for a usage error): check the policy set, run its tests and properties (those of
 * its includes and standard packs too), replay `--requests` fixtures, report coverage.
 *
 * Exit codes: 0 all passed; 1 a test, property or replayed request failed, `--min-coverage` was
 * not reached, `--filter` matched nothing, or the policy set has errors (printed like `rplc
 * check`); 2 usage error (bad option value, unreadable path or requests file, a requests line
 * that is not a fixture).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../../check/files.js";
import { runPipeline } from "../../compile/pipeline.js";
import { loadPolicy } from "../../engine/load.js";
import type { Decider } from "../../testing/model.js";
import { type Fixture, parseFixtures } from "../../testing/replay.js";
import { renderHumanReport } from "../../testing/reporters/human.js";
import { renderJsonReport } from "../../testing/reporters/json.js";
import { renderJunitReport } from "../../testing/reporters/junit.js";
import { runTests } from "../../testing/runner.js";
import { REPORTERS, type Reporter } from "../choices.js";
import { type CliIo, usageError } from "../io.js";
import { compileFailed, readPolicyPaths } from "./policy-paths.js";

export { REPORTERS, type Reporter } from "../choices.js";

/** Options as commander hands them over: numbers still as the strings typed. */
export interface TestOptions {
  readonly reporter: Reporter;
  /** Only tests and properties whose name contains this (case-insensitive). */
  readonly filter?: string;
  /** An integer: the seed properties run with (default: a random one, printed). */
  readonly seed?: string;
  /** A whole number ≥ 1: runs of every property, overriding their `runs`. */
  readonly runs?: string;
  readonly coverage: boolean;
  /** A percentage 0–100: fail below it (implies coverage). */
  readonly minCoverage?: string;
  /** A JSON Lines file of `{ "request": …, "expected": … }` to replay. */
  readonly requests?: string;
  /** Decide with the compiled module instead of the reference interpreter. */
  readonly compiled: boolean;
  /** `--pack-tests`: also run the tests and properties of the included standard packs (off by default). */
  readonly packTests: boolean;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

function integer(
  raw: string | undefined,
  option: string,
  min: number,
  max: number,
): Parsed<number | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const v = Number(raw.trim());
  if (raw.trim() === "" || !Number.isInteger(v) || v < min || v > max) {
    return { ok: false, message: `${option} takes a whole number from ${min} to ${max}, not '${raw}'` };
  }
  return { ok: true, value: v };
}

function percentage(raw: string | undefined): Parsed<number | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const v = Number(raw.trim().replace(/%$/, ""));
  if (raw.trim() === "" || !Number.isFinite(v) || v < 0 || v > 100) {
    return { ok: false, message: `--min-coverage takes a percentage from 0 to 100, not '${raw}'` };
  }
  return { ok: true, value: v };
}

async function readFixtures(io: CliIo, file: string): Promise<Parsed<readonly Fixture[]>> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (e) {
    return { ok: false, message: `cannot read the requests file '${file}': ${describeFsError(e)}` };
  }
  const parsed = parseFixtures(text);
  if (!parsed.ok) return { ok: false, message: `${file}:${parsed.line}: ${parsed.message}` };
  return { ok: true, value: parsed.fixtures };
}

export async function testCommand(paths: string[], opts: TestOptions, io: CliIo): Promise<number> {
  if (paths.length === 0) return usageError(io, "no paths given", "test");
  if (!(REPORTERS as readonly string[]).includes(opts.reporter)) {
    return usageError(io, `unknown reporter '${opts.reporter}' (use human, junit or json)`, "test");
  }
  const seed = integer(opts.seed, "--seed", -2147483648, 4294967295);
  if (!seed.ok) return usageError(io, seed.message, "test");
  const runs = integer(opts.runs, "--runs", 1, 1_000_000);
  if (!runs.ok) return usageError(io, runs.message, "test");
  const minCoverage = percentage(opts.minCoverage);
  if (!minCoverage.ok) return usageError(io, minCoverage.message, "test");
  if (opts.filter !== undefined && opts.filter.trim() === "")
    return usageError(io, "--filter needs a name", "test");
  let fixtures: { file: string; fixtures: readonly Fixture[] } | undefined;
  if (opts.requests !== undefined) {
    const read = await readFixtures(io, opts.requests);
    if (!read.ok) return usageError(io, read.message, "test");
    fixtures = { file: opts.requests, fixtures: read.value };
  }

  const files = await readPolicyPaths(paths, io, "test");
  if (typeof files === "number") return files;
  const r = await runPipeline({ files }, { cwd: io.cwd }, opts.compiled ? "emit" : "check");
  const checked = r.artifacts.checked;
  if (!r.ok || checked === undefined) return compileFailed(r.diagnostics, io);
  let decider: Decider | undefined;
  if (opts.compiled) {
    const code = r.artifacts.code;
    // INVARIANT: a pipeline that ran to `emit` without errors has the module's code.
    if (code === undefined) throw new Error("INVARIANT: no code after emit");
    decider = await loadPolicy(code);
  }

  const report = runTests(checked, {
    seed: seed.value ?? Math.floor(Math.random() * 2 ** 31),
    coverage: opts.coverage,
    packTests: opts.packTests,
    ...(decider !== undefined ? { decider } : {}),
    ...(runs.value !== undefined ? { runs: runs.value } : {}),
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    ...(minCoverage.value !== undefined ? { minCoverage: minCoverage.value } : {}),
    ...(fixtures !== undefined ? { fixtures } : {}),
  });

  switch (opts.reporter) {
    case "human":
      io.stdout(
        renderHumanReport(report, {
          color: io.color,
          ...(fixtures !== undefined ? { requestsFile: fixtures.file } : {}),
        }),
      );
      break;
    case "json":
      io.stdout(renderJsonReport(report));
      break;
    case "junit":
      io.stdout(renderJunitReport(report));
      break;
  }
  if (opts.reporter !== "human") {
    for (const n of report.notes) io.stderr(`rplc: ${n}\n`);
    for (const c of report.results) {
      for (const w of c.warnings) io.stderr(`rplc: warning: ${c.name}: ${w}\n`);
    }
  }
  const nothingRan = opts.filter !== undefined && report.results.every((c) => c.kind === "request");
  const coverageOk = report.coverage?.ok ?? true;
  return report.failed > 0 || !coverageOk || nothingRan ? 1 : 0;
}
