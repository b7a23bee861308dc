/**
 * Globs, matched in linear time (regular expressions are in regex.ts, re-exported here).
 *
 * Globs follow picomatch's syntax with `dot: true` (`*` `?` `**` `[…]` `{a,b}` `{1..3}` `\x`), but
 * are translated to RE2 here: picomatch's own regular expressions backtrack polynomially on
 * hostile input (`*a*a*b` against 4,000 `a`s takes seconds), and an agent controls the input.
 * Semantics, checked against picomatch by a differential test:
 *   - `*` matches within one path segment (any characters but `/`, leading dots included); a
 *     segment that is only `*` needs at least one character;
 *   - `?` matches one character but `/`;
 *   - `**` as a whole segment matches any number of whole segments, none included, wherever it
 *     stands (`/etc/**` matches `/etc`; picomatch is stricter when `**` follows the root or a `*`
 *     segment); inside a segment it is `*`;
 *   - an input with a `.` or `..` segment never matches (wildcards never match them, and a
 *     pattern may not spell them out): `path.glob` normalizes first, so this only bites raw strings;
 *   - the empty string never matches; a trailing `/` in the input is not ignored;
 *   - `[!a]` negates as in shells, and `*.*` matches `a.` (picomatch reads both differently).
 * Extglobs (`!(a)`, `@(a|b)` …) and regex-style groups `(a|b)` are not supported.
 */

import { LruCache } from "./cache.js";
import { type RE2JS, re2 } from "./re2.js";
import { NativeError } from "./spec.js";

export { checkRegex, regexMatcher } from "./regex.js";

// ---------------------------------------------------------------------------------------------
// Globs

/** Unsupported glob syntax, caught in `globToRe2`. */
class GlobSyntax extends Error {}

/** Translate a glob to an anchored RE2 source, or say why it cannot be. */
export function globToRe2(glob: string): { ok: true; source: string } | { ok: false; message: string } {
  const problem =
    glob === ""
      ? "an empty glob matches nothing"
      : glob.split("/").some((seg) => seg === "." || seg === "..")
        ? "globs match normalized paths: remove `.` and `..` segments"
        : /[!@+?*]\(/.test(glob)
          ? "extglobs such as `!(…)` and `@(a|b)` are not supported: use `{a,b}`"
          : undefined;
  if (problem !== undefined) return { ok: false, message: problem };
  try {
    return { ok: true, source: `^${translate(glob, 0, glob.length)}$` };
  } catch (e) {
    if (e instanceof GlobSyntax) return { ok: false, message: e.message };
    throw e; // INVARIANT: only GlobSyntax is expected here
  }
}

// The translation of a `**` segment followed by a slash: any segments ending in a slash, or nothing.
const ANY_SEGMENTS = "(?:.*/)?";

function translate(glob: string, start: number, end: number): string {
  let out = "";
  let i = start;
  while (i < end) {
    const c = glob[i]!;
    if (c === "\\") {
      if (i + 1 >= end) throw new GlobSyntax("a glob cannot end with `\\`");
      out += re2().quote(glob[i + 1]!);
      i += 2;
    } else if (c === "*") {
      let j = i;
      while (j < end && glob[j] === "*") j++;
      const segStart = i === 0 || glob[i - 1] === "/";
      const segEnd = j === end || glob[j] === "/";
      if (j - i >= 2 && segStart && segEnd) {
        // `**` as a whole segment: zero or more segments.
        if (j === end) {
          // `**/**` is `**`: a trailing `**` absorbs the `**/` before it (`a/**/**` matches `a`).
          while (out.endsWith(ANY_SEGMENTS)) out = out.slice(0, -ANY_SEGMENTS.length);
          // `a/**` also matches `a`: drop the slash already emitted and make it optional.
          out = out.endsWith("/") ? `${out.slice(0, -1)}(?:/.*)?` : `${out}.*`;
          i = j;
        } else {
          out += ANY_SEGMENTS; // `**/`: any segments followed by a slash, or nothing
          i = j + 1;
        }
      } else {
        out += segStart && segEnd ? "[^/]+" : "[^/]*";
        i = j;
      }
    } else if (c === "(" || c === ")" || c === "|") {
      throw new GlobSyntax(
        `\`${c}\` is not glob syntax: escape it as \`\\${c}\`, or write alternatives as \`{a,b}\``,
      );
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const close = classEnd(glob, i, end);
      if (close < 0) {
        out += "\\[";
        i++;
      } else {
        out += translateClass(glob.slice(i + 1, close));
        i = close + 1;
      }
    } else if (c === "{") {
      const close = braceEnd(glob, i, end);
      if (close < 0) {
        out += "\\{";
        i++;
      } else {
        out += translateBraces(glob, i + 1, close);
        i = close + 1;
      }
    } else {
      out += re2().quote(c);
      i++;
    }
  }
  return out;
}

function classEnd(glob: string, open: number, end: number): number {
  let i = open + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++; // a leading `]` is a member
  for (; i < end; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
  }
  return -1;
}

function translateClass(body: string): string {
  let negate = false;
  let rest = body;
  if (rest.startsWith("!") || rest.startsWith("^")) {
    negate = true;
    rest = rest.slice(1);
  }
  let members = "";
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === "\\" && i + 1 < rest.length) {
      members += `\\${rest[++i]}`;
    } else if (c === "-" && i > 0 && i < rest.length - 1) {
      members += "-";
    } else members += /[\w]/.test(c) ? c : `\\${c}`;
  }
  // A negated class never matches `/`: it stays inside one segment like `*` and `?`.
  return negate ? `[^/${members}]` : `[${members}]`;
}

