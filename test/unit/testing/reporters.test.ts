import { beforeAll, describe, expect, it } from "vitest";
import { initNatives } from "../../../src/natives/init.js";
import type { RunReport } from "../../../src/testing/model.js";
import { renderHumanReport } from "../../../src/testing/reporters/human.js";
import { renderJsonReport } from "../../../src/testing/reporters/json.js";
import { renderJunitReport } from "../../../src/testing/reporters/junit.js";
import { runTests } from "../../../src/testing/runner.js";
import { checked, HOLE } from "./helpers.js";
import { parseXml } from "./xml.js";

beforeAll(async () => {
  await initNatives();
});

const POLICY = `${HOLE}
on fs.delete {
  risk huge_path 5 when len(args.path) > 100000
}

test "a <tricky> & \\"quoted\\" name\\u0001" {
  request { action: "fs.delete", args: { path: "/srv/x" }, time: "2026-11-24T10:00:00Z" }
  expect block
}

test "tmp is cleaned" {
  request { action: "fs.delete", args: { path: "/tmp/x" }, time: "2026-11-24T10:00:00Z" }
  expect allow
  expect rule tmp_cleanup
}
`;

let report: RunReport;
beforeAll(() => {
  report = runTests(checked(POLICY, "policies/fs.rplc"), {
    seed: 42,
    minCoverage: 90,
    fixtures: {
      file: "fixtures.jsonl",
      fixtures: [
        { line: 1, request: { action: "fs.delete", args: { path: "/tmp/a" } }, expected: "ALLOW" },
        { line: 2, request: { action: "fs.delete", args: { path: "/srv/a" } }, expected: "ALLOW" },
      ],
    },
  });
});

describe("human reporter", () => {
  it("one line per case, details under failures, the summary alone on the last line", () => {
    const text = renderHumanReport(report, { color: false, requestsFile: "fixtures.jsonl" });
    const lines = text.split("\n");
    expect(lines[lines.length - 1]).toBe("");
    expect(lines[lines.length - 2]).toBe("2 passed, 3 failed");
    expect(lines[0]).toBe("✗ property nothing outside /tmp is deleted without a human (policies/fs.rplc:12)");
    expect(lines).toContain("    expect not allow: the decision was ALLOW");
    expect(lines).toContain("    paste this test into a policy file to reproduce it:");
    expect(lines).toContain('test "nothing outside /tmp is deleted without a human (counterexample)" {');
    expect(lines).toContain('✗ a <tricky> & "quoted" name\\u{1} (policies/fs.rplc:22)');
    expect(lines).toContain("    expect block: the decision was REQUIRE_APPROVAL");
    expect(lines).toContain("    decision: REQUIRE_APPROVAL, score 0");
    expect(lines).toContain('    matched: elsewhere (require_approval) "elsewhere" at policies/fs.rplc:8:3');
    expect(lines).toContain("✓ tmp is cleaned (policies/fs.rplc:27)");
    // Replayed requests: only the changed ones get a line, then a count.
    expect(lines).toContain("✗ line 2: fs.delete (fixtures.jsonl:2): ALLOW → REQUIRE_APPROVAL");
    expect(lines.some((l) => l.startsWith("✓ line 1"))).toBe(false);
    expect(lines).toContain("replayed 2 requests from fixtures.jsonl: 1 changed");
    const cov = report.coverage!;
    expect(cov.total).toBe(4);
    expect(cov.matched).toBeLessThanOrEqual(3);
    const shown = `${(Math.floor(cov.percent * 10) / 10).toFixed(1)}%`;
    expect(lines).toContain(`coverage: ${cov.matched} of 4 rules and risks matched (${shown})`);
    expect(lines).toContain("    risk huge_path (policies/fs.rplc:19)");
    expect(lines).toContain(`coverage ${shown} is below --min-coverage 90%`);
    expect(lines).toContain("properties ran with --seed 42");
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("colours only when asked", () => {
    expect(renderHumanReport(report, { color: true })).toMatch(/\u001b\[3\dm✗/);
  });
});

describe("junit reporter", () => {
  it("is well-formed XML with one suite per file and a coverage suite", () => {
    const xml = renderJunitReport(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ tests: "6", failures: "4", errors: "0" });
    expect(root.children.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ["policies/fs.rplc", "3", "2"],
      ["fixtures.jsonl", "2", "1"],
      ["coverage", "1", "1"],
    ]);
    const cases = root.children.flatMap((s) => s.children);
    expect(cases.map((c) => c.attrs.name)).toEqual([
      "property: nothing outside /tmp is deleted without a human",
      'a <tricky> & "quoted" name\\u{1}',
      "tmp is cleaned",
      "line 1: fs.delete",
      "line 2: fs.delete",
      "coverage >= 90%",
    ]);
    const property = cases[0]!;
    const failure = property.children.find((c) => c.name === "failure")!;
    expect(failure.attrs.message).toBe("expect not allow: the decision was ALLOW");
    expect(failure.text).toContain(
      'test "nothing outside /tmp is deleted without a human (counterexample)" {',
    );
    expect(cases[2]!.children).toEqual([]);
  });
});

describe("json reporter", () => {
  it("has the documented shape", () => {
    const out = JSON.parse(renderJsonReport(report)) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["version", "summary", "seed", "results", "coverage"]);
    expect(out.version).toBe(1);
    expect(out.summary).toEqual({ passed: 2, failed: 3, total: 5 });
    expect(out.seed).toBe(42);
    const results = out.results as Record<string, unknown>[];
    expect(results.map((r) => [r.kind, r.status])).toEqual([
      ["property", "failed"],
      ["test", "failed"],
      ["test", "passed"],
      ["request", "passed"],
      ["request", "failed"],
    ]);
    expect(Object.keys(results[0]!)).toEqual([
      "kind",
      "name",
      "file",
      "line",
      "column",
      "status",
      "failures",
      "warnings",
      "request",
      "decision",
      "runs",
      "requestedRuns",
      "generated",
      "invalid",
      "propertySeed",
      "counterexample",
    ]);
    expect(results[4]).toMatchObject({ file: "fixtures.jsonl", line: 2, expected: "ALLOW" });
    expect(out.coverage).toMatchObject({ total: 4, minimum: 90, ok: false });
    expect((out.coverage as { unmatched: { name: string }[] }).unmatched.map((u) => u.name)).toContain(
      "huge_path",
    );
  });

  it("the same seed gives the same bytes", () => {
    const again = runTests(checked(POLICY, "policies/fs.rplc"), {
      seed: 42,
      minCoverage: 90,
      fixtures: {
        file: "fixtures.jsonl",
        fixtures: [
          { line: 1, request: { action: "fs.delete", args: { path: "/tmp/a" } }, expected: "ALLOW" },
          { line: 2, request: { action: "fs.delete", args: { path: "/srv/a" } }, expected: "ALLOW" },
        ],
      },
    });
    expect(renderJsonReport(again)).toBe(renderJsonReport(report));
    expect(renderJunitReport(again)).toBe(renderJunitReport(report));
  });
});
