/**
 * runplane/langchain against the real packages: langchain's createAgent with a scripted fake chat
 * model (fakeModel from @langchain/core/testing, re-exported by langchain), real tools, a policy
 * compiled from .rplc text, an in-memory approval store and a temp audit log. What the model reads
 * next is taken from the fake model's recorded calls.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { Command, MemorySaver } from "@langchain/langgraph";
import { AIMessage, createAgent, fakeModel, HumanMessage, ToolMessage, tool } from "langchain";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Request } from "../../../src/engine/decision.js";
import {
  type ApprovalInterrupt,
  guardTools,
  isApprovalInterrupt,
  type LangChainGuardOptions,
  runplaneMiddleware,
} from "../../../src/integrations/langchain.js";
import type { ApprovalStore } from "../../../src/runtime/approvals/store.js";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import type { Runplane } from "../../../src/runtime/types.js";
import { removeTempDirs, tempDir, until } from "../../unit/runtime/helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

const POLICY = `
policy "langchain-test" version "1.0.0"

include "stdlib/actions"

settings {
  default: allow
  unknown_action: block
  on_error: block
  approval_timeout: 1h
}

on fs.write {
  block outside_app
    when not path.within(args.path, "/srv/app")
    reason "writes outside /srv/app are not allowed"
}

on fs.read {
  require approval secrets
    when path.within(args.path, "/srv/app/secrets")
    reason "reading secrets needs security: " + args.path
    approvers ["security"]
}

on db.query {
  block unbounded_delete
    when sql.verb(args.sql) == "DELETE" and not sql.has_where(args.sql)
    reason "DELETE without WHERE removes every row"

  require approval db_write
    when sql.is_write(args.sql)
    reason "database writes need a DBA"
    approvers ["dba"]
}
`;

let dir: string;
let policy: string;
beforeAll(() => {
  dir = tempDir("rp-langchain-");
  policy = path.join(dir, "policy.rplc");
  writeFileSync(policy, POLICY);
});
afterAll(removeTempDirs);

const open: Runplane[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

let logs = 0;
async function runtime(store: "memory" | ApprovalStore = "memory") {
  const audit = path.join(dir, `audit-${++logs}.jsonl`);
  // fsync "record": each call answers once its records are on disk, so the tests can read the log
  // while the runtime is open (with "group", the default, a record lands within groupMs).
  const runplane = await createRunplane({
    policy,
    store,
    audit: { path: audit, fsync: "record" },
    approvalPollMs: 10,
    telemetry: false,
  });
  open.push(runplane);
  return { runplane, audit };
}

async function records(audit: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(audit)) out.push(r as AuditRecord);
  return out;
}

/** Real tools whose every run is counted. */
function makeTools() {
  const ran: string[] = [];
  const writeFile = tool(
    async ({ path: p, content }) => {
      ran.push(`write ${p}`);
      return `wrote ${content.length} bytes to ${p}`;
    },
    {
      name: "write_file",
      description: "Write a text file",
      schema: z.object({ path: z.string(), content: z.string().default("") }),
    },
  );
  const runSql = tool(
    async ({ sql }) => {
      ran.push(`sql ${sql}`);
      return "3 rows affected";
    },
    { name: "run_sql", description: "Run one SQL statement", schema: z.object({ sql: z.string() }) },
  );
  const readMany = tool(
    async ({ paths }) => {
      ran.push(`read ${paths.join(",")}`);
      return paths.map((p) => `${p}: ok`).join("\n");
    },
    {
      name: "read_multiple_files",
      description: "Read several files",
      schema: z.object({ paths: z.array(z.string()) }),
    },
  );
  const weather = tool(
    async ({ city }) => {
      ran.push(`weather ${city}`);
      return `sunny in ${city}`;
    },
    { name: "get_weather", description: "Weather for a city", schema: z.object({ city: z.string() }) },
  );
  return { ran, tools: [writeFile, runSql, readMany, weather] as StructuredToolInterface[] };
}

type Mode = "guardTools" | "middleware";
type Call = { name: string; args: Record<string, unknown>; id?: string };