function braceEnd(glob: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

function translateBraces(glob: string, start: number, end: number): string {
  const body = glob.slice(start, end);
  const range = /^(-?\d+)\.\.(-?\d+)$|^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (range) {
    const [from, to] = range[1] !== undefined ? [Number(range[1]), Number(range[2])] : [0, 0];
    const items: string[] = [];
    if (range[1] !== undefined) {
      if (Math.abs(to - from) > 1000) throw new GlobSyntax(`the range \`{${body}}\` is too large`);
      for (let n = from; from <= to ? n <= to : n >= to; n += from <= to ? 1 : -1) items.push(String(n));
    } else {
      const a = range[3]!.charCodeAt(0);
      const b = range[4]!.charCodeAt(0);
      for (let n = a; a <= b ? n <= b : n >= b; n += a <= b ? 1 : -1) items.push(String.fromCharCode(n));
    }
    return `(?:${items.map((s) => re2().quote(s)).join("|")})`;
  }
  // Split on top-level commas.
  const parts: [number, number][] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  parts.push([from, end]);
  // `{a}` (no comma, no range) is literal in picomatch.
  if (parts.length === 1) return `\\{${translate(glob, start, end)}\\}`;
  return `(?:${parts.map(([a, b]) => translate(glob, a, b)).join("|")})`;
}

/** Compile-time check for a glob literal. */
export function checkGlob(glob: string): string | undefined {
  const translated = globToRe2(glob);
  if (!translated.ok) return `invalid glob \`${glob}\`: ${translated.message}`;
  try {
    re2().compile(translated.source, re2().DOTALL);
    return undefined;
  } catch (e) {
    return `invalid glob \`${glob}\`: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const globCache = new LruCache<string, RE2JS>(1000);
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** A compiled glob matcher; the input is matched as is (see `path.glob` for paths). */
export function globMatcher(glob: string): (s: string) => boolean {
  let re = globCache.get(glob);
  if (re === undefined) {
    const translated = globToRe2(glob);
    if (!translated.ok) throw new NativeError(`invalid glob \`${glob}\`: ${translated.message}`);
    re = re2().compile(translated.source, re2().DOTALL);
    globCache.set(glob, re);
  }
  const compiled = re;
  return (s) => s !== "" && !DOT_SEGMENT.test(s) && compiled.matches(s);
}
