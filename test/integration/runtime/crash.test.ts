/**
 * kill -9 in the middle of heavy audit writing: the log verifies (or shows one torn last line),
 * the next process repairs it without touching earlier records and appends, and the whole log
 * verifies again.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { removeTempDirs, sleep, tempDir, until, writeModule } from "../../unit/runtime/helpers.js";
import { ROOT } from "./procs.js";

afterAll(removeTempDirs);

const WRITER = path.join(ROOT, "test/integration/runtime/fixtures/writer.ts");

describe("kill -9 during heavy audit writing", () => {
  it("leaves at most one torn last line; the next open repairs it and appends", {
    timeout: 600_000,
  }, async () => {
    const dir = tempDir("rp-crash-");
    const policy = await writeModule(dir);
    const audit = path.join(dir, "audit.jsonl");
    let total = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", WRITER, "--policy", policy, "--audit", audit],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = new Promise((r) => child.on("exit", r));
      const startSize = (() => {
        try {
          return statSync(audit).size;
        } catch {
          return 0;
        }
      })();
      await until(() => {
        try {
          return statSync(audit).size > startSize + 300_000 ? true : undefined;
        } catch {
          return undefined;
        }
      }, 120_000);
      await sleep(Math.random() * 50);
      child.kill("SIGKILL");
      await exited;

      const v = await verifyAuditLog(audit);
      if (!v.ok) {
        // Only a torn last line is acceptable after a crash.
        const lines = readFileSync(audit, "utf8").split("\n");
        expect(v.problem).toMatchObject({ kind: "truncated", line: lines.length });
      }
      expect(v.records).toBeGreaterThan(total);
      const before = readFileSync(audit).subarray(0, lastNewline(audit));

      // The next process repairs and appends 100 records.
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", WRITER, "--policy", policy, "--audit", audit, "--count", "100"],
        {
          encoding: "utf8",
          timeout: 120_000,
        },
      );
      expect(r.stdout).toContain("wrote 100");
      const after = readFileSync(audit);
      expect(after.subarray(0, before.length).equals(before)).toBe(true);
      const again = await verifyAuditLog(audit);
      expect(again).toMatchObject({ ok: true });
      expect(again.records).toBeGreaterThanOrEqual(v.records + 100);
      expect(again.records).toBeLessThanOrEqual(v.records + 101);
      total = again.records;
    }
  });
});

function lastNewline(file: string): number {
  return readFileSync(file).lastIndexOf(0x0a) + 1;
}
