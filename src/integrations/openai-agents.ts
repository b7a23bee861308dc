/**
 * Runplane for the OpenAI Agents SDK (`runplane/openai-agents`): the policy decides which tool
 * calls run, and Runplane's approvals drive the SDK's own human-in-the-loop interruptions.
 *
 *   const agent = new Agent({ name, model, tools: guardAgentTools([runSql, sendEmail], runplane) });
 *   let result = await run(agent, "clean up old accounts");
 *   while (result.interruptions.length > 0) {
 *     for (const item of result.interruptions) {
 *       await approveToolCall(runplane, result.state, item, { by: "alice", roles: ["dba"] });
 *       // or: await rejectToolCall(runplane, result.state, item, { by: "bob", note: "not today" });
 *     }
 *     result = await run(agent, result.state);
 *   }
 *
 * How one tool call goes (a tool wrapped by `guardAgentTools`):
 *   1. The SDK asks the tool's `needsApproval`. Runplane decides the call (`runplane.decide`,
 *      recorded with outcome `decided`). On REQUIRE_APPROVAL it stores a pending approval (recorded
 *      `pending`, announced through `notify` like any other) and answers yes: the run stops with
 *      an interruption. Otherwise it answers no (a BLOCK is refused in step 3, where it is recorded).
 *   2. The application answers the interruption with `approveToolCall` / `rejectToolCall`: the
 *      answer is given to Runplane first (`runplane.approvals.approve(id, { by, roles, note })`,
 *      which refuses someone who is not an approver) and then to the SDK (`state.approve(item)` /
 *      `state.reject(item, { message })`). A rejection is recorded `denied` with who denied it, and
 *      the model reads `approval ap-… was denied by bob: … — do not retry this action`.
 *   3. When the SDK runs the tool, the call goes through Runplane again: an approved call through
 *      `runplane.resume(id, …)` (recorded `approved` with the approver, then `executed`; used once),
 *      any other through `guard` (`executed` or `blocked`). A refusal is the tool's output — the
 *      model reads the reason — and the tool's own `invoke` never runs.
 *
 * Decisions where nobody else decides:
 * - Runplane's store, not the SDK's RunState, is where an approval is given. A call approved only
 *   in the SDK (`state.approve(item)` directly, or `alwaysApprove`) whose Runplane approval is still
 *   pending does not run: the model reads "waiting for approval ap-…". One approved with
 *   `rplc approvals approve` in a terminal and then with `state.approve(item)` runs.
 * - A step-3 REQUIRE_APPROVAL that step 1 did not see (a tool not wrapped, or a decision that
 *   changed) does not block the run loop: by default (`approval: "defer"`) the model reads that the
 *   call waits for approval ap-…. `approval: "wait"` waits for a human instead, like `guard()`.
 * - Each call leaves a `decided` record from step 1 before its `executed`/`blocked`/`pending`
 *   record: the SDK asks before it runs, and the runtime has no unrecorded decisions.
 * - The link between an SDK call id and its Runplane approvals lives in this process. Another
 *   process (a RunState restored after a restart) finds the approvals again in the store by the
 *   call's action and arguments; `resume` then checks the digest, so a wrong match cannot run.
 * - The policy judges the arguments as the SDK parsed them for `needsApproval`; the approved
 *   request is the one that is resumed, whatever the tool later does with its input.
 * - Only function tools are wrapped; hosted, computer, shell and apply-patch tools are returned
 *   as they are (they do not run in this process, or have their own approval hooks).
 * - `runplaneInputGuardrail` is for function tools you do not wrap: a tool input guardrail that
 *   refuses (`rejectContent`) what the policy blocks, with the reason the model reads. It guards a
 *   call but cannot run it, so its `executed` record means "let through", not how the tool fared.
 * - A failure of Runplane itself (RunplaneError: policy, store or audit) is thrown: the run fails
 *   and nothing runs.
 */
import {
  defineToolInputGuardrail,
  type FunctionTool,
  type RunContext,
  type RunState,
  type RunToolApprovalItem,
  type Tool,
  type ToolInputGuardrailDefinition,
} from "@openai/agents";
import type { Request } from "../engine/decision.js";
import type { Answer } from "../runtime/approvals/queue.js";
import type { ApprovalRecord, ApprovalStatus } from "../runtime/approvals/store.js";
import { ApprovalDeniedError, ApprovalPendingError, BlockedError } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import { toolInput } from "../stdlib/tool-map.js";
import {
  guardToolCall,
  isRefusal,
  refusalMessage,
  requestsForToolCall,
  sameAction,
  type ToolGuardOptions,
} from "./tool-guard.js";