/** An agent whose model asks for `calls` once, then answers "done". */
function agentFor(mode: Mode, runplane: Runplane, calls: Call[], options: LangChainGuardOptions = {}) {
  const { ran, tools } = makeTools();
  const model = fakeModel()
    .respondWithTools(calls.map((c, i) => ({ id: `call_${i + 1}`, ...c })))
    .respond(new AIMessage("done"));
  const checkpointer = new MemorySaver();
  const agent =
    mode === "guardTools"
      ? createAgent({ model, tools: guardTools(tools, runplane, options), checkpointer })
      : createAgent({ model, tools, middleware: [runplaneMiddleware(runplane, options)], checkpointer });
  return { agent, model, ran };
}

/** The tool messages the model read on its second call. */
function toolReplies(model: { calls: { messages: BaseMessage[] }[] }): ToolMessage[] {
  const second = model.calls[1];
  if (second === undefined) throw new Error("the model was called only once");
  return second.messages.filter((m): m is ToolMessage => ToolMessage.isInstance(m));
}

/** The Runplane approval a run stopped for (fails when it did not stop). */
function pausedAt(result: { __interrupt__?: { value?: unknown }[] }): ApprovalInterrupt {
  const value = result.__interrupt__?.[0]?.value;
  if (!isApprovalInterrupt(value)) throw new Error(`the run did not stop for an approval: ${String(value)}`);
  return value;
}

const go = (thread: string): [{ messages: BaseMessage[] }, { configurable: { thread_id: string } }] => [
  { messages: [new HumanMessage("go")] },
  { configurable: { thread_id: thread } },
];

/** The arguments of a recorded request. */
const argsOf = (record: AuditRecord | undefined) => (record?.request as Request | undefined)?.args;

