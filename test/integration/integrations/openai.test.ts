/**
 * runplane/openai against the real `openai` package: a real client whose `fetch` answers with
 * scripted chat completions (no network), tools run through `runTools` and through a hand-written
 * loop, a policy compiled from .rplc text, the memory store and a real audit log.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { zodFunction } from "openai/helpers/zod";
import type {
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from "openai/resources/chat/completions";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  decideToolCalls,
  guardRunnableTools,
  type OpenAIRefusal,
  resumeToolCall,
  runToolCalls,
} from "../../../src/integrations/openai.js";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import type { Runplane, RunplaneOptions } from "../../../src/runtime/types.js";
import { removeTempDirs, tempDir } from "../../unit/runtime/helpers.js";
import { sqlToolPolicy } from "./fixtures/sql-tool-policy.js";

const POLICY = sqlToolPolicy("openai-test");

const DELETE_ALL = "DELETE FROM users";
const DELETE_OLD = "DELETE FROM users WHERE last_login < '2023-01-01'";
const SELECT = "SELECT id FROM users";

afterAll(removeTempDirs);

const open: Runplane[] = [];
afterEach(async () => {
  for (const rp of open.splice(0)) await rp.close();
});

async function setup(extra: Partial<RunplaneOptions> = {}) {
  const dir = tempDir("rp-openai-");
  writeFileSync(path.join(dir, "policy.rplc"), POLICY);
  const audit = path.join(dir, "audit.jsonl");
  const runplane = await createRunplane({ policy: dir, store: "memory", audit, ...extra });
  open.push(runplane);
  return { runplane, audit };
}

async function records(audit: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(audit)) out.push(r);
  return out;
}

/** Close the runtime (flushing the log) and read the records back; the chain must verify. */
async function closeAndRead(runplane: Runplane, audit: string): Promise<AuditRecord[]> {
  await runplane.close();
  expect((await verifyAuditLog(audit)).ok).toBe(true);
  return records(audit);
}

type Reply = { content?: string; calls?: { name: string; args: unknown; id?: string }[] };

