/**
 * Approvals across real processes: an agent that waits, a human's `rplc approvals` in another
 * process, an agent restarted after a kill that resumes the approved action, exactly once.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { removeTempDirs, tempDir, writeModule } from "../../unit/runtime/helpers.js";
import { rplc, runAgent, startAgent } from "./procs.js";

afterAll(removeTempDirs);

const CLEANUP = "DELETE FROM users WHERE last_login < '2023-01-01'";
let dir: string;
let policy: string;
beforeAll(async () => {
  dir = tempDir("rp-it-");
  policy = await writeModule(dir);
});

function paths(name: string) {
  const d = path.join(dir, name);
  return {
    store: `sqlite:${path.join(d, "rp.db")}`,
    audit: path.join(d, `audit-${Math.random().toString(36).slice(2)}.jsonl`),
    marker: path.join(d, "ran.txt"),
  };
}

const ran = (marker: string) =>
  existsSync(marker) ? readFileSync(marker, "utf8").split("\n").filter(Boolean) : [];

async function outcomes(audit: string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readRecords(audit)) out.push((r as AuditRecord).outcome);
  return out;
}

describe("approvals across processes", () => {
  it("survive a restart: waiter killed, approved elsewhere, resumed by a new process, once", async () => {
    const p = paths("restart");
    const common = ["--policy", policy, "--store", p.store, "--marker", p.marker, "--sql", CLEANUP];
    const first = startAgent([...common, "--audit", p.audit]);
    const { id } = await first.next("pending");
    expect(id).toMatch(/^ap-/);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(ran(p.marker)).toEqual([]);

    const list = rplc(["approvals", "list", "--store", p.store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${id}  pending  db.query`);
    const notMine = rplc(["approvals", "approve", id!, "--store", p.store, "--by", "eve", "--role", "sre"]);
    expect(notMine.code).toBe(1);
    expect(notMine.stderr).toContain("may not answer");
    const ok = rplc(["approvals", "approve", id!, "--store", p.store, "--by", "alice", "--role", "dba"]);
    expect(ok).toMatchObject({ code: 0 });

    // The restarted agent resumes with the same request (and the same audit log, whose lock the
    // killed process left behind): it runs, once.
    const audit2 = p.audit;
    expect(await runAgent([...common, "--audit", audit2, "--resume", id!])).toMatchObject({
      event: "done",
      result: "ran",
    });
    expect(ran(p.marker)).toEqual([`ran ${CLEANUP}`]);
    expect(await runAgent([...common, "--audit", audit2, "--resume", id!])).toMatchObject({
      event: "error",
      name: "ApprovalDeniedError",
      reason: "consumed",
    });
    expect(ran(p.marker)).toHaveLength(1);
    expect(await outcomes(audit2)).toEqual(["pending", "approved", "executed", "denied"]);
    const verify = rplc(["audit", "verify", audit2]);
    expect(verify.code).toBe(0);
  });

  it("a waiting process runs the action as soon as another process approves", async () => {
    const p = paths("live");
    const agent = startAgent([
      "--policy",
      policy,
      "--store",
      p.store,
      "--audit",
      p.audit,
      "--marker",
      p.marker,
      "--sql",
      CLEANUP,
    ]);
    const { id } = await agent.next("pending");
    expect(rplc(["approvals", "approve", id!, "--store", p.store, "--by", "dba"]).code).toBe(0);
    expect(await agent.next("done")).toMatchObject({ result: "ran" });
    await agent.exited;
    expect(ran(p.marker)).toHaveLength(1);
    expect(await outcomes(p.audit)).toEqual(["pending", "approved", "executed"]);
  });

  it("denied from another process: the waiter fails and nothing runs", async () => {
    const p = paths("deny");
    const agent = startAgent([
      "--policy",
      policy,
      "--store",
      p.store,
      "--audit",
      p.audit,
      "--marker",
      p.marker,
      "--sql",
      CLEANUP,
    ]);
    const { id } = await agent.next("pending");
    expect(
      rplc(["approvals", "deny", id!, "--store", p.store, "--by", "bob", "--role", "dba", "--note", "no"])
        .code,
    ).toBe(0);
    expect(await agent.next("error")).toMatchObject({ name: "ApprovalDeniedError", reason: "denied" });
    await agent.exited;
    expect(ran(p.marker)).toEqual([]);
  });

  it("a changed request cannot use the approval; expiry resolves to denied", async () => {
    const p = paths("change");
    const common = ["--policy", policy, "--store", p.store, "--audit", p.audit, "--marker", p.marker];
    const asked = await runAgent([...common, "--sql", CLEANUP, "--no-wait"]);
    expect(asked).toMatchObject({ event: "error", name: "ApprovalPendingError" });
    expect(
      rplc(["approvals", "approve", asked.id!, "--store", p.store, "--by", "a", "--role", "dba"]).code,
    ).toBe(0);
    const changed = await runAgent([
      ...common,
      "--sql",
      "DELETE FROM users WHERE 1 = 1",
      "--resume",
      asked.id!,
    ]);
    expect(changed).toMatchObject({ name: "ApprovalDeniedError", reason: "mismatch" });
    expect(ran(p.marker)).toEqual([]);

    // dev UPDATEs need alice within 400 ms.
    const quick = await runAgent([
      ...common,
      "--env",
      "dev",
      "--sql",
      "UPDATE t SET a = 1 WHERE id = 2",
      "--no-wait",
    ]);
    expect(quick).toMatchObject({ name: "ApprovalPendingError" });
    await new Promise((r) => setTimeout(r, 500));
    const late = rplc(["approvals", "approve", quick.id!, "--store", p.store, "--by", "alice"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain("has expired");
    const resumed = await runAgent([
      ...common,
      "--env",
      "dev",
      "--sql",
      "UPDATE t SET a = 1 WHERE id = 2",
      "--resume",
      quick.id!,
    ]);
    expect(resumed).toMatchObject({ name: "ApprovalDeniedError", reason: "expired" });
    expect(ran(p.marker)).toEqual([]);
  });
});
