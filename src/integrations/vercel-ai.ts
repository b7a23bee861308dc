/**
 * Vercel AI SDK (`ai` 6): the policy decides each tool call of `generateText` / `streamText`.
 *
 *   const tools = guardTools({ run_sql, send_email }, runplane);
 *   await recordApprovals(messages, tools, { by: user.id, roles: user.roles }); // approval answers
 *   const result = await generateText({ model, tools, messages, stopWhen: stepCountIs(5) });
 *
 * Each tool's `needsApproval` becomes the policy's, and its `execute` goes through the shared
 * guard (tool-guard.ts), so a blocked call never runs:
 *
 *   ALLOW             needsApproval false; execute runs the tool (audit: decided, executed)
 *   BLOCK             needsApproval false; execute throws BlockedError without running the tool.
 *                     The SDK turns the error into a `tool-error` part and the model reads its
 *                     message (`blocked by policy: … — do not retry this action`) as an
 *                     `error-text` tool result (audit: decided, blocked)
 *   REQUIRE_APPROVAL  a pending approval is stored in the Runplane store (audit: decided, pending,
 *                     and the `notify` hooks fire) and needsApproval answers true: the SDK emits a
 *                     `tool-approval-request` part and stops. The answer comes back as a
 *                     `tool-approval-response` part in the next request's messages;
 *                     `recordApprovals` records it in the store as the person who gave it, then
 *                     the SDK calls execute, which runs the tool through `runplane.resume` (audit:
 *                     approved by …, executed). Denied: the SDK never calls execute, and
 *                     `recordApprovals` has recorded the denial (audit: denied by …)
 *
 * Decisions where nobody else decides:
 * - The Runplane approval is found again by the tool call's id: every request of a guarded call
 *   carries `context.tool_call_id` (and `context.tool_call_index` when one call amounts to several
 *   requests). The id is part of the approval's digest, so an approval lets exactly that call run,
 *   once, with exactly that input; and it is in the store, so the answer can arrive in another
 *   process (a serverless route handler, a restart).
 * - The store, not the messages, is the authority: a `tool-approval-response` the client sends
 *   only counts once `recordApprovals` has recorded it as an approver the rule accepts. A forged
 *   approval request or response in the history makes the SDK call execute, and execute still
 *   finds no approved Runplane approval: the call is decided again (and asked for again).
 * - When the SDK checks an approved call again before running it (it calls needsApproval a second
 *   time), needsApproval answers true without deciding: the call was asked about already
 *   (the history holds its `tool-approval-request`) and execute decides.
 * - A tool's own `needsApproval` is kept: the policy adds approvals, never removes one. A call the
 *   policy blocks is never sent for approval (asking a human about it would be pointless).
 * - Refusals are thrown, not returned: the SDK marks the call as a `tool-error` (UI part state
 *   `output-error`), the application can tell it apart from a result (`error instanceof
 *   BlockedError`), and the model reads `refusalMessage(error)`. A RunplaneError (policy, store or
 *   audit failed) also becomes a tool error, since the SDK catches everything execute throws; the
 *   tool does not run. A failure in needsApproval (deciding, storing the approval) is not caught
 *   by the SDK: `generateText` rejects with it, `streamText` emits it as an error part; nothing runs.
 * - Shadow mode stops nothing, so needsApproval leaves approvals to the tool itself.
 * - Tools without `execute` (run by the client or the provider) are returned unchanged: runplane
 *   cannot stop what this process does not run. Guard them where they run.
 * - A streaming execute (`async *execute`, whose values the SDK shows as preliminary results)
 *   stays one. It is decided before it starts; its `executed` record says that it started, not
 *   how the stream ended. An execute that returns an async iterable without being declared
 *   `async *` is not recognised as streaming: declare it so.
 */
import type { ModelMessage, Tool, ToolExecutionOptions, ToolSet } from "ai";
import type { Request } from "../engine/decision.js";
import type { Answer } from "../runtime/approvals/queue.js";
import type { ApprovalRecord, ApprovalStatus } from "../runtime/approvals/store.js";
import { ApprovalDeniedError, ApprovalError, ApprovalPendingError, BlockedError } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import {
  guardToolCall,
  mostSevere,
  refusalMessage,
  requestsForToolCall,
  type ToolGuardOptions,
} from "./tool-guard.js";

