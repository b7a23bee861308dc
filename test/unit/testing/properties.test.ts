import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadPolicy } from "../../../src/engine/load.js";
import { initNatives } from "../../../src/natives/init.js";
import { propertySeed } from "../../../src/testing/properties.js";
import { runTests } from "../../../src/testing/runner.js";
import { checked, HOLE } from "./helpers.js";

beforeAll(async () => {
  await initNatives();
});

const SOUND = `action fs.delete {
  path: string
  recursive?: bool
}
action fs.write {
  path: string
  content: string
}

on fs.* {
  allow tmp when path.within(args.path, "/tmp")
  require approval elsewhere unless path.within(args.path, "/tmp")
}

property "nothing outside /tmp passes silently" {
  for fs.* where not path.within(args.path, "/tmp")
  expect require approval
  expect rule elsewhere
  expect not rule tmp
  runs 400
}

property "narrow" {
  for fs.delete where len(args.path) == 23 and (args.recursive ?? false)
  expect not block
  runs 200
}

property "impossible" {
  for fs.delete where args.path == "/no/such/path" and len(args.path) == 3
  expect block
  runs 50
}
`;

describe("properties", () => {
  it("find the hole and shrink it to a small request that breaks the expectation", () => {
    const set = checked(HOLE, "hole.rplc");
    const report = runTests(set, { seed: 42 });
    expect(report.failed).toBe(1);
    const r = report.results[0]!;
    expect(r.kind).toBe("property");
    expect(r.status).toBe("failed");
    expect(r.failures).toEqual(["expect not allow: the decision was ALLOW"]);
    const path = (r.counterexample!.request.args as { path: string }).path;
    expect(path.startsWith("/tmp")).toBe(true);
    expect(path.length).toBeLessThanOrEqual(10);
    expect(r.decision?.decision).toBe("ALLOW");
    expect(r.decision?.matched.map((m) => m.rule)).toEqual(["tmp_cleanup"]);
    expect(r.counterexample?.test).toContain(
      'test "nothing outside /tmp is deleted without a human (counterexample)" {',
    );
  });

  it("the printed test, pasted into the policy, fails the same way", () => {
    const first = runTests(checked(HOLE, "hole.rplc"), { seed: 7 }).results[0]!;
    const pasted = checked(`${HOLE}\n${first.counterexample!.test}`, "hole.rplc");
    const again = runTests(pasted, { seed: 7, filter: "(counterexample)" });
    expect(again.results).toHaveLength(1);
    expect(again.results[0]!.kind).toBe("test");
    expect(again.results[0]!.status).toBe("failed");
    expect(again.results[0]!.failures).toEqual(first.failures);
    // The same decision (the policy hash differs: the file now holds the test).
    const { policy: _a, ...pastedDecision } = again.results[0]!.decision!;
    const { policy: _b, ...firstDecision } = first.decision!;
    expect(pastedDecision).toEqual(firstDecision);
  });

  it("the same seed gives the same results; the seed is recorded", () => {
    const set = checked(HOLE, "hole.rplc");
    const a = runTests(set, { seed: 1234 });
    const b = runTests(set, { seed: 1234 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.seed).toBe(1234);
    expect(a.results[0]!.property?.seed).toBe(
      propertySeed(1234, "nothing outside /tmp is deleted without a human"),
    );
  });

  it("a property's requests do not depend on which other properties run", () => {
    const set = checked(SOUND, "sound.rplc");
    const alone = runTests(set, { seed: 5, filter: "narrow" }).results[0]!;
    const all = runTests(set, { seed: 5 }).results.find((r) => r.name === "narrow")!;
    expect(all).toEqual(alone);
  });

  it("a sound property passes with every run it asked for, over every action of a wildcard", () => {
    const set = checked(SOUND, "sound.rplc");
    const r = runTests(set, { seed: 3, filter: "silently" }).results[0]!;
    expect(r.status).toBe("passed");
    expect(r.failures).toEqual([]);
    expect(r.property?.runs).toBe(400);
    expect(r.property?.requested).toBe(400);
    expect(r.property?.invalid).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("--runs overrides the property's own runs", () => {
    const set = checked(SOUND, "sound.rplc");
    const r = runTests(set, { seed: 3, filter: "silently", runs: 25 }).results[0]!;
    expect(r.property?.runs).toBe(25);
    expect(r.property?.requested).toBe(25);
  });

  it("warns when fewer than 1% of the requests satisfy `where`, and fails when none do", () => {
    const set = checked(SOUND, "sound.rplc");
    const narrow = runTests(set, { seed: 42, filter: "narrow" }).results[0]!;
    expect(narrow.status).toBe("passed");
    expect(narrow.warnings).toHaveLength(1);
    expect(narrow.warnings[0]).toMatch(
      /^`where` is narrow: \d+ of \d+ generated requests \(0\.\d\d%\) satisfied it, so it checked \d+ requests instead of 200$/,
    );
    expect(narrow.property!.runs).toBeGreaterThan(0);
    expect(narrow.property!.runs).toBeLessThan(200);

    const impossible = runTests(set, { seed: 42, filter: "impossible" }).results[0]!;
    expect(impossible.status).toBe("failed");
    expect(impossible.failures).toEqual([
      "no generated request satisfied `where` (1001 drawn): the property checked nothing; widen `where`",
    ]);
  });

  it("the compiled module finds the same counterexample as the interpreter", async () => {
    const set = checked(HOLE, "hole.rplc");
    const compiled = await compile({ sources: [{ path: "hole.rplc", text: HOLE }] }, { cwd: "/" });
    const decider = await loadPolicy(compiled.value!.code);
    const viaModule = runTests(set, { seed: 99, decider }).results[0]!;
    const viaInterpreter = runTests(set, { seed: 99 }).results[0]!;
    expect(viaModule.counterexample).toEqual(viaInterpreter.counterexample);
    expect(viaModule.decision).toEqual(viaInterpreter.decision);
  });
});
