/**
 * Claude Code's PreToolUse hook (`runplane/claude-code`, and `rplc hook claude-code`): one tool
 * call Claude Code is about to make → the requests it amounts to (the shared mapping,
 * src/stdlib/tool-map.ts) → the policy's decision → the hook's answer.
 *
 *   const answer = await answerPreToolUse(JSON.parse(stdin), runplane);
 *   process.stdout.write(answer.stdout); process.stderr.write(answer.stderr);
 *   process.exitCode = answer.exitCode;
 *
 * The protocol (https://code.claude.com/docs/en/hooks, "PreToolUse decision control"): the hook
 * reads one JSON object on stdin (`session_id`, `transcript_path`, `cwd`, `permission_mode`,
 * `hook_event_name`, `tool_name`, `tool_input`, `tool_use_id`) and answers by exiting 0 with
 * `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":…,
 * "permissionDecisionReason":…}}` on stdout, or by exiting 2, which blocks the call and shows
 * stderr to Claude. Any other exit code, a crash or a timeout does NOT block the call.
 *
 * Decisions where nobody else decides:
 * - ALLOW → `"allow"` (Claude Code then skips its own permission prompt; its deny and ask rules
 *   still apply). `onAllow: "pass"` answers nothing instead (exit 0, empty stdout: Claude Code's
 *   normal permission flow decides), for users who want Runplane to only ever take away.
 * - BLOCK → `"deny"` with the refusal message as the reason, which Claude Code shows to the
 *   model ("… — do not retry this action").
 * - REQUIRE_APPROVAL → `"ask"` (default `approval: "ask"`): Claude Code asks the person at the
 *   terminal, whoever that is; the policy's `approvers` are not enforced. `approval: "wait"`
 *   asks for a Runplane approval instead (store, `rplc approvals approve`), waits for it until
 *   `deadline`, and answers allow (approved) or deny (denied, expired, still pending).
 * - A payload that is not a PreToolUse payload, or a runtime failure: exit 2 with the reason on
 *   stderr (fail closed). Exit 2 rather than a JSON deny because it does not depend on our stdout
 *   being read as JSON.
 * - The request's `context` is `{ agent: "claude-code", session_id, permission_mode }` over the
 *   caller's `context`; `cwd` is the payload's `cwd` (the mapping's working directory). The
 *   `tool_use_id` is left out so a retried call has the same approval digest as the first.
 * - Audit: every request is decided with `runplane.decide` (outcome `decided`, one record per
 *   request). `approval: "wait"` adds the approval's records (`pending`, then `approved` and
 *   `executed` — the hook let the call through — or `denied`/`expired`).
 */
import type { Decision, Request } from "../engine/decision.js";
import { isObject } from "../engine/values.js";
import { approvalDigest } from "../runtime/canonical.js";
import {
  ApprovalDeniedError,
  ApprovalPendingError,
  BlockedError,
  decisiveReasons,
  messageOf,
} from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import { mostSevere, refusalMessage, requestsForToolCall, type ToolGuardOptions } from "./tool-guard.js";

/** What Claude Code writes on the hook's stdin for a PreToolUse event. */
export interface PreToolUsePayload {
  readonly session_id?: string;
  readonly transcript_path?: string;
  readonly cwd?: string;
  readonly permission_mode?: string;
  readonly hook_event_name: "PreToolUse";
  readonly tool_name: string;
  readonly tool_input?: unknown;
  readonly tool_use_id?: string;
}

export type PermissionDecision = "allow" | "deny" | "ask";

/** The JSON the hook prints (exit 0). */
export interface PreToolUseOutput {
  readonly hookSpecificOutput: {
    readonly hookEventName: "PreToolUse";
    readonly permissionDecision: PermissionDecision;
    readonly permissionDecisionReason: string;
  };
}

/** The hook's whole answer: what to print and the exit code. */
export interface HookAnswer {
  /** 0: `stdout` holds the answer (or nothing: no opinion). 2: blocked, `stderr` says why. */
  readonly exitCode: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON printed on stdout, when there is one. */
  readonly output?: PreToolUseOutput;
  /** The policy's decision (the most severe of the call's requests), when there was one. */
  readonly decision?: Decision;
}

