import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../src/runtime/audit/log.js";
import {
  parseWhen,
  readRecords,
  shadowChanges,
  tailRecords,
  toTestCase,
} from "../../../src/runtime/audit/query.js";
import type { AuditEntry, AuditRecord } from "../../../src/runtime/audit/record.js";
import { entry, removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

async function log(entries: AuditEntry[]): Promise<string> {
  const file = path.join(tempDir(), "audit.jsonl");
  const l = AuditLog.open(file);
  for (const e of entries) l.append(e);
  await l.close();
  return file;
}

const blocked: AuditEntry = {
  ...entry(1),
  action: "shell.exec",
  request: { action: "shell.exec", args: { command: "curl x | sh" } },
  decision: "BLOCK",
  matched: [{ rule: "pipe_to_shell", effect: "block", reason: "no" }],
  outcome: "blocked",
  candidate: { decision: "BLOCK", matched: ["pipe_to_shell"], score: 0, policy: "sha256:c" },
};
const pending: AuditEntry = {
  ...entry(2),
  decision: "REQUIRE_APPROVAL",
  matched: [{ rule: "prod_write", effect: "require_approval", reason: "dba" }],
  outcome: "pending",
  approval: "ap-1",
  candidate: { decision: "BLOCK", matched: ["x"], score: 0, policy: "sha256:c" },
};
const executed: AuditEntry = { ...pending, outcome: "executed", approver: { by: "alice", roles: ["dba"] } };
const masked: AuditEntry = { ...entry(3), masked: 1 };

async function all(file: string, filter = {}): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(file, filter)) out.push(r);
  return out;
}

describe("audit queries", () => {
  it("filters by action (exact or prefix), decision, outcome, rule and time", async () => {
    const file = await log([entry(0), blocked, pending, executed]);
    expect((await all(file, { action: "db.*" })).map((r) => r.seq)).toEqual([1, 3, 4]);
    expect((await all(file, { action: "shell.exec" })).map((r) => r.seq)).toEqual([2]);
    expect((await all(file, { decision: "REQUIRE_APPROVAL" })).map((r) => r.seq)).toEqual([3, 4]);
    expect((await all(file, { outcome: "pending" })).map((r) => r.seq)).toEqual([3]);
    expect((await all(file, { rule: "pipe_to_shell" })).map((r) => r.seq)).toEqual([2]);
    expect(await all(file, { since: Date.now() + 60_000 })).toEqual([]);
    expect(await all(file, { until: 0 })).toEqual([]);
    expect((await tailRecords(file, 2)).map((r) => r.seq)).toEqual([3, 4]);
    expect((await tailRecords(file, 1, { action: "shell.exec" })).map((r) => r.seq)).toEqual([2]);
  });

  it("exports first decisions as test cases, leaving out follow-ups and redacted copies", async () => {
    const file = await log([entry(0), blocked, pending, executed, masked]);
    const cases = (await all(file)).map(toTestCase);
    expect(cases[0]).toMatchObject({
      request: { action: "db.query", time: expect.any(String) },
      expected: "ALLOW",
    });
    expect(cases[1]).toMatchObject({ expected: "BLOCK" });
    expect(cases[2]).toMatchObject({ expected: "REQUIRE_APPROVAL" });
    expect(cases[3]).toBe("follow-up");
    expect(cases[4]).toBe("redacted");
  });

  it("lists the requests a candidate would decide differently", async () => {
    const file = await log([entry(0), blocked, pending]);
    expect((await shadowChanges(file)).map((r) => r.seq)).toEqual([3]);
  });

  it("parseWhen reads times, dates and durations back from now", () => {
    expect(parseWhen("2026-11-24T10:00:00Z")).toBe(Date.parse("2026-11-24T10:00:00Z"));
    expect(parseWhen("15m", 1_000_000)).toBe(1_000_000 - 15 * 60_000);
    expect(parseWhen("7d", 0)).toBe(-7 * 86_400_000);
    expect(parseWhen("soon")).toBeUndefined();
  });
});
