/**
 * The OpenAI SDK example: a support agent on `client.chat.completions.runTools` whose SQL tool is
 * guarded by Runplane. No API key and no network: the client's `fetch` plays a scripted model that
 * counts stale accounts, tries to delete every user (blocked), then deletes the stale ones (a DBA
 * approves), and reads each tool result the way a real model would.
 *
 *   npx tsx examples/openai/agent.ts            # alice (dba) approves the cleanup
 *   npx tsx examples/openai/agent.ts --deny     # bob (dba) denies it
 *   npx tsx examples/openai/agent.ts --dir /tmp/openai-example   # where the audit log goes
 *
 * In your own project, import from "runplane" and "runplane/openai" instead of "../../src/…".
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { type AuditRecord, createRunplane, verifyAuditLog } from "../../src/index.js";
import { guardRunnableTools } from "../../src/integrations/openai.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: { deny: { type: "boolean", default: false }, dir: { type: "string" } },
});
const dir = flags.dir ?? mkdtempSync(path.join(os.tmpdir(), "runplane-openai-"));
const auditPath = path.join(dir, "audit.jsonl");
const line = (text = "") => process.stdout.write(`${text}\n`);

// The agent's world: a users table in memory.
let users = Array.from({ length: 5000 }, (_, i) => ({
  id: i + 1,
  lastLogin: i % 4 === 0 ? "2022-06-01" : "2026-10-01",
}));
const STALE = "last_login < '2023-01-01'";

/** The "database": understands the three statements of this script. */
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

// The scripted model: one reply per request, tool calls first, then a summary that quotes what
// the tools answered (the last tool message of the conversation so far).
const script: { sql?: string; say?: (lastTool: string) => string }[] = [
  { sql: `SELECT count(*) FROM users WHERE ${STALE}` },
  { sql: "DELETE FROM users" },
  { sql: `DELETE FROM users WHERE ${STALE}` },
  { say: (lastTool) => `The cleanup tool answered: ${lastTool}` },
];
let turn = 0;
async function scriptedModel(_url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = JSON.parse(String(init?.body)) as { messages: ChatCompletionMessageParam[] };
  const last = body.messages.at(-1);
  if (last?.role === "tool") line(`  the model reads: ${String(last.content)}`);
  const step = script[turn++] ?? { say: () => "(the script has ended)" };
  const message =
    step.sql === undefined
      ? { role: "assistant", content: step.say?.(String(last?.content ?? "")) ?? "", refusal: null }
      : {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: `call_${turn}`,
              type: "function",
              function: { name: "run_sql", arguments: JSON.stringify({ sql: step.sql }) },
            },
          ],
        };
  if (step.sql !== undefined) line(`\nmodel calls run_sql: ${step.sql}`);
  const completion = {
    id: `chatcmpl-${turn}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: "scripted",
    choices: [{ index: 0, message, finish_reason: step.sql ? "tool_calls" : "stop", logprobs: null }],
  };
  return new Response(JSON.stringify(completion), { headers: { "content-type": "application/json" } });
}

const client = new OpenAI({
  apiKey: "not-needed",
  baseURL: "http://scripted.invalid/v1",
  fetch: scriptedModel,
});

function onDecision(r: AuditRecord): void {
  const rules = r.matched.map((m) => `${m.rule}: ${m.reason}`).join("; ");
  const who = r.approver ? ` by ${r.approver.by} (${r.approver.roles.join(", ")})` : "";
  line(`  runplane: ${r.decision} → ${r.outcome}${who}${rules ? `  [${rules}]` : ""}`);
}

const runplane = await createRunplane({
  policy: path.join(here, "policy.rplc"),
  store: "memory",
  audit: auditPath,
  onDecision,
  approvalPollMs: 50,
  notify: {
    // A human answering in another window; here, a few milliseconds later.
    onApproval(a) {
      line(`  waiting for approval ${a.id} (approvers: ${a.approvers.join(", ")})`);
      setTimeout(() => {
        const answer = flags.deny
          ? runplane.approvals.deny(a.id, { by: "bob", roles: ["dba"], note: "not before the backup" })
          : runplane.approvals.approve(a.id, { by: "alice", roles: ["dba"], note: "checked the WHERE" });
        void answer.then((x) => line(`  ${x.answeredBy} ${x.status} ${x.id}`));
      }, 100);
    },
  },
});

const tools = guardRunnableTools(
  [
    {
      type: "function" as const,
      function: {
        name: "run_sql",
        description: "Run one SQL statement on the users database",
        parameters: { type: "object", properties: { sql: { type: "string" } }, required: ["sql"] },
        parse: (input: string) => JSON.parse(input) as { sql: string },
        function: ({ sql }: { sql: string }) => runSql(sql),
      },
    },
  ],
  runplane,
);

line(`user: clean up the accounts that have not logged in since 2023`);
const runner = client.chat.completions.runTools({
  model: "scripted",
  messages: [{ role: "user", content: "clean up the accounts that have not logged in since 2023" }],
  tools,
});
const answer = await runner.finalContent();
line(`\nassistant: ${answer}`);
line(`users left: ${users.length}`);

await runplane.close();
const verified = await verifyAuditLog(auditPath);
line(`audit log ${auditPath}: ${verified.records} records, ${verified.ok ? "chain intact" : "BROKEN"}`);
