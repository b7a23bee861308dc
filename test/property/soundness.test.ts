/**
 * Soundness of the type checker, by construction of typed expression trees over a small schema:
 * 1. every generated well-typed condition checks without errors;
 * 2. replacing one leaf with a literal of a type that place does not take gives exactly one
 *    error: one mistake, one error (the error type stops every cascade above it).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPolicySet } from "../../src/check/check.js";

const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

const SCHEMA = `context {
  env: "dev" | "staging" | "production"
  agent: string
  level: number
  user?: { id: string, roles: list<string> }
}
action t.act { n: number, s: string, b: bool, d: duration, ts: timestamp, xs: list<string>, ns: list<number>, opt?: number, u: "a" | "b" | "c" }
`;

type Ty = "bool" | "number" | "string" | "duration" | "timestamp";

/** A typed expression tree: leaves may be swapped for a literal of another type. */
type Tree =
  | { readonly leaf: string; readonly type: Ty; readonly mutable: boolean }
  | { readonly parts: readonly (string | Tree)[] };

const leaf = (text: string, type: Ty, mutable = true): Tree => ({ leaf: text, type, mutable });
const node = (...parts: (string | Tree)[]): Tree => ({ parts });

const LITERALS: Readonly<Record<Ty, fc.Arbitrary<string>>> = {
  bool: fc.constantFrom("true", "false"),
  number: fc.integer({ min: 0, max: 99 }).map(String),
  string: fc.constantFrom('"a"', '"x"', '"DELETE"', '""'),
  duration: fc.constantFrom("5m", "1h", "30s", "2d"),
  timestamp: fc.constant("now"),
};

function gen(type: Ty, depth: number): fc.Arbitrary<Tree> {
  const g = (t: Ty) => gen(t, depth - 1);
  const base: Record<Ty, fc.Arbitrary<Tree>[]> = {
    bool: [LITERALS.bool.map((t) => leaf(t, "bool")), fc.constant(leaf("args.b", "bool"))],
    number: [
      LITERALS.number.map((t) => leaf(t, "number")),
      fc.constant(leaf("args.n", "number")),
      fc.constant(leaf("context.level", "number")),
    ],
    string: [
      LITERALS.string.map((t) => leaf(t, "string")),
      fc.constant(leaf("args.s", "string")),
      fc.constant(leaf("context.agent", "string")),
    ],
    duration: [LITERALS.duration.map((t) => leaf(t, "duration")), fc.constant(leaf("args.d", "duration"))],
    timestamp: [fc.constant(leaf("now", "timestamp")), fc.constant(leaf("args.ts", "timestamp"))],
  };
  if (depth <= 0) return fc.oneof(...base[type]);
  const rec: Record<Ty, fc.Arbitrary<Tree>[]> = {
    bool: [
      fc
        .tuple(g("bool"), fc.constantFrom("and", "or"), g("bool"))
        .map(([a, op, b]) => node("(", a, ` ${op} `, b, ")")),
      g("bool").map((a) => node("(not ", a, ")")),
      fc
        .tuple(fc.constantFrom<Ty>("number", "duration", "timestamp"), fc.constantFrom("<", "<=", ">", ">="))
        .chain(([t, op]) => fc.tuple(g(t), g(t)).map(([a, b]) => node("(", a, ` ${op} `, b, ")"))),
      fc
        .tuple(fc.constantFrom<Ty>("number", "string", "bool", "duration"), fc.constantFrom("==", "!="))
        .chain(([t, op]) => fc.tuple(g(t), g(t)).map(([a, b]) => node("(", a, ` ${op} `, b, ")"))),
      g("string").map((s) => node("(", s, " in args.xs)")),
      fc
        .tuple(g("number"), g("number"), g("number"))
        .map(([a, b, c]) => node("(", a, " not in [", b, ", ", c, "])")),
      fc.tuple(g("string"), g("string")).map(([a, b]) => node("starts_with(", a, ", ", b, ")")),
      g("string").map((s) => node("any(args.xs, x => ends_with(x, ", s, "))")),
      g("number").map((n) => node("(has(args.opt) and (args.opt > ", n, "))")),
      fc.constantFrom("a", "b", "c").map((v) => node("(", leaf("args.u", "string", false), ` == "${v}")`)),
      fc
        .constantFrom("dev", "staging", "production")
        .map((v) => node("(", leaf("context.env", "string", false), ` != "${v}")`)),
      g("string").map((s) =>
        node('(has(context.user) and ("admin" in context.user.roles) and (context.user.id == ', s, "))"),
      ),
    ],
    number: [
      fc
        .tuple(g("number"), fc.constantFrom("+", "-", "*", "%"), g("number"))
        .map(([a, op, b]) => node("(", a, ` ${op} `, b, ")")),
      g("string").map((s) => node("len(", s, ")")),
      g("number").map((n) => node("(args.opt ?? ", n, ")")),
      g("number").map((n) => node("(-", n, ")")),
      fc.tuple(g("number"), g("number")).map(([a, b]) => node("max(", a, ", ", b, ")")),
    ],
    string: [
      g("string").map((s) => node("lower(", s, ")")),
      fc.tuple(g("string"), g("string")).map(([a, b]) => node("(", a, " + ", b, ")")),
      g("string").map((s) => node("(context.user.id ?? ", s, ")")),
    ],
    duration: [
      fc.tuple(g("duration"), g("duration")).map(([a, b]) => node("(", a, " + ", b, ")")),
      fc.tuple(g("duration"), g("number")).map(([a, b]) => node("(", a, " * ", b, ")")),
      fc.tuple(g("timestamp"), g("timestamp")).map(([a, b]) => node("(", a, " - ", b, ")")),
    ],
    timestamp: [
      fc
        .tuple(g("timestamp"), fc.constantFrom("+", "-"), g("duration"))
        .map(([a, op, b]) => node("(", a, ` ${op} `, b, ")")),
    ],
  };
  return fc.oneof({ depthSize: "small" }, ...base[type], ...rec[type]);
}

