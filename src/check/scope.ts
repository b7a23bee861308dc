/**
 * Where an expression is checked: which roots it may read, the type of `args`, the names in
 * scope (lambda and def parameters, the locals of an `on` block) and what narrowing knows.
 */
import type { Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { LetDecl, Name } from "../syntax/ast.js";
import { type Facts, forget, NO_FACTS, union } from "./narrowing.js";
import type { SymbolRef } from "./program.js";
import { T, type Type } from "./types.js";

/**
 * - rule: a rule or risk (top level or in an `on` block), and a property's `where`;
 * - local-let: a `let` of an `on` block;
 * - global-let / def / test: constants and pure functions, which read no request.
 */
export type Place = "rule" | "local-let" | "global-let" | "def" | "test";

export interface Binding {
  readonly ref: SymbolRef;
  readonly type: Type;
}

export interface LocalLets {
  /** The `let`s of the enclosing `on` block by name, with their position in the block. */
  readonly byName: ReadonlyMap<string, { readonly decl: LetDecl; readonly index: number }>;
  /** Lets at an index below this are visible; the others are used before their definition. */
  readonly visible: number;
}

export interface Env {
  readonly place: Place;
  /** The type of `args`; undefined where `args` is not available (outside `on` blocks). */
  readonly args: Type | undefined;
  /** The action types `args` comes from (for "not a field of every action" hints). */
  readonly actions: readonly string[];
  /** The type of `action`: a union of the block's action names inside `on`, else `string`. */
  readonly action: Type;
  readonly locals: LocalLets | undefined;
  /** Lambda and def parameters, innermost last written. */
  readonly bindings: ReadonlyMap<string, Binding>;
  /** Access paths known to be present. */
  readonly facts: Facts;
}

/** True where the request roots `args`, `context`, `action`, `now` may be read. */
export function readsRequest(env: Env): boolean {
  return env.place === "rule" || env.place === "local-let";
}

export function constantEnv(place: "global-let" | "def" | "test"): Env {
  return {
    place,
    args: undefined,
    actions: [],
    action: T.string,
    locals: undefined,
    bindings: new Map(),
    facts: NO_FACTS,
  };
}

export function requestEnv(
  place: "rule" | "local-let",
  args: Type | undefined,
  actions: readonly string[],
  locals?: LocalLets,
): Env {
  return {
    place,
    args,
    actions,
    action: actions.length > 0 ? T.union(actions) : T.string,
    locals,
    bindings: new Map(),
    facts: NO_FACTS,
  };
}

export function withFacts(env: Env, facts: Facts): Env {
  if (facts.size === 0) return env;
  return { ...env, facts: union(env.facts, facts) };
}

/** A new scope binding `names` (lambda or def parameters); facts about rebound names are forgotten. */
export function withBindings(env: Env, entries: readonly (readonly [string, Binding])[]): Env {
  const bindings = new Map(env.bindings);
  for (const [name, b] of entries) bindings.set(name, b);
  return {
    ...env,
    bindings,
    facts: forget(
      env.facts,
      entries.map(([n]) => n),
    ),
  };
}

/** Report parameter names given twice (`def f(a: number, a: number)`, `(x, x) => …`). */
export function reportDuplicateParams(
  c: { report(code: "RPL2001", span: Span, args: readonly string[], extra: { related: Related[] }): void },
  names: readonly Name[],
): void {
  const first = new Map<string, Name>();
  for (const n of names) {
    const earlier = first.get(n.text);
    if (earlier)
      c.report("RPL2001", n.span, ["parameter", n.text], {
        related: [{ span: earlier.span, message: "first declared here" }],
      });
    else first.set(n.text, n);
  }
}

/** Where a root is unavailable, for the message: "`context` is not available in a `def`". */
export function placeText(env: Env): string {
  switch (env.place) {
    case "def":
      return "in a `def`";
    case "global-let":
      return "in a top-level `let`";
    case "test":
      return "in a test";
    default:
      return "outside `on` blocks";
  }
}
