/**
 * A small runner for the `test` blocks of the standard packs: check the policy set, decide each
 * test's request through the reference interpreter and through the compiled module, and compare
 * both with the test's `expect`s. (`rplc test` runs the same blocks from the command line; this
 * keeps the packs' tests in `npm test` on their own and covers both engines.)
 */
import path from "node:path";
import { checkPolicySet } from "../../../src/check/check.js";
import type { CheckedPolicySet } from "../../../src/check/program.js";
import { stdlibDir } from "../../../src/check/stdlib.js";
import { compile } from "../../../src/compile/compile.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { Decision } from "../../../src/engine/decision.js";
import { createInterpreter, prepare } from "../../../src/engine/interpret.js";
import { loadPolicy } from "../../../src/engine/load.js";
import { initNatives } from "../../../src/natives/init.js";
import { checkExpectation } from "../../../src/testing/expect.js";
import { requestFromLiteral } from "../../../src/testing/request-literal.js";

export const PACKS = ["sql", "shell", "files", "network", "email", "payments", "cloud"] as const;

export function packPath(name: string): string {
  return path.join(stdlibDir(), `${name}.rplc`);
}

type Entry = Parameters<typeof checkPolicySet>[0];

/** A policy set of one user file given as text (it may include stdlib packs). */
export function userPolicy(text: string): Entry {
  return { sources: [{ path: "policy.rplc", text }] };
}

/** Requests are decided at this time (the packs never read the clock; the engines need one). */
const TIME = "2026-11-24T10:00:00Z";

function withTime(r: unknown): unknown {
  return typeof r === "object" && r !== null && !Array.isArray(r) && !("time" in r)
    ? { ...r, time: TIME }
    : r;
}

/** A policy set that checks, with its decide() through both engines. */
export interface Engines {
  readonly set: CheckedPolicySet;
  readonly diagnostics: readonly Diagnostic[];
  readonly interpret: (request: unknown) => Decision;
  readonly compiled: (request: unknown) => Decision;
}

/** Check and compile `entry`; throws with the diagnostics when it does not check. */
export async function engines(entry: Entry): Promise<Engines> {
  await initNatives();
  const checked = checkPolicySet(entry);
  const set = checked.value;
  if (set === undefined) {
    const text = checked.diagnostics.map((d) => `${d.span?.file}: ${d.code} ${d.message}`).join("\n");
    throw new Error(`the policy set does not check:\n${text}`);
  }
  const interpreter = createInterpreter(set);
  const built = await compile(entry);
  if (built.value === undefined) throw new Error("the policy set does not compile");
  const loaded = await loadPolicy(built.value.code);
  return {
    set,
    diagnostics: checked.diagnostics,
    interpret: (r) => interpreter.decide(withTime(r)),
    compiled: (r) => loaded.decide(withTime(r)),
  };
}

export interface TestOutcome {
  readonly name: string;
  readonly file: string;
  /** Failed expectations, prefixed by the engine (`interpreter:` or `compiled:`). */
  readonly failures: readonly string[];
  readonly decision: Decision;
}

/**
 * Run every `test` block of the set through both engines, with the request literals and the
 * expectations of `rplc test` (src/testing).
 */
export async function runTests(entry: Entry): Promise<{ engines: Engines; outcomes: TestOutcome[] }> {
  const e = await engines(entry);
  const prepared = prepare(e.set);
  const ctx = { active: new Set([...e.set.rules.map((r) => r.name), ...e.set.risks.map((r) => r.name)]) };
  const outcomes = e.set.tests.map((t) => {
    const built = requestFromLiteral(prepared, t.request);
    // INVARIANT: the packs' test requests are constants the checker accepted.
    if (!built.ok) throw new Error(`INVARIANT: ${t.name.value}: ${built.message}`);
    const decision = e.interpret(built.request);
    const compiled = e.compiled(built.request);
    const failures = [
      ...t.expects.map((x) => checkExpectation(x, decision, ctx)).map((f) => f && `interpreter: ${f}`),
      ...t.expects.map((x) => checkExpectation(x, compiled, ctx)).map((f) => f && `compiled: ${f}`),
    ].filter((f): f is string => f !== undefined);
    return { name: t.name.value, file: t.span.file, failures, decision };
  });
  return { engines: e, outcomes };
}

/** A one-line account of a decision, for assertion messages. */
export function describe(d: Decision): string {
  const rules = d.matched.map((m) => m.rule).join(",");
  const risks = d.risks.map((r) => `${r.name}=${r.weight}`).join(",");
  const errors = d.errors.map((e) => e.message).join("; ");
  return `${d.decision}, score ${d.score}, rules [${rules}], risks [${risks}]${errors ? `, errors: ${errors}` : ""}`;
}

export function describeFailure(o: TestOutcome): string {
  return `${o.file}: "${o.name}": ${o.failures.join(", ")} (got ${describe(o.decision)})`;
}

/** The names of the rules that held. */
export function rulesOf(d: Decision): string[] {
  return d.matched.map((m) => m.rule);
}
