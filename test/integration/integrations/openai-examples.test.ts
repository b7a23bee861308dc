/**
 * examples/openai and examples/openai-agents run as child processes (`node --import tsx`), offline
 * with their scripted models, approving and denying; their output and audit logs are checked.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../unit/runtime/helpers.js";
import { ROOT } from "../runtime/procs.js";

afterAll(removeTempDirs);

function runExample(name: string, ...args: string[]) {
  const dir = tempDir(`rp-example-${name}-`);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "examples", name, "agent.ts"), "--dir", dir, ...args],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
  );
  const outcomes = readFileSync(path.join(dir, "audit.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => (JSON.parse(l) as { outcome: string }).outcome);
  return { ...r, outcomes };
}

const BLOCKED =
  "the model reads: blocked by policy: DELETE without WHERE removes every row — do not retry this action";

describe.each(["openai", "openai-agents"])("examples/%s", (name) => {
  it("reads, is blocked, waits for a DBA who approves: the cleanup runs once", { timeout: 150_000 }, () => {
    const r = runExample(name);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("the model reads: 1250");
    expect(r.stdout).toContain(BLOCKED);
    expect(r.stdout).toContain("REQUIRE_APPROVAL → executed by alice (dba)");
    expect(r.stdout).toContain("the model reads: deleted 1250 rows");
    expect(r.stdout).toContain("users left: 3750");
    expect(r.stdout).toMatch(/records, chain intact/);
    const tail = ["pending", "approved", "executed"];
    expect(r.outcomes.slice(-3)).toEqual(tail);
    expect(r.outcomes.filter((o) => o === "executed")).toHaveLength(2);
    expect(r.outcomes).toContain("blocked");
  });

  it("with --deny: nothing is deleted and the model reads who denied it", { timeout: 150_000 }, () => {
    const r = runExample(name, "--deny");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/the model reads: approval ap-\w+ was denied by bob: not before the backup/);
    expect(r.stdout).toContain("users left: 5000");
    expect(r.outcomes.slice(-2)).toEqual(["pending", "denied"]);
  });
});
