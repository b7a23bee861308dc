/**
 * Regular expressions for `matches(s, RE)`: RE2 syntax (re2js), so matching never backtracks and
 * takes time linear in the input, whatever the pattern.
 *
 * The language still makes a pattern that *can* backtrack catastrophically a compile error, so a
 * policy stays safe to run on a backtracking engine. Decision: "catastrophically" means
 * exponentially — a repeated group that can match the same text in more than one way, such as
 * `(a+)+`, `(a|a)*` or `(\w+\s?)*`. Polynomial patterns (`.*a.*b`) are accepted: every
 * unanchored `.*` in the middle of a pattern is one, and RE2 runs them linearly.
 *
 * The check is deterministic and usually instant: exponential backtracking needs a quantified
 * group (`(…)*`, `(…)+`, `(…){2,}`), so only patterns with one go to recheck's automaton checker
 * (static analysis; its fuzzer has millisecond budgets, which would make the verdict depend on the
 * machine's load), one top-level alternative at a time. Past its timeout the verdict is "unknown"
 * and the pattern is accepted, since RE2 is linear anyway.
 */
import { LruCache } from "./cache.js";
import { lazy } from "./lazy.js";
import { type RE2JS, re2 } from "./re2.js";
import { NativeError } from "./spec.js";

/** Only the checker calls recheck (compile time): loaded on first use. */
const recheck = lazy<typeof import("recheck")>("recheck");

export const RECHECK_PARAMS = { checker: "automaton", timeout: 5_000 } as const;

/** Reject a `matches` pattern at compile time: RE2 syntax first, then exponential backtracking. */
export function checkRegex(pattern: string): string | undefined {
  try {
    re2().compile(pattern);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    return `invalid regular expression \`${pattern}\`: ${why}`;
  }
  // recheck reads JavaScript syntax: move leading RE2 inline flags (`(?i)`) into JS flags.
  const inline = /^\(\?([imsU]+)\)/.exec(pattern);
  const source = inline ? pattern.slice(inline[0].length) : pattern;
  if (!hasRepeatedGroup(source)) return undefined;
  const flags = inline ? [...new Set(inline[1]!.replace(/U/g, ""))].join("") : "";
  for (const branch of topLevelBranches(source)) {
    if (!hasRepeatedGroup(branch)) continue;
    const verdict = recheck().checkSync(branch, flags, RECHECK_PARAMS);
    if (verdict.status === "vulnerable" && verdict.complexity.type === "exponential") {
      return `regular expression \`${pattern}\` can backtrack catastrophically (exponentially)`;
    }
  }
  return undefined;
}

/**
 * Walk the pattern's tokens, calling `bar` for each top-level `|`, `open` for each `(` and
 * `close` for each `)` with the position after it. Escapes, `\Q…\E` and classes are skipped.
 */
function scan(p: string, on: { bar?(i: number): void; open?(): void; close?(after: number): void }): void {
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      if (p[i + 1] === "Q") {
        const end = p.indexOf("\\E", i + 2);
        i = end < 0 ? p.length : end + 1;
      } else if ((p[i + 1] === "p" || p[i + 1] === "P" || p[i + 1] === "x") && p[i + 2] === "{") {
        i = Math.max(i + 2, p.indexOf("}", i + 3));
      } else i++;
    } else if (c === "[") {
      // A class: `]` right after `[` or `[^` is a member; `[:alpha:]` inside is one token.
      let j = i + 1;
      if (p[j] === "^") j++;
      if (p[j] === "]") j++;
      while (j < p.length && p[j] !== "]") {
        if (p[j] === "\\") j++;
        else if (p[j] === "[" && p[j + 1] === ":") j = Math.max(j, p.indexOf(":]", j + 2) + 1);
        j++;
      }
      i = j;
    } else if (c === "(") {
      depth++;
      on.open?.();
    } else if (c === ")") {
      depth--;
      on.close?.(i + 1);
    } else if (c === "|" && depth === 0) on.bar?.(i);
  }
}

/** Whether a group is followed by `*`, `+`, `{n,}` or `{n,m}` with m ≥ 2 (a loop over a group). */
export function hasRepeatedGroup(p: string): boolean {
  let found = false;
  scan(p, {
    close(after) {
      const q = p[after];
      if (q === "*" || q === "+") found = true;
      else if (q === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(after));
        if (m && (m[2] === undefined ? Number(m[1]) >= 2 : m[3] === "" || Number(m[3]) >= 2)) found = true;
      }
    },
  });
  return found;
}

/**
 * `a|b|c` → `a`, `b`, `c`; a pattern wholly inside one `(?:…)` is unwrapped first. Backtracking
 * tries the alternatives of a top-level alternation one after the other, so its worst case is the
 * worst of its alternatives: checking them apart is exact, and much faster for long lists.
 */
export function topLevelBranches(p: string): string[] {
  const whole = /^\(\?:(.*)\)$/s.exec(p);
  if (whole && wrapsWhole(p)) return topLevelBranches(whole[1]!);
  const bars: number[] = [];
  scan(p, { bar: (i) => bars.push(i) });
  const out: string[] = [];
  let from = 0;
  for (const b of bars) {
    out.push(p.slice(from, b));
    from = b + 1;
  }
  out.push(p.slice(from));
  return out;
}

/** Whether the group opened at 0 closes at the very end (`(?:a)|(?:b)` is two groups). */
function wrapsWhole(p: string): boolean {
  let depth = 0;
  let firstReturn = -1;
  scan(p, {
    open: () => depth++,
    close(after) {
      if (--depth === 0 && firstReturn < 0) firstReturn = after;
    },
  });
  return firstReturn === p.length;
}

const regexCache = new LruCache<string, RE2JS>(1000);

/** A compiled matcher for a pattern already accepted by `checkRegex`: true when it matches anywhere. */
export function regexMatcher(pattern: string): (s: string) => boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = re2().compile(pattern);
    } catch (e) {
      // Reachable only when a caller skipped the compile-time check.
      throw new NativeError(`invalid regular expression \`${pattern}\`: ${(e as Error).message}`);
    }
    regexCache.set(pattern, re);
  }
  const compiled = re;
  return (s) => compiled.test(s);
}