export type GuardToolsOptions = Omit<ToolGuardOptions, "approval">;

/** The context key that ties a request (and its approval) to the SDK's tool call. */
export const TOOL_CALL_ID = "tool_call_id";
/** The context key naming a request's place when one tool call amounts to several requests. */
export const TOOL_CALL_INDEX = "tool_call_index";

interface Guarded {
  readonly name: string;
  readonly runplane: Runplane;
  readonly options: GuardToolsOptions;
}

/** Guarded tool → what recordApprovals needs to find its approvals again. */
const guarded = new WeakMap<object, Guarded>();

/** Whether guardTools made `tool` (and with which runtime and options). */
export function isGuardedTool(tool: unknown): boolean {
  return typeof tool === "object" && tool !== null && guarded.has(tool);
}

/**
 * A new ToolSet whose tools the policy decides: `needsApproval` from the policy (REQUIRE_APPROVAL
 * stores a pending approval in the Runplane store), `execute` through the guard (BLOCK never
 * runs). Pass the same set to `recordApprovals`.
 */
export function guardTools<TOOLS extends ToolSet>(
  tools: TOOLS,
  runplane: Runplane,
  options: GuardToolsOptions = {},
): TOOLS {
  const out: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(tools)) {
    out[name] = typeof tool.execute === "function" ? guardTool(name, tool, runplane, options) : tool;
  }
  return out as TOOLS;
}

type AnyTool = Tool<unknown, unknown>;
type NeedsApprovalOptions = { toolCallId: string; messages: ModelMessage[]; experimental_context?: unknown };

function guardTool(name: string, tool: ToolSet[string], runplane: Runplane, options: GuardToolsOptions) {
  const original = tool as AnyTool;
  const execute = original.execute;
  if (execute === undefined) return tool;
  const own = original.needsApproval;
  const ownSays = async (input: unknown, o: NeedsApprovalOptions): Promise<boolean> =>
    typeof own === "function" ? await own(input, o) : own === true;

  const wrapped: AnyTool = {
    ...original,
    needsApproval: async (input, o) => {
      const asked = await ownSays(input, o);
      if (runplane.mode === "shadow") return asked;
      // The SDK checks an answered call again before running it: execute decides from here on.
      if (approvalRequested(o.messages, o.toolCallId)) return true;
      const requests = requestsFor(name, input, o.toolCallId, options);
      const decisions = [];
      for (const request of requests) decisions.push(await runplane.decide(request));
      const worst = mostSevere(decisions).decision;
      if (worst === "BLOCK") return false; // execute throws BlockedError: nobody needs asking
      if (worst === "ALLOW") return asked;
      for (const [i, request] of requests.entries()) {
        if (decisions[i]?.decision !== "REQUIRE_APPROVAL") continue;
        try {
          await runplane.guard(request, notRun, { wait: false });
        } catch (e) {
          if (e instanceof ApprovalPendingError) continue;
          if (e instanceof BlockedError || e === CHANGED) return false; // the policy changed: execute decides
          throw e;
        }
      }
      return true;
    },
    execute: streams(execute) ? streamed(guardedExecute) : guardedExecute,
  };
  guarded.set(wrapped, { name, runplane, options });
  return wrapped;

  async function guardedExecute(input: unknown, o: ToolExecutionOptions): Promise<unknown> {
    const run = () => execute!(input, o);
    const requests = requestsFor(name, input, o.toolCallId, options);
    try {
      const found = await approvalsFor(runplane, o.toolCallId);
      if (found.size === 0) {
        return await guardToolCall(runplane, name, input, run, {
          ...options,
          approval: "defer",
          toRequest: () => requests,
        });
      }
      const step = (i: number): Promise<unknown> => {
        const request = requests[i];
        if (request === undefined) return Promise.resolve(run());
        const approval = found.get(i);
        const next = () => step(i + 1);
        return approval === undefined
          ? runplane.guard(request, next, { wait: false })
          : runplane.resume(approval.id, request, next, { wait: false });
      };
      return await step(0);
    } catch (e) {
      throw asRefusal(e);
    }
  }
}

/** Whether `execute` is an `async *execute` (the SDK streams its values as preliminary results). */
function streams(execute: unknown): boolean {
  return Object.prototype.toString.call(execute) === "[object AsyncGeneratorFunction]";
}

/**
 * A streaming execute stays one: the guard decides and starts the generator (recorded as
 * `executed`), and its values are passed on as they come.
 */
