/**
 * The OpenAI Agents SDK example: an agent whose SQL tool is guarded by Runplane. The policy
 * decides each call; the cleanup DELETE stops the run with the SDK's own interruption, backed by a
 * pending approval in Runplane's store, and a DBA answers it. No API key and no network: the agent's
 * `model` is a scripted implementation of the SDK's Model interface.
 *
 *   npx tsx examples/openai-agents/agent.ts            # alice (dba) approves the cleanup
 *   npx tsx examples/openai-agents/agent.ts --deny     # bob (dba) rejects it
 *   npx tsx examples/openai-agents/agent.ts --dir /tmp/agents-example   # where the audit log goes
 *
 * In your own project, import from "runplane" and "runplane/openai-agents" instead of "../../src/…".
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  Agent,
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  run,
  setTracingDisabled,
  tool,
  Usage,
} from "@openai/agents";
import { z } from "zod";
import { type AuditRecord, createRunplane, verifyAuditLog } from "../../src/index.js";
import {
  approvalsFor,
  approveToolCall,
  guardAgentTools,
  rejectToolCall,
} from "../../src/integrations/openai-agents.js";

setTracingDisabled(true); // no traces sent anywhere
const here = path.dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: { deny: { type: "boolean", default: false }, dir: { type: "string" } },
});
const dir = flags.dir ?? mkdtempSync(path.join(os.tmpdir(), "runplane-agents-"));
const auditPath = path.join(dir, "audit.jsonl");
const line = (text = "") => process.stdout.write(`${text}\n`);

// The agent's world: a users table in memory.
let users = Array.from({ length: 5000 }, (_, i) => ({
  id: i + 1,
  lastLogin: i % 4 === 0 ? "2022-06-01" : "2026-10-01",
}));
const STALE = "last_login < '2023-01-01'";

function runSql(sql: string): string {
  if (sql.startsWith("SELECT count(*)"))
    return String(users.filter((u) => u.lastLogin < "2023-01-01").length);
  if (sql === `DELETE FROM users WHERE ${STALE}`) {
    const before = users.length;
    users = users.filter((u) => u.lastLogin >= "2023-01-01");
    return `deleted ${before - users.length} rows`;
  }
  if (sql === "DELETE FROM users") {
    const n = users.length;
    users = [];
    return `deleted ${n} rows`;
  }
  return "unsupported statement";
}

/** A model that plays a script: one turn per request; it prints the tool output it is shown. */
class ScriptedModel implements Model {
  private turn = 0;
  constructor(private readonly script: ((lastOutput: string) => AgentOutputItem)[]) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const input = Array.isArray(request.input) ? (request.input as AgentInputItem[]) : [];
    const last = input.at(-1);
    let lastOutput = "";
    if (last?.type === "function_call_result") {
      const o = last.output as string | { text?: string };
      lastOutput = typeof o === "string" ? o : (o.text ?? "");
      line(`  the model reads: ${lastOutput}`);
    }
    const next = this.script[this.turn++];
    const item = next?.(lastOutput) ?? say("(the script has ended)");
    if (item.type === "function_call") line(`\nmodel calls ${item.name}: ${JSON.parse(item.arguments).sql}`);
    return { usage: new Usage(), output: [item] };
  }

  // biome-ignore lint/correctness/useYield: the scripted model does not stream
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("the scripted model does not stream");
  }
}

const sqlCall = (sql: string) => (): AgentOutputItem => ({
  type: "function_call",
  callId: `call_${sql.length}_${sql.split(" ")[0]}`,
  name: "run_sql",
  arguments: JSON.stringify({ sql }),
  status: "completed",
});
const say = (text: string): AgentOutputItem => ({
  type: "message",
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text }],
});

const runplane = await createRunplane({
  policy: path.join(here, "policy.rplc"),
  store: "memory",
  audit: auditPath,
  onDecision(r: AuditRecord) {
    const rules = r.matched.map((m) => `${m.rule}: ${m.reason}`).join("; ");
    const who = r.approver ? ` by ${r.approver.by} (${r.approver.roles.join(", ")})` : "";
    line(`  runplane: ${r.decision} → ${r.outcome}${who}${rules ? `  [${rules}]` : ""}`);
  },
});

const agent = new Agent({
  name: "cleanup",
  instructions: "You keep the users table tidy.",
  model: new ScriptedModel([
    sqlCall(`SELECT count(*) FROM users WHERE ${STALE}`),
    sqlCall("DELETE FROM users"),
    sqlCall(`DELETE FROM users WHERE ${STALE}`),
    (last) => say(`The cleanup tool answered: ${last}`),
  ]),
  tools: guardAgentTools(
    [
      tool({
        name: "run_sql",
        description: "Run one SQL statement on the users database",
        parameters: z.object({ sql: z.string() }),
        execute: async ({ sql }) => runSql(sql),
      }),
    ],
    runplane,
  ),
});

line("user: clean up the accounts that have not logged in since 2023");
let result = await run(agent, "clean up the accounts that have not logged in since 2023");
while (result.interruptions.length > 0) {
  for (const item of result.interruptions) {
    for (const a of await approvalsFor(runplane, item)) {
      const reasons = a.decision.matched.map((m) => m.reason).join("; ");
      line(`  the run is interrupted: approval ${a.id} (${reasons}; approvers: ${a.approvers.join(", ")})`);
    }
    if (flags.deny) {
      await rejectToolCall(runplane, result.state, item, {
        by: "bob",
        roles: ["dba"],
        note: "not before the backup",
      });
      line("  bob (dba) rejects it");
    } else {
      await approveToolCall(runplane, result.state, item, {
        by: "alice",
        roles: ["dba"],
        note: "checked the WHERE",
      });
      line("  alice (dba) approves it");
    }
  }
  result = await run(agent, result.state);
}
line(`\nassistant: ${result.finalOutput}`);
line(`users left: ${users.length}`);

await runplane.close();
const verified = await verifyAuditLog(auditPath);
line(`audit log ${auditPath}: ${verified.records} records, ${verified.ok ? "chain intact" : "BROKEN"}`);
