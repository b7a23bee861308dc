/**
 * `rplc check` as a user runs it: the real bin/rplc.js in a child process (LANGUAGE.md §9:
 * exit 0 without errors, 1 with errors, 2 for a usage error or an unreadable path).
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BAD, GOOD, removeTempTrees, rplc, tempTree, VERSION } from "./helpers.js";

afterAll(removeTempTrees);

// ajv-formats is CommonJS: under NodeNext typing the default import is the module, `.default` the function.
const addFormats = addFormatsModule.default;

beforeAll(() => {
  assertBuilt();
});

const ANSI = /\u001b\[/;

/** One line on stderr, nothing on stdout, no stack trace. */
function expectUsageLine(r: { stdout: string; stderr: string }): string {
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(/^rplc: /);
  return lines[0] ?? "";
}

describe("exit codes", () => {
  it("0 when there are no errors, saying so", () => {
    const dir = tempTree({ "policies/good.rplc": GOOD });
    const r = rplc(["check", "policies"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no problems in 1 file\n");
    expect(r.stderr).toBe("");
  });

  it("1 when there are errors, with file:line:col: error[CODE]: message, a frame and a summary", () => {
    const dir = tempTree({ "policies/good.rplc": GOOD, "policies/bad.rplc": BAD });
    const r = rplc(["check", "policies"], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("policies/bad.rplc:4:1: error[RPL1001]: unexpected character `@`");
    expect(lines).toContain("> 4 | @");
    expect(lines).toContain("    | ^");
    expect(r.stdout.endsWith("\n1 error\n")).toBe(true);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it("1 for type errors: the whole checker runs, across files and into includes", () => {
    const dir = tempTree({
      "policies/context.rplc": 'context {\n  env: "dev" | "staging" | "production"\n}\n',
      "policies/db.rplc":
        'include "../shared/actions.rplc"\n\non db.query {\n  block x when context.env == "prod"\n}\n',
      "shared/actions.rplc": "action db.query {\n  sql: string\n  rows: nmber\n}\n",
    });
    const r = rplc(["check", "policies", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).diagnostics.map((d: { file: string; line: number; code: string }) => [
      d.file,
      d.line,
      d.code,
    ]);
    expect(found).toEqual([
      ["policies/db.rplc", 4, "RPL3105"],
      ["shared/actions.rplc", 3, "RPL3001"],
    ]);
    const human = rplc(["check", "policies"], { cwd: dir });
    expect(human.stdout).toContain("help: did you mean `production`?");
    expect(human.stdout).toContain("> 3 |   rows: nmber");
  });

  it("2 for a missing path, with one line naming it", () => {
    const dir = tempTree({ "good.rplc": GOOD });
    const r = rplc(["check", "good.rplc", "nope.rplc"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(expectUsageLine(r)).toBe("rplc: cannot read 'nope.rplc': no such file or directory");
  });

  it("2 for a directory without .rplc files", () => {
    const dir = tempTree({ "empty/readme.txt": "x" });
    const r = rplc(["check", "empty"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(expectUsageLine(r)).toBe("rplc: no .rplc files found in 'empty'");
  });

  it("2 for an unknown option, pointing at the command's help", () => {
    const dir = tempTree({ "good.rplc": GOOD });
    const r = rplc(["check", "--fromat", "json", "good.rplc"], { cwd: dir });
    expect(r.code).toBe(2);
    const line = expectUsageLine(r);
    expect(line).toMatch(/^rplc: unknown option '--fromat'/);
    expect(line).toContain("--format");
    expect(line).toMatch(/\(see 'rplc check --help'\)$/);
  });

  it("2 for an unknown format, naming the choices", () => {
    const dir = tempTree({ "good.rplc": GOOD });
    const r = rplc(["check", "--format", "xml", "good.rplc"], { cwd: dir });
    expect(r.code).toBe(2);
    const line = expectUsageLine(r);
    expect(line).toContain("'xml'");
    expect(line).toContain("human, json, sarif");
    expect(line).toMatch(/\(see 'rplc check --help'\)$/);
  });

  it("2 for an unknown command, suggesting the right one", () => {
    const r = rplc(["chek", "x.rplc"]);
    expect(r.code).toBe(2);
    const line = expectUsageLine(r);
    expect(line).toMatch(/^rplc: unknown command 'chek'/);
    expect(line).toContain("check");
    expect(line).toMatch(/\(see 'rplc --help'\)$/);
  });

  it("2 when no paths are given", () => {
    const r = rplc(["check"]);
    expect(r.code).toBe(2);
    expect(expectUsageLine(r)).toBe("rplc: no paths given (see 'rplc check --help')");
  });

  it("2 for --disable of an error code or an unknown code", () => {
    const dir = tempTree({ "good.rplc": GOOD });
    const error = rplc(["check", "--disable", "RPL1001", "good.rplc"], { cwd: dir });
    expect(error.code).toBe(2);
    expect(expectUsageLine(error)).toMatch(/'RPL1001' is an error and cannot be disabled/);
    const unknown = rplc(["check", "--disable", "RPL0000", "good.rplc"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(expectUsageLine(unknown)).toMatch(/unknown diagnostic code 'RPL0000'/);
  });

  it("2 and the help on stderr for `rplc` alone", () => {
    const r = rplc([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: rplc");
  });
});

describe("help and version", () => {
  it("--help lists the commands and exits 0", () => {
    const r = rplc(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+check \[options\] <paths\.\.\.>/m);
    expect(r.stdout).toMatch(/^\s+fmt \[options\] <paths\.\.\.>/m);
    expect(r.stdout).toContain("Examples:");
    expect(r.stderr).toBe("");
  });

  it.each(["check", "fmt"])("every command has help with a description and an example: %s", (cmd) => {
    const r = rplc([cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: rplc ${cmd}`);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain(`$ rplc ${cmd} `);
    const help = rplc(["help", cmd]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(r.stdout);
  });

  it("--version prints the package version", () => {
    const r = rplc(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });
});

describe("--format json", () => {
  it("prints only one JSON object with exact keys and 1-based positions", () => {
    const dir = tempTree({ "policies/good.rplc": GOOD, "policies/bad.rplc": BAD });
    const r = rplc(["check", "--format", "json", "policies"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["diagnostics"]);
    expect(doc.diagnostics).toEqual([
      {
        file: "policies/bad.rplc",
        line: 4,
        column: 1,
        endLine: 4,
        endColumn: 2,
        severity: "error",
        code: "RPL1001",
        message: "unexpected character `@`",
      },
    ]);
    expect(Object.keys(doc.diagnostics[0])).toEqual([
      "file",
      "line",
      "column",
      "endLine",
      "endColumn",
      "severity",
      "code",
      "message",
    ]);
  });

  it("prints an empty list and exits 0 for a clean policy set", () => {
    const dir = tempTree({ "good.rplc": GOOD });
    const r = rplc(["check", "good.rplc", "--format=json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [] });
  });

  it("reports a file that is not UTF-8 (RPL1011) at the bad byte", () => {
    const bytes = new Uint8Array([...Buffer.from("action a {\n  x: string\n}\n# caf"), 0xe9, 0x0a]);
    const dir = tempTree({ "latin1.rplc": bytes });
    const r = rplc(["check", "-f", "json", "latin1.rplc"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics).toEqual([
      expect.objectContaining({ file: "latin1.rplc", line: 4, column: 6, code: "RPL1011" }),
    ]);
  });

  it("reports a file over 16 MiB (RPL5002) without reading it", () => {
    const dir = tempTree({ "huge.rplc": new Uint8Array(16 * 1024 * 1024 + 1).fill(0x20) });
    const r = rplc(["check", "--format", "json", "huge.rplc"], { cwd: dir });
    expect(r.code).toBe(1);
    const [row] = JSON.parse(r.stdout).diagnostics;
    expect(row).toMatchObject({ file: "huge.rplc", line: 1, column: 1, code: "RPL5002" });
    expect(row.message).toContain(String(16 * 1024 * 1024 + 1));
  });
});

describe("--format sarif", () => {
  const schema = JSON.parse(
    readFileSync(new URL("../unit/diagnostics/sarif-2.1.0-subset.schema.json", import.meta.url), "utf8"),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it("prints a SARIF 2.1.0 log with rules and located results", () => {
    const dir = tempTree({ "policies/good.rplc": GOOD, "policies/bad.rplc": BAD });
    const r = rplc(["check", "--format", "sarif", "policies"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.version).toBe("2.1.0");
    expect(typeof log.$schema).toBe("string");
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: "rplc", version: VERSION });
    expect(run.tool.driver.rules).toEqual([
      expect.objectContaining({ id: "RPL1001", defaultConfiguration: { level: "error" } }),
    ]);
    expect(run.results).toEqual([
      {
        ruleId: "RPL1001",
        ruleIndex: 0,
        level: "error",
        message: { text: "unexpected character `@`" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "policies/bad.rplc", uriBaseId: "%SRCROOT%" },
              region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 2 },
            },
          },
        ],
      },
    ]);
  });
});

describe("colour", () => {
  it("is off when standard output is not a terminal, on with FORCE_COLOR, off again with NO_COLOR", () => {
    const dir = tempTree({ "bad.rplc": BAD });
    expect(rplc(["check", "bad.rplc"], { cwd: dir, env: { NO_COLOR: undefined } }).stdout).not.toMatch(ANSI);
    const forced = rplc(["check", "bad.rplc"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toMatch(ANSI);
    expect(forced.code).toBe(1);
    const both = rplc(["check", "bad.rplc"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(both.stdout).not.toMatch(ANSI);
  });
});
