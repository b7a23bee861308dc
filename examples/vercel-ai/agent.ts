/**
 * The Vercel AI SDK example: a support agent with one tool, `run_sql`, driven by `generateText`.
 * The tools are guarded by runplane: a read runs, an unbounded DELETE is blocked (the model reads
 * why), and a write stops with a `tool-approval-request` until a DBA answers. The answers go back
 * the way a chat UI sends them (`tool-approval-response` parts in the next request's messages) and
 * are recorded in the Runplane store as the person who gave them, so the audit log says who
 * approved.
 *
 * Offline: a scripted model from `ai/test` stands in for a real one (no API key). With a real
 * model, replace `model` by e.g. `openai("gpt-4.1")` from `@ai-sdk/openai`.
 *
 *   npx tsx examples/vercel-ai/agent.ts                  # store and log in .runplane/vercel-ai
 *   npx tsx examples/vercel-ai/agent.ts --dir /tmp/rp    # elsewhere
 *
 * In your own project, import from "runplane/vercel-ai" and "runplane" instead of the paths
 * below.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateText, type ModelMessage, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { z } from "zod";
import { type AuditRecord, createRunplane, readRecords, verifyAuditLog } from "../../src/index.js";
import { approvalsForToolCall, guardTools, recordApprovals } from "../../src/integrations/vercel-ai.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { dir: { type: "string", default: ".runplane/vercel-ai" } } });
const dir = flags.dir ?? ".runplane/vercel-ai";
const line = (text = "") => process.stdout.write(`${text}\n`);

// The agent's world: a users table and a newsletter table, in memory.
const db = {
  users: Array.from({ length: 400 }, (_, i) => ({ id: i + 1, inactive: i % 4 === 0 })),
  newsletter: Array.from({ length: 120 }, (_, i) => ({ id: i + 1 })),
};
function runSql(sql: string): { rows: number } {
  line(`  ran: ${sql}`);
  if (sql.startsWith("SELECT")) return { rows: db.users.filter((u) => u.inactive).length };
  if (sql.startsWith("DELETE FROM users")) {
    const before = db.users.length;
    db.users = db.users.filter((u) => !u.inactive);
    return { rows: before - db.users.length };
  }
  if (sql.startsWith("DELETE FROM newsletter")) {
    const before = db.newsletter.length;
    db.newsletter = [];
    return { rows: before };
  }
  return { rows: 0 };
}

// The model: what it does at each step, in order (a real model decides this itself).
const SCRIPT: (string | { sql: string })[] = [
  { sql: "SELECT id, email FROM users WHERE last_login < '2023-01-01'" },
  { sql: "DELETE FROM users" },
  { sql: "DELETE FROM users WHERE last_login < '2023-01-01'" },
  { sql: "DELETE FROM newsletter WHERE unsubscribed = true" },
  "Done: 100 inactive users removed; the newsletter cleanup was declined.",
];
let step = 0;
const model = new MockLanguageModelV3({
  doGenerate: async ({ prompt }) => {
    const last = prompt.at(-1);
    if (last?.role === "tool") {
      for (const part of last.content) {
        if (part.type !== "tool-result") continue;
        const o = part.output;
        const text =
          o.type === "text" || o.type === "error-text"
            ? o.value
            : o.type === "execution-denied"
              ? `denied: ${o.reason ?? ""}`
              : JSON.stringify("value" in o ? o.value : o);
        line(`  model read: ${text}`);
      }
    }
    const next = SCRIPT[step++] ?? "Nothing left to do.";
    const content: Awaited<ReturnType<MockLanguageModelV3["doGenerate"]>>["content"] =
      typeof next === "string"
        ? [{ type: "text", text: next }]
        : [
            {
              type: "tool-call",
              toolCallId: `call-${step}`,
              toolName: "run_sql",
              input: JSON.stringify(next),
            },
          ];
    const finishReason = {
      unified: typeof next === "string" ? "stop" : "tool-calls",
      raw: undefined,
    } as const;
    return {
      content,
      finishReason,
      usage: {
        inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 0, text: 0, reasoning: 0 },
      },
      warnings: [],
    };
  },
});

const runplane = await createRunplane({
  policy: path.join(here, "policies"),
  store: `sqlite:${path.join(dir, "runplane.db")}`,
  audit: path.join(dir, "audit.jsonl"),
  context: { env: "production", agent: "support-bot" },
});

// Guard the tools once; use the guarded set for generateText and for recordApprovals.
const tools = guardTools(
  {
    run_sql: tool({
      description: "Run one SQL statement against the production database",
      inputSchema: z.object({ sql: z.string() }),
      execute: async ({ sql }) => runSql(sql),
    }),
  },
  runplane,
);

// The humans behind the chat UI: who clicks, and what they answer for each statement.
const humans: Record<string, { by: string; roles: string[]; approved: boolean; reason?: string }> = {
  "DELETE FROM users WHERE last_login < '2023-01-01'": { by: "alice", roles: ["dba"], approved: true },
  "DELETE FROM newsletter WHERE unsubscribed = true": {
    by: "bob",
    roles: ["dba"],
    approved: false,
    reason: "send it to the newsletter team instead",
  },
};

let messages: ModelMessage[] = [{ role: "user", content: "Clean up the inactive users." }];
try {
  // Each iteration is one request to a chat route: generate until done or an approval is needed.
  for (let request = 1; request <= 5; request++) {
    line(`request ${request}`);
    const result = await generateText({ model, tools, messages, stopWhen: stepCountIs(10) });
    messages = [...messages, ...result.response.messages];
    const asks = result.content.filter((p) => p.type === "tool-approval-request");
    if (asks.length === 0) {
      line(`  model: ${result.text}`);
      break;
    }
    const answers = [];
    for (const ask of asks) {
      const sql = (ask.toolCall.input as { sql: string }).sql;
      // What a chat UI would show beside its Approve / Deny buttons.
      const [pending] = await approvalsForToolCall(runplane, ask.toolCall.toolCallId);
      line(
        `  approval requested: ${ask.toolCall.toolName} (runplane ${pending?.id}, approvers ${pending?.approvers.join(", ")}): ${sql}`,
      );
      const human = humans[sql] ?? { by: "nobody", roles: [], approved: false, reason: "unexpected" };
      answers.push({
        type: "tool-approval-response" as const,
        approvalId: ask.approvalId,
        approved: human.approved,
        ...(human.reason === undefined ? {} : { reason: human.reason }),
      });
    }
    // The next request arrives with the answers; record them as the signed-in person.
    messages = [...messages, { role: "tool", content: answers }];
    const recorded = await recordApprovals(messages, tools, (a) => {
      const human = humans[(a.input as { sql: string }).sql];
      return { by: human?.by ?? "nobody", roles: human?.roles ?? [] };
    });
    for (const r of recorded) {
      const human = humans[(r.input as { sql: string }).sql];
      const verdict = r.approved ? "approved" : `denied: ${r.reason ?? ""}`;
      line(
        `  ${human?.by} (${human?.roles.join(", ")}) ${verdict} (${r.runplane.map((x) => x.id).join(", ")})`,
      );
    }
  }
} finally {
  await runplane.close();
}

const log = path.join(dir, "audit.jsonl");
line("audit log");
for await (const r of readRecords(log) as AsyncIterable<AuditRecord>) {
  const sql = (r.request as { args?: { sql?: string } }).args?.sql ?? "";
  const by = r.approver === undefined ? "" : ` by ${r.approver.by} (${r.approver.roles.join(", ")})`;
  line(`  ${String(r.seq).padStart(3)} ${r.decision.padEnd(16)} ${(r.outcome + by).padEnd(24)} ${sql}`);
}
const verified = await verifyAuditLog(log);
line(
  verified.ok
    ? `audit: ${verified.records} records, chain intact (npx rplc audit verify ${log})`
    : `audit: broken: ${JSON.stringify(verified)}`,
);
