import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addApprovalsCommand, approvalsCommand } from "../../../src/cli/commands/approvals.js";
import { addAuditCommand, auditCommand } from "../../../src/cli/commands/audit.js";
import { memoryIo } from "../../../src/cli/io.js";
import type { LoadedPolicy } from "../../../src/engine/load.js";
import type { ApprovalPendingError } from "../../../src/runtime/errors.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import { CANDIDATE, PROD, removeTempDirs, tempDir, testPolicy } from "./helpers.js";

let policy: LoadedPolicy;
let candidate: LoadedPolicy;
beforeAll(async () => {
  policy = await testPolicy();
  candidate = await testPolicy(CANDIDATE);
});
afterAll(removeTempDirs);

const CLEANUP = { action: "db.query", args: { sql: "DELETE FROM users WHERE last_login < '2023-01-01'" } };

/** A directory with a store holding one pending approval and an audit log of a few decisions. */
async function scene() {
  const dir = tempDir();
  const rp = await createRunplane({
    policy,
    candidate,
    store: "sqlite:rp.db",
    audit: "audit.jsonl",
    context: PROD,
    cwd: dir,
  });
  await rp.guard({ action: "db.query", args: { sql: "SELECT 1" } }, () => 1);
  await rp.guard({ action: "db.query", args: { sql: "DELETE FROM users" } }, () => 1).catch(() => undefined);
  await rp
    .guard({ action: "db.query", args: { sql: "INSERT INTO t VALUES (1)" } }, () => 1, { wait: false })
    .catch(() => undefined);
  const e = (await rp
    .guard(CLEANUP, () => 1, { wait: false })
    .catch((x: unknown) => x)) as ApprovalPendingError;
  await rp.close();
  return { dir, id: e.approvalId };
}

const text = (chunks: string[]) => chunks.join("");

describe("rplc approvals", () => {
  it("list shows who asked, what exactly, which rules, the score and the time to expiry", async () => {
    const { dir, id } = await scene();
    const io = memoryIo({ cwd: dir });
    expect(await approvalsCommand("list", [], { store: "sqlite:rp.db" }, io)).toBe(0);
    const out = text(io.out);
    expect(out).toContain(`${id}  pending  db.query  expires in 29m`);
    expect(out).toContain("asked by   cleanup-bot in production");
    expect(out).toContain("action     db.query sql: DELETE FROM users WHERE last_login < '2023-01-01'");
    expect(out).toContain("rules      prod_write (require approval): writes to production need a DBA");
    expect(out).toMatch(/score {6}\d+/);
    expect(out).toContain("approvers  dba");
    expect(out).toContain("2 pending.");

    const json = memoryIo({ cwd: dir });
    expect(await approvalsCommand("list", [], { store: "sqlite:rp.db", json: true }, json)).toBe(0);
    expect((JSON.parse(text(json.out)) as { id: string }[]).map((r) => r.id)).toContain(id);

    const show = memoryIo({ cwd: dir });
    expect(await approvalsCommand("show", [id], { store: "sqlite:rp.db" }, show)).toBe(0);
    expect(text(show.out)).toContain('"sql": "DELETE FROM users WHERE last_login');
    expect(text(show.out)).toMatch(/digest {5}sha256:[0-9a-f]{64}/);
  });

  it("approve and deny check the approver; usage errors exit 2, refusals 1", async () => {
    const { dir, id } = await scene();
    const store = "sqlite:rp.db";
    const run = async (sub: string, args: string[], opts: object) => {
      const io = memoryIo({ cwd: dir });
      const code = await approvalsCommand(sub, args, { store, ...opts }, io);
      return { code, out: text(io.out), err: text(io.err) };
    };
    expect(await run("approve", [id], {})).toMatchObject({
      code: 2,
      err: expect.stringContaining("--by USER"),
    });
    expect(await run("approve", [], { by: "a" })).toMatchObject({ code: 2 });
    expect(await run("frobnicate", [], {})).toMatchObject({ code: 2 });
    expect(await run("list", [], { status: "weird" })).toMatchObject({ code: 2 });
    const refused = await run("approve", [id], { by: "eve", role: ["sre"] });
    expect(refused).toMatchObject({
      code: 1,
      err: expect.stringContaining("eve (roles sre) may not answer"),
    });
    expect(await run("approve", ["ap-nope"], { by: "alice" })).toMatchObject({ code: 1 });
    const ok = await run("approve", [id], { by: "alice", role: ["dba"], note: "fine" });
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining(`approved ${id} as alice (dba)`) });
    expect(await run("deny", [id], { by: "alice", role: ["dba"] })).toMatchObject({
      code: 1,
      err: expect.stringContaining("is approved, not pending"),
    });
    expect((await run("list", [], { status: "approved" })).out).toContain(
      "answered   approved by alice (dba)",
    );
  });

  it("a missing store is a usage problem (exit 2), and nothing is created", async () => {
    const dir = tempDir();
    const io = memoryIo({ cwd: dir });
    expect(await approvalsCommand("list", [], { store: "sqlite:none.db" }, io)).toBe(2);
    expect(text(io.err)).toMatch(/cannot open the approval store sqlite:none\.db/);
    expect(await approvalsCommand("list", [], { store: "memory" }, memoryIo({ cwd: dir }))).toBe(2);
  });

  it("parses like the rplc program: repeated and comma-separated roles", async () => {
    const { dir, id } = await scene();
    const io = memoryIo({ cwd: dir });
    let code = -1;
    const program = new Command("rplc").exitOverride();
    addApprovalsCommand(
      program,
      io,
      (c) => (code = c),
      (cmd) => cmd.exitOverride(),
    );
    await program.parseAsync(
      ["approvals", "approve", id, "--store", "sqlite:rp.db", "--by", "al", "--role", "x,dba"],
      {
        from: "user",
      },
    );
    expect(code).toBe(0);
    expect(text(io.out)).toContain("as al (x, dba)");
  });
});

