/**
 * `rplc test` (LANGUAGE.md §7, §9: exit 0 when every test and property passes, 1 otherwise, 2 for
 * a usage error): the command in process with an in-memory CliIo, and once as a user runs it, the
 * real bin/rplc.js in a child process.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestOptions, testCommand } from "../../src/cli/commands/test.js";
import { memoryIo } from "../../src/cli/io.js";
import { initNatives } from "../../src/natives/init.js";
import { HOLE } from "../unit/testing/helpers.js";
import { parseXml } from "../unit/testing/xml.js";
import { assertBuilt, ROOT, removeTempTrees, rplc, tempTree } from "./helpers.js";

afterAll(removeTempTrees);
beforeAll(async () => {
  await initNatives();
});

const DEFAULTS: TestOptions = { reporter: "human", coverage: false, compiled: false, packTests: false };

async function runTest(paths: string[], opts: Partial<TestOptions> = {}, cwd = ROOT) {
  const io = memoryIo({ cwd });
  const code = await testCommand(paths, { ...DEFAULTS, ...opts }, io);
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

const lastLine = (s: string) => s.trimEnd().split("\n").pop();

const FAILING = `action db.query {
  sql: string
}

on db.query {
  allow reads when starts_with(args.sql, "SELECT")
  block deletes when starts_with(args.sql, "DELETE") reason "no deletes"
}

test "reads are blocked (wrong on purpose)" {
  request { action: "db.query", args: { sql: "SELECT 1" }, time: "2026-11-24T10:00:00Z" }
  expect block
}

test "deletes are blocked" {
  request { action: "db.query", args: { sql: "DELETE FROM t" }, time: "2026-11-24T10:00:00Z" }
  expect block
  expect rule deletes
}
`;

describe("rplc test on the example policy set", () => {
  it("passes every test and property: exit 0, one line each, the summary last", async () => {
    const r = await runTest(["examples/policies"], { seed: "1" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("✓ "))).toHaveLength(29);
    expect(lines).toContain("✓ bulk delete is blocked (examples/policies/db.rplc:43)");
    expect(lines).toContain(
      "✓ property nothing outside /tmp is ever deleted without a human (examples/policies/fs.rplc:105, 2000 runs)",
    );
    expect(lines).toContain("properties ran with --seed 1");
    expect(lastLine(r.stdout)).toBe("29 passed, 0 failed");
  });

  it("passes with the compiled module too", async () => {
    const r = await runTest(["examples/policies"], { seed: "1", runs: "200", compiled: true });
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe("29 passed, 0 failed");
  });

  it("--coverage lists what nothing matched; --min-coverage fails below it", async () => {
    const r = await runTest(["examples/policies"], { seed: "1", runs: "100", coverage: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^coverage: \d+ of 41 rules and risks matched \(\d+\.\d%\)$/m);
    expect(r.stdout).toContain("    rule dry_run (examples/policies/web.rplc:33)");
    const below = await runTest(["examples/policies"], { seed: "1", runs: "100", minCoverage: "99" });
    expect(below.code).toBe(1);
    expect(below.stdout).toMatch(/^coverage \d+\.\d% is below --min-coverage 99%$/m);
    expect(lastLine(below.stdout)).toBe("29 passed, 0 failed");
    const met = await runTest(["examples/policies"], { seed: "1", runs: "100", minCoverage: "50" });
    expect(met.code).toBe(0);
  });

  it("--filter runs the matching tests only; matching nothing is exit 1", async () => {
    const r = await runTest(["examples/policies"], { filter: "BULK delete" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("✓ bulk delete is blocked (examples/policies/db.rplc:43)\n1 passed, 0 failed\n");
    const none = await runTest(["examples/policies"], { filter: "no such test" });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe("no test or property matches --filter 'no such test'\n0 passed, 0 failed\n");
  });
});

describe("failures", () => {
  it("a failing test: exit 1 with the expectation, the decision and the matched rules", async () => {
    const dir = tempTree({ "db.rplc": FAILING });
    const r = await runTest(["db.rplc"], {}, dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      "✗ reads are blocked (wrong on purpose) (db.rplc:10)",
      "    expect block: the decision was ALLOW",
      "    decision: ALLOW, score 0",
      '    matched: reads (allow) "reads" at db.rplc:6:3',
      "✓ deletes are blocked (db.rplc:15)",
      "1 passed, 1 failed",
    ]);
  });

  it("a property with a hole: exit 1 and a test block that, pasted in, fails the same way", async () => {
    const dir = tempTree({ "fs.rplc": HOLE });
    const r = await runTest(["fs.rplc"], { seed: "5" }, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("    expect not allow: the decision was ALLOW");
    const start = r.stdout.indexOf(
      'test "nothing outside /tmp is deleted without a human (counterexample)" {',
    );
    expect(start).toBeGreaterThan(0);
    const block = r.stdout.slice(start, r.stdout.indexOf("\n}\n", start) + 3);

    writeFileSync(path.join(dir, "fs.rplc"), `${HOLE}\n${block}`);
    const again = await runTest(["fs.rplc"], { filter: "(counterexample)" }, dir);
    expect(again.code).toBe(1);
    const lines = again.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^✗ nothing outside \/tmp is deleted without a human \(counterexample\) \(fs\.rplc:\d+\)$/,
    );
    expect(lines[1]).toBe("    expect not allow: the decision was ALLOW");
    expect(lastLine(again.stdout)).toBe("0 passed, 1 failed");
  });

  it("the same --seed gives the same output, with every reporter", async () => {
    const dir = tempTree({ "fs.rplc": HOLE, "db.rplc": FAILING });
    for (const reporter of ["human", "json", "junit"] as const) {
      const a = await runTest(["."], { seed: "31337", reporter }, dir);
      const b = await runTest(["."], { seed: "31337", reporter }, dir);
      expect(a.code).toBe(1);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it("a `where` too narrow is a warning (on stderr for machine reporters)", async () => {
    const dir = tempTree({
      "fs.rplc": `action fs.delete {
  path: string
  recursive?: bool
}

property "narrow" {
  for fs.delete where len(args.path) == 23 and (args.recursive ?? false)
  expect not block
  runs 200
}
`,
    });
    const human = await runTest(["fs.rplc"], { seed: "42" }, dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^ {4}⚠ `where` is narrow: \d+ of \d+ generated requests \(0\.\d\d%\) satisfied it/m,
    );
    const json = await runTest(["fs.rplc"], { seed: "42", reporter: "json" }, dir);
    expect(json.code).toBe(0);
    expect(json.stderr).toMatch(/^rplc: warning: narrow: `where` is narrow: /);
    expect(JSON.parse(json.stdout).results[0].warnings).toHaveLength(1);
  });

  it("a policy set with errors prints its diagnostics and exits 1", async () => {
    const dir = tempTree({
      "bad.rplc":
        'action db.query { sql: string }\ntest "t" {\n  request { action: "db.query" }\n  expect rule nope_rule\n}\n',
    });
    const r = await runTest(["bad.rplc"], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^bad\.rplc:4:\d+: error\[RPL\d{4}\]: /m);
  });
});

describe("reporters", () => {
  it("junit: well-formed XML with the failure and the counterexample", async () => {
    const dir = tempTree({ "fs.rplc": HOLE, "db.rplc": FAILING });
    const r = await runTest(["."], { seed: "2", reporter: "junit" }, dir);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs).toMatchObject({ tests: "3", failures: "2" });
    expect(root.children.map((s) => s.attrs.name)).toEqual(["db.rplc", "fs.rplc"]);
    const failure = root.children[0]!.children[0]!.children[0]!;
    expect(failure.name).toBe("failure");
    expect(failure.attrs.message).toBe("expect block: the decision was ALLOW");
  });

  it("json: the summary and one result per case", async () => {
    const dir = tempTree({ "db.rplc": FAILING });
    const r = await runTest(["db.rplc"], { reporter: "json" }, dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ passed: 1, failed: 1, total: 2 });
    expect(out.seed).toBeNull();
    expect(out.results[0]).toMatchObject({
      kind: "test",
      name: "reads are blocked (wrong on purpose)",
      file: "db.rplc",
      line: 10,
      status: "failed",
      failures: ["expect block: the decision was ALLOW"],
    });
  });
});

describe("--requests replay", () => {
  const fixtures = [
    JSON.stringify({ request: { action: "db.query", args: { sql: "SELECT 1" } }, expected: "ALLOW" }),
    JSON.stringify({ request: { action: "db.query", args: { sql: "DELETE FROM t" } }, expected: "ALLOW" }),
    "",
  ].join("\n");

  it("reports each request whose decision changed and exits 1", async () => {
    const dir = tempTree({ "db.rplc": FAILING, "requests.jsonl": fixtures });
    const r = await runTest(["db.rplc"], { requests: "requests.jsonl", filter: "deletes" }, dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split("\n")).toEqual([
      "✓ deletes are blocked (db.rplc:15)",
      "✗ line 2: db.query (requests.jsonl:2): ALLOW → BLOCK",
      "    decision changed: expected ALLOW, got BLOCK",
      "    decision: BLOCK, score 0",
      '    matched: deletes (block) "no deletes" at db.rplc:7:3',
      "replayed 2 requests from requests.jsonl: 1 changed",
      "2 passed, 1 failed",
    ]);
  });

  it("exit 0 when no decision changed", async () => {
    const dir = tempTree({ "db.rplc": FAILING, "ok.jsonl": `${fixtures.split("\n")[0]}\n` });
    const r = await runTest(["db.rplc"], { requests: "ok.jsonl", filter: "deletes" }, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("replayed 1 request from ok.jsonl: 0 changed\n");
  });

  it("a line that is not JSON is a usage error naming the line (exit 2)", async () => {
    const dir = tempTree({ "db.rplc": FAILING, "bad.jsonl": `${fixtures}\n{ nope\n` });
    const r = await runTest(["db.rplc"], { requests: "bad.jsonl" }, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^rplc: bad\.jsonl:4: not JSON: .+ \(see 'rplc test --help'\)\n$/);
  });
});

describe("usage errors (exit 2)", () => {
  const cases: [string, Partial<TestOptions>, string[], string][] = [
    ["no paths", {}, [], "rplc: no paths given (see 'rplc test --help')\n"],
    [
      "--runs 0",
      { runs: "0" },
      ["x.rplc"],
      "rplc: --runs takes a whole number from 1 to 1000000, not '0' (see 'rplc test --help')\n",
    ],
    [
      "--seed abc",
      { seed: "abc" },
      ["x.rplc"],
      "rplc: --seed takes a whole number from -2147483648 to 4294967295, not 'abc' (see 'rplc test --help')\n",
    ],
    [
      "--min-coverage 101",
      { minCoverage: "101" },
      ["x.rplc"],
      "rplc: --min-coverage takes a percentage from 0 to 100, not '101' (see 'rplc test --help')\n",
    ],
    [
      "a missing requests file",
      { requests: "nope.jsonl" },
      ["x.rplc"],
      "rplc: cannot read the requests file 'nope.jsonl': no such file or directory (see 'rplc test --help')\n",
    ],
    ["a missing path", {}, ["nope.rplc"], "rplc: cannot read 'nope.rplc': no such file or directory\n"],
  ];
  for (const [what, opts, paths, stderr] of cases) {
    it(what, async () => {
      const dir = tempTree({ "x.rplc": FAILING });
      const r = await runTest(paths, opts, dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(stderr);
    });
  }
});

describe("standard packs", () => {
  it("their tests are left out by default; --pack-tests runs them", async () => {
    const dir = tempTree({ "main.rplc": 'include "stdlib/sql"\n' });
    const withPacks = await runTest(["main.rplc"], { packTests: true }, dir);
    expect(withPacks.code).toBe(0);
    const lines = withPacks.stdout.split("\n").filter((l) => l.startsWith("✓ "));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes("(stdlib/sql.rplc:"))).toBe(true);
    const without = await runTest(["main.rplc"], {}, dir);
    expect(without.code).toBe(0);
    expect(without.stdout).toBe("0 passed, 0 failed\n");
  });
});

describe("bin/rplc.js test (a child process)", () => {
  beforeAll(() => {
    assertBuilt();
  });

  it("exit 0 on the example policy set, exit 1 on a failing test", () => {
    const ok = rplc(["test", "examples/policies", "--seed", "3", "--runs", "100"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(lastLine(ok.stdout)).toBe("29 passed, 0 failed");
    const dir = tempTree({ "db.rplc": FAILING });
    const failed = rplc(["test", "db.rplc"], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("    expect block: the decision was ALLOW\n");
    expect(readFileSync(path.join(dir, "db.rplc"), "utf8")).toBe(FAILING);
  });
});
