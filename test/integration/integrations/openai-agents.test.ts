/**
 * runplane/openai-agents against the real @openai/agents: a scripted `Model` (the SDK's own
 * interface) given to `new Agent({ model })` and `run()`, tools made with the SDK's `tool()`, a
 * policy compiled from .rplc text, and the audit log read back. No network.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  Agent,
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  RunState,
  run,
  setTracingDisabled,
  tool,
  Usage,
} from "@openai/agents";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type AgentRefusal,
  approvalsFor,
  approveToolCall,
  guardAgentTools,
  policyNeedsApproval,
  rejectToolCall,
  runplaneInputGuardrail,
} from "../../../src/integrations/openai-agents.js";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { verifyAuditLog } from "../../../src/runtime/audit/verify.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import type { Runplane, RunplaneOptions } from "../../../src/runtime/types.js";
import { removeTempDirs, tempDir } from "../../unit/runtime/helpers.js";
import { sqlToolPolicy } from "./fixtures/sql-tool-policy.js";

const POLICY = sqlToolPolicy("openai-agents-test");

const DELETE_ALL = "DELETE FROM users";
const DELETE_OLD = "DELETE FROM users WHERE last_login < '2023-01-01'";
const SELECT = "SELECT id FROM users";

beforeAll(() => setTracingDisabled(true));
afterAll(removeTempDirs);

const open: Runplane[] = [];
afterEach(async () => {
  for (const rp of open.splice(0)) await rp.close();
});

async function setup(extra: Partial<RunplaneOptions> = {}, dir = tempDir("rp-agents-")) {
  writeFileSync(path.join(dir, "policy.rplc"), POLICY);
  const audit = path.join(dir, `audit-${open.length}.jsonl`);
  const runplane = await createRunplane({ policy: dir, store: "memory", audit, ...extra });
  open.push(runplane);
  return { runplane, audit, dir };
}

/** Close the runtime (flushing the log), verify the chain, read the records back. */
async function closeAndRead(runplane: Runplane, audit: string): Promise<AuditRecord[]> {
  await runplane.close();
  expect((await verifyAuditLog(audit)).ok).toBe(true);
  const out: AuditRecord[] = [];
  for await (const r of readRecords(audit)) out.push(r);
  return out;
}

/** A model that plays a script: each turn returns the next list of output items. */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  private turn = 0;
  constructor(private readonly script: AgentOutputItem[][]) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const output = this.script[this.turn++];
    if (output === undefined) throw new Error(`the script has no turn ${this.turn}`);
    return { usage: new Usage(), output, responseId: `resp_${this.turn}` };
  }

  // biome-ignore lint/correctness/useYield: the scripted model does not stream
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("the scripted model does not stream");
  }
}

const callItem = (callId: string, name: string, args: unknown): AgentOutputItem => ({
  type: "function_call",
  callId,
  name,
  arguments: JSON.stringify(args),
  status: "completed",
});

const say = (text: string): AgentOutputItem => ({
  type: "message",
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text }],
});

/** The tool outputs the model was shown in one request, by call id. */
function toolOutputs(request: ModelRequest | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const input = (request?.input ?? []) as AgentInputItem[];
  for (const item of Array.isArray(input) ? input : []) {
    if (item.type !== "function_call_result") continue;
    const o = item.output as string | { type: string; text?: string };
    out[item.callId] = typeof o === "string" ? o : (o.text ?? JSON.stringify(o));
  }
  return out;
}

/** A run_sql tool (made with the SDK's tool()) whose side effects are counted. */
function sqlTool() {
  const ran: string[] = [];
  const runSql = tool({
    name: "run_sql",
    description: "Run one SQL statement",
    parameters: z.object({ sql: z.string() }),
    execute: async ({ sql }) => {
      ran.push(sql);
      return `ok: ${sql}`;
    },
  });
  return { runSql, ran };
}