function streamed(
  guardedExecute: (input: unknown, o: ToolExecutionOptions) => Promise<unknown>,
): (input: unknown, o: ToolExecutionOptions) => AsyncIterable<unknown> {
  return async function* (input, o) {
    yield* (await guardedExecute(input, o)) as AsyncIterable<unknown>;
  };
}

/** Thrown by the placeholder action of a pending approval, should the policy allow it meanwhile. */
const CHANGED = new Error(
  "the policy changed between deciding and asking for approval: the tool call is decided again when it runs",
);
const notRun = (): never => {
  throw CHANGED;
};

/** A refusal's message made the one the model should read (`refusalMessage`); other errors unchanged. */
function asRefusal(e: unknown): unknown {
  const text = refusalMessage(e);
  if (text !== undefined && e instanceof Error && e.message !== text) e.message = text;
  return e;
}

/** The requests of one SDK tool call, each tied to the call by its id. */
function requestsFor(
  name: string,
  input: unknown,
  toolCallId: string,
  options: GuardToolsOptions,
): Request[] {
  const requests = requestsForToolCall(name, input, options);
  return requests.map((r, i) => ({
    ...r,
    context: {
      ...(r.context ?? {}),
      [TOOL_CALL_ID]: toolCallId,
      ...(requests.length > 1 ? { [TOOL_CALL_INDEX]: i } : {}),
    },
  }));
}

/** Whether the history holds a `tool-approval-request` for this call. */
function approvalRequested(messages: readonly ModelMessage[], toolCallId: string): boolean {
  for (const m of messages) {
    if (m.role !== "assistant" || typeof m.content === "string") continue;
    for (const part of m.content) {
      if (part.type === "tool-approval-request" && part.toolCallId === toolCallId) return true;
    }
  }
  return false;
}

function callOf(r: ApprovalRecord): { id: unknown; index: number } {
  const context = (r.request as { context?: Record<string, unknown> }).context ?? {};
  const index = context[TOOL_CALL_INDEX];
  return { id: context[TOOL_CALL_ID], index: typeof index === "number" ? index : 0 };
}

/**
 * The approvals of a tool call by request index: approved, then pending, then used, denied or
 * expired; newest first. Answered ones are looked for among the latest few only: what is not
 * found is decided again (and, needing a human, asked again), never let through.
 */
async function approvalsFor(runplane: Runplane, toolCallId: string): Promise<Map<number, ApprovalRecord>> {
  const found = new Map<number, ApprovalRecord>();
  const look: [ApprovalStatus, number | undefined][] = [
    ["approved", undefined],
    ["pending", undefined],
    ["consumed", ANSWERED_LOOKBACK],
    ["denied", ANSWERED_LOOKBACK],
    ["expired", ANSWERED_LOOKBACK],
  ];
  for (const [status, limit] of look) {
    const records = await runplane.approvals.list(limit === undefined ? { status } : { status, limit });
    for (const r of records) {
      const call = callOf(r);
      if (call.id === toolCallId && !found.has(call.index)) found.set(call.index, r);
    }
  }
  return found;
}

const ANSWERED_LOOKBACK = 200;

/**
 * The Runplane approvals asked for one SDK tool call (one per request that needs a human), in
 * request order: for a UI that shows who must approve, or for `rplc approvals approve`.
 */
