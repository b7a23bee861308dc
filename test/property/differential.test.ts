/**
 * Differential test [cedar-spec, OPA topdown vs Wasm]: on random well-typed policy sets and
 * random requests, the compiled module and the reference interpreter return deep-equal
 * decisions. A counterexample is saved as a conformance case (test/conformance/cases/
 * differential-*), with the interpreter's decision as the expectation, and the test fails.
 *
 * Size: POLICIES policy sets × REQUESTS requests each (≥ 10,000 pairs per run).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../src/compile/pipeline.js";
import type { Decision } from "../../src/engine/decision.js";
import { createInterpreter } from "../../src/engine/interpret.js";
import { loadPolicy } from "../../src/engine/load.js";
import { CASES_DIR, withoutPolicy } from "../conformance/harness.js";
import { policyText, request } from "./policy-gen.js";

const POLICIES = 170;
const REQUESTS = 60;

interface Outcome {
  readonly ok: boolean;
  readonly request?: unknown;
  readonly interpreted?: Decision;
  readonly compiled?: Decision;
  readonly problem?: string;
}

async function compare(text: string, requests: readonly unknown[]): Promise<Outcome> {
  const r = await runPipeline({ sources: [{ path: "policy.rplc", text }] }, { cwd: "/differential" });
  const checked = r.artifacts.checked;
  const code = r.artifacts.code;
  if (!r.ok || checked === undefined || code === undefined) {
    const shown = r.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `${d.code} @${d.span?.start}: ${d.message}`)
      .join("\n");
    return { ok: false, problem: `the generated policy does not compile:\n${shown}` };
  }
  const interpreter = createInterpreter(checked);
  const compiled = await loadPolicy(code);
  for (const q of requests) {
    const a = interpreter.decide(q);
    const b = compiled.decide(q);
    if (JSON.stringify(a) !== JSON.stringify(b))
      return { ok: false, request: q, interpreted: a, compiled: b };
  }
  return { ok: true };
}

function saveCase(text: string, outcome: Outcome): string {
  const id = createHash("sha256")
    .update(text)
    .update(JSON.stringify(outcome.request))
    .digest("hex")
    .slice(0, 10);
  const dir = path.join(CASES_DIR, `differential-${id}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "policy.rplc"), text);
  const expect = outcome.interpreted === undefined ? null : withoutPolicy(outcome.interpreted);
  const cases = [{ name: "found by the differential test", request: outcome.request, expect }];
  writeFileSync(path.join(dir, "requests.json"), `${JSON.stringify(cases, null, 2)}\n`);
  return dir;
}

describe("compiled module ≡ interpreter", () => {
  it(`agrees on ${POLICIES} random policy sets × ${REQUESTS} random requests`, async () => {
    let pairs = 0;
    const property = fc.asyncProperty(
      policyText,
      fc.array(request, { minLength: REQUESTS, maxLength: REQUESTS }),
      async (text, requests) => {
        const outcome = await compare(text, requests);
        if (outcome.ok) pairs += requests.length;
        return outcome.ok;
      },
    );
    const result = await fc.check(property, { numRuns: POLICIES, endOnFailure: false });
    if (result.failed && result.counterexample !== null) {
      const [text, requests] = result.counterexample;
      const outcome = await compare(text, requests);
      if (outcome.problem !== undefined) throw new Error(`${outcome.problem}\n\n${text}`);
      const dir = saveCase(text, outcome);
      expect.soft(outcome.compiled, `counterexample saved as ${dir}`).toEqual(outcome.interpreted);
      throw new Error(`the engines differ; counterexample saved as ${dir}`);
    }
    expect(result.failed).toBe(false);
    expect(pairs).toBeGreaterThanOrEqual(10_000);
  }, 120_000);
});
