import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../src/runtime/audit/log.js";
import { hashBody, lineOf, recordBody } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { entry, removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

/** A fresh log of `n` records; returns its path and lines. */
async function makeLog(n = 10): Promise<{ file: string; lines: string[] }> {
  const file = path.join(tempDir(), "audit.jsonl");
  const log = AuditLog.open(file);
  for (let i = 0; i < n; i++) log.append(entry(i));
  await log.close();
  return { file, lines: readFileSync(file, "utf8").trimEnd().split("\n") };
}

function rewrite(file: string, lines: string[], opts: { head?: boolean } = {}): void {
  writeFileSync(file, `${lines.join("\n")}\n`);
  if (opts.head === false) rmSync(`${file}.head`);
}

describe("verifyAuditLog", () => {
  it("an intact log verifies; an empty one too", async () => {
    const { file } = await makeLog();
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 10, lastSeq: 10 });
    const empty = path.join(tempDir(), "empty.jsonl");
    writeFileSync(empty, "");
    expect(await verifyAuditLog(empty)).toMatchObject({ ok: true, records: 0 });
  });

  it("edited: a changed field, even with the JSON still valid", async () => {
    const { file, lines } = await makeLog();
    lines[4] = lines[4]!.replace('"decision":"ALLOW"', '"decision":"BLOCK"');
    rewrite(file, lines);
    expect(await verifyAuditLog(file)).toMatchObject({
      ok: false,
      records: 4,
      problem: { line: 5, kind: "edited" },
    });
  });

  it("edited: a record rewritten with a fresh valid hash breaks the link to the next line", async () => {
    const { file, lines } = await makeLog();
    const r = JSON.parse(lines[3]!) as { seq: number; time: string; prev: string };
    const body = recordBody(r.seq, r.time, r.prev, { ...entry(99), outcome: "blocked" });
    lines[3] = lineOf(body, hashBody(body));
    rewrite(file, lines);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 5, kind: "edited" });
  });

  it("deleted: a record removed from the middle or the start", async () => {
    const { file, lines } = await makeLog();
    rewrite(file, [...lines.slice(0, 6), ...lines.slice(7)]);
    expect((await verifyAuditLog(file)).problem).toMatchObject({
      line: 7,
      kind: "deleted",
      message: "record 7 is missing before this line",
    });
    const two = await makeLog();
    rewrite(two.file, two.lines.slice(2));
    expect((await verifyAuditLog(two.file)).problem).toMatchObject({
      line: 1,
      kind: "deleted",
      message: "records 1–2 are missing before this line",
    });
  });

  it("reordered: two records swapped", async () => {
    const { file, lines } = await makeLog();
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    rewrite(file, lines);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 3, kind: "reordered" });
  });

  it("inserted: a copy of an earlier record", async () => {
    const { file, lines } = await makeLog();
    lines.splice(5, 0, lines[1]!);
    rewrite(file, lines);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 6, kind: "inserted" });
  });

  it("inserted: a made-up line", async () => {
    const { file, lines } = await makeLog();
    lines.splice(5, 0, '{"seq":6,"note":"all fine"}');
    rewrite(file, lines);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 6, kind: "edited" });
  });

  it("truncated: a torn last line, and records cut off the end (caught by the head file)", async () => {
    const { file } = await makeLog();
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.slice(0, text.length - 40));
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 10, kind: "truncated" });

    const cut = await makeLog();
    rewrite(cut.file, cut.lines.slice(0, 7));
    expect(await verifyAuditLog(cut.file)).toMatchObject({
      ok: false,
      records: 7,
      problem: { line: 8, kind: "truncated", message: expect.stringContaining("head file records 10") },
    });
  });

  it("a chain rewritten from some line on is caught by the head file; without the head it cannot be", async () => {
    const { file, lines } = await makeLog();
    // Rewrite records 8–10 with valid hashes, chained to record 7.
    let prev = (JSON.parse(lines[6]!) as { hash: string }).hash;
    for (let i = 7; i < 10; i++) {
      const r = JSON.parse(lines[i]!) as { seq: number; time: string };
      const body = recordBody(r.seq, r.time, prev, { ...entry(100 + i), outcome: "blocked" });
      prev = hashBody(body);
      lines[i] = lineOf(body, prev);
    }
    rewrite(file, lines);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 10, kind: "edited" });
    rmSync(`${file}.head`);
    expect((await verifyAuditLog(file)).ok).toBe(true);
  });
});

describe("verifyAuditLog on a log larger than one read chunk (4 MiB)", () => {
  it("reads lines split across chunks and still finds a deleted record deep inside", async () => {
    const file = path.join(tempDir(), "big.jsonl");
    const log = AuditLog.open(file, { fsync: "off" });
    const pad = "x".repeat(700);
    for (let i = 0; i < 12_000; i++) {
      log.append({ ...entry(i), request: { action: "db.query", args: { sql: `SELECT ${i} /* ${pad} */` } } });
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    expect(readFileSync(file).length).toBeGreaterThan(2 * 4 * 1024 * 1024);
    expect(await verifyAuditLog(file)).toMatchObject({ ok: true, records: 12_000 });
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    rewrite(file, [...lines.slice(0, 9_000), ...lines.slice(9_001)]);
    expect((await verifyAuditLog(file)).problem).toMatchObject({ line: 9_001, kind: "deleted" });
  });
});
