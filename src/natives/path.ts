/**
 * `path.*`: POSIX paths, resolved lexically (no file system, no current directory, no home).
 *
 * Decisions:
 *   - `normalize` resolves `.` and `..` and repeated slashes, and drops a trailing slash (`/tmp/`
 *     is `/tmp`); `..` never climbs above `/` (`/../etc` is `/etc`); a relative path keeps the `..`
 *     it cannot resolve (`a/../../b` is `../b`); the empty path is `.`. `~` is an ordinary name:
 *     natives are pure, so no home directory is known. A backslash is a file-name character.
 *   - `within(p, dir)` compares normalized paths segment by segment: a directory is within itself,
 *     `/tmpx` is not within `/tmp`, and a relative path is never within an absolute directory (its
 *     location depends on a working directory the policy cannot see), nor the reverse.
 *   - `glob(p, PATTERN)` matches the normalized path (see patterns.ts for the glob syntax).
 */
import { posix } from "node:path";
import { T } from "../check/types.js";
import { str } from "./guard.js";
import { checkGlob, globMatcher } from "./patterns.js";
import { P, simple } from "./sig.js";
import type { NativeFunction } from "./spec.js";

/**
 * What `normalizePath` would change: a `.` or `..` segment, an empty one (`//`), a trailing slash
 * after something. A path without any is its own normal form and is returned as it is, without
 * `posix.normalize` (a new string on every call; `path.within` of a request's path is on many
 * decisions' path).
 */
const NEEDS_WORK = /(?:^|\/)\.\.?(?:\/|$)|\/\/|.\/$/;

export function normalizePath(p: string): string {
  if (p === "") return ".";
  if (!NEEDS_WORK.test(p)) return p;
  const n = posix.normalize(p);
  // posix.normalize keeps one trailing slash and two leading ones (`//x`); drop both quirks.
  let out = n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
  if (out.startsWith("//")) out = out.replace(/^\/+/, "/");
  return out;
}

export function within(p: string, dir: string): boolean {
  const a = normalizePath(p);
  const b = normalizePath(dir);
  if (a.startsWith("/") !== b.startsWith("/")) return false;
  if (a === b) return true;
  if (b === "/") return true; // a is absolute here
  if (b === ".") return a !== ".." && !a.startsWith("../");
  return a.startsWith(`${b}/`);
}

export const PATH_NATIVES: readonly NativeFunction[] = [
  {
    name: "path.normalize",
    doc: "path.normalize(p: string): string — the POSIX path with `.`, `..`, repeated and trailing slashes resolved",
    arity: [1, 1],
    signature: simple([P.string], T.string),
    impl: (p: unknown) => normalizePath(str(p, "path.normalize")),
  },
  {
    name: "path.within",
    doc: "path.within(p: string, dir: string): bool — whether `p` is `dir` or below it, after resolving `..` in both",
    arity: [2, 2],
    signature: simple([P.string, P.string], T.bool),
    impl: (p: unknown, dir: unknown) => within(str(p, "path.within"), str(dir, "path.within")),
  },
  {
    name: "path.glob",
    doc: "path.glob(p: string, pattern: string literal): bool — whether the normalized path matches the glob (`/etc/**`, `**/*.pem`)",
    arity: [2, 2],
    signature: simple([P.string, P.string], T.bool),
    literalArgs: [1],
    checkLiteral: (index, value) => (index === 1 ? checkGlob(value) : undefined),
    impl: (p: unknown, pattern: string) => globMatcher(pattern)(normalizePath(str(p, "path.glob"))),
  },
];