describe("guardAgentTools", () => {
  it("ALLOW runs the tool; the model reads its output", async () => {
    const { runplane, audit } = await setup();
    const { runSql, ran } = sqlTool();
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: SELECT })], [say("3 users")]]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], runplane) });
    const result = await run(agent, "count users");
    expect(result.finalOutput).toBe("3 users");
    expect(result.interruptions).toEqual([]);
    expect(ran).toEqual([SELECT]);
    expect(toolOutputs(model.requests[1])).toEqual({ c1: `ok: ${SELECT}` });
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => [r.action, r.decision, r.outcome])).toEqual([
      ["db.query", "ALLOW", "decided"],
      ["db.query", "ALLOW", "executed"],
    ]);
  });

  it("BLOCK never runs the tool; the next model request carries the reason", async () => {
    const { runplane, audit } = await setup();
    const { runSql, ran } = sqlTool();
    const refusals: AgentRefusal[] = [];
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: DELETE_ALL })], [say("refused")]]);
    const agent = new Agent({
      name: "db",
      model,
      tools: guardAgentTools([runSql], runplane, { onRefusal: (r) => refusals.push(r) }),
    });
    const result = await run(agent, "delete everyone");
    expect(result.finalOutput).toBe("refused");
    expect(result.interruptions).toEqual([]);
    expect(ran).toEqual([]);
    expect(toolOutputs(model.requests[1])).toEqual({
      c1: "blocked by policy: DELETE without WHERE removes every row — do not retry this action",
    });
    expect(refusals.map((r) => [r.tool, r.callId, r.error.name])).toEqual([
      ["run_sql", "c1", "BlockedError"],
    ]);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => [r.decision, r.outcome])).toEqual([
      ["BLOCK", "decided"],
      ["BLOCK", "blocked"],
    ]);
  });

  it("REQUIRE_APPROVAL interrupts the run; approved in Runplane and the SDK, the tool runs once", async () => {
    const asked: string[] = [];
    const { runplane, audit } = await setup({ notify: { onApproval: (a) => asked.push(a.id) } });
    const { runSql, ran } = sqlTool();
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: DELETE_OLD })], [say("cleaned up")]]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], runplane) });

    let result = await run(agent, "clean up");
    expect(ran).toEqual([]);
    expect(result.interruptions).toHaveLength(1);
    const item = result.interruptions[0]!;
    // The interruption is a pending approval in Runplane's store, with the policy's reasons.
    const [pending] = await approvalsFor(runplane, item);
    expect(pending).toMatchObject({ status: "pending", approvers: ["dba"] });
    expect(pending!.request).toMatchObject({ action: "db.query", args: { sql: DELETE_OLD } });
    expect(asked).toEqual([pending!.id]);

    // Someone who is not an approver is refused by Runplane, and the SDK state is left alone.
    await expect(
      approveToolCall(runplane, result.state, item, { by: "eve", roles: ["intern"] }),
    ).rejects.toMatchObject({ name: "ApprovalError", code: "not_approver" });
    expect(result.state.getInterruptions()).toHaveLength(1);

    const approved = await approveToolCall(runplane, result.state, item, {
      by: "alice",
      roles: ["dba"],
      note: "checked the WHERE clause",
    });
    expect(approved.map((a) => [a.id, a.status, a.answeredBy])).toEqual([[pending!.id, "approved", "alice"]]);
    result = await run(agent, result.state);
    expect(result.finalOutput).toBe("cleaned up");
    expect(ran).toEqual([DELETE_OLD]);
    expect(toolOutputs(model.requests[1])).toEqual({ c1: `ok: ${DELETE_OLD}` });
    expect((await runplane.approvals.get(pending!.id))?.status).toBe("consumed");

    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["decided", "pending", "approved", "executed"]);
    expect(recs[3]).toMatchObject({
      approval: pending!.id,
      approver: { by: "alice", roles: ["dba"] },
      note: "checked the WHERE clause",
    });
  });

  it("REQUIRE_APPROVAL rejected: the tool never runs and the model reads who denied it", async () => {
    const { runplane, audit } = await setup();
    const { runSql, ran } = sqlTool();
    const model = new ScriptedModel([
      [callItem("c1", "run_sql", { sql: DELETE_OLD })],
      [say("not deleting")],
    ]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], runplane) });
    let result = await run(agent, "clean up");
    const item = result.interruptions[0]!;
    const message = await rejectToolCall(runplane, result.state, item, {
      by: "bob",
      roles: ["dba"],
      note: "not during business hours",
    });
    expect(message).toMatch(
      /^approval ap-\w+ was denied by bob: not during business hours — do not retry this action$/,
    );
    result = await run(agent, result.state);
    expect(result.finalOutput).toBe("not deleting");
    expect(ran).toEqual([]);
    expect(toolOutputs(model.requests[1])).toEqual({ c1: message });
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["decided", "pending", "denied"]);
    expect(recs[2]!.approver).toEqual({ by: "bob", roles: ["dba"] });
  });

  it("an approval given only in the SDK does not run the tool: Runplane's approval is still pending", async () => {
    const { runplane } = await setup();
    const { runSql, ran } = sqlTool();
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: DELETE_OLD })], [say("waiting")]]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], runplane) });
    let result = await run(agent, "clean up");
    const item = result.interruptions[0]!;
    const [pending] = await approvalsFor(runplane, item);
    result.state.approve(item); // bypassing Runplane
    result = await run(agent, result.state);
    expect(ran).toEqual([]);
    expect(toolOutputs(model.requests[1]).c1).toContain(`waiting for approval ${pending!.id}`);
    expect((await runplane.approvals.get(pending!.id))?.status).toBe("pending");
  });

  it("approved in a terminal first: the interruption stays on the same approval, then runs once", async () => {
    const { runplane, audit } = await setup();
    const { runSql, ran } = sqlTool();
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: DELETE_OLD })], [say("cleaned up")]]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], runplane) });
    let result = await run(agent, "clean up");
    const [pending] = await approvalsFor(runplane, result.interruptions[0]!);
    // As `rplc approvals approve` would, in another process.
    await runplane.approvals.approve(pending!.id, { by: "alice", roles: ["dba"] });
    // Running again without answering the SDK: interrupted again, on the same approval.
    result = await run(agent, result.state);
    expect(ran).toEqual([]);
    expect(result.interruptions).toHaveLength(1);
    expect((await approvalsFor(runplane, result.interruptions[0]!)).map((a) => a.id)).toEqual([pending!.id]);
    const answered = await approveToolCall(runplane, result.state, result.interruptions[0]!, { by: "carol" });
    expect(answered.map((a) => [a.id, a.answeredBy])).toEqual([[pending!.id, "alice"]]);
    result = await run(agent, result.state);
    expect(result.finalOutput).toBe("cleaned up");
    expect(ran).toEqual([DELETE_OLD]);
    const recs = await closeAndRead(runplane, audit);
    expect(recs.map((r) => r.outcome)).toEqual(["decided", "pending", "approved", "executed"]);
    expect(recs[3]!.approver).toEqual({ by: "alice", roles: ["dba"] });
  });

  it("a run state restored in another process is approved through the shared store and runs once", async () => {
    const dir = tempDir("rp-agents-restart-");
    const store = `sqlite:${path.join(dir, "runplane.db")}`;
    const first = await setup({ store }, dir);
    const { runSql, ran } = sqlTool();
    const script = [[callItem("c1", "run_sql", { sql: DELETE_OLD })], [say("cleaned up")]];
    const model = new ScriptedModel(script);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([runSql], first.runplane) });
    const paused = await run(agent, "clean up");
    expect(paused.interruptions).toHaveLength(1);
    const saved = paused.state.toString();
    await first.runplane.close();

    // "After a restart": a new runtime on the same store, the agent rebuilt, the state restored.
    const second = await setup({ store }, dir);
    const agent2 = new Agent({ name: "db", model, tools: guardAgentTools([runSql], second.runplane) });
    const state = await RunState.fromString(agent2, saved);
    const [item] = state.getInterruptions();
    const approved = await approveToolCall(second.runplane, state, item!, { by: "alice", roles: ["dba"] });
    expect(approved).toHaveLength(1);
    const result = await run(agent2, state);
    expect(result.finalOutput).toBe("cleaned up");
    expect(ran).toEqual([DELETE_OLD]);
    const recs = await closeAndRead(second.runplane, second.audit);
    expect(recs.map((r) => r.outcome)).toEqual(["approved", "executed"]);
    expect(recs[1]!.approver).toEqual({ by: "alice", roles: ["dba"] });
  });

  it("a tool's own needsApproval still interrupts when the policy allows the call", async () => {
    const { runplane } = await setup();
    const ran: string[] = [];
    const careful = tool({
      name: "run_sql",
      description: "Run one SQL statement",
      parameters: z.object({ sql: z.string() }),
      needsApproval: true,
      execute: async ({ sql }) => {
        ran.push(sql);
        return "ok";
      },
    });
    const model = new ScriptedModel([[callItem("c1", "run_sql", { sql: SELECT })], [say("done")]]);
    const agent = new Agent({ name: "db", model, tools: guardAgentTools([careful], runplane) });
    let result = await run(agent, "count");
    expect(result.interruptions).toHaveLength(1);
    const item = result.interruptions[0]!;
    // No Runplane approval behind it: the SDK's alone decides.
    expect(await approvalsFor(runplane, item)).toEqual([]);
    expect(await approveToolCall(runplane, result.state, item, { by: "alice" })).toEqual([]);
    result = await run(agent, result.state);
    expect(ran).toEqual([SELECT]);
  });
});