/** A real OpenAI client whose fetch answers each request with the next scripted reply. */
function scriptedClient(replies: Reply[]) {
  const bodies: { messages: ChatCompletionMessageParam[]; tools?: unknown[] }[] = [];
  let n = 0;
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    bodies.push(JSON.parse(String(init?.body)));
    const reply = replies[n++];
    if (reply === undefined) return new Response(JSON.stringify({ error: "script ended" }), { status: 500 });
    const toolCalls = (reply.calls ?? []).map((c, i) => ({
      id: c.id ?? `call_${n}_${i}`,
      type: "function",
      function: { name: c.name, arguments: JSON.stringify(c.args) },
    }));
    const body = {
      id: `chatcmpl-${n}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: "gpt-test",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: reply.content ?? null,
            refusal: null,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const client = new OpenAI({ apiKey: "test", baseURL: "http://model.invalid/v1", fetch, maxRetries: 0 });
  return { client, bodies };
}

/** The tool messages of a request body. */
const toolMessages = (body: { messages: ChatCompletionMessageParam[] }) =>
  body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));

/** A `run_sql` tool whose side effects are counted. */
function sqlTool() {
  const ran: string[] = [];
  const tool = {
    type: "function" as const,
    function: {
      name: "run_sql",
      description: "Run one SQL statement",
      parameters: { type: "object", properties: { sql: { type: "string" } }, required: ["sql"] },
      parse: (input: string) => JSON.parse(input) as { sql: string },
      function: (args: { sql: string }) => {
        ran.push(args.sql);
        return { rows: 3 };
      },
    },
  };
  return { tool, ran };
}

describe("guardRunnableTools with client.chat.completions.runTools", () => {
  it("ALLOW runs the function and the model reads its result", async () => {
    const { runplane, audit } = await setup();
    const { client, bodies } = scriptedClient([
      { calls: [{ name: "run_sql", args: { sql: SELECT } }] },
      { content: "3 users" },
    ]);
    const { tool, ran } = sqlTool();
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "count users" }],
      tools: guardRunnableTools([tool], runplane),
    });
    expect(await runner.finalContent()).toBe("3 users");
    expect(ran).toEqual([SELECT]);
    expect(toolMessages(bodies[1]!)).toEqual(['{"rows":3}']);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => [r.action, r.decision, r.outcome])).toEqual([["db.query", "ALLOW", "executed"]]);
  });

  it("BLOCK never runs the function; the next model request carries the reason", async () => {
    const { runplane, audit } = await setup();
    const { client, bodies } = scriptedClient([
      { calls: [{ name: "run_sql", args: { sql: DELETE_ALL } }] },
      { content: "I may not do that." },
    ]);
    const { tool, ran } = sqlTool();
    const refusals: OpenAIRefusal[] = [];
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "delete all users" }],
      tools: guardRunnableTools([tool], runplane, { onRefusal: (r) => refusals.push(r) }),
    });
    expect(await runner.finalContent()).toBe("I may not do that.");
    expect(ran).toEqual([]);
    expect(bodies).toHaveLength(2);
    expect(toolMessages(bodies[1]!)).toEqual([
      "blocked by policy: DELETE without WHERE removes every row — do not retry this action",
    ]);
    expect(refusals.map((r) => [r.tool, r.error.name])).toEqual([["run_sql", "BlockedError"]]);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => [r.decision, r.outcome])).toEqual([["BLOCK", "blocked"]]);
    expect(recs[0]!.matched.map((m) => m.rule)).toContain("unbounded_delete");
  });

  it("REQUIRE_APPROVAL waits for a human: approved, the function runs once", async () => {
    const { runplane, audit } = await setup({
      approvalPollMs: 10,
      notify: {
        onApproval: (a) => {
          void runplane.approvals.approve(a.id, { by: "alice", roles: ["dba"], note: "looks right" });
        },
      },
    });
    const { client, bodies } = scriptedClient([
      { calls: [{ name: "run_sql", args: { sql: DELETE_OLD } }] },
      { content: "done" },
    ]);
    const { tool, ran } = sqlTool();
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "clean up" }],
      tools: guardRunnableTools([tool], runplane),
    });
    expect(await runner.finalContent()).toBe("done");
    expect(ran).toEqual([DELETE_OLD]);
    expect(toolMessages(bodies[1]!)).toEqual(['{"rows":3}']);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["pending", "approved", "executed"]);
    expect(recs[2]!.approver).toEqual({ by: "alice", roles: ["dba"] });
  });

  it("REQUIRE_APPROVAL denied: the function never runs and the model reads the denial", async () => {
    const { runplane, audit } = await setup({
      approvalPollMs: 10,
      notify: {
        onApproval: (a) => {
          void runplane.approvals.deny(a.id, { by: "bob", roles: ["dba"], note: "not today" });
        },
      },
    });
    const { client, bodies } = scriptedClient([
      { calls: [{ name: "run_sql", args: { sql: DELETE_OLD } }] },
      { content: "ok, not deleting" },
    ]);
    const { tool, ran } = sqlTool();
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "clean up" }],
      tools: guardRunnableTools([tool], runplane),
    });
    expect(await runner.finalContent()).toBe("ok, not deleting");
    expect(ran).toEqual([]);
    const [message] = toolMessages(bodies[1]!);
    expect(message).toMatch(/^approval ap-\w+ was denied by bob: not today — do not retry this action$/);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["pending", "denied"]);
  });

  it("approval: defer answers at once with the approval id; nothing runs", async () => {
    const { runplane } = await setup();
    const { client, bodies } = scriptedClient([
      { calls: [{ name: "run_sql", args: { sql: DELETE_OLD } }] },
      { content: "waiting for a DBA" },
    ]);
    const { tool, ran } = sqlTool();
    const refusals: OpenAIRefusal[] = [];
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "clean up" }],
      tools: guardRunnableTools([tool], runplane, { approval: "defer", onRefusal: (r) => refusals.push(r) }),
    });
    expect(await runner.finalContent()).toBe("waiting for a DBA");
    expect(ran).toEqual([]);
    const id = refusals[0]?.approvalId;
    expect(id).toMatch(/^ap-/);
    expect(toolMessages(bodies[1]!)[0]).toContain(`waiting for approval ${id}: writes need a DBA`);
    expect((await runplane.approvals.get(id!))?.status).toBe("pending");
  });

  it("guards zodFunction tools (their parsed arguments are what the policy judges)", async () => {
    const { runplane, audit } = await setup();
    const cities: string[] = [];
    const weather = zodFunction({
      name: "get_weather",
      parameters: z.object({ city: z.string() }),
      function: ({ city }) => {
        cities.push(city);
        return `sunny in ${city}`;
      },
    });
    const { client, bodies } = scriptedClient([
      {
        calls: [
          { name: "get_weather", args: { city: "Paris" } },
          { name: "get_weather", args: { city: "Moon" } },
        ],
      },
      { content: "Paris is sunny" },
    ]);
    const tools = guardRunnableTools([weather], runplane);
    expect(tools[0]!.function.name).toBe("get_weather");
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "weather?" }],
      tools,
    });
    expect(await runner.finalContent()).toBe("Paris is sunny");
    expect(cities).toEqual(["Paris"]);
    // The tool definitions the model saw are the original ones.
    expect(JSON.stringify(bodies[0]!.tools)).toContain('"name":"get_weather"');
    expect(toolMessages(bodies[1]!)).toEqual([
      "sunny in Paris",
      "blocked by policy: nobody lives on the Moon — do not retry this action",
    ]);
    const recs = await closeAndRead(runplane, audit);
    // runTools runs the calls of one message concurrently: the records' order is not fixed.
    expect(
      recs.map((r) => `${(r.request as { args: { city: string } }).args.city} ${r.outcome}`).sort(),
    ).toEqual(["Moon blocked", "Paris executed"]);
  });

  it("a failure of Runplane itself is not a refusal: the runner fails and nothing runs", async () => {
    const { runplane } = await setup();
    await runplane.close(); // the audit log is closed: every guard fails closed
    const { client } = scriptedClient([{ calls: [{ name: "run_sql", args: { sql: SELECT } }] }, {}]);
    const { tool, ran } = sqlTool();
    const runner = client.chat.completions.runTools({
      model: "gpt-test",
      messages: [{ role: "user", content: "count" }],
      tools: guardRunnableTools([tool], runplane),
    });
    // runTools wraps what a tool function throws in an OpenAIError; the cause is Runplane's error.
    const error = await runner.finalContent().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).cause).toMatchObject({ name: "RunplaneError", part: "audit" });
    expect(ran).toEqual([]);
  });
});

describe("runToolCalls in a hand-written loop", () => {
  const call = (id: string, name: string, args: unknown): ChatCompletionMessageToolCall => ({
    id,
    type: "function",
    function: { name, arguments: JSON.stringify(args) },
  });

  it("runs a whole conversation: the tool messages carry results and refusals in order", async () => {
    const { runplane, audit } = await setup();
    const { client, bodies } = scriptedClient([
      {
        calls: [
          { name: "run_sql", args: { sql: SELECT }, id: "c1" },
          { name: "run_sql", args: { sql: DELETE_ALL }, id: "c2" },
          { name: "drop_tables", args: {}, id: "c3" },
        ],
      },
      { content: "counted; the delete was refused" },
    ]);
    const ran: string[] = [];
    const handlers = {
      run_sql: (args: Record<string, unknown> | string) => {
        ran.push((args as { sql: string }).sql);
        return `ok: ${(args as { sql: string }).sql}`;
      },
    };
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "go" }];
    for (let turn = 0; turn < 5; turn++) {
      const completion = await client.chat.completions.create({ model: "gpt-test", messages });
      const message = completion.choices[0]!.message;
      messages.push(message);
      if (!message.tool_calls?.length) break;
      messages.push(...(await runToolCalls(message.tool_calls, handlers, runplane)));
    }
    expect(ran).toEqual([SELECT]);
    const tools = bodies[1]!.messages.filter((m) => m.role === "tool");
    expect(tools).toEqual([
      { role: "tool", tool_call_id: "c1", content: `ok: ${SELECT}` },
      {
        role: "tool",
        tool_call_id: "c2",
        content: "blocked by policy: DELETE without WHERE removes every row — do not retry this action",
      },
      {
        role: "tool",
        tool_call_id: "c3",
        content: 'Invalid tool_call: "drop_tables". Available options are: "run_sql". Please try again',
      },
    ]);
    expect(messages.at(-1)).toMatchObject({ role: "assistant", content: "counted; the delete was refused" });
    // The unknown tool was never a request: two records.
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["executed", "blocked"]);
  });

  it("defer, then resumeToolCall after a human approved: runs once, a second resume is refused", async () => {
    const { runplane, audit } = await setup();
    let runs = 0;
    const handlers = {
      run_sql: () => {
        runs++;
        return "deleted 12 rows";
      },
    };
    const c = call("c9", "run_sql", { sql: DELETE_OLD });
    const refusals: OpenAIRefusal[] = [];
    const options = { approval: "defer" as const, onRefusal: (r: OpenAIRefusal) => refusals.push(r) };
    const [first] = await runToolCalls([c], handlers, runplane, options);
    const id = refusals[0]!.approvalId!;
    expect(refusals[0]!.toolCallId).toBe("c9");
    expect(first!.content).toContain(`waiting for approval ${id}`);
    expect(first!.content).toContain(`tell the user it is waiting for approval ${id}`);
    expect(runs).toBe(0);

    // Still pending: resuming without waiting says so again.
    expect((await resumeToolCall(id, c, handlers, runplane, options)).content).toContain(
      `waiting for approval ${id}`,
    );
    await expect(runplane.approvals.approve(id, { by: "eve", roles: ["intern"] })).rejects.toMatchObject({
      code: "not_approver",
    });
    await runplane.approvals.approve(id, { by: "alice", roles: ["dba"] });
    // Another request cannot use the approval.
    const other = call("c10", "run_sql", { sql: "DELETE FROM users WHERE id = 1" });
    expect((await resumeToolCall(id, other, handlers, runplane, options)).content).toContain(
      "was given for a different request",
    );
    expect(runs).toBe(0);
    expect(await resumeToolCall(id, c, handlers, runplane, options)).toEqual({
      role: "tool",
      tool_call_id: "c9",
      content: "deleted 12 rows",
    });
    expect(runs).toBe(1);
    expect((await resumeToolCall(id, c, handlers, runplane, options)).content).toContain("already used");
    expect(runs).toBe(1);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["pending", "denied", "approved", "executed", "denied"]);
    expect(recs[3]!.approver).toEqual({ by: "alice", roles: ["dba"] });
  });

  it("a tool's own error is the application's: rethrown, recorded as failed", async () => {
    const { runplane, audit } = await setup();
    const handlers = {
      run_sql: () => {
        throw new Error("connection reset");
      },
    };
    await expect(runToolCalls([call("c1", "run_sql", { sql: SELECT })], handlers, runplane)).rejects.toThrow(
      "connection reset",
    );
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => [r.outcome, r.error])).toEqual([["failed", "connection reset"]]);
  });

  it("decideToolCalls says what each call would do without running anything", async () => {
    const { runplane, audit } = await setup();
    const decided = await decideToolCalls(
      [
        call("a", "run_sql", { sql: SELECT }),
        call("b", "run_sql", { sql: DELETE_OLD }),
        call("c", "get_weather", { city: "Moon" }),
        { id: "d", type: "custom", custom: { name: "shout", input: "HELLO" } },
      ],
      runplane,
    );
    expect(decided.map((d) => [d.call.id, d.requests[0]!.action, d.decision.decision])).toEqual([
      ["a", "db.query", "ALLOW"],
      ["b", "db.query", "REQUIRE_APPROVAL"],
      ["c", "tool.get_weather", "BLOCK"],
      ["d", "tool.shout", "BLOCK"], // unknown_action: block
    ]);
    expect(decided[3]!.args).toBe("HELLO");
    expect(decided[3]!.requests[0]!.args).toEqual({ input: "HELLO" });
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["decided", "decided", "decided", "decided"]);
  });
});
