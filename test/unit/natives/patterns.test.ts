import { fc, test } from "@fast-check/vitest";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import {
  checkGlob,
  checkRegex,
  globMatcher,
  globToRe2,
  regexMatcher,
} from "../../../src/natives/patterns.js";
import { hasRepeatedGroup, topLevelBranches } from "../../../src/natives/regex.js";
import { thrown } from "./helpers.js";

describe("globs", () => {
  it.each([
    ["/etc/**", "/etc", true],
    ["/etc/**", "/etc/passwd", true],
    ["/etc/**", "/etc/.ssh/id_rsa", true],
    ["/etc/**", "/etcx/passwd", false],
    ["**/*.pem", "certs/prod/server.pem", true],
    ["**/*.pem", "server.pem", true],
    ["**/*.pem", "server.pem.bak", false],
    ["**/.env*", "app/.env.production", true],
    ["*.acme.com", "api.acme.com", true],
    ["*.acme.com", "acme.com", false],
    ["src/**/test/*.ts", "src/test/a.ts", true],
    ["src/**/test/*.ts", "src/a/b/test/c.ts", true],
    ["a/*/b", "a/x/b", true],
    ["a/*/b", "a/x/y/b", false],
    ["a/*/b", "a//b", false],
    ["release/*", "release/", false],
    ["?.txt", "a.txt", true],
    ["?.txt", "ab.txt", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    ["[!abc]x", "dx", true],
    ["[^abc]x", "dx", true],
    ["[a-c]x", "cx", true],
    ["file{1..3}.txt", "file2.txt", true],
    ["file{1..3}.txt", "file4.txt", false],
    ["file{a..c}", "fileb", true],
    ["*.{js,ts}", "x.ts", true],
    ["*.{js,ts}", "x.rs", false],
    ["{a,b/{c,d}}", "b/d", true],
    ["a{b}c", "a{b}c", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["a{b", "a{b", true],
    ["**", "anything/at/all", true],
    ["**", "", false],
    ["*", ".hidden", true],
    ["*.*", "a.", true],
    ["/**/x", "/x", true],
    ["*/**", "a", true],
    // A trailing `**` absorbs the `**/` before it (found by the glob property on a new seed).
    ["*/**/**", "a", true],
    ["a/**/**", "a", true],
    ["a/**/**", "b", false],
    ["/tmp/*", "/tmp/../etc", false],
    ["/tmp/**", "/tmp/./x", false],
  ])("glob %j matches %j: %j", (pattern, input, expected) => {
    expect(globMatcher(pattern)(input)).toBe(expected);
  });

  it.each([
    ["", "invalid glob ``: an empty glob matches nothing"],
    ["/tmp/../etc", "invalid glob `/tmp/../etc`: globs match normalized paths: remove `.` and `..` segments"],
    [
      "a/@(b|c)",
      "invalid glob `a/@(b|c)`: extglobs such as `!(…)` and `@(a|b)` are not supported: use `{a,b}`",
    ],
    [
      "a(b|c)",
      "invalid glob `a(b|c)`: `(` is not glob syntax: escape it as `\\(`, or write alternatives as `{a,b}`",
    ],
    ["x{1..5000}", "invalid glob `x{1..5000}`: the range `{1..5000}` is too large"],
    ["trailing\\", "invalid glob `trailing\\`: a glob cannot end with `\\`"],
  ])("rejects %j", (pattern, message) => {
    expect(checkGlob(pattern)).toBe(message);
    expect(thrown(() => globMatcher(pattern))).toBe(`NativeError: ${message}`);
  });

  it("compiles to anchored RE2", () => {
    expect(globToRe2("/etc/**")).toEqual({ ok: true, source: "^/etc(?:/.*)?$" });
    expect(globToRe2("**/x")).toEqual({ ok: true, source: "^(?:.*/)?x$" });
  });

  it("matches hostile input in linear time", () => {
    // picomatch's own regular expression takes seconds here.
    const start = performance.now();
    expect(globMatcher("*a*a*a*b")("a".repeat(20_000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  const segment = fc.stringMatching(/^[a-c.]{1,3}$/).filter((s) => s !== "." && s !== "..");
  const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
  // Not generated: picomatch's `*.*` alone rejects `a.` (its `a.*` accepts it); ours accepts both.
  const globSegment = fc.oneof(
    segment,
    fc.constantFrom("*", "**", "?", "*a", "b*", "[ab]", "{a,bc}", "a?c", "*.b", "a.*"),
  );
  const globArb = fc.array(globSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));

  /**
   * The oracle: picomatch (dot: true) for each segment, and `**` as zero or more whole segments.
   * (picomatch itself is inconsistent when `**` follows the root or a `*` segment: there it needs
   * at least one segment, while after a literal segment it may match none.)
   */
  function reference(glob: string, path: string): boolean {
    if (path === "") return false;
    const gs = glob.split("/");
    const ps = path.split("/");
    const seg = (g: string, p: string) =>
      g === "" ? p === "" : p !== "" && picomatch(g, { dot: true, windows: false })(p);
    const from = (i: number, j: number): boolean => {
      if (i === gs.length) return j === ps.length;
      if (gs[i] === "**") return from(i + 1, j) || (j < ps.length && from(i, j + 1));
      return j < ps.length && seg(gs[i]!, ps[j]!) && from(i + 1, j + 1);
    };
    return from(0, 0);
  }

  test.prop([globArb, pathArb, fc.boolean()], { numRuns: 2000 })(
    "agrees with picomatch per segment, `**` spanning whole segments",
    (glob, path, absolute) => {
      const g = absolute ? `/${glob}` : glob;
      const p = absolute ? `/${path}` : path;
      expect(globMatcher(g)(p)).toBe(reference(g, p));
    },
  );

  test.prop([globArb.filter((g) => !g.includes("**")), pathArb], { numRuns: 1000 })(
    "agrees with picomatch outright on globs without `**`",
    (glob, path) => {
      expect(globMatcher(glob)(path)).toBe(picomatch(glob, { dot: true, windows: false })(path));
    },
  );
});

describe("regular expressions", () => {
  it("accepts safe RE2 patterns and leading inline flags", () => {
    expect(checkRegex("^(?:SELECT|WITH)\\b")).toBeUndefined();
    expect(checkRegex("(?i)^drop")).toBeUndefined();
    expect(checkRegex("\\pN+")).toBeUndefined();
    expect(regexMatcher("(?i)^drop")("DROP TABLE x")).toBe(true);
  });

  it("rejects exponential backtracking, accepts polynomial", () => {
    expect(checkRegex("^(\\w+\\s?)*$")).toBe(
      "regular expression `^(\\w+\\s?)*$` can backtrack catastrophically (exponentially)",
    );
    expect(checkRegex("(a|aa)+$")).toMatch(/catastrophically/);
    expect(checkRegex("^(?:x|(a+)+)$")).toMatch(/catastrophically/);
    expect(checkRegex("(?i)^(?:[a-z]+\\.)+$")).toBeUndefined(); // the dot ends each repetition
    expect(checkRegex("^.*a.*a.*a.*b$")).toBeUndefined(); // polynomial: linear under RE2
    expect(checkRegex("(?:ab|cd){2,}")).toBeUndefined();
  });

  it("finds repeated groups, skipping escapes and classes", () => {
    expect(hasRepeatedGroup("(a)+")).toBe(true);
    expect(hasRepeatedGroup("(?:a|b){2,5}")).toBe(true);
    expect(hasRepeatedGroup("(?:a|b){0,1}")).toBe(false);
    expect(hasRepeatedGroup("(?:git\\+)?x")).toBe(false);
    expect(hasRepeatedGroup("\\(a\\)+")).toBe(false);
    expect(hasRepeatedGroup("[()]+")).toBe(false);
    expect(hasRepeatedGroup("[^)]*\\Q(x)+\\E")).toBe(false);
    expect(hasRepeatedGroup("\\p{Greek}+")).toBe(false);
  });

  it("splits top-level alternatives, unwrapping one outer group", () => {
    expect(topLevelBranches("(?:a|b(c|d)|[|])")).toEqual(["a", "b(c|d)", "[|]"]);
    expect(topLevelBranches("(?:a)|(?:b)")).toEqual(["(?:a)", "(?:b)"]);
    expect(topLevelBranches("a\\|b")).toEqual(["a\\|b"]);
  });

  it("checks a long list of alternatives quickly", () => {
    const list = `(?:${Array.from({ length: 30 }, (_, i) => `word${i}\\s*\\(`).join("|")})`;
    const start = performance.now();
    expect(checkRegex(list)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it("reports an uncompilable pattern at run time as an evaluation error", () => {
    expect(thrown(() => regexMatcher("(")("x"))).toMatch(/^NativeError: invalid regular expression `\(`/);
  });
});
