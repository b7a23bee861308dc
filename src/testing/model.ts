/**
 * What `rplc test` produces: one result per test, property and replayed request, the coverage
 * of rules and risks, and the summary counts. The reporters (reporters/) print these; nothing
 * here depends on how they are shown.
 */
import type { Decision } from "../engine/decision.js";

/** Anything that decides requests: the reference interpreter or a compiled module. */
export interface Decider {
  decide(request: unknown): Decision;
}

export type CaseKind = "test" | "property" | "request";
export type CaseStatus = "passed" | "failed";

export interface Location {
  /** The display path (relative to the working directory, `stdlib/…` for packs). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

/** The smallest failing request a property found, and the `test` block that reproduces it. */
export interface Counterexample {
  readonly request: Record<string, unknown>;
  /** A ready-to-paste `test` block (canonical `rplc fmt` layout, ends with a newline). */
  readonly test: string;
  /** How many runs it took to find the first failure (including that run). */
  readonly run: number;
  /** How many times fast-check shrank it. */
  readonly shrinks: number;
}

export interface PropertyStats {
  /** Requests that satisfied the schemas and `where`, and were decided. */
  readonly runs: number;
  /** The runs asked for (`runs N` of the property, or `--runs`). */
  readonly requested: number;
  /** Every request generated, including those `where` or the schemas turned away. */
  readonly generated: number;
  /** Generated requests the action's or the context's schema rejected. */
  readonly invalid: number;
  /** The seed this property ran with (derived from the run's seed and the property's name). */
  readonly seed: number;
}

export interface CaseResult {
  readonly kind: CaseKind;
  readonly name: string;
  readonly location: Location;
  readonly status: CaseStatus;
  /** Why it failed, one line each, most telling first (empty when it passed). */
  readonly failures: readonly string[];
  /** Things worth knowing that do not fail the case (a `where` that too few requests satisfy). */
  readonly warnings: readonly string[];
  /** The request decided (a test's, a replayed line's, a property's counterexample). */
  readonly request?: unknown;
  /** Its decision. */
  readonly decision?: Decision;
  /** Properties only. */
  readonly property?: PropertyStats;
  readonly counterexample?: Counterexample;
  /** Replayed requests only: the decision the fixture recorded. */
  readonly expected?: string;
}

export interface CoverageItem {
  readonly kind: "rule" | "risk";
  readonly name: string;
  readonly location: Location;
}

export interface CoverageReport {
  /** Rules and risks that take part in decisions (those left out by `except` do not). */
  readonly total: number;
  readonly matched: number;
  /** matched / total × 100 (100 when there is nothing to cover). */
  readonly percent: number;
  /** Never matched by any decision of the run, in policy-set order. */
  readonly unmatched: readonly CoverageItem[];
  /** `--min-coverage`, when given. */
  readonly minimum?: number;
  /** False when `--min-coverage` was given and not reached. */
  readonly ok: boolean;
}

export interface RunReport {
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  /** The seed properties ran with (null when no property ran). */
  readonly seed: number | null;
  readonly coverage?: CoverageReport;
  /** Notes for the whole run (a `--filter` that matched nothing). */
  readonly notes: readonly string[];
}