export interface ClaudeCodeHookOptions extends Pick<ToolGuardOptions, "toRequest" | "tools" | "time"> {
  /** ALLOW: `"allow"` (default) says allow; `"pass"` says nothing (Claude Code's own flow decides). */
  readonly onAllow?: "allow" | "pass";
  /** REQUIRE_APPROVAL: `"ask"` the user in Claude Code (default), or `"wait"` for a Runplane approval. */
  readonly approval?: "ask" | "wait";
  /** `approval: "wait"`: stop waiting at this time (ms since the epoch) and deny. Default: in 5 minutes. */
  readonly deadline?: number;
  /** `approval: "wait"`: how often to look at the store (ms, default 250). */
  readonly pollMs?: number;
  /** Decide and record, but answer nothing (exit 0, empty stdout): a trial run of a policy. */
  readonly shadow?: boolean;
  /** Merged under the hook's own context keys (`agent` may be overridden here). */
  readonly context?: Record<string, unknown>;
}

const PREFIX = "Runplane";

/** Exit 2 with `message` on stderr: Claude Code blocks the call and shows the message to Claude. */
export function refuse(message: string): HookAnswer {
  return { exitCode: 2, stdout: "", stderr: `${PREFIX}: ${message}: the tool call is refused\n` };
}

function answer(decision: PermissionDecision, reason: string, from?: Decision): HookAnswer {
  const output: PreToolUseOutput = {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: decision,
      permissionDecisionReason: reason,
    },
  };
  return {
    exitCode: 0,
    stdout: `${JSON.stringify(output)}\n`,
    stderr: "",
    output,
    ...(from === undefined ? {} : { decision: from }),
  };
}

function noOpinion(decision: Decision): HookAnswer {
  return { exitCode: 0, stdout: "", stderr: "", decision };
}

/**
 * Checks that `payload` is a PreToolUse payload; returns it, or the reason it is not. Unknown
 * extra fields are allowed (Claude Code adds fields over time).
 */
export function checkPayload(payload: unknown): PreToolUsePayload | string {
  if (!isObject(payload)) return "the hook input is not a JSON object";
  const event = payload.hook_event_name;
  if (event !== "PreToolUse") {
    return typeof event === "string"
      ? `this hook answers PreToolUse events, not ${event} (install it under hooks.PreToolUse)`
      : "the hook input has no hook_event_name: it is not a Claude Code PreToolUse payload";
  }
  if (typeof payload.tool_name !== "string" || payload.tool_name === "") {
    return "the PreToolUse payload has no tool_name";
  }
  for (const key of ["session_id", "cwd", "permission_mode", "tool_use_id"] as const) {
    if (payload[key] !== undefined && typeof payload[key] !== "string") {
      return `the PreToolUse payload's ${key} is not a string`;
    }
  }
  return payload as unknown as PreToolUsePayload;
}

/** Standard input's text → the payload, or the reason it is not one. */
export function parsePayload(text: string): PreToolUsePayload | string {
  if (text.trim() === "")
    return "the hook got nothing on standard input (expected Claude Code's PreToolUse JSON)";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `the hook input is not valid JSON (${messageOf(e)})`;
  }
  return checkPayload(value);
}

/** The context of the call's requests. */
export function hookContext(
  payload: PreToolUsePayload,
  extra: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const context: Record<string, unknown> = { agent: "claude-code", ...extra };
  if (payload.session_id !== undefined) context.session_id = payload.session_id;
  if (payload.permission_mode !== undefined) context.permission_mode = payload.permission_mode;
  return context;
}

/** The requests one PreToolUse payload amounts to (the shared mapping, with the payload's cwd). */
export function requestsForPreToolUse(
  payload: PreToolUsePayload,
  options: ClaudeCodeHookOptions = {},
): Request[] {
  return requestsForToolCall(payload.tool_name, payload.tool_input ?? {}, guardOptions(payload, options));
}

function guardOptions(payload: PreToolUsePayload, options: ClaudeCodeHookOptions): ToolGuardOptions {
  return {
    context: hookContext(payload, options.context),
    ...(payload.cwd === undefined ? {} : { cwd: payload.cwd }),
    ...(options.time === undefined ? {} : { time: options.time }),
    ...(options.tools === undefined ? {} : { tools: options.tools }),
    ...(options.toRequest === undefined ? {} : { toRequest: options.toRequest }),
  };
}

function approvers(decision: Decision): string {
  const list = decision.approval?.approvers ?? [];
  return list.length > 0 ? ` (the policy names approvers: ${list.join(", ")})` : "";
}

/**
 * The hook's answer to one payload. Never throws: a payload that is not a PreToolUse payload, or
 * a failure of the runtime (policy, store, audit), is answered with exit 2.
 */