describe.each<Mode>(["guardTools", "middleware"])("runplane/langchain (%s)", (mode) => {
  it("ALLOW: the tool runs and the model reads its output", async () => {
    const { runplane, audit } = await runtime();
    const { agent, model, ran } = agentFor(mode, runplane, [
      { name: "write_file", args: { path: "/srv/app/notes.txt", content: "hello" } },
    ]);
    const result = await agent.invoke(...go("allow"));
    expect(ran).toEqual(["write /srv/app/notes.txt"]);
    const [reply] = toolReplies(model);
    expect(reply?.content).toBe("wrote 5 bytes to /srv/app/notes.txt");
    expect(reply?.status).toBe("success");
    expect(reply?.tool_call_id).toBe("call_1");
    expect(result.messages.at(-1)?.content).toBe("done");
    const recs = await records(audit);
    expect(recs.map((r) => [r.action, r.decision, r.outcome])).toEqual([["fs.write", "ALLOW", "executed"]]);
    expect(argsOf(recs[0])).toMatchObject({ path: "/srv/app/notes.txt", content: "hello" });
  });

  it("BLOCK: the tool never runs and the model reads the reason", async () => {
    const { runplane, audit } = await runtime();
    const { agent, model, ran } = agentFor(mode, runplane, [
      { name: "write_file", args: { path: "/etc/passwd", content: "x" } },
      { name: "run_sql", args: { sql: "DELETE FROM users" } },
    ]);
    await agent.invoke(...go("block"));
    expect(ran).toEqual([]);
    const replies = toolReplies(model);
    expect(replies.map((m) => [m.tool_call_id, m.status])).toEqual([
      ["call_1", "error"],
      ["call_2", "error"],
    ]);
    expect(replies[0]?.content).toBe(
      "blocked by policy: writes outside /srv/app are not allowed — do not retry this action",
    );
    expect(replies[1]?.content).toContain("DELETE without WHERE removes every row");
    const recs = await records(audit);
    expect(recs.map((r) => [r.action, r.outcome]).sort()).toEqual([
      ["db.query", "blocked"],
      ["fs.write", "blocked"],
    ]);
  });

  it("an unmapped tool is blocked; a per-tool mapping lets the policy decide it", async () => {
    const blocked = await runtime();
    const a = agentFor(mode, blocked.runplane, [{ name: "get_weather", args: { city: "Oslo" } }]);
    await a.agent.invoke(...go("weather-1"));
    expect(a.ran).toEqual([]);
    expect(toolReplies(a.model)[0]?.content).toContain("blocked by policy");
    expect((await records(blocked.audit))[0]?.action).toBe("tool.get_weather");

    const mapped = await runtime();
    const b = agentFor(mode, mapped.runplane, [{ name: "get_weather", args: { city: "Oslo" } }], {
      tools: {
        get_weather: (input) => ({
          action: "http.request",
          args: { url: `https://weather.example/${String(input.city)}`, method: "GET" },
        }),
      },
    });
    await b.agent.invoke(...go("weather-2"));
    expect(b.ran).toEqual(["weather Oslo"]);
    expect(toolReplies(b.model)[0]?.content).toBe("sunny in Oslo");
    const [rec] = await records(mapped.audit);
    expect(rec?.action).toBe("http.request");
    expect(argsOf(rec)).toMatchObject({ url: "https://weather.example/Oslo" });
  });

  it("wait: a pending approval appears; approved by a DBA, the tool runs once", async () => {
    const { runplane, audit } = await runtime();
    const sql = "UPDATE users SET plan = 'pro' WHERE id = 7";
    const { agent, model, ran } = agentFor(mode, runplane, [{ name: "run_sql", args: { sql } }]);
    const done = agent.invoke(...go("wait-approve"));
    const pending = await until(async () => (await runplane.approvals.list({ status: "pending" }))[0]);
    expect(pending.request).toMatchObject({ action: "db.query", args: { sql } });
    expect(pending.approvers).toEqual(["dba"]);
    expect(ran).toEqual([]);
    await runplane.approvals.approve(pending.id, { by: "alice", roles: ["dba"] });
    await done;
    expect(ran).toEqual([`sql ${sql}`]);
    expect(toolReplies(model)[0]?.content).toBe("3 rows affected");
    const recs = await records(audit);
    expect(recs.map((r) => r.outcome)).toEqual(["pending", "approved", "executed"]);
    expect(recs[1]?.approver).toEqual({ by: "alice", roles: ["dba"] });
  });

  it("wait: denied, the tool never runs and the model reads the denial", async () => {
    const { runplane, audit } = await runtime();
    const { agent, model, ran } = agentFor(mode, runplane, [
      { name: "run_sql", args: { sql: "DROP TABLE users" } },
    ]);
    const done = agent.invoke(...go("wait-deny"));
    const pending = await until(async () => (await runplane.approvals.list({ status: "pending" }))[0]);
    await runplane.approvals.deny(pending.id, { by: "bob", roles: ["dba"], note: "not today" });
    await done;
    expect(ran).toEqual([]);
    const [reply] = toolReplies(model);
    expect(reply?.status).toBe("error");
    expect(reply?.content).toBe(
      `approval ${pending.id} was denied by bob: not today — do not retry this action`,
    );
    expect((await records(audit)).map((r) => r.outcome)).toEqual(["pending", "denied"]);
  });

  it("defer: the model reads at once that the call waits for approval", async () => {
    const { runplane } = await runtime();
    const { agent, model, ran } = agentFor(
      mode,
      runplane,
      [{ name: "run_sql", args: { sql: "INSERT INTO t VALUES (1)" } }],
      { approval: "defer" },
    );
    await agent.invoke(...go("defer"));
    expect(ran).toEqual([]);
    const [pending] = await runplane.approvals.list({ status: "pending" });
    expect(pending).toBeDefined();
    const [reply] = toolReplies(model);
    expect(reply?.status).toBe("error");
    expect(reply?.content).toContain(`waiting for approval ${pending?.id}: database writes need a DBA`);
    expect(reply?.content).toContain("The action has not run");
  });

  it("interrupt: the agent stops, the answer in the resume value runs the tool once", async () => {
    const { runplane, audit } = await runtime();
    const sql = "UPDATE users SET plan = 'pro' WHERE id = 7";
    const { agent, model, ran } = agentFor(mode, runplane, [{ name: "run_sql", args: { sql } }], {
      approval: "interrupt",
    });
    const config = { configurable: { thread_id: "interrupt-1" } };
    const first = await agent.invoke({ messages: [new HumanMessage("go")] }, config);
    expect(ran).toEqual([]);
    const value = pausedAt(first);
    const [pending] = await runplane.approvals.list({ status: "pending" });
    expect(value).toMatchObject({
      type: "runplane.approval",
      approvalId: pending?.id,
      toolCall: { id: "call_1", name: "run_sql", args: { sql } },
      request: { action: "db.query", args: { sql } },
      reasons: ["database writes need a DBA"],
      approvers: ["dba"],
    });
    expect(value.message).toContain(`waiting for approval ${pending?.id}`);

    const second = await agent.invoke(
      new Command({ resume: { decision: "approve", by: "alice", roles: ["dba"] } }),
      config,
    );
    expect(second.__interrupt__ ?? []).toEqual([]);
    expect(ran).toEqual([`sql ${sql}`]);
    expect(toolReplies(model)[0]?.content).toBe("3 rows affected");
    expect(second.messages.at(-1)?.content).toBe("done");
    // One approval, asked once (the replay after the resume did not ask again), used once.
    const all = await runplane.approvals.list();
    expect(all.map((a) => a.status)).toEqual(["consumed"]);
    expect(all[0]?.answeredBy).toBe("alice");
    expect((await records(audit)).map((r) => r.outcome)).toEqual(["pending", "approved", "executed"]);
  });

  it("interrupt: a refused answer and an unanswered resume interrupt again; the store's answer counts", async () => {
    const { runplane, audit } = await runtime();
    const { agent, ran } = agentFor(
      mode,
      runplane,
      [{ name: "run_sql", args: { sql: "DELETE FROM users WHERE id = 7" } }],
      { approval: "interrupt" },
    );
    const config = { configurable: { thread_id: "interrupt-2" } };
    const first = await agent.invoke({ messages: [new HumanMessage("go")] }, config);
    const id = pausedAt(first).approvalId;

    const notMine = await agent.invoke(new Command({ resume: { decision: "approve", by: "eve" } }), config);
    const again = pausedAt(notMine);
    expect(again.approvalId).toBe(id);
    expect(again.error).toContain("may not answer");
    expect(ran).toEqual([]);

    const early = await agent.invoke(new Command({ resume: "go on" }), config);
    expect(pausedAt(early).error).toContain(`nobody has answered approval ${id} yet`);
    expect(ran).toEqual([]);

    // A DBA answers in the Runplane store (as `rplc approvals approve` would); the resume value
    // carries no answer.
    await runplane.approvals.approve(id, { by: "alice", roles: ["dba"] });
    const last = await agent.invoke(new Command({ resume: { approvalId: id } }), config);
    expect(last.__interrupt__ ?? []).toEqual([]);
    expect(ran).toEqual(["sql DELETE FROM users WHERE id = 7"]);
    expect((await runplane.approvals.list()).map((a) => a.status)).toEqual(["consumed"]);
    expect((await records(audit)).map((r) => r.outcome)).toEqual(["pending", "approved", "executed"]);
  });

  it("interrupt: denied in the resume value, the model reads the denial", async () => {
    const { runplane } = await runtime();
    const { agent, model, ran } = agentFor(
      mode,
      runplane,
      [{ name: "run_sql", args: { sql: "DROP TABLE users" } }],
      { approval: "interrupt" },
    );
    const config = { configurable: { thread_id: "interrupt-3" } };
    const first = await agent.invoke({ messages: [new HumanMessage("go")] }, config);
    const id = pausedAt(first).approvalId;
    await agent.invoke(
      new Command({ resume: { decision: "deny", by: "bob", roles: ["dba"], note: "use a migration" } }),
      config,
    );
    expect(ran).toEqual([]);
    const [reply] = toolReplies(model);
    expect(reply?.status).toBe("error");
    expect(reply?.content).toBe(
      `approval ${id} was denied by bob: use a migration — do not retry this action`,
    );
  });

  it("interrupt: a call that needs two approvals interrupts twice and runs once", async () => {
    const { runplane, audit } = await runtime();
    const paths = ["/srv/app/secrets/a.key", "/srv/app/secrets/b.key"];
    const { agent, model, ran } = agentFor(
      mode,
      runplane,
      [{ name: "read_multiple_files", args: { paths } }],
      { approval: "interrupt" },
    );
    const config = { configurable: { thread_id: "interrupt-4" } };
    const answer = { decision: "approve", by: "sam", roles: ["security"] };
    const first = await agent.invoke({ messages: [new HumanMessage("go")] }, config);
    const a = pausedAt(first);
    expect(a.request.args).toMatchObject({ path: paths[0] });
    const second = await agent.invoke(new Command({ resume: answer }), config);
    const b = pausedAt(second);
    expect(b.request.args).toMatchObject({ path: paths[1] });
    expect(b.approvalId).not.toBe(a.approvalId);
    expect(ran).toEqual([]);
    const third = await agent.invoke(new Command({ resume: answer }), config);
    expect(third.__interrupt__ ?? []).toEqual([]);
    expect(ran).toEqual([`read ${paths.join(",")}`]);
    expect(toolReplies(model)[0]?.content).toContain("/srv/app/secrets/b.key: ok");
    expect((await runplane.approvals.list()).map((x) => x.status)).toEqual(["consumed", "consumed"]);
    const outcomes = (await records(audit)).map((r) => r.outcome);
    expect(outcomes.filter((o) => o === "pending")).toHaveLength(2);
    expect(outcomes.at(-1)).toBe("executed");
  });

  it("a failing approval store is not a refusal: the tool does not run", async () => {
    const broken = {
      name: "broken",
      create: () => Promise.reject(new Error("disk full")),
      get: () => Promise.reject(new Error("disk full")),
      list: () => Promise.reject(new Error("disk full")),
      transition: () => Promise.reject(new Error("disk full")),
      close: () => Promise.resolve(),
    } as unknown as ApprovalStore;
    const { runplane } = await runtime(broken);
    const { agent, model, ran } = agentFor(mode, runplane, [
      { name: "run_sql", args: { sql: "DROP TABLE t" } },
    ]);
    const failure = /store: the approval store broken failed: disk full/;
    if (mode === "middleware") {
      // An error thrown by wrapToolCall ends the run (langchain's ToolNode).
      await expect(agent.invoke(...go("broken"))).rejects.toThrow(failure);
    } else {
      // An error thrown by a tool becomes an error ToolMessage (ToolNode's default handleToolErrors).
      await agent.invoke(...go("broken"));
      const [reply] = toolReplies(model);
      expect(reply?.status).toBe("error");
      expect(String(reply?.content)).toMatch(failure);
    }
    expect(ran).toEqual([]);
  });
});

