import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Decision } from "../../../src/engine/decision.js";
import { MemoryApprovalStore } from "../../../src/runtime/approvals/memory.js";
import { ApprovalQueue, mayAnswer, newApprovalId } from "../../../src/runtime/approvals/queue.js";
import { SqliteApprovalStore } from "../../../src/runtime/approvals/sqlite.js";
import type { ApprovalStore } from "../../../src/runtime/approvals/store.js";
import { ApprovalError } from "../../../src/runtime/errors.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

function decision(approvers: string[], timeout_ms = 60_000): Decision {
  return {
    decision: "REQUIRE_APPROVAL",
    score: 55,
    matched: [
      { rule: "prod_write", effect: "require_approval", reason: "needs a DBA", location: "p.rplc:1:1" },
    ],
    risks: [],
    approval: { approvers, timeout_ms },
    errors: [],
    policy: { hash: "sha256:p" },
  };
}

const stores: [string, () => Promise<ApprovalStore>][] = [
  ["memory", async () => new MemoryApprovalStore()],
  ["sqlite", () => SqliteApprovalStore.open(path.join(tempDir(), "a.db"))],
];

describe.each(stores)("the approval rules over the %s store", (_name, make) => {
  async function setup(approvers = ["dba"], timeout = 60_000) {
    let now = 1_000_000;
    const queue = new ApprovalQueue(await make(), () => now);
    const rec = await queue.open({
      request: { action: "db.query", args: { sql: "DELETE FROM t WHERE id = 1" } },
      decision: decision(approvers, timeout),
      digest: "sha256:d",
      policyHash: "sha256:p",
    });
    return { queue, rec, advance: (ms: number) => (now += ms) };
  }

  it("creates a pending approval that expires after the decision's timeout", async () => {
    const { queue, rec } = await setup(["dba"], 5000);
    expect(rec).toMatchObject({
      status: "pending",
      approvers: ["dba"],
      createdAt: 1_000_000,
      expiresAt: 1_005_000,
    });
    expect(rec.id).toMatch(/^ap-[a-z2-9]{10}$/);
    expect(await queue.get(rec.id)).toEqual(rec);
    expect((await queue.list({ status: "pending" })).map((r) => r.id)).toEqual([rec.id]);
  });

  it("lets an approver answer by role or by user id; refuses anyone else", async () => {
    const { queue, rec } = await setup(["dba", "bob"]);
    await expect(queue.answer(rec.id, "approved", { by: "eve", roles: ["sre"] })).rejects.toMatchObject({
      code: "not_approver",
    });
    await expect(queue.answer(rec.id, "approved", { by: "" })).rejects.toMatchObject({ code: "no_identity" });
    const done = await queue.answer(rec.id, "approved", { by: "alice", roles: ["dba"], note: "ok" });
    expect(done).toMatchObject({
      status: "approved",
      answeredBy: "alice",
      answeredRoles: ["dba"],
      note: "ok",
    });
    await expect(queue.answer(rec.id, "denied", { by: "bob" })).rejects.toMatchObject({
      code: "not_pending",
    });
    const second = await setup(["dba", "bob"]);
    expect((await second.queue.answer(second.rec.id, "denied", { by: "bob" })).status).toBe("denied");
  });

  it("an approval is used once, and only with its digest", async () => {
    const { queue, rec } = await setup();
    expect(await queue.consume(rec.id, "sha256:d")).toMatchObject({ ok: false, reason: "pending" });
    await queue.answer(rec.id, "approved", { by: "a", roles: ["dba"] });
    expect(await queue.consume(rec.id, "sha256:other")).toMatchObject({ ok: false, reason: "mismatch" });
    expect(await queue.consume(rec.id, "sha256:d")).toMatchObject({
      ok: true,
      record: { status: "consumed" },
    });
    expect(await queue.consume(rec.id, "sha256:d")).toMatchObject({ ok: false, reason: "consumed" });
    expect(await queue.consume("ap-nope", "sha256:d")).toEqual({ ok: false, reason: "unknown" });
  });

  it("expiry resolves to expired, never to approved", async () => {
    const { queue, rec, advance } = await setup(["dba"], 1000);
    advance(1000);
    await expect(queue.answer(rec.id, "approved", { by: "a", roles: ["dba"] })).rejects.toMatchObject({
      code: "expired",
    });
    expect((await queue.get(rec.id))?.status).toBe("expired");
    expect(await queue.list({ status: "pending" })).toEqual([]);

    const late = await setup(["dba"], 1000);
    await late.queue.answer(late.rec.id, "approved", { by: "a", roles: ["dba"] });
    late.advance(2000);
    expect(await late.queue.consume(late.rec.id, "sha256:d")).toMatchObject({ ok: false, reason: "expired" });
  });

  it("an empty approvers list lets anyone who names themselves answer", async () => {
    const { queue, rec } = await setup([]);
    expect((await queue.answer(rec.id, "approved", { by: "carol" })).status).toBe("approved");
  });

  it("two answers at once: exactly one wins", async () => {
    const { queue, rec } = await setup();
    const results = await Promise.allSettled([
      queue.answer(rec.id, "approved", { by: "a", roles: ["dba"] }),
      queue.answer(rec.id, "denied", { by: "b", roles: ["dba"] }),
      queue.answer(rec.id, "approved", { by: "c", roles: ["dba"] }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ApprovalError);
  });

  it("waitFor wakes at once when this process answers, and ends when stopped", async () => {
    const { queue, rec } = await setup();
    const stop = new AbortController();
    const waiting = queue.waitFor(rec.id, 60_000, stop.signal);
    await queue.answer(rec.id, "approved", { by: "a", roles: ["dba"] });
    expect((await waiting)?.status).toBe("approved");
    const other = await setup();
    const w2 = other.queue.waitFor(other.rec.id, 60_000, stop.signal);
    stop.abort();
    expect(await w2).toBeUndefined();
  });
});

describe("mayAnswer and ids", () => {
  it("matches role or user id; an empty id never matches", () => {
    expect(mayAnswer(["dba"], { by: "dba" })).toBe(true);
    expect(mayAnswer(["dba"], { by: "x", roles: ["dba"] })).toBe(true);
    expect(mayAnswer(["dba"], { by: "x", roles: ["dev"] })).toBe(false);
    expect(mayAnswer([], { by: "  " })).toBe(false);
  });

  it("ids are distinct", () => {
    const ids = new Set(Array.from({ length: 2000 }, newApprovalId));
    expect(ids.size).toBe(2000);
  });
});
