/**
 * The runtime tour end to end, non-interactively: the scripted agent waits for the production
 * DELETE, a second process approves it (`--auto-approve-after`), the rest is allowed or blocked,
 * and the audit log verifies with `rplc audit verify`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../unit/runtime/helpers.js";
import { ROOT, rplc } from "./procs.js";

afterAll(removeTempDirs);

describe("examples/runtime-tour", () => {
  it("runs the seed scenario end to end and leaves a log that verifies", { timeout: 600_000 }, () => {
    const dir = tempDir("rp-tour-");
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(ROOT, "examples/runtime-tour/agent.ts"),
        "--dir",
        dir,
        "--auto-approve-after",
        "300",
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 540_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain("ALLOW score 15 → executed  [reads]");
    expect(out).toMatch(
      /REQUIRE_APPROVAL score 55 → pending {2}\[prod_write: writes to production need a DBA: users\]/,
    );
    expect(out).toMatch(
      /npx rplc approvals approve ap-\w+ --store sqlite:\S+runplane\.db --by alice --role dba/,
    );
    expect(out).toContain("REQUIRE_APPROVAL score 55 → executed by alice (dba)");
    expect(out).toContain("✓ deleted 1250 rows");
    expect(out).toContain(
      "✗ the agent is told: blocked by policy: DELETE without WHERE removes every row — do not retry this action",
    );
    expect(out).toContain("blocked by policy: piping a download into a shell runs code nobody reviewed");
    expect(out).toContain("blocked by policy: the email carries a credential");
    expect(out).toContain("1 secret masked in the log");
    expect(out).not.toContain("wJalrXUtnFEMI");
    expect(out).toContain("9 records, chain intact");

    const audit = path.join(dir, "audit.jsonl");
    const records = readFileSync(audit, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { outcome: string; decision: string });
    expect(records.map((x) => x.outcome)).toEqual([
      "executed",
      "executed",
      "pending",
      "approved",
      "executed",
      "blocked",
      "blocked",
      "blocked",
      "executed",
    ]);
    expect(readFileSync(audit, "utf8")).not.toContain("wJalrXUtnFEMI");
    const verify = rplc(["audit", "verify", audit]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain("ok, 9 records, chain intact");
    const approved = rplc([
      "approvals",
      "list",
      "--store",
      `sqlite:${path.join(dir, "runplane.db")}`,
      "--status",
      "consumed",
    ]);
    expect(approved.stdout).toContain("answered   approved by alice (dba)");
  });
});
