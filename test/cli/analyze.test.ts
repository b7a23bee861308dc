import path from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { analyzePaths, decodeSource, firstInvalidUtf8, MAX_FILE_BYTES } from "../../src/cli/analyze.js";
import { BAD, GOOD, removeTempTrees, tempTree } from "./helpers.js";

afterAll(removeTempTrees);

describe("firstInvalidUtf8", () => {
  it("finds overlong forms, surrogates, stray continuation bytes and truncated sequences", () => {
    expect(firstInvalidUtf8(Buffer.from("abc é 😀"))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0xaf]))).toBe(1); // overlong '/'
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // U+D800
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0x80]))).toBe(1); // lone continuation
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // truncated €
    expect(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // > U+10FFFF
  });

  test.prop([fc.uint8Array({ maxLength: 40 })])(
    "agrees with the platform's strict UTF-8 decoder",
    (bytes) => {
      const bad = firstInvalidUtf8(bytes);
      const strict = new TextDecoder("utf-8", { fatal: true });
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      expect(bad === -1).toBe(valid);
      if (bad >= 0) {
        // everything before the reported byte is valid
        expect(() => strict.decode(bytes.subarray(0, bad))).not.toThrow();
      }
    },
  );
});

describe("decodeSource", () => {
  it("drops a byte-order mark", () => {
    const { source, diagnostics } = decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "a.rplc");
    expect(source.text).toBe("a");
    expect(diagnostics).toEqual([]);
  });

  it("reports a NUL byte where it is", () => {
    const { diagnostics } = decodeSource(Buffer.from("ab\ncd\u0000"), "a.rplc");
    expect(diagnostics.map((d) => [d.code, d.span?.start, d.span?.end])).toEqual([["RPL1011", 5, 6]]);
  });

  it("reports invalid UTF-8 at the offset of the bad byte in the decoded text", () => {
    const bytes = new Uint8Array([...Buffer.from("😀x"), 0xff, 0x61]);
    const { source, diagnostics } = decodeSource(bytes, "a.rplc");
    // 😀 is two UTF-16 units, so the bad byte is at offset 3 of the text
    expect(diagnostics.map((d) => [d.code, d.span?.start])).toEqual([["RPL1011", 3]]);
    expect(source.text).toBe("😀x\uFFFDa");
  });
});

describe("analyzePaths", () => {
  it("keys sources by display path, lists files in order, and parses each", async () => {
    const dir = tempTree({ "p/b.rplc": BAD, "p/a.rplc": GOOD, "p/skip.txt": "x" });
    const result = await analyzePaths(["p"], dir);
    expect(result.files).toEqual(["p/a.rplc", "p/b.rplc"]);
    expect([...result.sources.keys()].sort()).toEqual(["p/a.rplc", "p/b.rplc"]);
    expect(result.problems).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.file])).toEqual([["RPL1001", "p/b.rplc"]]);
  });

  it("reports missing paths as problems, not diagnostics", async () => {
    const dir = tempTree({ "a.rplc": GOOD });
    const result = await analyzePaths(["a.rplc", "missing.rplc"], dir);
    expect(result.problems).toEqual([{ path: "missing.rplc", message: "no such file or directory" }]);
    expect(result.diagnostics).toEqual([]);
  });

  it("shows paths outside the working directory as absolute paths", async () => {
    const dir = tempTree({ "a.rplc": BAD });
    const elsewhere = tempTree({});
    const result = await analyzePaths([path.join(dir, "a.rplc")], elsewhere);
    expect(result.diagnostics[0]?.span?.file).toBe(path.join(dir, "a.rplc").split(path.sep).join("/"));
  });

  it("does not read a file over the limit and does not parse a file that is not text", async () => {
    const dir = tempTree({
      "big.rplc": new Uint8Array(MAX_FILE_BYTES + 1).fill(0x40),
      "nul.rplc": "@@@\u0000",
    });
    const result = await analyzePaths(["."], dir);
    expect(result.sources.has("big.rplc")).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.span?.file])).toEqual([
      ["RPL5002", "big.rplc"],
      ["RPL1011", "nul.rplc"],
    ]);
  });
});
