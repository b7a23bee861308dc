import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fmtCommand } from "../../../../src/cli/commands/fmt.js";
import { memoryIo } from "../../../../src/cli/io.js";

const MESSY = "let   a=1\nlet b = [1,2]\n";
const CLEAN = "let a = 1\nlet b = [1, 2]\n";
const BROKEN = "let a = \nlet b = 2\n";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rplc-fmt-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), "utf8");

describe("rplc fmt", () => {
  it("rewrites changed files in place, lists them, and leaves clean files untouched", async () => {
    const dir = tree({ "p/messy.rplc": MESSY, "p/clean.rplc": CLEAN, "p/notes.txt": MESSY });
    const cleanFile = path.join(dir, "p/clean.rplc");
    const past = new Date("2020-01-01T00:00:00Z");
    utimesSync(cleanFile, past, past);
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["p"], { check: false }, io)).toBe(0);
    expect(io.out.join("")).toBe("p/messy.rplc\n");
    expect(read(dir, "p/messy.rplc")).toBe(CLEAN);
    expect(read(dir, "p/notes.txt")).toBe(MESSY);
    expect(statSync(cleanFile).mtimeMs).toBe(past.getTime());
    expect(readdirSync(path.join(dir, "p")).sort()).toEqual(["clean.rplc", "messy.rplc", "notes.txt"]);
  });

  it("keeps the file's permissions", async () => {
    const dir = tree({ "a.rplc": MESSY });
    chmodSync(path.join(dir, "a.rplc"), 0o640);
    expect(await fmtCommand(["a.rplc"], { check: false }, memoryIo({ cwd: dir }))).toBe(0);
    expect(statSync(path.join(dir, "a.rplc")).mode & 0o777).toBe(0o640);
  });

  it("--check lists the files that would change, writes nothing, and exits 1", async () => {
    const dir = tree({ "a.rplc": MESSY, "b.rplc": CLEAN });
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["."], { check: true }, io)).toBe(1);
    expect(io.out.join("")).toBe("a.rplc\n");
    expect(read(dir, "a.rplc")).toBe(MESSY);
  });

  it("--check exits 0 when every file is formatted", async () => {
    const dir = tree({ "b.rplc": CLEAN });
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["b.rplc"], { check: true }, io)).toBe(0);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual([]);
  });

  it("never rewrites a file with syntax errors: prints its diagnostics and exits 1", async () => {
    const dir = tree({ "bad.rplc": BROKEN, "messy.rplc": MESSY });
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["."], { check: false }, io)).toBe(1);
    expect(read(dir, "bad.rplc")).toBe(BROKEN);
    expect(io.err.join("")).toMatch(/^bad\.rplc:2:1: error\[RPL1003\]/m);
    // The other file is still formatted.
    expect(read(dir, "messy.rplc")).toBe(CLEAN);
    expect(io.out.join("")).toBe("messy.rplc\n");
  });

  it("exits 2 with one line for a missing path, and writes nothing", async () => {
    const dir = tree({ "a.rplc": MESSY });
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["a.rplc", "missing.rplc"], { check: false }, io)).toBe(2);
    expect(io.err).toEqual(["rplc: cannot read 'missing.rplc': no such file or directory\n"]);
    expect(read(dir, "a.rplc")).toBe(MESSY);
  });

  it("exits 2 for no paths and for a directory without .rplc files", async () => {
    const dir = tree({ "x.txt": "" });
    const none = memoryIo({ cwd: dir });
    expect(await fmtCommand([], { check: false }, none)).toBe(2);
    const empty = memoryIo({ cwd: dir });
    expect(await fmtCommand(["."], { check: false }, empty)).toBe(2);
    expect(empty.err.join("")).toContain("no .rplc files found");
  });

  it("refuses a file that is not UTF-8 text", async () => {
    const dir = tree({});
    writeFileSync(path.join(dir, "bin.rplc"), Buffer.from([0x6c, 0x65, 0x74, 0xff, 0x0a]));
    const io = memoryIo({ cwd: dir });
    expect(await fmtCommand(["bin.rplc"], { check: false }, io)).toBe(1);
    expect(io.err.join("")).toContain("RPL1011");
  });
});