export async function approvalsForToolCall(
  runplane: Runplane,
  toolCallId: string,
): Promise<ApprovalRecord[]> {
  const found = await approvalsFor(runplane, toolCallId);
  return [...found].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/** Who answers: one identity, or one chosen per answer (from the SDK's approval response). */
export type Approver = Answer | ((answer: ApprovalAnswer) => Answer);

/** One `tool-approval-response` with the call it answers. */
export interface ApprovalAnswer {
  /** The SDK's approval id (not Runplane's). */
  readonly approvalId: string;
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  readonly approved: boolean;
  readonly reason?: string;
}

/** What `recordApprovals` did with one answer. */
export interface RecordedApproval extends ApprovalAnswer {
  /**
   * The Runplane approvals of the call and what became of each: `approved` / `denied` (recorded
   * now), or `unchanged` (no longer pending: answered before, used or expired; the guard reports
   * it when the call runs). Empty when the policy asked for no approval (the tool's own
   * `needsApproval` did).
   */
  readonly runplane: readonly { readonly id: string; readonly result: "approved" | "denied" | "unchanged" }[];
}

/**
 * Records the answers in the last message of `messages` (the `tool-approval-response` parts the
 * SDK will act on, as it reads them) in the Runplane store, as `approver`: the person the
 * application authenticated. Call it before `generateText` / `streamText` with the same messages
 * and the guarded tools. A denial is also written to the audit log (the SDK never calls execute
 * for it). Throws ApprovalError (`not_approver`, `no_identity`) when the person may not answer:
 * nothing of theirs is recorded for that approval, and the tool does not run.
 */
export async function recordApprovals(
  messages: readonly ModelMessage[],
  tools: ToolSet,
  approver: Approver,
): Promise<RecordedApproval[]> {
  const out: RecordedApproval[] = [];
  for (const answer of approvalAnswers(messages)) {
    const guard = guarded.get(tools[answer.toolName] as object);
    if (guard === undefined) {
      out.push({ ...answer, runplane: [] });
      continue;
    }
    const who = typeof approver === "function" ? approver(answer) : approver;
    const note = who.note ?? answer.reason;
    const answerAs: Answer = { by: who.by, roles: who.roles ?? [], ...(note === undefined ? {} : { note }) };
    const { runplane, options, name } = guard;
    const requests = requestsFor(name, answer.input, answer.toolCallId, options);
    const found = await approvalsFor(runplane, answer.toolCallId);
    const results: { id: string; result: "approved" | "denied" | "unchanged" }[] = [];
    for (const [index, record] of [...found].sort((a, b) => a[0] - b[0])) {
      if (record.status !== "pending") {
        results.push({ id: record.id, result: "unchanged" });
        continue;
      }
      try {
        if (answer.approved) await runplane.approvals.approve(record.id, answerAs);
        else await runplane.approvals.deny(record.id, answerAs);
      } catch (e) {
        if (e instanceof ApprovalError && (e.code === "not_pending" || e.code === "expired")) {
          results.push({ id: record.id, result: "unchanged" });
          continue;
        }
        throw e;
      }
      results.push({ id: record.id, result: answer.approved ? "approved" : "denied" });
      const request = requests[index];
      if (!answer.approved && request !== undefined) await recordDenial(runplane, record.id, request);
    }
    out.push({ ...answer, runplane: results });
  }
  return out;
}

/** Writes the denial to the audit log the way the guard does: resume refuses and records it. */
async function recordDenial(runplane: Runplane, id: string, request: Request): Promise<void> {
  try {
    await runplane.resume(id, request, notRun, { wait: false });
  } catch (e) {
    if (!(e instanceof ApprovalDeniedError || e instanceof BlockedError)) throw e;
  }
}

/**
 * The approval answers the SDK acts on: the `tool-approval-response` parts of the last message
 * when it is a tool message, each with its request and tool call, skipping calls that already
 * have a result and answers for provider-executed tools.
 */
export function approvalAnswers(messages: readonly ModelMessage[]): ApprovalAnswer[] {
  const last = messages.at(-1);
  if (last?.role !== "tool") return [];
  const calls = new Map<string, { toolName: string; input: unknown }>();
  const requests = new Map<string, string>();
  for (const m of messages) {
    if (m.role !== "assistant" || typeof m.content === "string") continue;
    for (const part of m.content) {
      if (part.type === "tool-call") calls.set(part.toolCallId, part);
      else if (part.type === "tool-approval-request") requests.set(part.approvalId, part.toolCallId);
    }
  }
  const results = new Set<string>();
  for (const part of last.content) if (part.type === "tool-result") results.add(part.toolCallId);
  const out: ApprovalAnswer[] = [];
  const seen = new Set<string>();
  for (const part of last.content) {
    if (part.type !== "tool-approval-response" || part.providerExecuted === true) continue;
    const toolCallId = requests.get(part.approvalId);
    if (toolCallId === undefined || results.has(toolCallId) || seen.has(toolCallId)) continue;
    const call = calls.get(toolCallId);
    if (call === undefined) continue;
    seen.add(toolCallId);
    out.push({
      approvalId: part.approvalId,
      toolCallId,
      toolName: call.toolName,
      input: call.input,
      approved: part.approved,
      ...(part.reason === undefined ? {} : { reason: part.reason }),
    });
  }
  return out;
}