describe("guardTools outside an agent", () => {
  it("keeps name, description and schema; refuses with text or a ToolMessage", async () => {
    const { runplane } = await runtime();
    const { ran, tools } = makeTools();
    const guarded = guardTools(tools, runplane);
    expect(guarded.map((t) => [t.name, t.description])).toEqual(tools.map((t) => [t.name, t.description]));
    expect(guarded.map((t) => t.schema)).toEqual(tools.map((t) => t.schema));
    const write = guarded[0]!;

    expect(await write.invoke({ path: "/srv/app/a.txt" })).toBe("wrote 0 bytes to /srv/app/a.txt");
    expect(await write.invoke({ path: "/etc/hosts", content: "x" })).toBe(
      "blocked by policy: writes outside /srv/app are not allowed — do not retry this action",
    );
    const viaCall = await write.invoke({
      type: "tool_call",
      id: "c9",
      name: "write_file",
      args: { path: "/etc/hosts", content: "x" },
    });
    expect(ToolMessage.isInstance(viaCall)).toBe(true);
    expect(viaCall).toMatchObject({ status: "error", tool_call_id: "c9" });
    expect(ran).toEqual(["write /srv/app/a.txt"]);

    // Interrupt mode without a graph acts like "defer".
    const [, sqlTool] = guardTools(tools, runplane, { approval: "interrupt" });
    const out = await sqlTool!.invoke({ sql: "UPDATE t SET a = 1 WHERE b = 2" });
    expect(out).toMatch(/^waiting for approval ap-\w+: database writes need a DBA/);
    expect(ran).toEqual(["write /srv/app/a.txt"]);
  });
});

