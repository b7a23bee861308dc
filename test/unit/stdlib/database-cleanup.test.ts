/**
 * The seed scenario (examples/database-cleanup): in production the old-account cleanup waits for
 * a DBA, `DELETE FROM users` is blocked, a SELECT is allowed — through the example's own script
 * (the built package, as a user runs it) and through both engines from source.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, describe as group, it } from "vitest";
import type { Decision } from "../../../src/engine/decision.js";
import { engines, rulesOf } from "./pack-harness.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const DIR = path.join(ROOT, "examples/database-cleanup");
const request = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(DIR, "requests", `${name}.json`), "utf8"));

function expectScenario([cleanup, all, select]: (Decision | undefined)[]): void {
  expect(cleanup?.decision).toBe("REQUIRE_APPROVAL");
  expect(cleanup?.matched.map((m) => m.reason)).toEqual([
    "DELETE on users in the production database: writes to production need a DBA's approval",
  ]);
  expect(cleanup?.approval?.approvers).toEqual(["dba"]);
  expect(all?.decision).toBe("BLOCK");
  expect(all && rulesOf(all)).toContain("sql_unbounded_delete");
  expect(all?.matched[0]?.reason).toBe(
    "DELETE without a WHERE clause removes every row of users: add a WHERE clause that selects the rows to remove",
  );
  expect(select?.decision).toBe("ALLOW");
  expect(select?.score).toBe(0);
}

group("examples/database-cleanup", () => {
  it("decides the three statements as the README says, through both engines", async () => {
    const e = await engines({ files: [path.join(DIR, "policy.rplc")] });
    const names = ["cleanup", "delete-all", "select"];
    expectScenario(names.map((n) => e.interpret(request(n))));
    expectScenario(names.map((n) => e.compiled(request(n))));
  });

  it("run.mjs prints those decisions (built package)", () => {
    if (!existsSync(path.join(ROOT, "dist", "index.js"))) {
      throw new Error("dist/index.js is missing: run `npx tsup` (or `npm test`, which builds first)");
    }
    const out = execFileSync(process.execPath, [path.join(DIR, "run.mjs"), "--json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expectScenario(JSON.parse(out) as Decision[]);
  });
});
