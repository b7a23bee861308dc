/**
 * Fail closed, in real processes: an approval store or an audit log taken away from a running
 * agent stops its actions, and the error names the part.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir, writeModule } from "../../unit/runtime/helpers.js";
import { runAgent, startAgent } from "./procs.js";

afterAll(removeTempDirs);

const CLEANUP = "DELETE FROM users WHERE last_login < '2023-01-01'";
let policy: string;
beforeAll(async () => {
  policy = await writeModule(tempDir("rp-fc-"));
});

/** The arguments every agent here gets: the policy, the store, the audit log and the marker file. */
function agentArgs(l: ReturnType<typeof layout>): string[] {
  return ["--policy", policy, "--store", l.store, "--audit", l.audit, "--marker", l.marker];
}

function layout() {
  const dir = tempDir("rp-fc-");
  const storeDir = path.join(dir, "store");
  const auditDir = path.join(dir, "audit");
  mkdirSync(storeDir);
  mkdirSync(auditDir);
  return {
    dir,
    storeDir,
    auditDir,
    store: `sqlite:${path.join(storeDir, "rp.db")}`,
    audit: path.join(auditDir, "audit.jsonl"),
    marker: path.join(dir, "ran.txt"),
    go: path.join(dir, "go"),
  };
}

describe("fail closed across processes", () => {
  it("store directory removed under a running agent: the approval-needing action does not run", async () => {
    const l = layout();
    const agent = startAgent([...agentArgs(l), "--sql", CLEANUP, "--go-file", l.go]);
    await agent.next("ready");
    rmSync(l.storeDir, { recursive: true, force: true });
    writeFileSync(l.go, "");
    const e = await agent.next("error");
    expect(e).toMatchObject({ name: "RunplaneError", part: "store" });
    expect(e.message).toMatch(/^store: the approval store sqlite:.* failed: the store file .* is gone/);
    await agent.exited;
    expect(existsSync(l.marker)).toBe(false);
  });

  it("a store file that is not a database: the agent does not start", async () => {
    const l = layout();
    writeFileSync(path.join(l.storeDir, "rp.db"), "garbage ".repeat(1000));
    const e = await runAgent([...agentArgs(l), "--sql", "SELECT 1"]);
    expect(e).toMatchObject({ name: "RunplaneError", part: "store" });
    expect(existsSync(l.marker)).toBe(false);
  });

  // fsync "record" checks the file (fstat) before every action: even an action asked for the
  // instant after the removal does not run. "group" (the default) learns of it from the file's
  // watch, between calls: an action that starts once the removal has reached the agent's event
  // loop does not run (the pause gives the agent, which polls for the go file every 20 ms, turns
  // of its event loop).
  for (const [fsync, pauseMs] of [
    ["record", 0],
    ["group", 300],
  ] as const) {
    it(`audit directory removed under a running agent: even an allowed action does not run (fsync ${fsync})`, async () => {
      const l = layout();
      const agent = startAgent([
        ...agentArgs(l),
        "--fsync",
        fsync,
        "--sql",
        "SELECT 1 FROM users",
        "--go-file",
        l.go,
      ]);
      await agent.next("ready");
      rmSync(l.auditDir, { recursive: true, force: true });
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      writeFileSync(l.go, "");
      const e = await agent.next("error");
      expect(e).toMatchObject({ name: "RunplaneError", part: "audit" });
      expect(e.message).toContain("the file was removed or replaced");
      await agent.exited;
      expect(existsSync(l.marker)).toBe(false);
    });
  }

  it("an audit log that cannot be opened: the agent does not start", async () => {
    const l = layout();
    mkdirSync(l.audit); // a directory where the log file should be
    const e = await runAgent([...agentArgs(l), "--sql", "SELECT 1"]);
    expect(e).toMatchObject({ name: "RunplaneError", part: "audit" });
    expect(existsSync(l.marker)).toBe(false);
  });

  it("a second process on the same audit log is refused (one writer per file)", async () => {
    const l = layout();
    const first = startAgent([...agentArgs(l), "--sql", "SELECT 1", "--go-file", l.go]);
    await first.next("ready");
    const second = await runAgent([...agentArgs(l), "--sql", "SELECT 2"]);
    expect(second).toMatchObject({ name: "RunplaneError", part: "audit" });
    expect(second.message).toMatch(/is being written by process \d+/);
    writeFileSync(l.go, "");
    expect(await first.next("done")).toMatchObject({ result: "ran" });
  });
});
