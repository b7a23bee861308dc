import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog, readHead } from "../../../src/runtime/audit/log.js";
import { GENESIS, hashBody, splitLine } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { RunplaneError } from "../../../src/runtime/errors.js";
import { entry, removeTempDirs, tempDir, until } from "./helpers.js";

afterAll(removeTempDirs);

const linesOf = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");

describe("AuditLog", () => {
  it("writes a dense, hash-chained sequence that verifies", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file);
    const records = Array.from({ length: 50 }, (_, i) => log.append(entry(i)));
    await log.close();
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(records[0]!.prev).toBe(GENESIS);
    const lines = linesOf(file);
    expect(lines).toHaveLength(50);
    lines.forEach((line, i) => {
      const parts = splitLine(line)!;
      expect(hashBody(parts.body)).toBe(parts.hash);
      expect(JSON.parse(line)).toMatchObject({ seq: i + 1, hash: records[i]!.hash, prev: records[i]!.prev });
    });
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 50, lastSeq: 50 });
    expect(readHead(file)).toEqual({ seq: 50, hash: records[49]!.hash });
  });

  it("add() makes the record's JSON at once and chains it later, in order, mixed with append()", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file);
    const seqs = [log.add(entry(0)), log.add(entry(1))];
    const third = log.append(entry(2)); // chains the two before it first
    seqs.push(log.add(entry(3)));
    // A record that cannot be made throws in add(), and takes no number.
    expect(() => log.add({ ...entry(9), request: { n: 1n } })).toThrow(TypeError);
    const fifth = log.append(entry(4));
    await log.close();
    expect(seqs).toEqual([1, 2, 4]);
    expect([third.seq, fifth.seq]).toEqual([3, 5]);
    const lines = linesOf(file).map((l) => JSON.parse(l) as { seq: number; prev: string; hash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[2]).toMatchObject({ prev: lines[1]!.hash, hash: third.hash });
    expect(third.prev).toBe(lines[1]!.hash);
    expect(fifth.prev).toBe(lines[3]!.hash);
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 5 });
  });

  it("continues the chain when opened again", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const a = AuditLog.open(file);
    a.append(entry(1));
    const last = a.append(entry(2));
    await a.close();
    const b = AuditLog.open(file);
    const next = b.append(entry(3));
    await b.close();
    expect(next).toMatchObject({ seq: 3, prev: last.hash });
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 3 });
  });

  it("numbers 1,000 records made at once densely, each exactly once", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file, { fsync: "group", groupMs: 1 });
    const seqs = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        await Promise.resolve();
        return log.append(entry(i)).seq;
      }),
    );
    await log.close();
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const sqls = linesOf(file).map(
      (l) => (JSON.parse(l) as { request: { args: { sql: string } } }).request.args.sql,
    );
    expect(new Set(sqls).size).toBe(1000);
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 1000 });
  });

  it("durable() resolves once the record is written, in every fsync mode", async () => {
    for (const fsync of ["record", "group", "off"] as const) {
      const file = path.join(tempDir(), `audit-${fsync}.jsonl`);
      const log = AuditLog.open(file, { fsync, groupMs: 10_000 });
      const r = log.append(entry(1));
      await log.durable(r.seq);
      expect(linesOf(file)).toHaveLength(1);
      await log.close();
    }
  });

  it("repairs a torn last line on open without touching earlier records", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file);
    for (let i = 0; i < 5; i++) log.append(entry(i));
    await log.close();
    const before = readFileSync(file, "utf8");
    appendFileSync(file, '{"seq":6,"time":"2026-');
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 6, kind: "truncated" });
    const again = AuditLog.open(file);
    expect(again.repaired).toBe('{"seq":6,"time":"2026-'.length);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(again.append(entry(6)).seq).toBe(6);
    await again.close();
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 6 });
  });

  it("keeps a torn last line that is a whole valid record (only its newline was lost)", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file);
    for (let i = 0; i < 3; i++) log.append(entry(i));
    await log.close();
    truncateSync(file, readFileSync(file).length - 1);
    const again = AuditLog.open(file);
    expect(again.repaired).toBe(-1);
    expect(again.append(entry(4)).seq).toBe(4);
    await again.close();
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 4 });
  });

  it("refuses to open on a damaged last record or a log cut shorter than its head", async () => {
    const dir = tempDir();
    const damaged = path.join(dir, "damaged.jsonl");
    const log = AuditLog.open(damaged);
    for (let i = 0; i < 3; i++) log.append(entry(i));
    await log.close();
    const lines = linesOf(damaged);
    writeFileSync(
      damaged,
      `${[...lines.slice(0, 2), lines[2]!.replace("SELECT 2", "SELECT 9")].join("\n")}\n`,
    );
    expect(() => AuditLog.open(damaged)).toThrow(/last record .* is damaged/);

    const cut = path.join(dir, "cut.jsonl");
    const c = AuditLog.open(cut);
    for (let i = 0; i < 4; i++) c.append(entry(i));
    await c.close();
    writeFileSync(cut, `${linesOf(cut).slice(0, 2).join("\n")}\n`);
    const e = (() => {
      try {
        AuditLog.open(cut);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(RunplaneError);
    expect((e as RunplaneError).part).toBe("audit");
    expect((e as Error).message).toMatch(/ends at record 2 but its head file records 4/);
  });

  it("one writer per file: a second open is refused, a dead process's lock is taken over", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const a = AuditLog.open(file);
    expect(() => AuditLog.open(file)).toThrow(/being written by this process/);
    await a.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
    writeFileSync(`${file}.lock`, "999999999"); // no such process
    const b = AuditLog.open(file);
    b.append(entry(1));
    await b.close();
  });

  it("fails closed when writes fail: the log breaks and says which records were lost", async () => {
    // /dev/full accepts open() and rejects every write with ENOSPC. It is not a regular file, so
    // opening it is refused outright; a directory likewise.
    expect(() => AuditLog.open("/dev/full")).toThrow(/not a regular file/);
    const dir = tempDir();
    expect(() => AuditLog.open(dir)).toThrow(RunplaneError);
  });

  it("check() notices a removed or replaced file without a write (the watch reports it)", async () => {
    const { renameSync, rmSync } = await import("node:fs");
    for (const how of ["removed", "replaced"] as const) {
      const dir = tempDir();
      const file = path.join(dir, "audit.jsonl");
      const log = AuditLog.open(file);
      await log.durable(log.append(entry(1)).seq);
      log.check();
      // A caller waiting for a record that can no longer be written is told, not left waiting.
      const waiting = log.durable(log.append(entry(2)).seq).catch((e: unknown) => e);
      if (how === "removed") rmSync(file);
      else {
        writeFileSync(path.join(dir, "other.jsonl"), "");
        renameSync(path.join(dir, "other.jsonl"), file);
      }
      await until(() => {
        try {
          log.check();
          return undefined;
        } catch (e) {
          return e;
        }
      }, 5_000).then((e) => expect((e as Error).message).toMatch(/the file was removed or replaced/));
      expect(((await waiting) as Error).message).toMatch(
        /removed or replaced \(the file; record 2 may not be written/,
      );
      expect(() => log.append(entry(3))).toThrow(RunplaneError);
      await expect(log.close()).rejects.toThrow(RunplaneError);
    }
  });

  it("writes a group between calls, not inside append, unless the event loop never runs", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file, { groupMs: 60_000 });
    const size = () => statSync(file).size;
    // 300 lines (more than a group of 256): nothing is written inside append ...
    for (let i = 1; i <= 300; i++) log.append(entry(i));
    expect(size()).toBe(0);
    // ... but as soon as the event loop is free (not after groupMs).
    await new Promise((r) => setImmediate(r));
    expect(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l !== ""),
    ).toHaveLength(300);
    // A loop that never yields: at 4,096 queued lines append writes them itself (memory stays bounded).
    for (let i = 301; i <= 301 + 4096; i++) log.append(entry(i));
    expect(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l !== ""),
    ).toHaveLength(300 + 4096);
    await log.close();
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 301 + 4096 });
  });

  it("breaks when its file is removed while open", async () => {
    const file = path.join(tempDir(), "audit.jsonl");
    const log = AuditLog.open(file);
    await log.durable(log.append(entry(1)).seq);
    const { rmSync } = await import("node:fs");
    rmSync(file);
    const r = log.append(entry(2));
    await expect(log.durable(r.seq)).rejects.toThrow(
      /the file was removed or replaced \(the file; record 2 may not be written; nothing more runs\)/,
    );
    expect(() => log.check()).toThrow(RunplaneError);
    expect(() => log.append(entry(3))).toThrow(/audit: cannot write the audit log/);
    await expect(log.close()).rejects.toThrow(RunplaneError);
  });
});
