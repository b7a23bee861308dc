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
import { createInterpreter } from "../../../src/engine/interpret.js";
import { loadPolicy } from "../../../src/engine/load.js";
import { initNatives } from "../../../src/natives/init.js";
import type { Expectation, Expr } from "../../../src/syntax/ast.js";

export const PACKS = ["sql", "shell", "files", "network", "email", "payments", "cloud"] as const;

export function packPath(name: string): string {
  return path.join(stdlibDir(), `${name}.rplc`);
}

type Entry = Parameters<typeof checkPolicySet>[0];

/** A policy set of one user file given as text (it may include stdlib packs). */
export function userPolicy(text: string): Entry {
  return { sources: [{ path: "policy.rplc", text }] };
}

/** The JSON value of a test request's literal (tests hold constants only). */
export function literalValue(e: Expr): unknown {
  switch (e.kind) {
    case "String":
    case "Number":
    case "Bool":
      return e.value;
    case "Duration":
      return e.ms;
    case "Unary":
      if (e.op === "-") return -(literalValue(e.operand) as number);
      break;
    case "List":
      return e.items.map(literalValue);
    case "Object":
      return Object.fromEntries(e.entries.map((entry) => [entry.key.text, literalValue(entry.value)]));
    default:
      break;
  }
  // INVARIANT: the packs' test requests are literals (the checker accepted them as constants).
  throw new Error(`INVARIANT: not a literal in a test request: ${e.kind}`);
}

const DECISIONS = { allow: "ALLOW", block: "BLOCK", require_approval: "REQUIRE_APPROVAL" } as const;

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

/** Why the expectation fails on the decision, or undefined when it holds. */
export function failure(x: Expectation, d: Decision): string | undefined {
  switch (x.kind) {
    case "ExpectDecision": {
      const is = d.decision === DECISIONS[x.decision];
      return is === x.negated ? `expected ${x.negated ? "not " : ""}${x.decision}` : undefined;
    }
    case "ExpectRule": {
      const held =
        d.matched.some((m) => m.rule === x.rule.text) || d.risks.some((r) => r.name === x.rule.text);
      return held === x.negated ? `expected ${x.negated ? "not " : ""}rule ${x.rule.text}` : undefined;
    }
    case "ExpectScore":
      return compare(x.op, d.score, x.value.value) ? undefined : `expected score ${x.op} ${x.value.value}`;
  }
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

/** Run every `test` block of the set through both engines. */
export async function runTests(entry: Entry): Promise<{ engines: Engines; outcomes: TestOutcome[] }> {
  const e = await engines(entry);
  const outcomes = e.set.tests.map((t) => {
    const request = literalValue(t.request);
    const decision = e.interpret(request);
    const compiled = e.compiled(request);
    const failures = [
      ...t.expects.map((x) => failure(x, decision)).map((f) => f && `interpreter: ${f}`),
      ...t.expects.map((x) => failure(x, compiled)).map((f) => f && `compiled: ${f}`),
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
