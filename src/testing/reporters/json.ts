/**
 * `rplc test --reporter json`: one JSON object on standard output (shape version 1, documented in
 * docs/testing.md):
 *
 *   { "version": 1,
 *     "summary": { "passed": 28, "failed": 1, "total": 29 },
 *     "seed": 42 | null,
 *     "results": [ { "kind": "test" | "property" | "request", "name", "file", "line", "column",
 *                    "status": "passed" | "failed", "failures": [..], "warnings": [..],
 *                    "request"?: {..}, "decision"?: {..},                   (tests, requests, failed properties)
 *                    "expected"?: "ALLOW" | "BLOCK" | "REQUIRE_APPROVAL",   (requests)
 *                    "runs"?: n, "requestedRuns"?: n, "generated"?: n, "invalid"?: n, "propertySeed"?: n,
 *                    "counterexample"?: { "request", "test", "run", "shrinks" } } ],
 *     "coverage": null | { "total", "matched", "percent", "minimum": n | null, "ok",
 *                          "unmatched": [ { "kind": "rule" | "risk", "name", "file", "line", "column" } ] } }
 *
 * Keys appear in this order; nothing depends on the clock, so the same seed gives the same bytes.
 */
import type { CaseResult, CoverageReport, RunReport } from "../model.js";

export function renderJsonReport(report: RunReport): string {
  const out = {
    version: 1,
    summary: { passed: report.passed, failed: report.failed, total: report.results.length },
    seed: report.seed,
    results: report.results.map(caseJson),
    coverage: report.coverage === undefined ? null : coverageJson(report.coverage),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function caseJson(r: CaseResult): Record<string, unknown> {
  const o: Record<string, unknown> = {
    kind: r.kind,
    name: r.name,
    file: r.location.file,
    line: r.location.line,
    column: r.location.column,
    status: r.status,
    failures: r.failures,
    warnings: r.warnings,
  };
  if (r.request !== undefined) o.request = r.request;
  if (r.decision !== undefined) o.decision = r.decision;
  if (r.expected !== undefined) o.expected = r.expected;
  if (r.property !== undefined) {
    o.runs = r.property.runs;
    o.requestedRuns = r.property.requested;
    o.generated = r.property.generated;
    o.invalid = r.property.invalid;
    o.propertySeed = r.property.seed;
  }
  if (r.counterexample !== undefined) {
    const ce = r.counterexample;
    o.counterexample = { request: ce.request, test: ce.test, run: ce.run, shrinks: ce.shrinks };
  }
  return o;
}

function coverageJson(c: CoverageReport): Record<string, unknown> {
  return {
    total: c.total,
    matched: c.matched,
    percent: c.percent,
    minimum: c.minimum ?? null,
    ok: c.ok,
    unmatched: c.unmatched.map((u) => ({
      kind: u.kind,
      name: u.name,
      file: u.location.file,
      line: u.location.line,
      column: u.location.column,
    })),
  };
}
