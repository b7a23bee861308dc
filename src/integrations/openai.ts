/**
 * Runplane for the OpenAI SDK (`runplane/openai`): the model asks for tool calls, the policy
 * decides whether they run. Two places let a guard in:
 *
 *   // 1. client.chat.completions.runTools: the runner calls guarded functions
 *   const runner = client.chat.completions.runTools({
 *     model, messages,
 *     tools: guardRunnableTools([readFile, deleteFile], runplane),
 *   });
 *
 *   // 2. a hand-written loop: run the message's tool calls, append what comes back
 *   const message = completion.choices[0].message;
 *   messages.push(message, ...(await runToolCalls(message.tool_calls, handlers, runplane)));
 *
 * Decisions where nobody else decides:
 * - A refusal (BLOCK, a denied or expired approval, an approval not waited for) is the tool's
 *   result: the model reads the reason as the tool message's content and the function never runs.
 *   The runner is not stopped: the model can explain itself or try something else. A failure of
 *   Runplane itself (RunplaneError) is thrown, which ends `runTools` (it rethrows what a tool
 *   function throws), so nothing runs while the policy, store or audit log is broken.
 * - The policy judges what the function will receive: the parsed arguments when the tool has a
 *   `parse` (zodFunction, ParsingToolFunction), otherwise the model's JSON text (parsed for the
 *   request). Tool names map to requests through src/stdlib/tool-map.ts like every integration.
 * - REQUIRE_APPROVAL: `approval: "wait"` (default) holds the tool call until a human answers
 *   (the runner waits with it); `"defer"` answers at once with "waiting for approval ap-…" and the
 *   approval stays in the store, to be resumed with `resumeToolCall` once a human approved it.
 * - `runToolCalls` runs the calls of one message one after another, in order: each is decided
 *   and recorded in the order the model asked, and a human asked about one is not asked about
 *   the next while still answering. A call naming no handler is answered like `runTools` answers
 *   it (the model is told the names it may use) and no request is made.
 * - Custom tool calls (`type: "custom"`, free-form text input) are guarded too: their input
 *   becomes `{ input: "<text>" }` unless it is a JSON object.
 *
 * Only types are imported from `openai`: this entry adds no runtime dependency.
 */
