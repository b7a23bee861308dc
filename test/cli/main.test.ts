/** `run()` in process, with an in-memory CliIo: it never exits the process and never throws. */
import { afterAll, describe, expect, it } from "vitest";
import { memoryIo, wantsColor } from "../../src/cli/io.js";
import { oneLine, run, VERSION } from "../../src/cli/main.js";
import { BAD, removeTempTrees, tempTree } from "./helpers.js";

afterAll(removeTempTrees);

describe("run", () => {
  it("returns exit codes instead of exiting, and writes through the CliIo", async () => {
    const dir = tempTree({ "bad.rplc": BAD });
    const io = memoryIo({ cwd: dir });
    expect(await run(["check", "bad.rplc", "--format", "json"], io)).toBe(1);
    expect(JSON.parse(io.out.join("")).diagnostics[0]).toMatchObject({
      file: "bad.rplc",
      line: 4,
      column: 1,
    });
    expect(io.err).toEqual([]);
  });

  it("names a missing argument that is not the paths (rplc audit verify)", async () => {
    const io = memoryIo();
    expect(await run(["audit", "verify"], io)).toBe(2);
    expect(io.err.join("")).toBe("rplc: missing required argument 'file' (see 'rplc audit --help')\n");
    expect(io.out).toEqual([]);
  });

  it("prints the version", async () => {
    const io = memoryIo();
    expect(await run(["--version"], io)).toBe(0);
    expect(io.out.join("")).toBe(`${VERSION}\n`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("colours human output when the CliIo asks for it", async () => {
    const dir = tempTree({ "bad.rplc": BAD });
    const io = memoryIo({ cwd: dir, color: true });
    expect(await run(["check", "bad.rplc"], io)).toBe(1);
    expect(io.out.join("")).toMatch(/\u001b\[/);
  });

  it("accepts --disable repeated and comma-separated, checking every code", async () => {
    const dir = tempTree({ "bad.rplc": BAD });
    const io = memoryIo({ cwd: dir });
    expect(await run(["check", "--disable", "RPL9999,RPL1001", "--disable", "x", "bad.rplc"], io)).toBe(2);
    expect(io.err.join("")).toBe(
      "rplc: unknown diagnostic code 'RPL9999' in --disable (see 'rplc check --help')\n",
    );
  });

  it("reports an option missing its value as one line", async () => {
    const io = memoryIo();
    expect(await run(["check", "x.rplc", "--format"], io)).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(
      /^rplc: option '-f, --format <format>' argument missing \(see 'rplc check --help'\)\n$/,
    );
  });
});

describe("oneLine", () => {
  it("turns commander's messages into one lowercase line with the suggestion", () => {
    expect(oneLine("error: unknown option '--fromat'\n(Did you mean --format?)")).toBe(
      "unknown option '--fromat', did you mean --format?",
    );
    expect(
      oneLine(
        "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are human, json, sarif.",
      ),
    ).toBe(
      "option '-f, --format <format>' argument 'xml' is invalid: allowed choices are human, json, sarif",
    );
    expect(oneLine("error: unknown command 'chek'")).toBe("unknown command 'chek'");
  });
});

describe("wantsColor", () => {
  it("follows the terminal, NO_COLOR and FORCE_COLOR", () => {
    expect(wantsColor(true, {})).toBe(true);
    expect(wantsColor(false, {})).toBe(false);
    expect(wantsColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor(true, { NO_COLOR: "" })).toBe(true);
    expect(wantsColor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantsColor(false, { FORCE_COLOR: "0" })).toBe(false);
    expect(wantsColor(true, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });
});
