import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedPolicy } from "../../../src/engine/load.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import {
  ApprovalDeniedError,
  ApprovalError,
  ApprovalPendingError,
  BlockedError,
  RunplaneError,
} from "../../../src/runtime/errors.js";
import { createRunplane, type RunplaneOptions } from "../../../src/runtime/runplane.js";
import { DEV, PROD, removeTempDirs, sleep, tempDir, testPolicy, until } from "./helpers.js";

let policy: LoadedPolicy;
beforeAll(async () => {
  policy = await testPolicy();
});
afterAll(removeTempDirs);

const READ = { action: "db.query", args: { sql: "SELECT id FROM users" } };
const WIPE = { action: "db.query", args: { sql: "DELETE FROM users" } };
const CLEANUP = { action: "db.query", args: { sql: "DELETE FROM users WHERE last_login < '2023-01-01'" } };

async function setup(extra: Partial<RunplaneOptions> = {}) {
  const dir = tempDir();
  const audit = path.join(dir, "audit.jsonl");
  const records: AuditRecord[] = [];
  const rp = await createRunplane({
    policy,
    store: "memory",
    audit,
    context: PROD,
    approvalPollMs: 20,
    onDecision: (r) => records.push(r),
    ...extra,
  });
  const logged = () =>
    readFileSync(audit, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as AuditRecord);
  return { rp, dir, audit, records, logged };
}

