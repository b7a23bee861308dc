/**
 * Runplane for LangChain (`runplane/langchain`): every tool call of a LangChain agent goes through
 * the policy before the tool runs. Two ways in, with the same semantics:
 *
 *   guardTools(tools, runplane, options?)       new tools (same name, description and schema)
 *   runplaneMiddleware(runplane, options?)      `createAgent({ middleware: [...] })`: every tool call
 *
 *   const agent = createAgent({ model, tools, middleware: [runplaneMiddleware(runplane)] });
 *
 * ALLOW: the tool runs and the model reads its output. BLOCK, or an approval denied or expired:
 * the tool does not run and the model reads why (a ToolMessage with status "error" when LangChain
 * gives a tool call id, else the text). REQUIRE_APPROVAL, by `approval`:
 *   "wait" (default)  the tool call waits for a human who answers in the Runplane store
 *                     (`runplane.approvals.approve`, `rplc approvals approve`);
 *   "defer"           the model reads at once that the call waits for approval ap-…;
 *   "interrupt"       the graph stops with a LangGraph interrupt carrying the approval
 *                     (`ApprovalInterrupt`); resuming with `new Command({ resume })` runs the tool
 *                     through `runplane.resume` once the approval is approved.
 *
 * Decisions where nobody else decides (docs/integrations/langchain.md has the long form):
 * - The middleware judges the arguments the model sent; guardTools judges them after the tool's
 *   schema parsed them (defaults filled in). Use one of the two, not both: both would decide (and
 *   record) each call twice.
 * - Interrupt mode and LangGraph's replays: a resumed graph runs the interrupted tool call again
 *   from its start. The approval asked for the first time is remembered in this process by thread
 *   and tool call id, so the replay goes to the interrupt (which now returns the resume value)
 *   instead of asking Runplane for a second approval. After a process restart the memory is gone:
 *   the replay asks for a new approval (the old one expires unused).
 * - The resume value may carry the human's answer (`ApprovalAnswer`), applied with
 *   `runplane.approvals.approve/deny` (so the policy's approvers are enforced), or nothing, when
 *   the answer was given in the Runplane store. An answer Runplane refuses (not an approver), or a
 *   resume before anyone answered, interrupts again with `error` saying why.
 * - Without an interrupt (a tool invoked outside a graph, or no tool call id) interrupt mode acts
 *   like "defer".
 * - A failure of the runtime itself (RunplaneError) is not a refusal: it is thrown, nothing runs.
 */
import { ToolMessage } from "@langchain/core/messages";
import {
  type DynamicStructuredTool,
  type DynamicTool,
  type StructuredToolInterface,
  Tool,
  type ToolRunnableConfig,
  tool,
} from "@langchain/core/tools";
import { type AgentMiddleware, createMiddleware } from "langchain";
import type { Request } from "../engine/decision.js";
import { ApprovalError, ApprovalPendingError, decisiveReasons } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import {
  guardToolCall,
  isRefusal,
  refusalMessage,
  requestsForToolCall,
  type ToolGuardOptions,
} from "./tool-guard.js";

export interface LangChainGuardOptions extends Omit<ToolGuardOptions, "approval"> {
  /**
   * REQUIRE_APPROVAL: `"wait"` for a human in the Runplane store (default), `"defer"`: the model
   * reads that the call waits for approval, `"interrupt"`: a LangGraph interrupt.
   */
  readonly approval?: "wait" | "defer" | "interrupt";
}

/** The value of the LangGraph interrupt raised in `approval: "interrupt"` mode. */
export interface ApprovalInterrupt {
  readonly type: "runplane.approval";
  /** The approval in the Runplane store (`runplane.approvals.get(id)`). */
  readonly approvalId: string;
  readonly toolCall: { readonly id: string; readonly name: string; readonly args: unknown };
  /** The request that needs the approval (before the runtime's context is merged in). */
  readonly request: Request;
  /** What the approval asks for, in words (ApprovalPendingError's message). */
  readonly message: string;
  readonly reasons: readonly string[];
  /** Who may approve (role names or user ids); empty: anyone identified. */
  readonly approvers: readonly string[];
  readonly expiresAt: string;
  /** Why the previous resume did not let the call run (not an approver, nobody answered yet). */
  readonly error?: string;
}

/** A human's answer, given as the resume value: `new Command({ resume: answer })`. */
export interface ApprovalAnswer {
  readonly decision: "approve" | "deny";
  readonly by: string;
  readonly roles?: readonly string[];
  readonly note?: string;
}

/** How much interrupt-mode state one guard keeps (approvals waiting for a resume). */
const MEMO_LIMIT = 1000;

interface Pending {
  readonly payload: ApprovalInterrupt;
  /** The approval was used and this request let through: a later replay goes straight on. */
  passed: boolean;
}

