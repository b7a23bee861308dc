/**
 * Number natives. `min`/`max` also order durations and timestamps (numbers of milliseconds at run
 * time), one kind at a time; `abs` keeps a duration a duration.
 */
import { formatType, T, type Type } from "../check/types.js";
import { list, num } from "./guard.js";
import { isLoose, isNumber, mismatch, ok } from "./sig.js";
import { NativeError, type NativeFunction, type SignatureResult } from "./spec.js";

/** The kind shared by `min`/`max` arguments: number, duration or timestamp (all numbers at run time). */
function extremumSignature(args: readonly Type[]): SignatureResult {
  const ordered = (t: Type) => t.kind === "number" || t.kind === "duration" || t.kind === "timestamp";
  const expected = "`number`, `duration` or `timestamp`";
  if (args.length === 1) {
    const [xs] = args as [Type];
    if (isLoose(xs)) return ok(T.any);
    if (xs.kind === "list" && (ordered(xs.element) || isLoose(xs.element))) return ok(xs.element);
    return mismatch(`a list of numbers or two or more ${expected} values`, xs, 0);
  }
  let kind: Type | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (isLoose(t)) continue;
    if (!ordered(t)) return mismatch(expected, t, i);
    if (kind === undefined) kind = t;
    else if (kind.kind !== t.kind) return mismatch(`\`${formatType(kind)}\``, t, i);
  }
  return ok(kind ?? T.any);
}

function extremum(name: "min" | "max"): NativeFunction {
  const pick = name === "min" ? Math.min : Math.max;
  return {
    name,
    doc: `${name}(a, b, …) | ${name}(xs: list<number>) — the ${name === "min" ? "smallest" : "largest"} of two or more numbers (or durations, or timestamps), or of a non-empty list`,
    arity: [1, 64],
    signature: extremumSignature,
    impl: (...args: unknown[]) => {
      const values = args.length === 1 ? list(args[0], name) : args;
      if (values.length === 0) throw new NativeError(`${name} of an empty list`);
      let best = num(values[0], name);
      for (const v of values) best = pick(best, num(v, name));
      return best;
    },
  };
}

const numeric = (
  name: string,
  doc: string,
  f: (x: number) => number,
  durations: boolean,
): NativeFunction => ({
  name,
  doc,
  arity: [1, 1],
  signature: ([x]) => {
    if (x === undefined || isNumber(x)) return ok(x?.kind === "any" || x === undefined ? T.number : x);
    if (durations && x.kind === "duration") return ok(T.duration);
    return mismatch(durations ? "`number` or `duration`" : "`number`", x, 0);
  },
  impl: (x: unknown) => {
    const r = f(num(x, name));
    return r === 0 ? 0 : r; // no -0 in results
  },
});

export const NUMBER_NATIVES: readonly NativeFunction[] = [
  extremum("min"),
  extremum("max"),
  numeric("abs", "abs(x: number | duration): number | duration — the absolute value", Math.abs, true),
  numeric("floor", "floor(x: number): number — the largest integer not above `x`", Math.floor, false),
  numeric("ceil", "ceil(x: number): number — the smallest integer not below `x`", Math.ceil, false),
];
