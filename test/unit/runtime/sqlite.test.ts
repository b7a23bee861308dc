import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { Decision } from "../../../src/engine/decision.js";
import { openStore } from "../../../src/runtime/approvals/open.js";
import { SqliteApprovalStore } from "../../../src/runtime/approvals/sqlite.js";
import type { ApprovalRecord } from "../../../src/runtime/approvals/store.js";
import { RunplaneError } from "../../../src/runtime/errors.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const decision: Decision = {
  decision: "REQUIRE_APPROVAL",
  score: 55,
  matched: [],
  risks: [{ name: "destructive", weight: 40 }],
  approval: { approvers: ["dba"], timeout_ms: 60_000 },
  errors: [],
  policy: { hash: "sha256:p" },
};

function record(id: string, createdAt = Date.now()): ApprovalRecord {
  return {
    id,
    status: "pending",
    digest: "sha256:d",
    policyHash: "sha256:p",
    request: { action: "db.query", args: { sql: "DELETE FROM t WHERE id = 1" } },
    decision,
    approvers: ["dba"],
    createdAt,
    expiresAt: createdAt + 60_000,
  };
}

describe("SqliteApprovalStore", () => {
  it("keeps records across connections (another process sees the same file)", async () => {
    const file = path.join(tempDir(), "sub", "dir", "r.db");
    const a = await SqliteApprovalStore.open(file);
    const b = await SqliteApprovalStore.open(file);
    await a.create(record("ap-1"));
    await expect(a.create(record("ap-1"))).rejects.toThrow(/UNIQUE/);
    const answered = await b.transition("ap-1", ["pending"], "approved", {
      answeredBy: "alice",
      answeredRoles: ["dba"],
    });
    expect(answered).toMatchObject({ status: "approved", answeredBy: "alice", answeredRoles: ["dba"] });
    expect(await a.get("ap-1")).toEqual(answered);
    expect(await a.transition("ap-1", ["pending"], "denied")).toBeUndefined();
    expect(
      await a.transition("ap-1", ["approved"], "consumed", { consumedAt: 5 }, "sha256:other"),
    ).toBeUndefined();
    expect(
      (await a.transition("ap-1", ["approved"], "consumed", { consumedAt: 5 }, "sha256:d"))?.consumedAt,
    ).toBe(5);
    await a.close();
    await b.close();
  });

  it("lists newest first, by status, with a limit", async () => {
    const s = await SqliteApprovalStore.open(path.join(tempDir(), "r.db"));
    for (let i = 0; i < 5; i++) await s.create(record(`ap-${i}`, 1000 + i));
    await s.transition("ap-2", ["pending"], "denied");
    expect((await s.list()).map((r) => r.id)).toEqual(["ap-4", "ap-3", "ap-2", "ap-1", "ap-0"]);
    expect((await s.list({ status: "pending", limit: 2 })).map((r) => r.id)).toEqual(["ap-4", "ap-3"]);
    expect((await s.list({ status: "denied" })).map((r) => r.id)).toEqual(["ap-2"]);
    await s.close();
  });

  it("fails when its file is removed or replaced while open (SQLite would write to the unlinked file)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "r.db");
    const s = await SqliteApprovalStore.open(file);
    await s.create(record("ap-1"));
    rmSync(dir, { recursive: true, force: true });
    await expect(s.get("ap-1")).rejects.toThrow(/is gone \(ENOENT\)/);
    await expect(s.create(record("ap-2"))).rejects.toThrow(/is gone/);
    await s.close();

    const dir2 = tempDir();
    const file2 = path.join(dir2, "r.db");
    const t = await SqliteApprovalStore.open(file2);
    writeFileSync(path.join(dir2, "other"), "");
    renameSync(path.join(dir2, "other"), file2);
    await expect(t.list()).rejects.toThrow(/was replaced/);
    await t.close();
  });

  it("refuses a file that is not a database, a missing file without create, and a newer schema", async () => {
    const dir = tempDir();
    const garbage = path.join(dir, "garbage.db");
    writeFileSync(garbage, "this is not a database, just some text that is long enough ".repeat(100));
    await expect(SqliteApprovalStore.open(garbage)).rejects.toThrow(/not a database/);
    const e = await openStore(`sqlite:${garbage}`, dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RunplaneError);
    expect((e as RunplaneError).part).toBe("store");

    await expect(SqliteApprovalStore.open(path.join(dir, "missing.db"), { create: false })).rejects.toThrow();

    const newer = path.join(dir, "newer.db");
    const db = new Database(newer);
    db.pragma("user_version = 99");
    db.close();
    await expect(SqliteApprovalStore.open(newer)).rejects.toThrow(/newer runplane \(schema 99/);
  });

  it("a damaged row is an error, not a guess", async () => {
    const file = path.join(tempDir(), "r.db");
    const s = await SqliteApprovalStore.open(file);
    await s.create(record("ap-1"));
    const db = new Database(file);
    db.prepare("UPDATE approvals SET body = 'not json' WHERE id = 'ap-1'").run();
    db.close();
    await expect(s.get("ap-1")).rejects.toThrow(/damaged/);
    await s.close();
  });
});

describe("openStore", () => {
  it("knows memory, sqlite:PATH and store objects; refuses the rest with part store", async () => {
    const dir = tempDir();
    expect((await openStore("memory", dir)).name).toBe("memory");
    const s = await openStore("sqlite:x/y.db", dir);
    expect(s.name).toBe(`sqlite:${path.join(dir, "x/y.db")}`);
    await s.close();
    for (const bad of ["postgres://localhost/db", "redis://x", "sqlite:"]) {
      const e = await openStore(bad, dir).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RunplaneError);
      expect((e as RunplaneError).part).toBe("store");
    }
  });
});