export type { ToolGuardOptions } from "./tool-guard.js";

/** A refused call as the application sees it (the model sees `message`). */
export interface AgentRefusal {
  readonly tool: string;
  readonly callId?: string;
  /** BlockedError, ApprovalDeniedError or ApprovalPendingError. */
  readonly error: Error;
  readonly message: string;
  readonly approvalId?: string;
}

export interface AgentGuardOptions extends ToolGuardOptions {
  /**
   * A REQUIRE_APPROVAL met when the tool runs without an approval asked for through
   * `needsApproval`: `"defer"` (default) tells the model it waits; `"wait"` waits for a human.
   */
  readonly approval?: "wait" | "defer";
  /** Called for every refused call. */
  readonly onRefusal?: (refusal: AgentRefusal) => void;
}

/** The Runplane approvals behind one SDK tool call (by index of the call's requests). */
interface Link {
  readonly name: string;
  readonly requests: readonly Request[];
  readonly ids: ReadonlyMap<number, string>;
}

const linksByRuntime = new WeakMap<Runplane, Map<string, Link>>();

function linksOf(runplane: Runplane): Map<string, Link> {
  let links = linksByRuntime.get(runplane);
  if (links === undefined) {
    links = new Map();
    linksByRuntime.set(runplane, links);
  }
  return links;
}

const linkKey = (name: string, callId: string) => `${name}\u0000${callId}`;

function sameRequests(a: readonly Request[], b: readonly Request[]): boolean {
  return a.length === b.length && a.every((r, i) => b[i] !== undefined && sameAction(r, b[i]));
}

/** Thrown inside the guard that asks for an approval, in case the decision turned ALLOW meanwhile. */
class NotRunYet extends Error {
  override readonly name = "NotRunYet";
  constructor() {
    super("not run here: the tool call is decided again when the SDK runs it");
  }
}

/** The Runplane approvals in `statuses` for each request of a call, found in the store. */
async function findLink(
  runplane: Runplane,
  name: string,
  requests: readonly Request[],
  statuses: readonly ApprovalStatus[],
): Promise<Link | undefined> {
  const stored: ApprovalRecord[] = [];
  for (const status of statuses) stored.push(...(await runplane.approvals.list({ status })));
  stored.sort((a, b) => b.createdAt - a.createdAt);
  const ids = new Map<number, string>();
  requests.forEach((r, i) => {
    const found = stored.find((a) => a.policyHash === runplane.policyHash && sameAction(r, a.request));
    if (found !== undefined) ids.set(i, found.id);
  });
  return ids.size === 0 ? undefined : { name, requests, ids };
}

/**
 * The `needsApproval` the policy answers, for a tool you build yourself:
 *
 *   tool({ name: "run_sql", …, needsApproval: policyNeedsApproval(runplane, "run_sql") })
 *
 * Yes when the policy requires an approval for the call: a pending approval is then in Runplane's
 * store. (Such a tool's `invoke` is not guarded: use `guardAgentTools`, or add
 * `runplaneInputGuardrail`, so that what runs is checked too.)
 */