describe("policyNeedsApproval and runplaneInputGuardrail on a tool you build", () => {
  it("the guardrail rejects what the policy blocks; what it allows runs", async () => {
    const { runplane, audit } = await setup();
    const cities: string[] = [];
    const weather = tool({
      name: "get_weather",
      description: "The weather in a city",
      parameters: z.object({ city: z.string() }),
      inputGuardrails: [runplaneInputGuardrail(runplane)],
      execute: async ({ city }) => {
        cities.push(city);
        return `sunny in ${city}`;
      },
    });
    const model = new ScriptedModel([
      [callItem("c1", "get_weather", { city: "Paris" }), callItem("c2", "get_weather", { city: "Moon" })],
      [say("Paris is sunny")],
    ]);
    const agent = new Agent({ name: "weather", model, tools: [weather] });
    const result = await run(agent, "weather?");
    expect(result.finalOutput).toBe("Paris is sunny");
    expect(cities).toEqual(["Paris"]);
    expect(toolOutputs(model.requests[1])).toEqual({
      c1: "sunny in Paris",
      c2: "blocked by policy: nobody lives on the Moon — do not retry this action",
    });
    const rejected = result.state._toolInputGuardrailResults.filter(
      (r) => r.output.behavior.type === "rejectContent",
    );
    expect(rejected).toHaveLength(1);
    const recs = await closeAndRead(runplane, audit);
    expect(
      recs.map((r) => `${(r.request as { args: { city: string } }).args.city} ${r.outcome}`).sort(),
    ).toEqual(["Moon blocked", "Paris executed"]);
  });

  it("policyNeedsApproval + the guardrail: approved through Runplane, the call is let through once", async () => {
    const { runplane, audit } = await setup();
    const ran: string[] = [];
    const runSql = tool({
      name: "run_sql",
      description: "Run one SQL statement",
      parameters: z.object({ sql: z.string() }),
      needsApproval: policyNeedsApproval(runplane, "run_sql"),
      inputGuardrails: [runplaneInputGuardrail(runplane)],
      execute: async ({ sql }) => {
        ran.push(sql);
        return "ok";
      },
    });
    const model = new ScriptedModel([
      [callItem("c1", "run_sql", { sql: SELECT }), callItem("c2", "run_sql", { sql: DELETE_OLD })],
      [say("done")],
    ]);
    const agent = new Agent({ name: "db", model, tools: [runSql] });
    let result = await run(agent, "go");
    expect(result.interruptions.map((i) => (i.rawItem as { callId: string }).callId)).toEqual(["c2"]);
    await approveToolCall(runplane, result.state, result.interruptions[0]!, { by: "alice", roles: ["dba"] });
    result = await run(agent, result.state);
    expect(result.finalOutput).toBe("done");
    expect(ran.sort()).toEqual([DELETE_OLD, SELECT].sort());
    const recs = await closeAndRead(runplane, audit);
    const bySql = (sql: string) =>
      recs.filter((r) => (r.request as { args: { sql: string } }).args.sql === sql);
    expect(bySql(SELECT).map((r) => r.outcome)).toEqual(["decided", "executed"]);
    expect(bySql(DELETE_OLD).map((r) => r.outcome)).toEqual(["decided", "pending", "approved", "executed"]);
  });
});
