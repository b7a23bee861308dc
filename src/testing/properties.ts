/**
 * Properties (LANGUAGE.md §7): `property NAME { for PATTERN where EXPR expect … runs N }`.
 *
 * Requests are drawn with fast-check: the action from the `for` pattern's matched actions, `args`
 * from that action's schema, `context` from the context schema (when one is declared), and `time`
 * over two years (generators.ts, strings.ts). Each request the schemas accept and `where` holds
 * for is decided and checked against every `expect`; fast-check shrinks a failing request to the
 * smallest it can find, which is printed as a `test` block that fails the same way.
 *
 * - Runs: the property's `runs N`, else DEFAULT_RUNS; `--runs` overrides both. A run is a request
 *   that satisfied `where` (fast-check `pre`); at most MAX_SKIPS_PER_RUN × runs requests are drawn.
 * - Seed: each property runs with a seed derived from the run's seed and its name, so filtering
 *   or adding properties never changes another property's requests; the same seed gives the same
 *   output.
 * - `where` too narrow: when fewer than 1 % of the drawn requests satisfy it (or the draw budget
 *   ran out first), the result carries a warning; when none did, the property fails (it checked
 *   nothing).
 */
import fc from "fast-check";
import type { CheckedPolicySet } from "../check/program.js";
import type { Decision } from "../engine/decision.js";
import type { Prepared } from "../engine/interpret.js";
import type { PropertyDecl } from "../syntax/ast.js";
import { testBlock } from "./counterexample.js";
import { checkExpectations } from "./expect.js";
import type { SchemaGen } from "./generators.js";
import type { Locate } from "./locate.js";
import type { CaseResult, Decider } from "./model.js";
import { requestTime } from "./strings.js";
import { evaluateWhere } from "./where.js";

/** Runs of a property without `runs N` (and without `--runs`). */
export const DEFAULT_RUNS = 1000;
/** fast-check gives up after this many discarded requests per run asked for. */
export const MAX_SKIPS_PER_RUN = 20;
/** Below this share of drawn requests satisfying `where`, a warning says `where` is too narrow. */
export const NARROW_WHERE = 0.01;

export interface PropertyContext {
  readonly prepared: Prepared;
  readonly decider: Decider;
  readonly gen: SchemaGen;
  readonly active: ReadonlySet<string>;
  readonly locate: Locate;
  /** The run's seed. */
  readonly seed: number;
  /** `--runs`: overrides every property's `runs`. */
  readonly runs?: number;
  /** Called with every decision made (coverage). */
  readonly record: (d: Decision) => void;
}

/** The declared action types a `for` pattern matches, sorted (as the checker matches them). */
export function propertyActions(set: CheckedPolicySet, p: PropertyDecl): string[] {
  const names = [...set.actions.keys()].sort();
  return p.action.wildcard
    ? names.filter((n) => n.startsWith(`${p.action.text}.`))
    : names.filter((n) => n === p.action.text);
}

/** Requests for the given actions: action, args, context (when declared) and time. */
export function requestArbitrary(
  set: CheckedPolicySet,
  actions: readonly string[],
  gen: SchemaGen,
): fc.Arbitrary<Record<string, unknown>> {
  const context = set.context === undefined ? undefined : gen.of(set.context.schema);
  const perAction = actions.map((name) => {
    const info = set.actions.get(name);
    const args = info === undefined ? fc.constant({}) : gen.of(info.schema);
    const model: Record<string, fc.Arbitrary<unknown>> = { action: fc.constant(name), args };
    if (context !== undefined) model.context = context;
    model.time = requestTime;
    return fc.record(model);
  });
  // JSON round trip: plain objects (no null prototypes), exactly what a JSON request would hold.
  return fc.oneof(...perAction).map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);
}

/** A property's own seed: the run's seed mixed with the FNV-1a hash of its name. */
export function propertySeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ seed) | 0;
}

export function runProperty(p: PropertyDecl, ctx: PropertyContext): CaseResult {
  const set = ctx.prepared.set;
  const name = p.name.value;
  const location = ctx.locate(p.span);
  const requested = ctx.runs ?? p.runs?.value ?? DEFAULT_RUNS;
  const seed = propertySeed(ctx.seed, name);
  const actions = propertyActions(set, p);
  const base = { kind: "property" as const, name, location };
  if (actions.length === 0) {
    // The checker reports a pattern that matches nothing; a set that checks always has one.
    return {
      ...base,
      status: "failed",
      failures: [`\`for ${p.action.text}\` matches no declared action`],
      warnings: [],
    };
  }

  let generated = 0;
  let invalid = 0;
  let satisfied = 0;
  const check = (request: Record<string, unknown>): boolean => {
    generated++;
    const w = evaluateWhere(ctx.prepared, p.where, request);
    if (w === "invalid") invalid++;
    fc.pre(w === "satisfied");
    satisfied++;
    const d = ctx.decider.decide(request);
    ctx.record(d);
    return checkExpectations(p.expects, d, { active: ctx.active }).length === 0;
  };
  const details = fc.check(fc.property(requestArbitrary(set, actions, ctx.gen), check), {
    seed,
    numRuns: requested,
    maxSkipsPerRun: MAX_SKIPS_PER_RUN,
  });

  const stats = { runs: details.numRuns, requested, generated, invalid, seed };
  const warnings: string[] = [];
  if (invalid > generated / 2) {
    warnings.push(
      `${invalid} of ${generated} generated requests broke the schemas (the generator does not know some of their keywords)`,
    );
  }

  const example = details.counterexample?.[0];
  if (details.failed && example !== undefined) {
    const decision = ctx.decider.decide(example);
    const failures = checkExpectations(p.expects, decision, { active: ctx.active });
    if (details.errorInstance !== null && failures.length === 0) {
      const why =
        details.errorInstance instanceof Error
          ? details.errorInstance.message
          : String(details.errorInstance);
      failures.push(`checking the property failed: ${why}`);
    }
    return {
      ...base,
      status: "failed",
      failures,
      warnings,
      request: example,
      decision,
      property: stats,
      counterexample: {
        request: example,
        test: testBlock(`${name} (counterexample)`, example, p.expects),
        run: details.numRuns,
        shrinks: details.numShrinks,
      },
    };
  }

  if (details.failed && satisfied === 0) {
    return {
      ...base,
      status: "failed",
      failures: [
        `no generated request satisfied \`where\` (${generated} drawn${invalid > 0 ? `, ${invalid} broke the schemas` : ""}): the property checked nothing; widen \`where\``,
      ],
      warnings,
      property: { ...stats, runs: 0 },
    };
  }
  const checked = details.failed ? satisfied : details.numRuns;
  if (details.failed || satisfied < generated * NARROW_WHERE) {
    const share = ((100 * satisfied) / Math.max(generated, 1)).toFixed(2);
    const short = checked < requested ? `, so it checked ${checked} requests instead of ${requested}` : "";
    warnings.push(
      `\`where\` is narrow: ${satisfied} of ${generated} generated requests (${share}%) satisfied it${short}`,
    );
  }
  return { ...base, status: "passed", failures: [], warnings, property: { ...stats, runs: checked } };
}