interface CallInfo {
  readonly name: string;
  readonly input: unknown;
  readonly toolCallId?: string | undefined;
  readonly threadId?: string | undefined;
  readonly interrupt?: ((value: unknown) => unknown) | undefined;
}

type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The guard both entry points share: one call → the tool's result, or the refusal's text. */
class LangChainGuard {
  private readonly memo = new Map<string, Pending>();

  constructor(
    private readonly runplane: Runplane,
    private readonly options: LangChainGuardOptions,
  ) {}

  async run<T>(call: CallInfo, fn: () => Promise<T>): Promise<Guarded<T>> {
    const { approval, ...rest } = this.options;
    const interrupt = call.interrupt;
    try {
      if (approval === "interrupt" && interrupt !== undefined && call.toolCallId !== undefined) {
        return { ok: true, value: await this.interruptible(call, interrupt, call.toolCallId, fn) };
      }
      const value = await guardToolCall(this.runplane, call.name, call.input, fn, {
        ...rest,
        approval: approval === "wait" || approval === undefined ? "wait" : "defer",
      });
      return { ok: true, value };
    } catch (e) {
      const message = isRefusal(e) ? refusalMessage(e) : undefined;
      if (message === undefined) throw e;
      return { ok: false, message };
    }
  }

  /**
   * Interrupt mode: each request of the call guarded in turn (the first refusal stops the rest);
   * a request that needs a human raises a LangGraph interrupt, and the replay after the resume
   * enters `settle` instead of asking Runplane again.
   */
  private async interruptible<T>(
    call: CallInfo,
    interrupt: (value: unknown) => unknown,
    toolCallId: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const { approval: _, ...rest } = this.options;
    const requests = requestsForToolCall(call.name, call.input, rest);
    const keys = requests.map((_r, i) => `${call.threadId ?? ""}\u0000${toolCallId}\u0000${i}`);
    let pausing = false;
    const ask = (value: ApprovalInterrupt): unknown => {
      pausing = true;
      const answer = interrupt(value); // throws GraphInterrupt until the graph is resumed
      pausing = false;
      return answer;
    };

    const step = async (i: number): Promise<T> => {
      const request = requests[i];
      const key = keys[i];
      if (request === undefined || key === undefined) return fn();
      let pending = this.memo.get(key);
      if (pending === undefined) {
        try {
          return await this.runplane.guard(request, () => step(i + 1), { wait: false });
        } catch (e) {
          // Later requests interrupt rather than throw ApprovalPendingError: this one is ours.
          if (!(e instanceof ApprovalPendingError) || this.memo.has(key)) throw e;
          pending = { payload: interruptValue(e, request, call, toolCallId), passed: false };
          this.remember(key, pending);
        }
      }
      return this.settle(pending, request, ask, () => step(i + 1));
    };

    try {
      return await step(0);
    } finally {
      // A pause keeps what the replay needs; anything else ends the call.
      if (!pausing) for (const k of keys) this.memo.delete(k);
    }
  }

  /** After the interrupt: apply the answer in the resume value, then resume the approval. */
  private async settle<T>(
    pending: Pending,
    request: Request,
    ask: (value: ApprovalInterrupt) => unknown,
    next: () => Promise<T>,
  ): Promise<T> {
    const id = pending.payload.approvalId;
    let error: string | undefined;
    for (;;) {
      const answer = ask(error === undefined ? pending.payload : { ...pending.payload, error });
      error = await this.apply(id, answer);
      if (error !== undefined) continue;
      if (pending.passed) return next();
      try {
        return await this.runplane.resume(
          id,
          request,
          () => {
            pending.passed = true;
            return next();
          },
          { wait: false },
        );
      } catch (e) {
        if (!(e instanceof ApprovalPendingError) || e.approvalId !== id || pending.passed) throw e;
        error = `nobody has answered approval ${id} yet: answer it (runplane.approvals.approve or rplc approvals approve), or resume with { decision, by, roles }`;
      }
    }
  }

  /** The answer carried by a resume value, given to Runplane; a refused answer's reason. */
  private async apply(id: string, answer: unknown): Promise<string | undefined> {
    if (!isAnswer(answer)) return undefined;
    const who = {
      by: answer.by,
      ...(answer.roles === undefined ? {} : { roles: answer.roles }),
      ...(answer.note === undefined ? {} : { note: answer.note }),
    };
    try {
      if (answer.decision === "approve") await this.runplane.approvals.approve(id, who);
      else await this.runplane.approvals.deny(id, who);
      return undefined;
    } catch (e) {
      // Answered already (elsewhere, or by this answer before a replay), expired or unknown:
      // resuming the approval says what became of it.
      if (!(e instanceof ApprovalError)) throw e;
      if (e.code === "not_approver" || e.code === "no_identity") return e.message;
      return undefined;
    }
  }

