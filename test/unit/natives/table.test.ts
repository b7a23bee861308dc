import { fc, test } from "@fast-check/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { T, type Type } from "../../../src/check/types.js";
import { initNatives } from "../../../src/natives/init.js";
import { NativeError } from "../../../src/natives/spec.js";
import {
  lookupNative,
  NAMESPACES,
  NATIVES,
  namespaceMembers,
  nativeNames,
} from "../../../src/natives/table.js";

beforeAll(() => initNatives());

/** The minimum of LANGUAGE.md §6, which the table must provide. */
const REQUIRED = [
  "len lower upper trim starts_with ends_with contains split join str matches glob",
  "any all count filter map intersects min max abs floor ceil hour weekday",
  "sql.valid sql.verb sql.verbs sql.statements sql.tables sql.has_where sql.is_write",
  "shell.valid shell.program shell.programs shell.argv shell.pipes_to_shell shell.redirects shell.commands",
  "path.normalize path.within path.glob",
  "url.valid url.host url.scheme url.path url.host_matches url.is_private",
  "secrets.found secrets.kinds",
]
  .join(" ")
  .split(" ");

describe("the native table", () => {
  it("holds every function the language promises", () => {
    for (const name of REQUIRED) expect([name, lookupNative(name) !== undefined]).toEqual([name, true]);
    expect(lookupNative("has")).toBeUndefined(); // a checker form, not a native
    expect(lookupNative("sql")).toBeUndefined();
  });

  it("keys each native by its own name, with a one-line doc naming it", () => {
    for (const [key, f] of NATIVES) {
      expect(f.name).toBe(key);
      expect(f.doc.startsWith(`${key}(`)).toBe(true);
      expect(f.doc).not.toContain("\n");
      expect(f.doc).toContain(" — ");
      expect(f.arity[0]).toBeLessThanOrEqual(f.arity[1]);
      expect(Object.isFrozen(f)).toBe(true);
      for (const i of f.literalArgs ?? []) expect(i).toBeLessThan(f.arity[1]);
      if (f.lambda) expect(f.lambda.index).toBeLessThan(f.arity[1]);
    }
  });

  it("puts every qualified name in a known namespace", () => {
    for (const name of nativeNames()) {
      const ns = name.includes(".") ? name.slice(0, name.indexOf(".")) : undefined;
      if (ns !== undefined) expect(NAMESPACES).toContain(ns);
    }
    expect(namespaceMembers("path")).toEqual(["path.glob", "path.normalize", "path.within"]);
    expect(nativeNames()).toEqual([...nativeNames()].sort());
  });

  it("accepts `error` and `any` for every parameter (no cascades)", () => {
    for (const f of NATIVES.values()) {
      for (const loose of [T.error, T.any]) {
        const args: Type[] = Array.from({ length: f.arity[0] }, () => loose);
        expect([f.name, f.signature(args).ok]).toEqual([f.name, true]);
      }
    }
  });

  // Every native that takes only strings, called with arbitrary text, returns or throws a NativeError.
  // (Their required arguments only: literal arguments such as a SQL dialect keep their defaults.)
  const stringNatives = [...NATIVES.values()].filter(
    (f) =>
      !f.lambda &&
      !(f.literalArgs ?? []).some((i) => i < f.arity[0]) &&
      f.signature(Array(f.arity[0]).fill(T.string)).ok,
  );

  test.prop([fc.string({ maxLength: 120 }), fc.string({ maxLength: 20 })], { numRuns: 300 })(
    "natives on arbitrary strings return a value or a NativeError, deterministically",
    (a, b) => {
      for (const f of stringNatives) {
        const run = () => {
          try {
            return { value: (f.impl as (...x: string[]) => unknown)(...[a, b].slice(0, f.arity[0])) };
          } catch (e) {
            expect([f.name, e instanceof NativeError]).toEqual([f.name, true]);
            return { error: (e as Error).message };
          }
        };
        expect(run()).toEqual(run());
      }
    },
  );

  const shellish = fc.array(
    fc.constantFrom("ls", "rm -rf", "|", "&&", ";", "$(", ")", "'", '"', "`", "bash -c", "<<<", ">", "x"),
    {
      maxLength: 12,
    },
  );
  test.prop([shellish], { numRuns: 300 })("shell natives never throw anything but NativeError", (parts) => {
    const cmd = parts.join(" ");
    for (const name of ["shell.programs", "shell.pipes_to_shell", "shell.redirects", "shell.valid"]) {
      try {
        (lookupNative(name)!.impl as (s: string) => unknown)(cmd);
      } catch (e) {
        expect(e).toBeInstanceOf(NativeError);
      }
    }
  });

  it("collects the string natives the property above exercises", () => {
    expect(stringNatives.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "sql.verb",
        "shell.program",
        "url.is_private",
        "path.within",
        "secrets.kinds",
        "lower",
      ]),
    );
  });
});

describe("values of the wrong type at run time (through `any`)", () => {
  it.each([
    ["lower", [5], "`lower` expected a string, found a number"],
    ["len", [5], "`len` expected a list, found a number"],
    ["contains", ["abc", 1], "`contains` expected a string, found a number"],
    ["contains", [null, 1], "`contains` expected a list, found null"],
    ["join", [["a", 1], ","], "`join` expected a list of strings, found a list"],
    ["any", [{ a: 1 }, () => true], "`any` expected a list, found an object"],
    ["min", ["a", "b"], "`min` expected a number, found a string"],
    ["abs", [Number.NaN], "`abs` expected a number, found NaN"],
    ["hour", ["2026-11-24T10:00:00Z"], "`hour` expected a number, found a string"],
    ["sql.verb", [42], "`sql.verb` expected a string, found a number"],
    ["shell.program", [["ls"]], "`shell.program` expected a string, found a list"],
    ["path.within", ["/tmp", null], "`path.within` expected a string, found null"],
    ["url.host", [true], "`url.host` expected a string, found a boolean"],
    ["secrets.found", [{}], "`secrets.found` expected a string, found an object"],
  ])("%s(%j) is an evaluation error", (name, args, message) => {
    const f = lookupNative(name)!;
    let error: unknown;
    try {
      (f.impl as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NativeError);
    expect((error as Error).message).toBe(message);
  });

  it("answers false from the `valid` natives", () => {
    for (const name of ["sql.valid", "shell.valid", "url.valid"]) {
      expect((lookupNative(name)!.impl as (x: unknown) => unknown)(7)).toBe(false);
    }
  });
});
