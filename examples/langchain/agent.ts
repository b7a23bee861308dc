/**
 * Runplane guarding a LangChain agent (langchain v1 `createAgent`), offline: the chat model is
 * langchain's scripted fake model, so no API key is needed. Every tool call goes through
 * `runplaneMiddleware`: reads run, a write to /etc and an unbounded DELETE are refused (the model
 * reads why), and the cleanup DELETE stops the graph with a LangGraph interrupt until a DBA's answer
 * is given as the resume value.
 *
 *   npx tsx examples/langchain/agent.ts
 *   npx tsx examples/langchain/agent.ts --dir /tmp/lc     # keep the audit log there
 *
 * In your own project, import from "runplane" and "runplane/langchain" instead of "../../src/…".
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Command, MemorySaver } from "@langchain/langgraph";
import {
  AIMessage,
  type BaseMessage,
  createAgent,
  fakeModel,
  HumanMessage,
  ToolMessage,
  tool,
} from "langchain";
import { z } from "zod";
import { createRunplane, verifyAuditLog } from "../../src/index.js";
import {
  type ApprovalAnswer,
  type ApprovalInterrupt,
  runplaneMiddleware,
} from "../../src/integrations/langchain.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { dir: { type: "string" } } });
const dir = flags.dir ?? mkdtempSync(path.join(os.tmpdir(), "runplane-langchain-"));
const auditPath = path.join(dir, "audit.jsonl");
const line = (text = "") => process.stdout.write(`${text}\n`);

// The agent's world: a few files and a users table, in memory.
const files = new Map([["/srv/app/config/retention.yaml", "delete users inactive since 2023-01-01"]]);
const users = Array.from({ length: 5000 }, (_, i) => ({
  id: i + 1,
  lastLogin: i % 4 ? "2026-10-01" : "2022-06-01",
}));

const tools = [
  tool(async ({ path: p }) => files.get(p) ?? `no such file: ${p}`, {
    name: "read_file",
    description: "Read a text file",
    schema: z.object({ path: z.string() }),
  }),
  tool(
    async ({ path: p, content }) => {
      files.set(p, content);
      return `wrote ${p}`;
    },
    {
      name: "write_file",
      description: "Write a text file",
      schema: z.object({ path: z.string(), content: z.string() }),
    },
  ),
  tool(
    async ({ sql }) => {
      // A toy SQL engine: enough for this script's one DELETE.
      if (!/^DELETE FROM users WHERE last_login < '2023-01-01'$/.test(sql)) return "0 rows";
      const before = users.length;
      users.splice(0, users.length, ...users.filter((u) => u.lastLogin >= "2023-01-01"));
      return `deleted ${before - users.length} rows`;
    },
    { name: "run_sql", description: "Run one SQL statement", schema: z.object({ sql: z.string() }) },
  ),
];

// The scripted model: one tool call per turn, then a summary.
const CLEANUP = "DELETE FROM users WHERE last_login < '2023-01-01'";
const model = fakeModel()
  .respondWithTools([{ id: "call_1", name: "read_file", args: { path: "/srv/app/config/retention.yaml" } }])
  .respondWithTools([
    { id: "call_2", name: "write_file", args: { path: "/etc/cron.d/cleanup", content: "0 3 * * * cleanup" } },
  ])
  .respondWithTools([{ id: "call_3", name: "run_sql", args: { sql: "DELETE FROM users" } }])
  .respondWithTools([{ id: "call_4", name: "run_sql", args: { sql: CLEANUP } }])
  .respond(new AIMessage("Inactive users are deleted; the cron job was not installed (not allowed)."));

const runplane = await createRunplane({
  policy: path.join(here, "policy.rplc"),
  store: "memory",
  audit: auditPath,
  context: { agent: "ops-agent" },
});

const agent = createAgent({
  model,
  tools,
  middleware: [runplaneMiddleware(runplane, { approval: "interrupt" })],
  checkpointer: new MemorySaver(), // interrupts need a checkpointer
});
const config = { configurable: { thread_id: "cleanup-1" } };

line("A scripted ops agent (langchain createAgent, no API key); policy: examples/langchain/policy.rplc");
line();

let shown = 0;
/** Print the tool calls and what the model read since the last call. */
function show(messages: BaseMessage[]): void {
  for (const m of messages.slice(shown)) {
    if (AIMessage.isInstance(m)) {
      for (const c of m.tool_calls ?? []) line(`→ ${c.name} ${JSON.stringify(c.args)}`);
      if ((m.tool_calls ?? []).length === 0) line(`agent: ${String(m.content)}`);
    } else if (ToolMessage.isInstance(m)) {
      line(`  ${m.status === "error" ? "✗" : "✓"} the model reads: ${String(m.content)}`);
    }
  }
  shown = messages.length;
}

let result = await agent.invoke({ messages: [new HumanMessage("Clean up inactive users.")] }, config);
// The humans of this script: eve (sre) answers first and is refused, then alice (dba).
const answers: ApprovalAnswer[] = [
  { decision: "approve", by: "eve", roles: ["sre"] },
  { decision: "approve", by: "alice", roles: ["dba"], note: "checked the WHERE clause" },
];
for (;;) {
  show(result.messages);
  const pause = result.__interrupt__?.[0]?.value as ApprovalInterrupt | undefined;
  if (pause === undefined) break;
  line(`  ⏸ interrupted for approval ${pause.approvalId}: ${pause.reasons.join("; ")}`);
  line(`    approvers: ${pause.approvers.join(", ")}`);
  if (pause.error !== undefined) line(`    previous answer refused: ${pause.error}`);
  const answer = answers.shift();
  if (answer === undefined) throw new Error("no one left to answer");
  line(`    ${answer.by} (${answer.roles?.join(", ")}) answers: ${answer.decision}`);
  result = await agent.invoke(new Command({ resume: answer }), config);
}

await runplane.close();
const verified = await verifyAuditLog(auditPath);
line();
line(`users left: ${users.length}; /etc/cron.d/cleanup written: ${files.has("/etc/cron.d/cleanup")}`);
line(`audit log ${auditPath}: ${verified.records} records, ${verified.ok ? "chain intact" : "BROKEN"}`);
