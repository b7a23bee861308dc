/**
 * `runplane/mcp`: a guarding MCP proxy. It sits between an MCP client (Claude Desktop, an agent
 * built on the MCP SDK) and a real MCP server, passes every message through unchanged, and
 * decides each `tools/call` with the runtime first:
 *
 *   const proxy = await createMcpProxy({
 *     runplane,                                           // createRunplane({ policy, store, audit })
 *     upstream: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/work"] },
 *     cwd: "/work",                                       // `cwd` of the file actions
 *   });                                                   // downstream: this process's stdin/stdout
 *   await proxy.closed;
 *
 * ALLOW: the call is forwarded and the server's answer returned. BLOCK: the server never sees the
 * call; the client gets a tool result with `isError: true` and the policy's reason (written for a
 * model: "blocked by policy: … — do not retry this action"). REQUIRE_APPROVAL: the call waits
 * (announced through the runtime's `notify`) until someone answers with `rplc approvals`, then is
 * forwarded or refused; the wait ends at the policy's approval timeout.
 *
 * Decisions where nobody else decides:
 * - **Messages, not methods.** The proxy forwards JSON-RPC messages between two transports rather
 *   than re-serving the server through an SDK Client and Server: `initialize` reaches the server
 *   as the client sent it (capabilities, protocol version), its answer reaches the client as sent,
 *   and everything the proxy does not guard passes through untouched in both directions (resources,
 *   prompts, completions, logging, progress, list-changed notifications, and requests the server
 *   makes of the client: sampling, roots, elicitation). Only `tools/call` is held back. So the
 *   upstream is a Transport (or a command to start), not a connected SDK Client.
 * - **Action names.** A tool the standard mapping knows (src/stdlib/tool-map.ts: the filesystem
 *   server's `read_file`, `write_file`, `move_file`, …) is decided as its standard action
 *   (`fs.read`, `fs.write`, `fs.move`) with the standard argument names; any other tool as
 *   `tool.<name>` with its arguments as given, or `mcp.<namespace>.<name>` when `namespace` is set
 *   (two servers with a tool of the same name). `rplc mcp-schemas` declares exactly these names.
 * - **Fail closed.** A failure of the runtime (policy, store, audit: RunplaneError) is not
 *   forwarded either; the client gets `isError: true` saying the call did not run. A `tools/call`
 *   without a tool name gets a JSON-RPC "invalid params" error and is not forwarded.
 * - **The tool's own failure.** A server answer with `isError: true` or a JSON-RPC error reaches
 *   the client unchanged and is recorded as outcome `failed` with its text.
 * - **Cancellation.** A client that cancels a call (`notifications/cancelled`, e.g. its request
 *   timeout while a human has not answered yet) gets no answer for it, and the call never runs,
 *   even if it is approved later (recorded `failed`: cancelled). A call already forwarded gets the
 *   cancellation forwarded.
 * - **stdout belongs to the protocol.** The proxy writes nothing but JSON-RPC to the downstream
 *   transport; diagnostics go to `log` (the CLI writes them to stderr).
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { Request } from "../engine/decision.js";
import { RunplaneError } from "../runtime/errors.js";
import type { Runplane } from "../runtime/types.js";
import { toolCallToRequests, toolInput, unmappedAction } from "../stdlib/tool-map.js";
import { unmappedMcpAction } from "./mcp-actions.js";
import { ChildProcessTransport, describeCommand, describeExit, type McpServerCommand } from "./mcp-child.js";
import { guardToolCall, refusalMessage, type ToolGuardOptions } from "./tool-guard.js";

export { type McpNaming, mcpToolAction, unmappedMcpAction } from "./mcp-actions.js";
export {
  type ChildExit,
  ChildProcessTransport,
  describeCommand,
  describeExit,
  type McpServerCommand,
} from "./mcp-child.js";
export {
  listMcpTools,
  type McpSchemaFiles,
  type McpServerInfo,
  type McpToolDeclarationsOptions,
  type McpToolInfo,
  mcpToolDeclarations,
  sampleInput,
} from "./mcp-schemas.js";

export interface McpProxyOptions extends ToolGuardOptions {
  /** The runtime that decides each tool call (`createRunplane({ policy, store, audit })`). */
  readonly runplane: Runplane;
  /** The real server: a command to start as a child process, or a transport to it. */
  readonly upstream: McpServerCommand | Transport;
  /** The client side (default: this process's stdin and stdout, MCP's stdio transport). */
  readonly downstream?: Transport;
  /** Unmapped tools become `mcp.<namespace>.<tool>` instead of `tool.<tool>`. */
  readonly namespace?: string;
  /** Diagnostics, one line each (never written to stdout by the proxy itself). */
  readonly log?: (line: string) => void;
}