export function policyNeedsApproval(
  runplane: Runplane,
  toolName: string,
  options: AgentGuardOptions = {},
): (runContext: RunContext, input: unknown, callId?: string) => Promise<boolean> {
  return async (_runContext, input, callId) => {
    if (runplane.mode === "shadow") return false; // shadow mode stops nothing
    const requests = requestsForToolCall(toolName, input, options);
    const links = linksOf(runplane);
    const key = callId === undefined ? undefined : linkKey(toolName, callId);
    const known = key === undefined ? undefined : links.get(key);
    // Asked again before anyone answered (a run resumed with the interruption still open): the
    // same approval while it waits or was approved elsewhere; a new question once denied or expired.
    if (known !== undefined && key !== undefined) {
      if (sameRequests(known.requests, requests)) {
        for (const id of known.ids.values()) {
          const status = (await runplane.approvals.get(id))?.status;
          if (status === "pending" || status === "approved") return true;
        }
      }
      links.delete(key);
    }
    const decisions = [];
    for (const r of requests) decisions.push((await runplane.decide(r)).decision);
    if (decisions.includes("BLOCK") || !decisions.includes("REQUIRE_APPROVAL")) return false;
    const ids = new Map<number, string>();
    for (const [i, r] of requests.entries()) {
      if (decisions[i] !== "REQUIRE_APPROVAL") continue;
      try {
        await runplane.guard(
          r,
          () => {
            throw new NotRunYet();
          },
          { wait: false },
        );
      } catch (e) {
        if (e instanceof ApprovalPendingError) ids.set(i, e.approvalId);
        else if (e instanceof BlockedError)
          return false; // refused when the SDK runs it
        else if (!(e instanceof NotRunYet)) throw e;
      }
    }
    if (ids.size === 0) return false;
    if (key !== undefined) links.set(key, { name: toolName, requests, ids });
    return true;
  };
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Whether the SDK approved this call (then its Runplane approval may be in the store already). */
function approvedInSdk(context: RunContext | undefined, toolName: string, callId: string): boolean {
  try {
    return context?.isToolApproved({ toolName, callId }) === true;
  } catch {
    return false;
  }
}

/** One call through Runplane: resumed where an approval was asked for, guarded otherwise. */
async function guardCall<T>(
  runplane: Runplane,
  name: string,
  rawInput: unknown,
  callId: string | undefined,
  context: RunContext | undefined,
  fn: () => T | Promise<T>,
  options: AgentGuardOptions,
): Promise<Outcome<Awaited<T>>> {
  const links = linksOf(runplane);
  const key = callId === undefined ? undefined : linkKey(name, callId);
  let link = key === undefined ? undefined : links.get(key);
  if (link === undefined && callId !== undefined && approvedInSdk(context, name, callId)) {
    const requests = requestsForToolCall(name, toolInput(rawInput), options);
    link = await findLink(runplane, name, requests, ["approved", "pending"]);
  }
  const approval = options.approval ?? "defer";
  try {
    let value: Awaited<T>;
    if (link === undefined) {
      value = await guardToolCall(runplane, name, rawInput, fn, { ...options, approval });
    } else {
      const { requests, ids } = link;
      const wait = approval === "wait";
      const step = (i: number): Promise<Awaited<T>> => {
        const request = requests[i];
        if (request === undefined) return Promise.resolve(fn()) as Promise<Awaited<T>>;
        const id = ids.get(i);
        const next = () => step(i + 1);
        return (
          id === undefined
            ? runplane.guard(request, next, { wait })
            : runplane.resume(id, request, next, { wait })
        ) as Promise<Awaited<T>>;
      };
      value = await step(0);
    }
    return { ok: true, value };
  } catch (e) {
    const message = refusalMessage(e);
    if (message === undefined) throw e;
    options.onRefusal?.({
      tool: name,
      ...(callId === undefined ? {} : { callId }),
      error: e as Error,
      message,
      ...(e instanceof ApprovalPendingError ? { approvalId: e.approvalId } : {}),
    });
    return { ok: false, message };
  } finally {
    // A link serves one run of the call; a pending one is found again in the store if needed.
    if (key !== undefined) links.delete(key);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any function tool, whatever its context, parameters and result
type AnyFunctionTool = FunctionTool<any, any, any>;

function guardFunctionTool(tool: AnyFunctionTool, runplane: Runplane, options: AgentGuardOptions) {
  const policy = policyNeedsApproval(runplane, tool.name, options);
  const own = tool.needsApproval;
  const wrapped: AnyFunctionTool = {
    ...tool,
    // The policy first (it stores the pending approval), then the tool's own rule.
    needsApproval: async (runContext, input, callId) =>
      (await policy(runContext, input, callId)) || (await own(runContext, input, callId)),
    invoke: async (runContext, input, details) => {
      const callId = details?.toolCall?.callId;
      const out = await guardCall(
        runplane,
        tool.name,
        input,
        callId,
        runContext as RunContext,
        () => tool.invoke(runContext, input, details),
        options,
      );
      return out.ok ? out.value : out.message;
    },
  };
  return wrapped;
}

/**
 * The same tools with every function tool behind the policy: `needsApproval` answered by the
 * policy (a pending approval in Runplane's store when it says yes) and `invoke` guarded (resumed
 * once approved; a refusal is the tool's output). Other kinds of tools are returned unchanged.
 */
export function guardAgentTools<Tools extends readonly Tool[]>(
  tools: Tools,
  runplane: Runplane,
  options: AgentGuardOptions = {},
): Tools {
  return tools.map((t) =>
    t.type === "function" ? guardFunctionTool(t as AnyFunctionTool, runplane, options) : t,
  ) as unknown as Tools;
}

/**
 * A tool input guardrail from the policy, for function tools you do not wrap with
 * `guardAgentTools`: it lets a call through when the policy allows it (or a human approved it in
 * Runplane), and otherwise rejects it with the reason as the tool's output (`rejectContent`).
 *
 *   tool({ name: "get_weather", …, inputGuardrails: [runplaneInputGuardrail(runplane)] })
 */
export function runplaneInputGuardrail(
  runplane: Runplane,
  options: AgentGuardOptions = {},
): ToolInputGuardrailDefinition {
  return defineToolInputGuardrail({
    name: "runplane",
    run: async ({ context, toolCall }) => {
      const out = await guardCall(
        runplane,
        toolCall.name,
        toolCall.arguments,
        toolCall.callId,
        context as RunContext,
        () => undefined,
        // Never block the run loop from a guardrail: an approval is asked for and the model told.
        { ...options, approval: "defer" },
      );
      return out.ok
        ? { behavior: { type: "allow" } }
        : {
            behavior: { type: "rejectContent", message: out.message },
            outputInfo: { runplane: out.message },
          };
    },
  });
}

/** What `approveToolCall` / `rejectToolCall` need of a RunState. */
export interface ApprovalTarget {
  approve: RunState<unknown, never>["approve"];
  reject: RunState<unknown, never>["reject"];
}

/** The function call behind an interruption, or undefined for other kinds of tools. */
function callOf(item: RunToolApprovalItem): { name: string; callId: string; args: string } | undefined {
  const raw = item.rawItem;
  if (raw.type !== "function_call") return undefined;
  return { name: raw.name, callId: raw.callId, args: raw.arguments };
}

async function linkFor(
  runplane: Runplane,
  item: RunToolApprovalItem,
  options: AgentGuardOptions,
  statuses: readonly ApprovalStatus[],
): Promise<Link | undefined> {
  const call = callOf(item);
  if (call === undefined) return undefined;
  const known = linksOf(runplane).get(linkKey(call.name, call.callId));
  if (known !== undefined) return known;
  const requests = requestsForToolCall(call.name, toolInput(call.args), options);
  return findLink(runplane, call.name, requests, statuses);
}

/** The Runplane approvals behind an interruption (none when the policy did not ask for it). */
export async function approvalsFor(
  runplane: Runplane,
  item: RunToolApprovalItem,
  options: AgentGuardOptions = {},
): Promise<ApprovalRecord[]> {
  const link = await linkFor(runplane, item, options, ["pending", "approved"]);
  const out: ApprovalRecord[] = [];
  for (const id of link?.ids.values() ?? []) {
    const record = await runplane.approvals.get(id);
    if (record !== undefined) out.push(record);
  }
  return out;
}

/**
 * Approve an interruption: first in Runplane's store, as `answer.by` with `answer.roles` (an
 * ApprovalError with code `not_approver` if they may not, and the SDK state is left as it was),
 * then in the SDK (`state.approve(item)`). Returns the approved Runplane records (none for a call
 * that only the tool's own `needsApproval` stopped). Run the agent again with the state afterwards.
 */
export async function approveToolCall(
  runplane: Runplane,
  state: ApprovalTarget,
  item: RunToolApprovalItem,
  answer: Answer,
  options: AgentGuardOptions = {},
): Promise<ApprovalRecord[]> {
  const link = await linkFor(runplane, item, options, ["pending", "approved"]);
  const approved: ApprovalRecord[] = [];
  for (const id of link?.ids.values() ?? []) {
    // Already approved elsewhere (`rplc approvals approve`): nothing to add.
    const record = await runplane.approvals.get(id);
    approved.push(record?.status === "approved" ? record : await runplane.approvals.approve(id, answer));
  }
  const call = callOf(item);
  if (link !== undefined && call !== undefined) linksOf(runplane).set(linkKey(call.name, call.callId), link);
  state.approve(item);
  return approved;
}

/**
 * Reject an interruption: deny it in Runplane's store as `answer.by` (recorded `denied` in the
 * audit log with who denied it), then in the SDK with the denial as the message the model reads.
 * Returns that message.
 */
export async function rejectToolCall(
  runplane: Runplane,
  state: ApprovalTarget,
  item: RunToolApprovalItem,
  answer: Answer,
  options: AgentGuardOptions = {},
): Promise<string | undefined> {
  const link = await linkFor(runplane, item, options, ["pending"]);
  let message: string | undefined;
  for (const [i, id] of link?.ids ?? []) {
    await runplane.approvals.deny(id, answer);
    const request = link?.requests[i];
    if (request === undefined) continue;
    // Resuming a denied approval records the denial (with who denied it) and throws it.
    try {
      await runplane.resume(id, request, () => undefined, { wait: false });
    } catch (e) {
      if (!(e instanceof ApprovalDeniedError) && !isRefusal(e)) throw e;
      message ??= refusalMessage(e);
    }
  }
  const call = callOf(item);
  if (call !== undefined) linksOf(runplane).delete(linkKey(call.name, call.callId));
  state.reject(item, message === undefined ? undefined : { message });
  return message;
}
