/**
 * Approvals in words, for the people who answer them: the `rplc approvals` command, the webhook
 * message and the runtime tour print these. Who asked, what exactly, which rules, the score, and
 * how long is left.
 */
import { decisiveReasons } from "../errors.js";
import type { ApprovalRecord } from "./store.js";

/** `1h 05m`, `4m 10s`, `12s` (rounded down to seconds); `0s` for anything below a second. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${String(h).padStart(2, "0")}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

const MAX_VALUE = 300;

function short(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const one = text.replace(/\s+/g, " ");
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE)}… (${one.length} characters)` : one;
}

function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `db.query sql: DELETE FROM users WHERE …` — the action and each argument on one line. */
export function summarizeRequest(request: Record<string, unknown>): string {
  const args = Object.entries(objectOf(request.args)).map(([k, v]) => `${k}: ${short(v)}`);
  return `${String(request.action)}${args.length > 0 ? ` ${args.join(", ")}` : ""}`;
}

/** Who asked: the context's agent, user id and env, as far as the request says. */
export function requester(request: Record<string, unknown>): string {
  const ctx = objectOf(request.context);
  const user = objectOf(ctx.user);
  const parts: string[] = [];
  if (typeof ctx.agent === "string") parts.push(ctx.agent);
  if (typeof user.id === "string") parts.push(`for ${user.id}`);
  const who = parts.length > 0 ? parts.join(" ") : "(the request names no agent)";
  return typeof ctx.env === "string" ? `${who} in ${ctx.env}` : who;
}

/** The lines `rplc approvals show` prints (and `list`, indented under each id). */
export function describeApproval(r: ApprovalRecord, now: number = Date.now()): string[] {
  const d = r.decision;
  const lines = [
    `asked by   ${requester(r.request)}, ${new Date(r.createdAt).toISOString()}`,
    `action     ${summarizeRequest(r.request)}`,
    `rules      ${d.matched.map((m) => `${m.rule} (${m.effect.replace("_", " ")}): ${m.reason}`).join("; ") || "(none: the risk score asked)"}`,
    `score      ${d.score}${d.risks.length > 0 ? ` (${d.risks.map((x) => `${x.name} ${x.weight}`).join(", ")})` : ""}`,
    `approvers  ${r.approvers.length > 0 ? r.approvers.join(", ") : "anyone who names themselves"}`,
  ];
  if (r.status === "pending") {
    lines.push(`expires    in ${formatDuration(r.expiresAt - now)} (${new Date(r.expiresAt).toISOString()})`);
  } else if (r.answeredBy !== undefined) {
    const roles = r.answeredRoles?.length ? ` (${r.answeredRoles.join(", ")})` : "";
    const when = r.answeredAt === undefined ? "" : `, ${new Date(r.answeredAt).toISOString()}`;
    lines.push(
      `answered   ${r.status === "denied" ? "denied" : "approved"} by ${r.answeredBy}${roles}${when}`,
    );
  }
  if (r.note !== undefined) lines.push(`note       ${r.note}`);
  return lines;
}

/** A Slack-compatible message (`{ text, blocks }`) announcing a pending approval. */
export function approvalMessage(r: ApprovalRecord, storeName: string): { text: string; blocks: unknown[] } {
  const reasons = decisiveReasons(r.decision).join("; ");
  const text = `Approval needed (${r.id}): ${summarizeRequest(r.request)} — ${reasons}. Score ${r.decision.score}; approvers: ${r.approvers.join(", ") || "anyone"}; expires in ${formatDuration(r.expiresAt - r.createdAt)}.`;
  const command = `rplc approvals approve ${r.id} --store ${storeName} --by <you>`;
  return {
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: `Approval needed: ${String(r.request.action)}` } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${requester(r.request)}* asks to run:\n\`\`\`${summarizeRequest(r.request)}\`\`\``,
        },
      },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Why*\n${reasons}` },
          { type: "mrkdwn", text: `*Score*\n${r.decision.score}` },
          { type: "mrkdwn", text: `*Approvers*\n${r.approvers.join(", ") || "anyone"}` },
          { type: "mrkdwn", text: `*Expires*\n${new Date(r.expiresAt).toISOString()}` },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `Approval \`${r.id}\` · \`${command}\`` }] },
    ],
  };
}