describe("examples/langchain", () => {
  it("runs offline with the scripted model and prints each decision", { timeout: 120_000 }, () => {
    const out = tempDir("rp-langchain-example-");
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "examples/langchain/agent.ts"), "--dir", out],
      { cwd: ROOT, encoding: "utf8", timeout: 110_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const outText = r.stdout;
    expect(outText).toContain("✓ the model reads: delete users inactive since 2023-01-01");
    expect(outText).toContain(
      "✗ the model reads: blocked by policy: the agent writes only inside /srv/app — do not retry this action",
    );
    expect(outText).toContain(
      "✗ the model reads: blocked by policy: DELETE without WHERE removes every row — do not retry this action",
    );
    expect(outText).toMatch(/⏸ interrupted for approval ap-\w+: writes to the database need a DBA: users/);
    expect(outText).toMatch(/previous answer refused: eve \(roles sre\) may not answer approval ap-\w+/);
    expect(outText).toContain("✓ the model reads: deleted 1250 rows");
    expect(outText).toContain("users left: 3750; /etc/cron.d/cleanup written: false");
    expect(outText).toContain("6 records, chain intact");
    const outcomes = readFileSync(path.join(out, "audit.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    expect(outcomes).toEqual(["executed", "blocked", "blocked", "pending", "approved", "executed"]);
  });
});
