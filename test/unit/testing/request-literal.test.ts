import { describe, expect, it } from "vitest";
import { prepare } from "../../../src/engine/interpret.js";
import { requestFromLiteral } from "../../../src/testing/request-literal.js";
import { checked } from "./helpers.js";

const POLICY = `
action db.query { sql: string, limit?: number }
let table = "users"
let zero = 0
def quoted(s: string): string = "'" + s + "'"
test "constants" {
  request {
    action: "db.query",
    args: { sql: "DELETE FROM " + table + " WHERE id = " + quoted("x"), limit: 2 * 21, "x-y": [1, -2.5, 3] },
    context: { env: "dev" },
    time: "2026-11-24T10:00:00Z"
  }
  expect allow
}
test "no time" {
  request { action: "db.query", args: { sql: "SELECT 1" } }
  expect allow
}
`;

describe("request literals", () => {
  it("evaluates constants, lets, defs and arithmetic into the request JSON", () => {
    const set = checked(POLICY);
    const p = prepare(set);
    const [first, second] = set.tests;
    expect(requestFromLiteral(p, first!.request)).toEqual({
      ok: true,
      request: {
        action: "db.query",
        args: { sql: "DELETE FROM users WHERE id = 'x'", limit: 42, "x-y": [1, -2.5, 3] },
        context: { env: "dev" },
        time: "2026-11-24T10:00:00Z",
      },
    });
    // Without `time`, the request has none: the decision uses the current time (LANGUAGE.md §1).
    expect(requestFromLiteral(p, second!.request)).toEqual({
      ok: true,
      request: { action: "db.query", args: { sql: "SELECT 1" } },
    });
  });

  it("a request whose value fails to evaluate is a message, not a crash", () => {
    const set = checked(`
action db.query { sql: string, limit?: number }
let zero = 0
test "divides" {
  request { action: "db.query", args: { sql: "x", limit: 1 / zero } }
  expect allow
}
`);
    const r = requestFromLiteral(prepare(set), set.tests[0]!.request);
    expect(r).toEqual({ ok: false, message: "the request could not be built: division by zero" });
  });
});