/** Why the proxy stopped. */
export interface McpProxyClosed {
  /** `client`: the client went away; `server`: the server ended; `proxy`: close() was called. */
  readonly by: "client" | "server" | "proxy";
  /** The server's end, for a started server (`exited with code 1`). */
  readonly message: string;
  readonly exitCode?: number | null;
  readonly signal?: NodeJS.Signals | null;
}

export interface McpProxy {
  /** Resolves when either side has gone and the proxy has closed both. */
  readonly closed: Promise<McpProxyClosed>;
  /** Close both sides (a started server is ended). */
  close(): Promise<McpProxyClosed>;
  /** The started server's process id (undefined for a given transport). */
  readonly serverPid: number | undefined;
}

function isCommand(x: McpServerCommand | Transport): x is McpServerCommand {
  return typeof (x as McpServerCommand).command === "string";
}

/** Thrown inside the guarded function so the runtime records the tool's own failure. */
class ToolFailure extends Error {
  constructor(
    readonly response: JSONRPCMessage,
    message: string,
  ) {
    super(message);
  }
}

class Cancelled extends Error {
  constructor(when: string) {
    super(`cancelled by the client ${when}`);
  }
}

interface HeldCall {
  cancelled: boolean;
  forwarded: boolean;
  resolve?: (m: JSONRPCMessage) => void;
  reject?: (e: Error) => void;
}

/** The text of a tool result's content, for the audit record of a failed call. */
function resultText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? result.content : [];
  const texts = content.flatMap((c: unknown) =>
    typeof c === "object" && c !== null && typeof (c as { text?: unknown }).text === "string"
      ? [(c as { text: string }).text]
      : [],
  );
  return texts.join("\n") || "the tool reported an error";
}

function errorResult(id: RequestId, text: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: true } };
}

