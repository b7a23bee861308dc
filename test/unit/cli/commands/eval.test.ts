/** `rplc eval` (LANGUAGE.md §9, normative): exit codes, the decision on stdout, --explain, --interpret. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evalCommand } from "../../../../src/cli/commands/eval.js";
import { memoryIo } from "../../../../src/cli/io.js";
import { removeTempTrees, tempTree } from "../../../cli/helpers.js";

afterAll(removeTempTrees);

const POLICY = `settings {
  on_error: require_approval
}

action db.query {
  sql: string
  n: number
}

on db.query {
  let verb = sql.verb(args.sql)

  block unbounded_delete
    when verb == "DELETE" and not sql.has_where(args.sql)
    reason "DELETE without WHERE removes every row"

  allow reads when verb == "SELECT"
  allow small when 10 / args.n > 1

  risk destructive 40 when verb == "DELETE"
}

risk everything 15
`;

const request = (sql: string, n = 1) =>
  JSON.stringify({ action: "db.query", args: { sql, n }, time: "2026-11-24T10:00:00Z" });

const dir = tempTree({
  "policies/db.rplc": POLICY,
  "delete.json": request("DELETE FROM users"),
  "zero.json": request("SELECT 1", 0),
  "bad.json": "{ not json",
  "broken/x.rplc": "action a.b { x: nope }\n",
});

async function run(
  paths: string[],
  opts: { request: string; explain?: boolean; interpret?: boolean },
  stdin?: string,
) {
  const io = memoryIo({ cwd: dir, ...(stdin === undefined ? {} : { stdin }) });
  const code = await evalCommand(paths, { explain: false, interpret: false, ...opts }, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

describe("rplc eval", () => {
  it("prints the decision as JSON on stdout and exits 0 whatever the decision", async () => {
    const r = await run(["policies"], { request: "delete.json" });
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({
      decision: "BLOCK",
      score: 55,
      matched: [
        {
          rule: "unbounded_delete",
          effect: "block",
          reason: "DELETE without WHERE removes every row",
          location: "policies/db.rplc:13:3",
        },
        { rule: "small", effect: "allow", reason: "small", location: "policies/db.rplc:18:3" },
      ],
      risks: [
        { name: "destructive", weight: 40 },
        { name: "everything", weight: 15 },
      ],
      approval: null,
      errors: [],
    });
    expect(d.policy.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(d)).toEqual(["decision", "score", "matched", "risks", "approval", "errors", "policy"]);
  });

  it("reads the request from standard input with -; the interpreter agrees", async () => {
    const compiled = await run(["policies/db.rplc"], { request: "-" }, request("SELECT * FROM t", 0));
    const interpreted = await run(
      ["policies/db.rplc"],
      { request: "-", interpret: true },
      request("SELECT * FROM t", 0),
    );
    expect(compiled.code).toBe(0);
    expect(interpreted.code).toBe(0);
    expect(JSON.parse(compiled.out)).toEqual(JSON.parse(interpreted.out));
    expect(JSON.parse(compiled.out)).toMatchObject({
      decision: "REQUIRE_APPROVAL",
      errors: [{ rule: "small", message: "division by zero" }],
      approval: { approvers: [], timeout_ms: 3600000 },
    });
  });

  it("--explain gives a human account on stderr", async () => {
    const r = await run(["policies"], { request: "delete.json", explain: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).decision).toBe("BLOCK");
    expect(r.err).toContain("decision: BLOCK (score 55)");
    expect(r.err).toContain("block unbounded_delete (policies/db.rplc:13:3)");
    expect(r.err).toContain('✓ verb == "DELETE"');
    expect(r.err).toContain("✓ not sql.has_where(args.sql)");
    expect(r.err).toContain('✗ verb == "SELECT"');
    expect(r.err).toContain("score: 40 (destructive) + 15 (everything) = 55");
  });

  it("--explain names failing conditions and errors", async () => {
    const r = await run(["policies"], { request: "zero.json", explain: true });
    expect(r.err).toContain("! 10 / args.n > 1: division by zero");
    expect(r.err).toContain("errors (they force the on_error setting):");
  });

  it("a request that is not of the request shape is still a decision (exit 0)", async () => {
    const r = await run(["policies"], { request: "-" }, '"just a string"');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      decision: "REQUIRE_APPROVAL",
      errors: [{ message: "request: must be a JSON object" }],
    });
  });

  it("exit 1 when the policy set does not compile, diagnostics on stderr", async () => {
    const r = await run(["broken"], { request: "delete.json" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[RPL3001]");
  });

  it("exit 2 for usage errors", async () => {
    expect((await run([], { request: "delete.json" })).code).toBe(2);
    const missing = await run(["policies"], { request: "" });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--request");
    const unreadable = await run(["policies"], { request: "nope.json" });
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain("cannot read the request 'nope.json'");
    const notJson = await run(["policies"], { request: "bad.json" });
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain("is not JSON");
    expect((await run(["policies"], { request: "-" }, "")).code).toBe(2);
    expect((await run(["no-such-dir"], { request: "delete.json" })).code).toBe(2);
    expect(readFileSync(path.join(dir, "delete.json"), "utf8")).toContain("DELETE");
  });
});
