/**
 * `runTests(set, options)`: every `test` and `property` of a checked policy set (its includes and
 * the standard packs it includes too), then the replayed fixtures, with coverage.
 *
 * - Order: tests and properties in policy-set order (file path, then position); fixtures after.
 * - A test's request is its literal evaluated (request-literal.ts), decided by `options.decider`
 *   (the reference interpreter unless a compiled module is given), and checked against every
 *   `expect`. When an expectation fails and the decision has errors (a request that breaks the
 *   action's schema: `/args/sql: must be string`), the errors come first in the failure.
 * - `filter`: only tests and properties whose name contains it (case-insensitive).
 * - `packTests: false` leaves out the tests and properties of standard packs (`stdlib/…`). The
 *   library runs them unless told not to; the command line leaves them out unless `--pack-tests`.
 *   When some fail, a note says that they assume the pack's defaults.
 */
import type { CheckedPolicySet } from "../check/program.js";
import { STDLIB_PREFIX } from "../check/stdlib.js";
import type { Decision } from "../engine/decision.js";
import { decideWith, type Prepared, prepare } from "../engine/interpret.js";
import type { PropertyDecl, TestDecl } from "../syntax/ast.js";
import { CoverageTracker } from "./coverage.js";
import { checkExpectations, type ExpectContext } from "./expect.js";
import { SchemaGen } from "./generators.js";
import { collectLiterals, type PolicyLiterals } from "./literals.js";
import { type Locate, locator } from "./locate.js";
import type { CaseResult, Decider, RunReport } from "./model.js";
import { runProperty } from "./properties.js";
import { type Fixture, replayFixture } from "./replay.js";
import { requestFromLiteral } from "./request-literal.js";

export interface RunOptions {
  /** Decides every request (default: the reference interpreter). `where` always uses the interpreter. */
  readonly decider?: Decider;
  /** The seed properties run with. */
  readonly seed: number;
  /** `--runs`: overrides every property's `runs`. */
  readonly runs?: number;
  readonly filter?: string;
  /** Run the tests and properties of standard packs (default true). */
  readonly packTests?: boolean;
  /** Compute coverage (also when only `minCoverage` is given). */
  readonly coverage?: boolean;
  readonly minCoverage?: number;
  readonly fixtures?: { readonly file: string; readonly fixtures: readonly Fixture[] };
}

export function runTests(set: CheckedPolicySet, options: RunOptions): RunReport {
  const prepared = prepare(set);
  const decider: Decider = options.decider ?? { decide: (r) => decideWith(prepared, r) };
  const locate = locator(set);
  const coverage = new CoverageTracker();
  const expect: ExpectContext = { active: new Set([...set.rules, ...set.risks].map((r) => r.name)) };
  const selected = selectCases(set, options);

  const results: CaseResult[] = [];
  let literals: PolicyLiterals | undefined;
  let ranProperty = false;
  for (const c of selected) {
    if (c.kind === "Test") {
      results.push(runTest(c, prepared, decider, expect, locate, (d) => coverage.record(d)));
    } else {
      literals ??= collectLiterals(set);
      const gen = new SchemaGen(literals, c.where === undefined ? undefined : collectLiterals(set, c.where));
      ranProperty = true;
      results.push(
        runProperty(c, {
          prepared,
          decider,
          gen,
          active: expect.active,
          locate,
          seed: options.seed,
          ...(options.runs !== undefined ? { runs: options.runs } : {}),
          record: (d) => coverage.record(d),
        }),
      );
    }
  }
  for (const f of options.fixtures?.fixtures ?? []) {
    const r = replayFixture(f, options.fixtures?.file ?? "", decider);
    if (r.decision) coverage.record(r.decision);
    results.push(r);
  }

  const notes: string[] = [];
  if (options.filter !== undefined && selected.length === 0) {
    notes.push(`no test or property matches --filter '${options.filter}'`);
  }
  const packFailures = results.filter(
    (r) => r.status === "failed" && r.location.file.startsWith(STDLIB_PREFIX),
  );
  if (packFailures.length > 0) {
    const n = packFailures.length;
    notes.push(
      `${n} of the failures belong${n === 1 ? "s" : ""} to standard packs: pack tests assume the pack's default parameters and no rules of yours that change its decisions; run without --pack-tests to leave them out`,
    );
  }
  const failed = results.filter((r) => r.status === "failed").length;
  const wantCoverage = options.coverage === true || options.minCoverage !== undefined;
  return {
    results,
    passed: results.length - failed,
    failed,
    seed: ranProperty ? options.seed : null,
    ...(wantCoverage ? { coverage: coverage.report(set, locate, options.minCoverage) } : {}),
    notes,
  };
}

/** Tests and properties in policy-set order, filtered. */
function selectCases(set: CheckedPolicySet, options: RunOptions): (TestDecl | PropertyDecl)[] {
  const fileIndex = new Map(set.files.map((f, i) => [f.path, i]));
  const needle = options.filter?.toLowerCase();
  return [...set.tests, ...set.properties]
    .filter((c) => options.packTests !== false || !c.span.file.startsWith(STDLIB_PREFIX))
    .filter((c) => needle === undefined || c.name.value.toLowerCase().includes(needle))
    .sort(
      (a, b) =>
        (fileIndex.get(a.span.file) ?? 0) - (fileIndex.get(b.span.file) ?? 0) || a.span.start - b.span.start,
    );
}

function runTest(
  t: TestDecl,
  p: Prepared,
  decider: Decider,
  expect: ExpectContext,
  locate: Locate,
  record: (d: Decision) => void,
): CaseResult {
  const base = { kind: "test" as const, name: t.name.value, location: locate(t.span), warnings: [] };
  const built = requestFromLiteral(p, t.request);
  if (!built.ok) return { ...base, status: "failed", failures: [built.message] };
  const decision = decider.decide(built.request);
  record(decision);
  const failures = checkExpectations(t.expects, decision, expect);
  if (failures.length > 0 && decision.errors.length > 0) {
    const errors = decision.errors.map((e) => (e.rule === undefined ? e.message : `${e.rule}: ${e.message}`));
    failures.unshift(`the decision has errors: ${errors.join("; ")}`);
  }
  return {
    ...base,
    status: failures.length > 0 ? "failed" : "passed",
    failures,
    request: built.request,
    decision,
  };
}