function mutableLeaves(t: Tree, out: Tree[] = []): Tree[] {
  if ("leaf" in t) {
    if (t.mutable) out.push(t);
  } else for (const p of t.parts) if (typeof p !== "string") mutableLeaves(p, out);
  return out;
}

function print(t: Tree, swap?: { target: Tree; text: string }): string {
  if ("leaf" in t) return swap?.target === t ? swap.text : t.leaf;
  return t.parts.map((p) => (typeof p === "string" ? p : print(p, swap))).join("");
}

/** A literal no place of type `t` takes. */
function wrongLiteral(t: Ty): fc.Arbitrary<string> {
  const others = (["number", "string", "bool", "duration"] as const).filter((o) => o !== t);
  return fc.constantFrom(...others).chain((o) => LITERALS[o]);
}

function errorsOf(cond: string) {
  const text = `${SCHEMA}on t.act {\n  block r when ${cond}\n}\n`;
  const r = checkPolicySet({ sources: [{ path: "soundness.rplc", text }] }, { cwd: "/" });
  return r.diagnostics.filter((d) => d.severity === "error");
}

describe("type checker soundness", () => {
  it("accepts every well-typed condition", () => {
    fc.assert(
      fc.property(gen("bool", 4), (tree) => {
        const cond = print(tree);
        expect(
          errorsOf(cond).map((d) => `${d.code} ${d.message}`),
          cond,
        ).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("reports exactly one error for one ill-typed leaf", () => {
    const mutated = gen("bool", 4)
      .filter((t) => mutableLeaves(t).length > 0)
      .chain((tree) =>
        fc
          .constantFrom(...mutableLeaves(tree))
          .chain((target) =>
            wrongLiteral("leaf" in target ? target.type : "bool").map((text) => ({ tree, target, text })),
          ),
      );
    fc.assert(
      fc.property(mutated, ({ tree, target, text }) => {
        const cond = print(tree, { target, text });
        const errors = errorsOf(cond);
        expect(
          errors.map((d) => `${d.code} ${d.message}`),
          cond,
        ).toHaveLength(1);
      }),
      { numRuns: RUNS },
    );
  });
});
