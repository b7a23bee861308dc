import { posix } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { normalizePath, within } from "../../../src/natives/path.js";
import { call, native, sig } from "./helpers.js";

describe("path.normalize", () => {
  it.each([
    ["/tmp/../etc/passwd", "/etc/passwd"],
    ["/tmp/./a//b/", "/tmp/a/b"],
    ["/../../etc", "/etc"],
    ["//etc", "/etc"],
    ["///", "/"],
    ["/", "/"],
    ["a/../../b", "../b"],
    ["./a/./b", "a/b"],
    ["", "."],
    [".", "."],
    ["~/.ssh/id_rsa", "~/.ssh/id_rsa"],
    ["C:\\Windows\\..\\x", "C:\\Windows\\..\\x"],
    ["/var/log/../../../root/.bashrc", "/root/.bashrc"],
  ])("%j → %j", (p, expected) => {
    expect(call("path.normalize", p)).toBe(expected);
  });

  test.prop([fc.stringMatching(/^[a-z./~]{0,24}$/)])("is idempotent", (p) => {
    expect(normalizePath(normalizePath(p))).toBe(normalizePath(p));
  });

  // normalizePath returns a path that needs no work as it is; this is the full computation it skips.
  const reference = (p: string) => {
    if (p === "") return ".";
    const n = posix.normalize(p);
    const out = n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
    return out.startsWith("//") ? out.replace(/^\/+/, "/") : out;
  };
  test.prop([fc.stringMatching(/^[ab./\\]{0,16}$/)], { numRuns: 5000 })(
    "is posix.normalize without its trailing and leading slash quirks, also where it takes the short way",
    (p) => {
      expect(normalizePath(p)).toBe(reference(p));
    },
  );

  it.each(["/tmp/x", "...", ".a/b.", "a/..b", "/"])("returns %j, already normal, as it is", (p) => {
    expect(normalizePath(p)).toBe(p);
    expect(reference(p)).toBe(p);
  });
});

describe("path.within", () => {
  it.each([
    ["/tmp/x", "/tmp", true],
    ["/tmp", "/tmp", true],
    ["/tmp/", "/tmp", true],
    ["/tmp/a/b/c", "/tmp/", true],
    ["/tmp/../etc/passwd", "/tmp", false],
    ["/tmp/a/../../etc", "/tmp", false],
    ["/tmpx/a", "/tmp", false],
    ["/tmp/a/../b", "/tmp", true],
    ["/etc/passwd", "/", true],
    ["/", "/tmp", false],
    ["x", "/tmp", false], // relative: depends on an unknown working directory
    ["/tmp/x", ".", false],
    ["src/a.ts", ".", true],
    ["../outside", ".", false],
    ["..", ".", false],
    ["src/a/../b", "src", true],
    ["src/../../x", "src", false],
    ["~/x", "/home/u", false],
  ])("within(%j, %j) is %j", (p, dir, expected) => {
    expect(within(p, dir)).toBe(expected);
    expect(call("path.within", p, dir)).toBe(expected);
  });

  const seg = fc.constantFrom("a", "b", "..", ".", "tmp", "");
  const pathArb = fc
    .tuple(fc.boolean(), fc.array(seg, { maxLength: 6 }))
    .map(([abs, segs]) => (abs ? "/" : "") + segs.join("/"));

  test.prop([pathArb, pathArb])("agrees with resolving both against a working directory", (p, dir) => {
    // For absolute paths `within` is exactly: resolved `p` is `dir` or starts with `dir/`.
    fc.pre(p.startsWith("/") && dir.startsWith("/"));
    const rp = posix.resolve(p);
    const rd = posix.resolve(dir);
    const expected = rp === rd || rp.startsWith(rd === "/" ? "/" : `${rd}/`);
    expect(within(p, dir)).toBe(expected);
  });
});

describe("path.glob", () => {
  it.each([
    ["/tmp/../etc/shadow", "/etc/**", true],
    ["../../etc/shadow", "/etc/**", false],
    ["/home/u/.ssh/id_rsa", "**/.ssh/**", true],
    ["/home/u/project/.env", "**/.env", true],
    ["/home/u/project/.env.local", "**/.env", false],
    ["/srv/app/config/", "/srv/app/*", true],
    ["/srv/app/config/../../../etc", "/srv/app/**", false],
  ])("glob(%j, %j) is %j", (p, pattern, expected) => {
    expect(call("path.glob", p, pattern)).toBe(expected);
  });

  it("takes a checked literal pattern and types", () => {
    const glob = native("path.glob");
    expect(glob.literalArgs).toEqual([1]);
    expect(glob.checkLiteral?.(1, "/etc/**")).toBeUndefined();
    expect(glob.checkLiteral?.(1, "/tmp/../etc")).toMatch(/^invalid glob/);
    expect(sig("path.within", T.string, T.string)).toEqual({ ok: true, result: T.bool });
    expect(sig("path.normalize", T.number)).toEqual({
      ok: false,
      message: "expected `string`, found `number`",
      arg: 0,
    });
  });
});
