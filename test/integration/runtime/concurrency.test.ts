/**
 * 1,000 concurrent guarded calls through one runtime with the SQLite store and a file audit log:
 * every decision is recorded exactly once, with dense sequence numbers.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { ApprovalPendingError, BlockedError } from "../../../src/runtime/errors.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import { PROD, removeTempDirs, tempDir, testPolicy } from "../../unit/runtime/helpers.js";

afterAll(removeTempDirs);

describe("1,000 concurrent guards", () => {
  it("record every decision exactly once, densely numbered", { timeout: 300_000 }, async () => {
    const dir = tempDir("rp-conc-");
    const audit = path.join(dir, "audit.jsonl");
    const rp = await createRunplane({
      policy: await testPolicy(),
      store: `sqlite:${path.join(dir, "rp.db")}`,
      audit,
      context: PROD,
    });
    const kinds = ["read", "wipe", "write"] as const;
    const sqlOf = (i: number) => {
      const kind = kinds[i % 3]!;
      return kind === "read"
        ? `SELECT ${i} FROM users`
        : kind === "wipe"
          ? `DELETE FROM t${i}`
          : `UPDATE t SET a = ${i} WHERE id = ${i}`;
    };
    let ran = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) =>
        rp.guard({ action: "db.query", args: { sql: sqlOf(i) } }, async () => ++ran, { wait: false }),
      ),
    );
    const pendingIds = new Set<string>();
    results.forEach((r, i) => {
      const kind = kinds[i % 3];
      if (kind === "read") expect(r.status).toBe("fulfilled");
      else if (r.status === "rejected") {
        expect(r.reason).toBeInstanceOf(kind === "wipe" ? BlockedError : ApprovalPendingError);
        if (r.reason instanceof ApprovalPendingError) pendingIds.add(r.reason.approvalId);
      } else throw new Error(`request ${i} (${kind}) was not stopped`);
    });
    expect(ran).toBe(334);
    expect(pendingIds.size).toBe(333);
    expect((await rp.approvals.list({ status: "pending" })).length).toBe(333);
    await rp.close();

    const records: AuditRecord[] = [];
    for await (const r of readRecords(audit)) records.push(r);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const bySql = new Map<string, AuditRecord[]>();
    for (const r of records) {
      const sql = (r.request as { args: { sql: string } }).args.sql;
      bySql.set(sql, [...(bySql.get(sql) ?? []), r]);
    }
    expect(bySql.size).toBe(1000);
    for (let i = 0; i < 1000; i++) {
      const rs = bySql.get(sqlOf(i))!;
      expect(rs).toHaveLength(1);
      expect(rs[0]!.outcome).toBe(["executed", "blocked", "pending"][i % 3]);
    }
    expect(await verifyAuditLog(audit)).toMatchObject({ ok: true, records: 1000 });
  });
});
