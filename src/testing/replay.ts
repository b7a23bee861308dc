/**
 * Fixture replay (`rplc test --requests FILE.jsonl`): decisions recorded once, checked again after
 * every policy change, so a change is reviewed as a diff of outcomes.
 *
 * The file holds one JSON object per line (blank lines are skipped):
 *
 *   { "request": { "action": "db.query", "args": { … }, "context": { … }, "time": "…" },
 *     "expected": "ALLOW" }
 *
 * `request` is a request as in LANGUAGE.md §1 (give `time`: without it the current time is used);
 * `expected` is `ALLOW`, `BLOCK` or `REQUIRE_APPROVAL`; no other keys. A line that is not such an
 * object is a usage error naming the line (exit 2). Each line is one case: it passes when the
 * decision is the expected one, and fails, showing expected → actual and the matched rules, when
 * it changed.
 */
import type { DecisionKind } from "../engine/decision.js";
import type { CaseResult, Decider } from "./model.js";

export interface Fixture {
  /** 1-based line in the file. */
  readonly line: number;
  readonly request: unknown;
  readonly expected: DecisionKind;
}

export type ParsedFixtures =
  | { readonly ok: true; readonly fixtures: readonly Fixture[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

const DECISIONS: readonly string[] = ["ALLOW", "BLOCK", "REQUIRE_APPROVAL"];
const SHAPE = 'each line is { "request": { … }, "expected": "ALLOW" | "BLOCK" | "REQUIRE_APPROVAL" }';

export function parseFixtures(text: string): ParsedFixtures {
  const fixtures: Fixture[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      return { ok: false, line, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, line, message: `not a JSON object: ${SHAPE}` };
    }
    const o = value as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (key !== "request" && key !== "expected") {
        return { ok: false, line, message: `unknown key \`${key}\`: ${SHAPE}` };
      }
    }
    if (!Object.hasOwn(o, "request")) return { ok: false, line, message: `\`request\` is missing: ${SHAPE}` };
    const expected = o.expected;
    if (typeof expected !== "string" || !DECISIONS.includes(expected)) {
      const got = expected === undefined ? "missing" : JSON.stringify(expected);
      return {
        ok: false,
        line,
        message: `\`expected\` must be "ALLOW", "BLOCK" or "REQUIRE_APPROVAL", not ${got}`,
      };
    }
    fixtures.push({ line, request: o.request, expected: expected as DecisionKind });
  }
  return { ok: true, fixtures };
}

/** The action a request names, for display (`?` when it has none). */
function actionOf(request: unknown): string {
  if (typeof request === "object" && request !== null && !Array.isArray(request)) {
    const a = (request as Record<string, unknown>).action;
    if (typeof a === "string") return a;
  }
  return "?";
}

export function replayFixture(f: Fixture, file: string, decider: Decider): CaseResult {
  const decision = decider.decide(f.request);
  const changed = decision.decision !== f.expected;
  const failures: string[] = [];
  if (changed) {
    failures.push(`decision changed: expected ${f.expected}, got ${decision.decision}`);
    for (const e of decision.errors)
      failures.push(`error: ${e.rule === undefined ? "" : `${e.rule}: `}${e.message}`);
  }
  return {
    kind: "request",
    name: `line ${f.line}: ${actionOf(f.request)}`,
    location: { file, line: f.line, column: 1 },
    status: changed ? "failed" : "passed",
    failures,
    warnings: [],
    request: f.request,
    decision,
    expected: f.expected,
  };
}
