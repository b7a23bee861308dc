/**
 * Conformance cases run against both engines: the reference interpreter and the compiled
 * module (emitted, then loaded). A case is a folder under cases/ with `*.rplc` files and a
 * `requests.json`: `[{ "name", "request", "expect" }]`, where `expect` is the whole decision
 * but `policy` (the hash is checked to be the policy set's own).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runPipeline } from "../../src/compile/pipeline.js";
import type { Decision } from "../../src/engine/decision.js";
import { createInterpreter } from "../../src/engine/interpret.js";
import { loadPolicy } from "../../src/engine/load.js";

export const CASES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "cases");

export interface CaseRequest {
  readonly name: string;
  readonly request: unknown;
  readonly expect: Omit<Decision, "policy">;
}

export interface Engines {
  readonly hash: string;
  readonly code: string;
  interpret(request: unknown): Decision;
  compiled(request: unknown): Decision;
}

export function caseNames(): string[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function readRequests(dir: string): CaseRequest[] {
  return JSON.parse(readFileSync(path.join(dir, "requests.json"), "utf8")) as CaseRequest[];
}

/** Both engines over policy sources given as text (paths relative to a virtual folder). */
export async function enginesFor(
  sources: readonly { path: string; text: string }[],
  cwd = "/conformance",
): Promise<Engines> {
  const r = await runPipeline({ sources: [...sources] }, { cwd });
  const checked = r.artifacts.checked;
  const code = r.artifacts.code;
  if (!r.ok || checked === undefined || code === undefined) {
    const shown = r.diagnostics
      .map((d) => `${d.code} ${d.span?.file}@${d.span?.start}: ${d.message}`)
      .join("\n");
    throw new Error(`the policy set does not compile:\n${shown}`);
  }
  const interpreter = createInterpreter(checked);
  const loaded = await loadPolicy(code);
  return {
    hash: interpreter.hash,
    code,
    interpret: (q) => interpreter.decide(q),
    compiled: (q) => loaded.decide(q),
  };
}

/** The engines of a case folder (its `*.rplc` files, with paths relative to the folder). */
export async function enginesForCase(dir: string): Promise<Engines> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".rplc"))
    .sort();
  const sources = files.map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  return enginesFor(sources, dir);
}

/** A decision without its policy hash, for comparison with an expectation. */
export function withoutPolicy(d: Decision): Omit<Decision, "policy"> {
  const { policy: _policy, ...rest } = d;
  return rest;
}
