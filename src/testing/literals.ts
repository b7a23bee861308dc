/**
 * The constants a policy set mentions, collected once so property generators can aim at them:
 * a request that only ever holds random strings rarely reaches `verb == "DELETE"` or
 * `path.within(args.path, "/tmp")`.
 *
 * Every expression of every file is walked (rules, risks, lets, defs, params and their `with`
 * values, tests' requests, properties' `where`): string literals become fragments, numbers and
 * durations become numeric constants, and the pattern arguments of `matches`, `glob`,
 * `path.glob`, `url.host_matches` and `path.within` are kept by kind.
 */
import type { CheckedPolicySet } from "../check/program.js";
import type { Expr } from "../syntax/ast.js";

export interface PolicyLiterals {
  /** String literals, deduplicated, in the order first seen. */
  readonly strings: readonly string[];
  /** Numbers and durations (milliseconds) the policy mentions, with their negations. */
  readonly numbers: readonly number[];
  /** Regular expressions of `matches(s, RE)`. */
  readonly regexes: readonly string[];
  /** Patterns of `glob`, `path.glob` and `url.host_matches`. */
  readonly globs: readonly string[];
  /** Directories of `path.within(p, DIR)`. */
  readonly dirs: readonly string[];
}

/** At most this many of each kind: a huge policy set must not make generators slow. */
const LIMIT = 400;

/** Strings that are prose or file names, not values a request could hold. */
const SKIPPED: Readonly<Record<string, readonly string[]>> = {
  Test: ["name"],
  Property: ["name"],
  Include: ["path"],
  Action: ["from"],
  Rule: ["reason"],
};

const GLOB_FUNCTIONS = new Set(["glob", "path.glob", "url.host_matches"]);

/**
 * The literals of `roots` (default: every file of the set). `set` resolves which native a call
 * invokes.
 */
export function collectLiterals(
  set: CheckedPolicySet,
  roots: unknown = set.files.map((f) => f.items),
): PolicyLiterals {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const regexes = new Set<string>();
  const globs = new Set<string>();
  const dirs = new Set<string>();
  const add = <T>(s: Set<T>, v: T) => {
    if (s.size < LIMIT) s.add(v);
  };

  const visitCall = (e: Expr & { kind: "Call" }) => {
    const target = set.calls.get(e);
    const name = target?.kind === "native" ? target.fn.name : calleeName(e.callee);
    const pattern = e.args[1];
    if (pattern?.kind !== "String") return;
    if (name === "matches") add(regexes, pattern.value);
    else if (name !== undefined && GLOB_FUNCTIONS.has(name)) add(globs, pattern.value);
    else if (name === "path.within") add(dirs, pattern.value);
  };

  const walk = (node: unknown, negated: boolean): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, false);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { kind?: unknown } & Record<string, unknown>;
    switch (n.kind) {
      case "String":
        add(strings, n.value as string);
        return;
      case "Number": {
        const v = n.value as number;
        add(numbers, negated ? -v : v);
        add(numbers, negated ? v : -v);
        return;
      }
      case "Duration":
        add(numbers, n.ms as number);
        return;
      case "Call":
        visitCall(n as unknown as Expr & { kind: "Call" });
        break;
      case "Unary":
        if (n.op === "-") {
          walk(n.operand, true);
          return;
        }
        break;
      default:
        break;
    }
    const skip = SKIPPED[n.kind as string];
    for (const [key, value] of Object.entries(n)) {
      if (key === "span" || key === "opSpan" || key === "comments" || skip?.includes(key)) continue;
      if (typeof value === "object" && value !== null) walk(value, false);
    }
  };
  walk(roots, false);

  return {
    strings: [...strings],
    numbers: [...numbers].filter((v) => Number.isFinite(v)),
    regexes: [...regexes],
    globs: [...globs],
    dirs: [...dirs],
  };
}

function calleeName(e: Expr): string | undefined {
  if (e.kind === "Identifier") return e.name;
  if (e.kind === "Member" && e.object.kind === "Identifier") return `${e.object.name}.${e.property.text}`;
  return undefined;
}
