/**
 * What every framework adapter shares: one tool call (a name and JSON arguments) → the requests it
 * amounts to (src/stdlib/tool-map.ts) → `guard()` on each → the tool runs only if every one may.
 * The adapters (langchain, openai, vercel-ai, openai-agents, mcp-proxy, claude-code) differ only
 * in how a refusal reaches the model; this module gives them the words.
 *
 *   await guardToolCall(runplane, "write_file", { path: "a.txt", content: "x" }, () => write(…))
 *
 * Decisions where nobody else decides:
 * - A tool call that maps to several requests (`read_multiple_files`) runs only if all of them may
 *   run: the guards are nested, each request decided and recorded on its own, in order; the first
 *   refusal stops the rest (and is what the model reads).
 * - `approval: "wait"` (default) waits for a human like `guard()`; `"defer"` does not wait and
 *   throws ApprovalPendingError with the approval id, for frameworks with their own interrupt.
 * - Refusals (BLOCK, a denied, expired or pending approval) become a message for the model
 *   (`refusalMessage`). A failure of the runtime itself (RunplaneError: policy, store or audit) is
 *   not a refusal: the tool still does not run, and the error is thrown for the application.
 */
import type { Decision, Request } from "../engine/decision.js";
import { canonicalize } from "../runtime/canonical.js";
import { ApprovalDeniedError, ApprovalPendingError, BlockedError } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import { type ToolCallOptions, toolCallToRequests } from "../stdlib/tool-map.js";

export interface ToolGuardOptions extends ToolCallOptions {
  /** REQUIRE_APPROVAL: `"wait"` for a human (default), or `"defer"`: throw ApprovalPendingError at once. */
  readonly approval?: "wait" | "defer";
  /**
   * Replaces the standard mapping for some tools: return the request(s) for this call, or
   * undefined to use the standard mapping (src/stdlib/tool-map.ts).
   */
  readonly toRequest?: (name: string, input: unknown) => Request | readonly Request[] | undefined;
}

/** The requests one tool call amounts to (never empty). */
export function requestsForToolCall(name: string, input: unknown, options: ToolGuardOptions = {}): Request[] {
  const custom = options.toRequest?.(name, input);
  if (custom !== undefined) {
    const list = Array.isArray(custom) ? [...(custom as readonly Request[])] : [custom as Request];
    if (list.length > 0) return list.map((r) => withDefaults(r, options));
  }
  return toolCallToRequests(name, input, options);
}

function withDefaults(request: Request, options: ToolGuardOptions): Request {
  if (options.context === undefined && options.time === undefined) return request;
  const out: Request = { ...request };
  if (out.context === undefined && options.context !== undefined) out.context = options.context;
  if (out.time === undefined && options.time !== undefined) out.time = options.time;
  return out;
}

/**
 * Guards one tool call: `fn` runs only if every request of the call may run. Throws BlockedError,
 * ApprovalDeniedError or ApprovalPendingError (with `approval: "defer"`) otherwise, and
 * RunplaneError if the runtime itself failed.
 */
export async function guardToolCall<T>(
  runplane: Runplane,
  name: string,
  input: unknown,
  fn: () => T | Promise<T>,
  options: ToolGuardOptions = {},
): Promise<Awaited<T>> {
  const requests = requestsForToolCall(name, input, options);
  const wait = options.approval !== "defer";
  const step = (i: number): Promise<Awaited<T>> => {
    const request = requests[i];
    if (request === undefined) return Promise.resolve(fn()) as Promise<Awaited<T>>;
    return runplane.guard(request, () => step(i + 1), { wait }) as Promise<Awaited<T>>;
  };
  return step(0);
}

/** The decision for a tool call without running anything: the most severe of its requests'. */
export async function decideToolCall(
  runplane: Runplane,
  name: string,
  input: unknown,
  options: ToolGuardOptions = {},
): Promise<Decision> {
  const decisions: Decision[] = [];
  for (const request of requestsForToolCall(name, input, options)) {
    decisions.push(await runplane.decide(request));
  }
  return mostSevere(decisions);
}

const SEVERITY = { ALLOW: 0, REQUIRE_APPROVAL: 1, BLOCK: 2 } as const;

/** The most severe decision (BLOCK over REQUIRE_APPROVAL over ALLOW; the first of equals). */
export function mostSevere(decisions: readonly Decision[]): Decision {
  let worst: Decision | undefined;
  for (const d of decisions) {
    if (worst === undefined || SEVERITY[d.decision] > SEVERITY[worst.decision]) worst = d;
  }
  if (worst === undefined) throw new TypeError("mostSevere: no decisions");
  return worst;
}

/** Whether `e` is a refusal by the policy or a human (the model should read it), not a failure. */
export function isRefusal(e: unknown): e is BlockedError | ApprovalDeniedError | ApprovalPendingError {
  return e instanceof BlockedError || e instanceof ApprovalDeniedError || e instanceof ApprovalPendingError;
}

/**
 * The text a model reads when its tool call was refused, or undefined when `e` is not a refusal.
 * It says that the action did not run and whether retrying can help.
 */
export function refusalMessage(e: unknown): string | undefined {
  if (e instanceof BlockedError || e instanceof ApprovalDeniedError) return e.message;
  if (e instanceof ApprovalPendingError) {
    return `${e.message}. The action has not run; tell the user it is waiting for approval ${e.approvalId}.`;
  }
  return undefined;
}

/**
 * Whether a stored approval's request is for the same action with the same arguments as `request`
 * (context and time aside): how an integration finds the approval it asked for before. The digest
 * check of `resume` stays the authority; this only picks the candidate.
 */
export function sameAction(
  request: Request,
  stored: { readonly action?: unknown; readonly args?: unknown },
): boolean {
  if (stored.action !== request.action) return false;
  try {
    return canonicalize(stored.args ?? {}) === canonicalize(request.args ?? {});
  } catch {
    return false; // not JSON: cannot be the same request
  }
}