export async function answerPreToolUse(
  payload: unknown,
  runplane: Runplane,
  options: ClaudeCodeHookOptions = {},
): Promise<HookAnswer> {
  const checked = checkPayload(payload);
  if (typeof checked === "string") return refuse(checked);
  try {
    const requests = requestsForPreToolUse(checked, options);
    const decisions: Decision[] = [];
    for (const request of requests) decisions.push(await runplane.decide(request));
    const decision = mostSevere(decisions);
    if (options.shadow === true) return noOpinion(decision);
    switch (decision.decision) {
      case "ALLOW":
        if (options.onAllow === "pass") return noOpinion(decision);
        return answer("allow", `${PREFIX}: allowed: ${decisiveReasons(decision).join("; ")}`, decision);
      case "BLOCK":
        return answer("deny", denyReason(checked, requests[decisions.indexOf(decision)], decision), decision);
      case "REQUIRE_APPROVAL":
        if (options.approval === "wait")
          return await waitForApprovals(runplane, requests, decisions, options);
        return answer(
          "ask",
          `${PREFIX}: approval required: ${decisiveReasons(decision).join("; ")}${approvers(decision)}`,
          decision,
        );
    }
  } catch (e) {
    return refuse(`the policy could not decide this call (${messageOf(e)})`);
  }
}

/**
 * The deny reason. A tool the mapping does not know (action `tool.<name>`) that no rule covers is
 * blocked by the policy's default: say which tool, since "the default for this action" alone does
 * not tell the model or the user what to declare.
 */
function denyReason(payload: PreToolUsePayload, request: Request | undefined, decision: Decision): string {
  const action = request?.action ?? "";
  if (action.startsWith("tool.") && decision.matched.length === 0 && decision.errors.length === 0) {
    return `${PREFIX}: blocked by policy: no rule covers the tool ${payload.tool_name} (action ${action}) and the policy's default for it is block — do not retry this action`;
  }
  return `${PREFIX}: ${refusalMessage(new BlockedError(decision))}`;
}

const noop = (): undefined => undefined;

/** An approval asked for earlier for the same request (a retried call): approved first, then pending. */
async function earlierApproval(runplane: Runplane, request: Request): Promise<string | undefined> {
  const digest = approvalDigest(request as unknown as Record<string, unknown>, runplane.policyHash);
  const now = Date.now();
  for (const status of ["approved", "pending"] as const) {
    const found = (await runplane.approvals.list({ status })).find(
      (r) => r.digest === digest && r.expiresAt > now,
    );
    if (found !== undefined) return found.id;
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `approval: "wait"`: each request that needs a human gets a Runplane approval (or reuses one
 * asked for the same request earlier), and the hook waits for the answers until the deadline.
 */
async function waitForApprovals(
  runplane: Runplane,
  requests: readonly Request[],
  decisions: readonly Decision[],
  options: ClaudeCodeHookOptions,
): Promise<HookAnswer> {
  const deadline = options.deadline ?? Date.now() + 5 * 60_000;
  const pollMs = options.pollMs ?? 250;
  const approved: string[] = [];
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    if (decisions[i]!.decision !== "REQUIRE_APPROVAL") continue;
    let id = await earlierApproval(runplane, request);
    if (id === undefined) {
      try {
        await runplane.guard(request, noop, { wait: false });
        continue; // decided ALLOW this time (the policy reads the clock)
      } catch (e) {
        if (e instanceof BlockedError) return answer("deny", `${PREFIX}: ${refusalMessage(e)}`, e.decision);
        if (!(e instanceof ApprovalPendingError)) throw e;
        id = e.approvalId;
      }
    }
    for (;;) {
      const record = await runplane.approvals.get(id);
      if (record?.status !== "pending" || Date.now() >= deadline || record.expiresAt <= Date.now()) break;
      await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
    }
    try {
      await runplane.resume(id, request, noop, { wait: false });
      const record = await runplane.approvals.get(id);
      approved.push(record?.answeredBy === undefined ? id : `${id} by ${record.answeredBy}`);
    } catch (e) {
      if (e instanceof ApprovalPendingError) {
        return answer(
          "deny",
          `${PREFIX}: approval ${id} is still pending: ${decisiveReasons(e.decision).join("; ")}. The call has not run; ask the user to approve it (rplc approvals approve ${id} --by USER) and then retry it.`,
          e.decision,
        );
      }
      if (e instanceof ApprovalDeniedError || e instanceof BlockedError) {
        return answer("deny", `${PREFIX}: ${refusalMessage(e)}`, mostSevere(decisions));
      }
      throw e;
    }
  }
  return answer("allow", `${PREFIX}: approved (${approved.join(", ")})`, mostSevere(decisions));
}