  private remember(key: string, pending: Pending): void {
    if (this.memo.size >= MEMO_LIMIT) {
      const oldest = this.memo.keys().next();
      if (oldest.done !== true) this.memo.delete(oldest.value);
    }
    this.memo.set(key, pending);
  }
}

function interruptValue(
  e: ApprovalPendingError,
  request: Request,
  call: CallInfo,
  toolCallId: string,
): ApprovalInterrupt {
  return {
    type: "runplane.approval",
    approvalId: e.approvalId,
    toolCall: { id: toolCallId, name: call.name, args: call.input },
    request,
    message: e.message,
    reasons: decisiveReasons(e.decision),
    approvers: e.decision.approval?.approvers ?? [],
    expiresAt: e.expiresAt,
  };
}

function isAnswer(v: unknown): v is ApprovalAnswer {
  if (typeof v !== "object" || v === null) return false;
  const a = v as Record<string, unknown>;
  return (a.decision === "approve" || a.decision === "deny") && typeof a.by === "string";
}

/** Whether a resume value or interrupt value is Runplane's (for applications that have several). */
export function isApprovalInterrupt(value: unknown): value is ApprovalInterrupt {
  return (
    typeof value === "object" && value !== null && (value as { type?: unknown }).type === "runplane.approval"
  );
}

/** What LangGraph puts in a tool's config besides RunnableConfig (langchain's ToolNode). */
interface GraphToolConfig extends ToolRunnableConfig {
  readonly toolCallId?: string;
  readonly interrupt?: (value: unknown) => unknown;
}

function refusalOutput(message: string, name: string, toolCallId: string | undefined): string | ToolMessage {
  if (toolCallId === undefined || toolCallId === "") return message;
  return new ToolMessage({ content: message, tool_call_id: toolCallId, name, status: "error" });
}

function guardOne(original: StructuredToolInterface, guard: LangChainGuard): StructuredToolInterface {
  const invoke = async (input: unknown, config: GraphToolConfig): Promise<unknown> => {
    const call = config.toolCall;
    const toolCallId = call?.id ?? config.toolCallId;
    const result = await guard.run(
      {
        name: original.name,
        input,
        toolCallId,
        threadId: threadOf(config.configurable),
        interrupt: config.interrupt,
      },
      // With the tool call, the original formats its own ToolMessage (artifacts included).
      () =>
        original.invoke(
          (call === undefined ? input : { ...call, type: "tool_call" }) as never,
          config as ToolRunnableConfig,
        ) as Promise<unknown>,
    );
    return result.ok ? result.value : refusalOutput(result.message, original.name, toolCallId);
  };

  const metadata = (original as { metadata?: Record<string, unknown> }).metadata;
  const fields = {
    name: original.name,
    description: original.description,
    returnDirect: original.returnDirect,
    ...(metadata === undefined ? {} : { metadata }),
  };
  if (original instanceof Tool) {
    // A string-input tool stays one (it accepts a bare string).
    return tool((input: string, config) => invoke(input, config as GraphToolConfig), {
      ...fields,
      schema: { type: "string" },
    }) as unknown as DynamicTool;
  }
  return tool((input: unknown, config) => invoke(input, config as GraphToolConfig), {
    ...fields,
    schema: original.schema as never,
  }) as unknown as DynamicStructuredTool;
}

function threadOf(configurable: Record<string, unknown> | undefined): string | undefined {
  const id = configurable?.thread_id;
  return typeof id === "string" ? id : typeof id === "number" ? String(id) : undefined;
}

/**
 * New tools with the same name, description and schema whose every call goes through the policy
 * first (`guardToolCall(runplane, tool.name, args, …)`). A refused call never runs the original
 * tool; the model reads why.
 */
export function guardTools(
  tools: readonly StructuredToolInterface[],
  runplane: Runplane,
  options: LangChainGuardOptions = {},
): StructuredToolInterface[] {
  const guard = new LangChainGuard(runplane, options);
  return tools.map((t) => guardOne(t, guard));
}

/**
 * Agent middleware for `createAgent` that guards every tool call (`wrapToolCall`). A refused call
 * becomes a ToolMessage with status "error" carrying the reason; the tool never runs.
 */
export function runplaneMiddleware(runplane: Runplane, options: LangChainGuardOptions = {}): AgentMiddleware {
  const guard = new LangChainGuard(runplane, options);
  return createMiddleware({
    name: "runplane",
    wrapToolCall: async (request, handler) => {
      const { toolCall, runtime } = request;
      const result = await guard.run(
        {
          name: toolCall.name,
          input: toolCall.args,
          toolCallId: toolCall.id,
          threadId: threadOf(runtime.configurable),
          interrupt: runtime.interrupt as ((value: unknown) => unknown) | undefined,
        },
        async () => handler(request),
      );
      if (result.ok) return result.value;
      return new ToolMessage({
        content: result.message,
        tool_call_id: toolCall.id ?? "",
        name: toolCall.name,
        status: "error",
      });
    },
  });
}