import type { RunnableToolFunctionWithContext } from "openai/lib/RunnableFunction";
import type {
  ChatCompletionMessageToolCall,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import type { Decision, Request } from "../engine/decision.js";
import { ApprovalPendingError } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import { toolInput } from "../stdlib/tool-map.js";
import {
  decideToolCall,
  guardToolCall,
  isRefusal,
  refusalMessage,
  requestsForToolCall,
  sameAction,
  type ToolGuardOptions,
} from "./tool-guard.js";

export type { ToolGuardOptions } from "./tool-guard.js";

/** A refusal as the application sees it (the model sees `message`). */
export interface OpenAIRefusal {
  readonly tool: string;
  readonly input: unknown;
  /** BlockedError, ApprovalDeniedError or ApprovalPendingError. */
  readonly error: Error;
  /** What the model reads as the tool's result. */
  readonly message: string;
  /** The tool call's id (hand-written loops only; `runTools` does not pass it to functions). */
  readonly toolCallId?: string;
  /** With `approval: "defer"`: the approval to resume once a human answered. */
  readonly approvalId?: string;
}

export interface OpenAIGuardOptions extends ToolGuardOptions {
  /** Called for every refused tool call, e.g. to show the approval id to a human. */
  readonly onRefusal?: (refusal: OpenAIRefusal) => void;
}

type RunnableFn = (args: unknown, runner: unknown, toolContext: unknown) => unknown;

/** A tool `runTools` accepts: a RunnableToolFunction, or an auto-parseable tool (`zodFunction`). */
type RunnableLike = RunnableToolFunctionWithContext<never> | { readonly $brand: "auto-parseable-tool" };

function refused(
  e: unknown,
  tool: string,
  input: unknown,
  options: OpenAIGuardOptions,
  toolCallId?: string,
): string {
  const message = refusalMessage(e);
  if (message === undefined) throw e;
  const refusal: OpenAIRefusal = {
    tool,
    input,
    error: e as Error,
    message,
    ...(toolCallId === undefined ? {} : { toolCallId }),
    ...(e instanceof ApprovalPendingError ? { approvalId: e.approvalId } : {}),
  };
  options.onRefusal?.(refusal);
  return message;
}

/** `fn` behind the policy: the original runs only when every request of the call may run. */
function guardedFunction(
  name: string,
  fn: RunnableFn,
  runplane: Runplane,
  options: OpenAIGuardOptions,
): RunnableFn {
  return async (args, runner, toolContext) => {
    try {
      return await guardToolCall(runplane, name, args, () => fn(args, runner, toolContext), options);
    } catch (e) {
      return refused(e, name, args, options);
    }
  };
}

function isAutoParseable(tool: unknown): tool is {
  $brand: "auto-parseable-tool";
  $callback?: RunnableFn;
  function: { name: string };
} {
  return (
    typeof tool === "object" &&
    tool !== null &&
    (tool as { $brand?: unknown }).$brand === "auto-parseable-tool"
  );
}

/**
 * The same tools with every function guarded by the policy, for `client.chat.completions.runTools`.
 * Each call goes through `guardToolCall`; a refusal is returned as the tool's result (the model
 * reads it) and the original function does not run. Accepts RunnableToolFunctions
 * (`{ type: "function", function: { function, parse?, name?, … } }`) and `zodFunction(…)` tools.
 */
export function guardRunnableTools<Tools extends readonly RunnableLike[]>(
  tools: Tools,
  runplane: Runplane,
  options: OpenAIGuardOptions = {},
): Tools {
  return tools.map((tool) => {
    if (isAutoParseable(tool)) {
      const callback = tool.$callback;
      if (callback === undefined) return tool;
      // The same tool (its own non-enumerable properties kept) with only the callback replaced.
      const props = Object.getOwnPropertyDescriptors(tool);
      props.$callback = {
        ...props.$callback,
        value: guardedFunction(tool.function.name, callback, runplane, options),
      };
      const copy = Object.create(Object.getPrototypeOf(tool) as object | null, props) as typeof tool;
      return copy;
    }
    const t = tool as RunnableToolFunctionWithContext<never>;
    if (t.type !== "function") return tool;
    const fn = t.function.function as RunnableFn;
    const name = t.function.name ?? fn.name;
    return {
      ...t,
      function: { ...t.function, name, function: guardedFunction(name, fn, runplane, options) },
    };
  }) as unknown as Tools;
}

/** What a handler gets: the parsed JSON arguments (function tools) or the raw text (custom tools). */
export type ToolCallHandler = (
  args: Record<string, unknown> | string,
  call: ChatCompletionMessageToolCall,
) => unknown;

interface CallParts {
  readonly name: string;
  /** What the handler receives and the policy judges. */
  readonly args: Record<string, unknown> | string;
}

function partsOf(call: ChatCompletionMessageToolCall): CallParts {
  if (call.type === "custom") return { name: call.custom.name, args: call.custom.input };
  return { name: call.function.name, args: toolInput(call.function.arguments) };
}

/** A tool's result as message content: strings as they are, anything else as JSON. */
export function toolContent(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function unknownTool(name: string, handlers: Readonly<Record<string, ToolCallHandler>>): string {
  const names = Object.keys(handlers)
    .map((n) => JSON.stringify(n))
    .join(", ");
  return `Invalid tool_call: ${JSON.stringify(name)}. Available options are: ${names}. Please try again`;
}

/**
 * Runs the tool calls of one assistant message behind the policy and returns the `tool` messages
 * to append, one per call, in order: the handler's result, or the refusal the model should read.
 *
 *   const message = completion.choices[0].message;
 *   messages.push(message, ...(await runToolCalls(message.tool_calls, handlers, runplane)));
 */
export async function runToolCalls(
  toolCalls: readonly ChatCompletionMessageToolCall[] | null | undefined,
  handlers: Readonly<Record<string, ToolCallHandler>>,
  runplane: Runplane,
  options: OpenAIGuardOptions = {},
): Promise<ChatCompletionToolMessageParam[]> {
  const out: ChatCompletionToolMessageParam[] = [];
  for (const call of toolCalls ?? []) {
    const { name, args } = partsOf(call);
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    let content: string;
    if (handler === undefined) {
      content = unknownTool(name, handlers);
    } else {
      try {
        content = toolContent(await guardToolCall(runplane, name, args, () => handler(args, call), options));
      } catch (e) {
        if (!isRefusal(e)) throw e;
        content = refused(e, name, args, options, call.id);
      }
    }
    out.push({ role: "tool", tool_call_id: call.id, content });
  }
  return out;
}

/** One tool call and what the policy says about it. */
export interface ToolCallDecision {
  readonly call: ChatCompletionMessageToolCall;
  readonly name: string;
  readonly args: Record<string, unknown> | string;
  /** The requests the call amounts to (usually one). */
  readonly requests: readonly Request[];
  /** The most severe decision of its requests. */
  readonly decision: Decision;
}

/**
 * What the policy says about each tool call, without running anything (each request is recorded
 * with outcome `decided`). For showing a human what an assistant message would do.
 */
export async function decideToolCalls(
  toolCalls: readonly ChatCompletionMessageToolCall[] | null | undefined,
  runplane: Runplane,
  options: ToolGuardOptions = {},
): Promise<ToolCallDecision[]> {
  const out: ToolCallDecision[] = [];
  for (const call of toolCalls ?? []) {
    const { name, args } = partsOf(call);
    out.push({
      call,
      name,
      args,
      requests: requestsForToolCall(name, args, options),
      decision: await decideToolCall(runplane, name, args, options),
    });
  }
  return out;
}

/**
 * A deferred tool call (`approval: "defer"`), once a human answered approval `approvalId`: runs
 * the handler if it was approved (once) and returns the `tool` message for the call, or the
 * refusal (denied, expired, already used, or still waiting). Give the same tool call again: the
 * approval is bound to the request, and another request is refused.
 *
 * A call that amounts to several requests (`read_multiple_files`) is resumed for the request the
 * approval was asked for; the others are decided again (an approval asked for later stops it again).
 */
export async function resumeToolCall(
  approvalId: string,
  call: ChatCompletionMessageToolCall,
  handlers: Readonly<Record<string, ToolCallHandler>>,
  runplane: Runplane,
  options: OpenAIGuardOptions = {},
): Promise<ChatCompletionToolMessageParam> {
  const { name, args } = partsOf(call);
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (handler === undefined) {
    return { role: "tool", tool_call_id: call.id, content: unknownTool(name, handlers) };
  }
  const requests = requestsForToolCall(name, args, options);
  const approval = await runplane.approvals.get(approvalId);
  const asked = approval === undefined ? -1 : requests.findIndex((r) => sameAction(r, approval.request));
  const wait = options.approval !== "defer";
  const step = (i: number): Promise<unknown> => {
    const request = requests[i];
    if (request === undefined) return Promise.resolve(handler(args, call));
    const next = () => step(i + 1);
    // An unknown id, or one asked for another request: resume refuses it (and records why).
    if (i === Math.max(asked, 0)) return runplane.resume(approvalId, request, next, { wait });
    return runplane.guard(request, next, { wait });
  };
  let content: string;
  try {
    content = toolContent(await step(0));
  } catch (e) {
    if (!isRefusal(e)) throw e;
    content = refused(e, name, args, options, call.id);
  }
  return { role: "tool", tool_call_id: call.id, content };
}

/** Whether a stored approval's request is for `request`'s action and arguments. */