describe("rplc audit", () => {
  it("verify: exit 0 on an intact log, 1 naming the first bad line, 2 for a missing file", async () => {
    const { dir } = await scene();
    const ok = memoryIo({ cwd: dir });
    expect(await auditCommand("verify", ["audit.jsonl"], {}, ok)).toBe(0);
    expect(text(ok.out)).toMatch(/^audit\.jsonl: ok, 4 records, chain intact/);

    const file = path.join(dir, "audit.jsonl");
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    writeFileSync(file, `${[lines[0], lines[2], lines[3]].join("\n")}\n`);
    const bad = memoryIo({ cwd: dir });
    expect(await auditCommand("verify", ["audit.jsonl"], {}, bad)).toBe(1);
    expect(text(bad.out)).toContain("audit.jsonl:2: deleted: record 2 is missing before this line");

    const missing = memoryIo({ cwd: dir });
    expect(await auditCommand("verify", ["nope.jsonl"], {}, missing)).toBe(2);
  });

  it("tail, query with filters, tests export and the shadow diff", async () => {
    const { dir } = await scene();
    const run = async (sub: string, opts: object) => {
      const io = memoryIo({ cwd: dir });
      const code = await auditCommand(sub, ["audit.jsonl"], opts, io);
      return { code, out: text(io.out), err: text(io.err) };
    };
    const tail = await run("tail", { lines: 2 });
    expect(tail.out.trimEnd().split("\n")).toHaveLength(2);
    expect(tail.out).toMatch(
      /^#3 \S+ db\.query REQUIRE_APPROVAL → pending {2}prod_write: writes to production need a DBA {2}\[candidate: BLOCK\]/,
    );
    const blocked = await run("query", { decision: "block" });
    expect(blocked.out).toMatch(
      /^#2 .* BLOCK → blocked {2}unbounded_delete.*: DELETE without WHERE removes every row/,
    );
    expect(
      (await run("query", { outcome: "pending", rule: "no_inserts" })).out.trimEnd().split("\n"),
    ).toHaveLength(1);
    expect((await run("query", { since: "1h" })).out.trimEnd().split("\n")).toHaveLength(4);
    expect((await run("query", { until: "2000-01-01" })).out).toBe("");
    const tests = await run("query", { format: "tests" });
    const cases = tests.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { expected: string; request: { action: string } });
    expect(cases.map((c) => c.expected)).toEqual(["ALLOW", "BLOCK", "REQUIRE_APPROVAL", "REQUIRE_APPROVAL"]);
    const json = await run("query", { format: "json", action: "db.*" });
    expect(
      json.out
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([1, 2, 3, 4]);
    const diff = await run("diff", {});
    expect(diff.out).toContain("db.query: REQUIRE_APPROVAL → BLOCK (prod_write, no_inserts)");
    expect(diff.out).toContain("1 of 4 decided requests would change under the candidate policy");
    expect(await run("query", { decision: "MAYBE" })).toMatchObject({ code: 2 });
    expect(await run("query", { since: "yesterday-ish" })).toMatchObject({ code: 2 });
    expect(await run("tail", { format: "tests" })).toMatchObject({ code: 2 });
  });

  it("parses like the rplc program", async () => {
    const { dir } = await scene();
    const io = memoryIo({ cwd: dir });
    let code = -1;
    const program = new Command("rplc").exitOverride();
    addAuditCommand(
      program,
      io,
      (c) => (code = c),
      (cmd) => cmd.exitOverride(),
    );
    await program.parseAsync(["audit", "tail", "audit.jsonl", "-n", "1", "--decision", "BLOCK"], {
      from: "user",
    });
    expect(code).toBe(0);
    expect(text(io.out)).toMatch(/^#2 /);
  });
});