describe("guard", () => {
  it("ALLOW runs the action, returns its result and records `executed`", async () => {
    const { rp, records, audit, logged } = await setup();
    let ran = 0;
    expect(await rp.guard(READ, () => ++ran)).toBe(1);
    expect(await rp.guard(READ, async () => "async")).toBe("async");
    await rp.close();
    expect(ran).toBe(1);
    expect(records.map((r) => [r.seq, r.decision, r.outcome])).toEqual([
      [1, "ALLOW", "executed"],
      [2, "ALLOW", "executed"],
    ]);
    const [first] = logged();
    expect(first).toMatchObject({
      seq: 1,
      action: "db.query",
      request: { action: "db.query", args: READ.args, context: PROD },
      matched: [{ rule: "reads", effect: "allow", reason: "reads" }],
      outcome: "executed",
      policy: policy.hash,
    });
    expect(typeof (first!.request as { time: string }).time).toBe("string");
    expect(await verifyAuditLog(audit)).toMatchObject({ ok: true, records: 2 });
  });

  it("a failing action is recorded `failed` with its (masked) message and rethrown", async () => {
    const { rp, records } = await setup();
    const boom = new Error("connection refused: postgres://admin:S3cr3tPassw0rd@db.internal:5432/app");
    await expect(rp.guard(READ, () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(
      rp.guard(READ, () => {
        throw new TypeError("sync");
      }),
    ).rejects.toThrow("sync");
    await rp.close();
    expect(records.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(records[0]!.error).toContain("connection refused");
    expect(records[0]!.error).not.toContain("S3cr3tPassw0rd");
  });

  it("BLOCK throws BlockedError with the decision and a message for the model; nothing runs", async () => {
    const { rp, records } = await setup();
    let ran = false;
    const e = await rp
      .guard(WIPE, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    await rp.close();
    expect(ran).toBe(false);
    expect(e).toBeInstanceOf(BlockedError);
    const b = e as BlockedError;
    expect(b.message).toBe(
      "blocked by policy: DELETE without WHERE removes every row — do not retry this action",
    );
    expect(b.decision.decision).toBe("BLOCK");
    expect(b.reasons).toEqual(["DELETE without WHERE removes every row"]);
    expect(records.map((r) => r.outcome)).toEqual(["blocked"]);
  });

  it("an error decision (a request of the wrong shape) blocks, with the policy's error as reason", async () => {
    const { rp, records } = await setup();
    const e = await rp
      .guard({ action: "db.query", args: { sql: 42 } } as never, () => 1)
      .catch((x: unknown) => x);
    await rp.close();
    expect(e).toBeInstanceOf(BlockedError);
    expect((e as Error).message).toMatch(/^blocked by policy: policy error: \/args\/sql/);
    expect(records[0]).toMatchObject({ outcome: "blocked", errors: [expect.stringContaining("/args/sql")] });
  });

  it("merges the runtime's context under the request's own", async () => {
    const { rp, records } = await setup();
    await rp.guard({ ...READ, context: { agent: "other-bot" } }, () => 1);
    await rp.close();
    expect((records[0]!.request as { context: unknown }).context).toEqual({
      env: "production",
      agent: "other-bot",
    });
  });

  it("redacts the named fields and masks secrets in what it records", async () => {
    const { rp, audit, logged } = await setup({ redact: ["args.headers"] });
    const secret = "AKIAIOSFODNN7EXAMPLE";
    await expect(
      rp.guard({ action: "email.send", args: { to: ["a@b.c"], body: `key ${secret}` } }, () => 1),
    ).rejects.toThrow(BlockedError);
    await expect(
      rp.guard(
        { action: "http.request", args: { url: "https://x.test", headers: { authorization: "x" } } },
        () => 1,
      ),
    ).resolves.toBe(1);
    await rp.close();
    expect(readFileSync(audit, "utf8")).not.toContain(secret);
    const [email, http] = logged();
    expect(email).toMatchObject({ masked: 1, outcome: "blocked" });
    expect(http).toMatchObject({ redacted: ["args.headers"], request: { args: { url: "https://x.test" } } });
    expect((http!.request as { args: Record<string, unknown> }).args.headers).toBeUndefined();
  });
});

describe("approvals in guard", () => {
  it("waits for an approver, then runs once and records pending → approved → executed", async () => {
    const seen: string[] = [];
    const { rp, records } = await setup({ notify: { onApproval: (a) => seen.push(a.id) } });
    let ran = 0;
    const waiting = rp.guard(CLEANUP, () => ++ran);
    const id = await until(() => seen[0]);
    const [pending] = await rp.approvals.list({ status: "pending" });
    expect(pending).toMatchObject({ id, approvers: ["dba"], status: "pending" });
    expect(pending!.expiresAt - pending!.createdAt).toBe(30 * 60_000);
    expect(ran).toBe(0);
    await expect(rp.approvals.approve(id, { by: "eve", roles: ["sre"] })).rejects.toBeInstanceOf(
      ApprovalError,
    );
    await rp.approvals.approve(id, { by: "alice", roles: ["dba"], note: "checked" });
    expect(await waiting).toBe(1);
    await rp.close();
    expect(records.map((r) => r.outcome)).toEqual(["pending", "approved", "executed"]);
    expect(records[1]).toMatchObject({
      approval: id,
      approver: { by: "alice", roles: ["dba"] },
      note: "checked",
    });
    expect(records[2]).toMatchObject({ approval: id, approver: { by: "alice", roles: ["dba"] } });
  });

  it("denied: ApprovalDeniedError with who and why; nothing runs", async () => {
    const seen: string[] = [];
    const { rp, records } = await setup({ notify: { onApproval: (a) => seen.push(a.id) } });
    let ran = false;
    const waiting = rp
      .guard(CLEANUP, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    const id = await until(() => seen[0]);
    await rp.approvals.deny(id, { by: "dba", note: "not during the sale" });
    const e = (await waiting) as ApprovalDeniedError;
    await rp.close();
    expect(ran).toBe(false);
    expect(e).toBeInstanceOf(ApprovalDeniedError);
    expect(e).toMatchObject({ approvalId: id, reason: "denied", by: "dba", note: "not during the sale" });
    expect(e.message).toContain("do not retry");
    expect(records.map((r) => r.outcome)).toEqual(["pending", "denied"]);
  });

  it("expiry resolves to denied (`expired`), never to allowed", async () => {
    const { rp, records } = await setup({ context: DEV });
    let ran = false;
    const started = Date.now();
    const e = await rp
      .guard({ action: "db.query", args: { sql: "UPDATE t SET a = 1 WHERE id = 2" } }, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    await rp.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(ran).toBe(false);
    expect(e).toMatchObject({ name: "ApprovalDeniedError", reason: "expired" });
    expect(records.map((r) => r.outcome)).toEqual(["pending", "expired"]);
  });

  it("`{ wait: false }` throws ApprovalPendingError with the id; resume runs it once approved, once only", async () => {
    const { rp, records } = await setup();
    const e = (await rp
      .guard(CLEANUP, () => 1, { wait: false })
      .catch((x: unknown) => x)) as ApprovalPendingError;
    expect(e).toBeInstanceOf(ApprovalPendingError);
    expect(e.approvalId).toMatch(/^ap-/);
    expect(e.message).toContain(e.approvalId);
    const id = e.approvalId;
    // Still pending: resume without waiting says so again.
    await expect(rp.resume(id, CLEANUP, () => 2, { wait: false })).rejects.toBeInstanceOf(
      ApprovalPendingError,
    );
    await rp.approvals.approve(id, { by: "alice", roles: ["dba"] });
    expect(await rp.resume(id, CLEANUP, () => "ran")).toBe("ran");
    const again = await rp.resume(id, CLEANUP, () => "twice").catch((x: unknown) => x);
    expect(again).toMatchObject({ name: "ApprovalDeniedError", reason: "consumed" });
    await rp.close();
    expect(records.map((r) => r.outcome)).toEqual(["pending", "approved", "executed", "denied"]);
  });

  it("a changed request cannot use an approval", async () => {
    const { rp } = await setup();
    const e = (await rp
      .guard(CLEANUP, () => 1, { wait: false })
      .catch((x: unknown) => x)) as ApprovalPendingError;
    await rp.approvals.approve(e.approvalId, { by: "alice", roles: ["dba"] });
    let ran = false;
    const changed = { action: "db.query", args: { sql: "DELETE FROM users WHERE 1 = 1" } };
    const r = await rp
      .resume(e.approvalId, changed, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    expect(r).toMatchObject({ name: "ApprovalDeniedError", reason: "mismatch" });
    const otherContext = await rp
      .resume(e.approvalId, { ...CLEANUP, context: { agent: "someone-else" } }, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    expect(otherContext).toMatchObject({ reason: "mismatch" });
    expect(ran).toBe(false);
    // The approval is still there for the real request.
    expect(await rp.resume(e.approvalId, CLEANUP, () => "ok")).toBe("ok");
    await expect(rp.resume("ap-doesnotexist", CLEANUP, () => 1)).rejects.toMatchObject({ reason: "unknown" });
    await rp.close();
  });

  it("closing while a guard waits: the guard fails (store), nothing runs, the approval stays pending", async () => {
    const seen: string[] = [];
    const { rp } = await setup({ notify: { onApproval: (a) => seen.push(a.id) } });
    let ran = false;
    const waiting = rp
      .guard(CLEANUP, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    await until(() => seen[0]);
    await rp.close();
    const e = await waiting;
    expect(e).toBeInstanceOf(RunplaneError);
    expect((e as RunplaneError).message).toMatch(/closed while approval .* was pending/);
    expect(ran).toBe(false);
  });
});

describe("fail closed", () => {
  it("a policy that throws: RunplaneError part policy, nothing runs, nothing recorded as run", async () => {
    const broken: LoadedPolicy = {
      ...policy,
      decide: () => {
        throw new Error("boom");
      },
    };
    const { rp, records } = await setup({ policy: broken });
    let ran = false;
    const e = await rp
      .guard(READ, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    await rp.close();
    expect(ran).toBe(false);
    expect(e).toMatchObject({ name: "RunplaneError", part: "policy" });
    expect((e as Error).message).toBe("policy: the policy failed while deciding: boom");
    expect(records).toEqual([]);
  });

  it("a store that fails: RunplaneError part store, the approval-needing action does not run", async () => {
    const failing = {
      name: "flaky",
      create: async () => {
        throw new Error("disk I/O error");
      },
      get: async () => undefined,
      list: async () => [],
      transition: async () => undefined,
      close: async () => {},
    };
    const { rp } = await setup({ store: failing });
    let ran = false;
    const e = await rp
      .guard(CLEANUP, () => {
        ran = true;
      })
      .catch((x: unknown) => x);
    expect(ran).toBe(false);
    expect(e).toMatchObject({ part: "store" });
    expect((e as Error).message).toBe("store: the approval store flaky failed: disk I/O error");
    await expect(rp.approvals.list()).resolves.toEqual([]);
    await rp.close();
  });

  it("an audit log that cannot be opened: createRunplane rejects (part audit)", async () => {
    const dir = tempDir();
    await expect(createRunplane({ policy, store: "memory", audit: dir })).rejects.toMatchObject({
      part: "audit",
    });
    await expect(createRunplane({ policy, store: "memory", audit: "/dev/full" })).rejects.toMatchObject({
      part: "audit",
    });
  });

  it("an audit log removed while running: the next guard runs nothing (part audit)", async () => {
    for (const fsync of ["record", "group"] as const) {
      const dir = tempDir();
      const file = path.join(dir, "a.jsonl");
      const rp = await createRunplane({
        policy,
        store: "memory",
        audit: { path: file, fsync },
        context: PROD,
      });
      expect(await rp.guard(READ, () => 1)).toBe(1);
      const { rmSync } = await import("node:fs");
      rmSync(dir, { recursive: true });
      // "record" looks at the file (fstat) before every action. "group" learns of the removal
      // from the file's watch at the event loop's next turn, and from then on runs nothing.
      if (fsync === "group") await sleep(10); // a full turn of the event loop (its poll phase)
      let ran = false;
      const e = await rp
        .guard(READ, () => {
          ran = true;
        })
        .catch((x: unknown) => x);
      expect(ran).toBe(false);
      expect(e).toMatchObject({ part: "audit" });
      expect((e as Error).message).toMatch(/the file was removed or replaced/);
      await expect(rp.decide(READ)).rejects.toMatchObject({ part: "audit" });
      await expect(rp.close()).rejects.toMatchObject({ part: "audit" });
    }
  });
});

describe("shadow mode, candidates, decide, reload", () => {
  it("shadow mode runs everything and records both decisions", async () => {
    const candidate = await testPolicy((await import("./helpers.js")).CANDIDATE);
    const { rp, records } = await setup({ mode: "shadow", candidate });
    const insert = { action: "db.query", args: { sql: "INSERT INTO t VALUES (1)" } };
    let ran = 0;
    await rp.guard(WIPE, () => ran++);
    await rp.guard(CLEANUP, () => ran++);
    await rp.guard(insert, () => ran++);
    await rp.guard(READ, () => ran++);
    await rp.close();
    expect(ran).toBe(4);
    expect(records.map((r) => [r.decision, r.candidate?.decision, r.outcome])).toEqual([
      ["BLOCK", "BLOCK", "shadow"],
      ["REQUIRE_APPROVAL", "REQUIRE_APPROVAL", "shadow"],
      ["REQUIRE_APPROVAL", "BLOCK", "shadow"],
      ["ALLOW", "ALLOW", "shadow"],
    ]);
    expect(records[2]!.candidate).toMatchObject({
      matched: ["prod_write", "no_inserts"],
      policy: candidate.hash,
    });
  });

  it("a candidate beside an enforced policy is recorded, never enforced", async () => {
    const candidate = await testPolicy((await import("./helpers.js")).CANDIDATE);
    const { rp, records } = await setup({ candidate, context: DEV });
    expect(
      await rp.guard({ action: "db.query", args: { sql: "INSERT INTO t VALUES (1)" } }, () => "ran"),
    ).toBe("ran");
    await rp.close();
    expect(records[0]).toMatchObject({
      decision: "ALLOW",
      outcome: "executed",
      candidate: { decision: "BLOCK" },
    });
  });

  it("decide returns the decision and records `decided`", async () => {
    const { rp, records } = await setup();
    expect((await rp.decide(WIPE)).decision).toBe("BLOCK");
    await rp.close();
    expect(records.map((r) => r.outcome)).toEqual(["decided"]);
    await expect(rp.decide(WIPE)).rejects.toMatchObject({ part: "audit" });
  });

  it("reload swaps in a changed policy; one that does not compile keeps the old and says why", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    const file = path.join(dir, "p.rplc");
    const { POLICY, CANDIDATE } = await import("./helpers.js");
    writeFileSync(file, POLICY);
    const rp = await createRunplane({ policy: file, store: "memory", audit: false, context: DEV });
    const insert = { action: "db.query", args: { sql: "INSERT INTO t VALUES (1)" } };
    expect((await rp.decide(insert)).decision).toBe("ALLOW");
    const before = rp.policyHash;
    writeFileSync(file, CANDIDATE);
    const ok = await rp.reload();
    expect(ok).toMatchObject({ ok: true, previous: before });
    expect(rp.policyHash).not.toBe(before);
    expect((await rp.decide(insert)).decision).toBe("BLOCK");
    writeFileSync(file, `${CANDIDATE}\non db.query { block x when args.nope == 1 }\n`);
    const bad = await rp.reload();
    expect(bad).toMatchObject({ ok: false, hash: rp.policyHash });
    expect(bad.ok === false && bad.error).toMatch(/does not compile .*p\.rplc:\d+:\d+: error\[RPL\d+\]/s);
    expect((await rp.decide(insert)).decision).toBe("BLOCK");
    await rp.close();
  });

  it("watch: true reloads when a policy file changes", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    const { POLICY, CANDIDATE } = await import("./helpers.js");
    writeFileSync(path.join(dir, "p.rplc"), POLICY);
    const reloads: unknown[] = [];
    const rp = await createRunplane({
      policy: dir,
      store: "memory",
      audit: false,
      context: DEV,
      watch: true,
      onReload: (r) => reloads.push(r),
    });
    const before = rp.policyHash;
    await sleep(50);
    writeFileSync(path.join(dir, "p.rplc"), CANDIDATE);
    await until(() => (rp.policyHash !== before ? true : undefined), 30_000);
    expect(reloads[reloads.length - 1]).toMatchObject({ ok: true });
    await rp.close();
  });

  it("a policy that does not compile: createRunplane rejects (part policy) naming the place", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(dir, "bad.rplc"), "action a.b { x: number }\non a.b { block y when args.z }\n");
    const e = await createRunplane({ policy: dir, store: "memory", audit: false, cwd: dir }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ name: "RunplaneError", part: "policy" });
    expect((e as Error).message).toMatch(/bad\.rplc:2:\d+: error\[RPL3\d+\]/);
    await expect(createRunplane({ policy: "nope.mjs", store: "memory", audit: false })).rejects.toMatchObject(
      {
        part: "policy",
      },
    );
  });

  it("telemetry: the API (installed here as a dev dependency) is used; `telemetry: false` leaves it alone", async () => {
    // With the real SDK: test/integration/runtime/telemetry.test.ts. Here no SDK is registered,
    // so the API's no-op tracer and meter take the calls.
    const { rp } = await setup({ telemetry: true });
    expect(rp.telemetryActive).toBe(true);
    expect(await rp.guard(READ, () => 1)).toBe(1);
    await expect(rp.guard(WIPE, () => 1)).rejects.toBeInstanceOf(BlockedError);
    await rp.close();
    const off = await setup({ telemetry: false });
    expect(off.rp.telemetryActive).toBe(false);
    expect(await off.rp.guard(READ, () => 1)).toBe(1);
    await off.rp.close();
  });

  it('fsync "record": guard answers only once its record is on disk; "group" answers at once', async () => {
    for (const fsync of ["record", "group"] as const) {
      const dir = tempDir();
      const file = path.join(dir, "audit.jsonl");
      const rp = await createRunplane({
        policy,
        store: "memory",
        audit: { path: file, fsync },
        context: PROD,
      });
      const lines = () =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l !== "").length;
      expect(await rp.guard(READ, () => 1)).toBe(1);
      await expect(rp.guard(WIPE, () => 1)).rejects.toBeInstanceOf(BlockedError);
      await expect(rp.guard(READ, () => Promise.reject(new Error("x")))).rejects.toThrow("x");
      // "group" has not written yet (it waits for its group); "record" has written and synced each.
      expect(lines()).toBe(fsync === "record" ? 3 : 0);
      await rp.close();
      expect(lines()).toBe(3);
    }
  });
});
