import { describe, expect, it } from "vitest";
import { decideWith, prepare } from "../../../src/engine/interpret.js";
import { parseFixtures, replayFixture } from "../../../src/testing/replay.js";
import { checked } from "./helpers.js";

const POLICY = `action db.query {
  sql: string
}

on db.query {
  block deletes when starts_with(args.sql, "DELETE") reason "no deletes"
}
`;

describe("fixture files", () => {
  it("reads one fixture per line, skipping blank lines", () => {
    const text = [
      '{"request": {"action": "db.query", "args": {"sql": "SELECT 1"}}, "expected": "ALLOW"}',
      "",
      '  {"expected": "BLOCK", "request": {"action": "x"}}  ',
      "",
    ].join("\n");
    expect(parseFixtures(text)).toEqual({
      ok: true,
      fixtures: [
        { line: 1, request: { action: "db.query", args: { sql: "SELECT 1" } }, expected: "ALLOW" },
        { line: 3, request: { action: "x" }, expected: "BLOCK" },
      ],
    });
  });

  it("names the line of anything that is not a fixture", () => {
    const bad = (line: string) => parseFixtures(`{"request": {}, "expected": "ALLOW"}\n${line}\n`);
    expect(bad("{oops")).toMatchObject({ ok: false, line: 2, message: expect.stringMatching(/^not JSON: /) });
    expect(bad("[1]")).toMatchObject({
      ok: false,
      line: 2,
      message: expect.stringMatching(/^not a JSON object/),
    });
    expect(bad('{"request": {}, "expect": "ALLOW"}')).toMatchObject({
      ok: false,
      line: 2,
      message: expect.stringMatching(/^unknown key `expect`/),
    });
    expect(bad('{"expected": "ALLOW"}')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^`request` is missing/),
    });
    expect(bad('{"request": {}, "expected": "DENY"}')).toMatchObject({
      line: 2,
      message: '`expected` must be "ALLOW", "BLOCK" or "REQUIRE_APPROVAL", not "DENY"',
    });
  });
});

describe("replay", () => {
  const p = prepare(checked(POLICY));
  const decider = { decide: (r: unknown) => decideWith(p, r) };

  it("passes when the decision is unchanged and reports expected → actual when it changed", () => {
    const same = replayFixture(
      { line: 4, request: { action: "db.query", args: { sql: "SELECT 1" } }, expected: "ALLOW" },
      "r.jsonl",
      decider,
    );
    expect(same).toMatchObject({ kind: "request", status: "passed", failures: [], name: "line 4: db.query" });
    const changed = replayFixture(
      { line: 7, request: { action: "db.query", args: { sql: "DELETE FROM t" } }, expected: "ALLOW" },
      "r.jsonl",
      decider,
    );
    expect(changed).toMatchObject({
      status: "failed",
      location: { file: "r.jsonl", line: 7, column: 1 },
      expected: "ALLOW",
      failures: ["decision changed: expected ALLOW, got BLOCK"],
    });
    expect(changed.decision?.matched.map((m) => m.rule)).toEqual(["deletes"]);
  });

  it("a request of the wrong shape is decided (on_error), with its errors shown", () => {
    const r = replayFixture({ line: 1, request: { args: {} }, expected: "ALLOW" }, "r.jsonl", decider);
    expect(r.name).toBe("line 1: ?");
    expect(r.failures).toEqual([
      "decision changed: expected ALLOW, got BLOCK",
      "error: /action: is required",
    ]);
  });
});