function rpcError(id: RequestId, code: number, message: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/**
 * Start the proxy: the upstream server first (a command is started now), then the downstream
 * side. Messages flow until either side closes; then both are closed and `closed` resolves.
 */
export async function createMcpProxy(options: McpProxyOptions): Promise<McpProxy> {
  const log = options.log ?? (() => {});
  const runplane = options.runplane;
  const child = isCommand(options.upstream)
    ? new ChildProcessTransport({ stderr: "inherit", ...options.upstream })
    : undefined;
  const up: Transport = child ?? (options.upstream as Transport);
  let down: Transport | undefined = options.downstream;
  let stdinEnd: (() => void) | undefined;

  const held = new Map<RequestId, HeldCall>();
  let closing: Promise<McpProxyClosed> | undefined;
  let resolveClosed!: (c: McpProxyClosed) => void;
  const closed = new Promise<McpProxyClosed>((resolve) => {
    resolveClosed = resolve;
  });

  const guardOptions: ToolGuardOptions = {
    ...options,
    toRequest: (name, input) => {
      const custom = options.toRequest?.(name, input);
      if (custom !== undefined) return custom;
      if (options.namespace === undefined || options.namespace === "") return undefined;
      const standard = toolCallToRequests(name, input, options);
      if (standard.length === 1 && standard[0]?.action === unmappedAction(name)) {
        return { action: unmappedMcpAction(name, options.namespace), args: toolInput(input) } as Request;
      }
      return undefined;
    },
  };

  const sendDown = (m: JSONRPCMessage) => {
    down?.send(m).catch((e: unknown) => log(`could not write to the client: ${(e as Error).message}`));
  };

  const forward = (msg: JSONRPCRequest, call: HeldCall): Promise<JSONRPCMessage> => {
    if (closing !== undefined) return Promise.reject(new Error("the proxy closed before the call could run"));
    if (call.cancelled) return Promise.reject(new Cancelled("before the call was forwarded"));
    call.forwarded = true;
    return new Promise<JSONRPCMessage>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
      up.send(msg).catch(reject);
    }).then((response) => {
      if (isJSONRPCErrorResponse(response)) throw new ToolFailure(response, response.error.message);
      if (isJSONRPCResultResponse(response) && response.result.isError === true) {
        throw new ToolFailure(response, resultText(response.result));
      }
      return response;
    });
  };

  const handleCall = async (msg: JSONRPCRequest): Promise<void> => {
    const params = (msg.params ?? {}) as Record<string, unknown>;
    const name = params.name;
    if (typeof name !== "string" || name === "") {
      sendDown(rpcError(msg.id, ErrorCode.InvalidParams, "tools/call needs the tool's name (params.name)"));
      return;
    }
    const call: HeldCall = { cancelled: false, forwarded: false };
    held.set(msg.id, call);
    const answer = (m: JSONRPCMessage) => {
      if (!call.cancelled) sendDown(m);
    };
    try {
      answer(
        await guardToolCall(runplane, name, params.arguments ?? {}, () => forward(msg, call), guardOptions),
      );
    } catch (e) {
      if (e instanceof ToolFailure) {
        answer(e.response);
        return;
      }
      if (e instanceof Cancelled) {
        log(`${name}: ${e.message}; it did not run`);
        return;
      }
      const refusal = refusalMessage(e);
      if (refusal !== undefined) {
        log(`${name}: ${refusal}`);
        answer(errorResult(msg.id, refusal));
        return;
      }
      if (e instanceof RunplaneError) {
        const text = `runplane could not check this tool call, so it did not run: ${e.message}`;
        log(`${name}: ${text}`);
        answer(errorResult(msg.id, text));
        return;
      }
      const text = e instanceof Error ? e.message : String(e);
      log(`${name}: ${text}`);
      answer(rpcError(msg.id, ErrorCode.InternalError, text));
    } finally {
      held.delete(msg.id);
    }
  };

  const fromClient = (msg: JSONRPCMessage) => {
    if (isJSONRPCRequest(msg) && msg.method === "tools/call") {
      void handleCall(msg);
      return;
    }
    if (isJSONRPCNotification(msg) && msg.method === "notifications/cancelled") {
      const id = (msg.params as { requestId?: RequestId } | undefined)?.requestId;
      const call = id === undefined ? undefined : held.get(id);
      if (call !== undefined) {
        call.cancelled = true;
        if (!call.forwarded) return; // the server never saw it
        call.reject?.(new Cancelled("while the server ran it"));
      }
    }
    up.send(msg).catch((e: unknown) => log(`could not write to the server: ${(e as Error).message}`));
  };

  const fromServer = (msg: JSONRPCMessage) => {
    if (isJSONRPCResultResponse(msg) || isJSONRPCErrorResponse(msg)) {
      const id = (msg as { id?: RequestId }).id;
      const call = id === undefined ? undefined : held.get(id);
      if (call?.forwarded === true && call.resolve !== undefined) {
        call.resolve(msg);
        return;
      }
    }
    sendDown(msg);
  };

  const shutdown = (by: McpProxyClosed["by"]): Promise<McpProxyClosed> => {
    closing ??= (async () => {
      for (const call of held.values()) call.reject?.(new Error(`the proxy is closing (${by})`));
      if (stdinEnd !== undefined) process.stdin.off("end", stdinEnd);
      await up.close().catch(() => {});
      await down?.close().catch(() => {});
      const exit = child?.exit;
      const result: McpProxyClosed =
        exit === undefined
          ? { by, message: by === "server" ? "the server closed the connection" : `closed by the ${by}` }
          : {
              by,
              message: `the MCP server (${describeCommand(child!.spec)}) ${describeExit(exit)}`,
              exitCode: exit.code,
              signal: exit.signal,
            };
      resolveClosed(result);
      return result;
    })();
    return closing;
  };

  up.onmessage = fromServer;
  up.onerror = (e) => log(`server connection: ${e.message}`);
  up.onclose = () => void shutdown("server");
  await up.start();

  if (down === undefined) {
    const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
    down = new StdioServerTransport(process.stdin, process.stdout);
    // The SDK's stdio transport does not notice the end of its input: the client has gone.
    stdinEnd = () => void shutdown("client");
    process.stdin.once("end", stdinEnd);
  }
  down.onmessage = fromClient;
  down.onerror = (e) => log(`client connection: ${e.message}`);
  down.onclose = () => void shutdown("client");
  await down.start();

  return {
    closed,
    close: () => shutdown("proxy"),
    serverPid: child?.pid,
  };
}
