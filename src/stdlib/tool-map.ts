/**
 * Agent tool calls → runplane requests: the one documented mapping from the tool names agents
 * use (MCP filesystem server, Claude Code, LangChain/OpenAI function tools, shells, SQL tools…)
 * to the standard actions of the stdlib packs (`shell.exec`, `fs.read`, `db.query`, …), with
 * their arguments renamed to the standard schemas (stdlib/schemas). The integrations call it, so
 * a policy written against `fs.write` guards Claude Code's `Write` and the MCP server's
 * `write_file` alike. docs/stdlib.md has the table.
 *
 *   toolCallToRequest("Bash", { command: "rm -rf /" })
 *     → { action: "shell.exec", args: { command: "rm -rf /" } }
 *   toolCallToRequest("mcp__filesystem__write_file", { path: "a.txt", content: "x" }, { cwd: "/w" })
 *     → { action: "fs.write", args: { path: "a.txt", content: "x", cwd: "/w" } }
 *
 * Decisions where nobody else decides:
 * - A tool the table does not know becomes action `tool.<name>` (characters other than letters,
 *   digits and `_` turned into `_`) with the input as its args. Undeclared, it falls to
 *   `settings.unknown_action` (block by default): an unmapped tool is never silently allowed.
 * - Input given as a JSON string (OpenAI's `function.arguments`) is parsed; any other non-object
 *   input becomes `{ input: value }`.
 * - A tool that acts on several things (`read_multiple_files`) maps to several requests:
 *   `toolCallToRequests` returns them all and a caller must guard each (the most severe decision
 *   wins). `toolCallToRequest` returns a single request, and for such a tool one of action
 *   `tool.<name>` with the raw input, so a caller that forgets cannot let part of a call through.
 * - Arguments the mapper cannot find are left out, so the request fails the action's schema
 *   (decided by `on_error`, block by default) rather than being judged on an invented value.
 */
import type { Request } from "../engine/decision.js";
import { isObject } from "../engine/values.js";
import { type MappedCall, TOOL_TABLE, type ToolMapper } from "./tool-table.js";

export type { MapContext, MappedCall, ToolMapper } from "./tool-table.js";
export { shellJoin, TOOL_TABLE } from "./tool-table.js";

export interface ToolCallOptions {
  /** Becomes the request's `context`. */
  readonly context?: Record<string, unknown>;
  /** RFC 3339 decision time (the runtime fills in the current time when absent). */
  readonly time?: string;
  /** The agent's working directory: `cwd` of the file and shell actions when the tool names none. */
  readonly cwd?: string;
  /** Extra or replacing mappers by tool name (looked up before the standard table). */
  readonly tools?: Readonly<Record<string, ToolMapper>>;
}

/** MCP-style prefixes in front of a tool's own name: `mcp__fs__read_file`, `fs.read_file`, `fs/read_file`. */
const PREFIXED = /^(?:mcp__[^_]+(?:_[^_]+)*?__|[A-Za-z0-9_-]+[.:/])(.+)$/;

let lowerTable: Map<string, ToolMapper> | undefined;

function lookup(
  name: string,
  extra: Readonly<Record<string, ToolMapper>> | undefined,
): ToolMapper | undefined {
  const candidates = [name];
  const m = PREFIXED.exec(name);
  if (m?.[1] !== undefined) candidates.push(m[1]);
  for (const n of candidates) {
    if (extra !== undefined && Object.hasOwn(extra, n)) return extra[n];
    const exact = TOOL_TABLE.get(n);
    if (exact !== undefined) return exact;
  }
  lowerTable ??= new Map([...TOOL_TABLE].map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of candidates) {
    const found = lowerTable.get(n.toLowerCase());
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The action of a tool the table does not know: `tool.<name>`, made a valid action name. */
export function unmappedAction(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, "_");
  return `tool.${id === "" || /^[0-9]/.test(id) ? `_${id}` : id}`;
}

/** Tool input as an object: JSON strings parsed, anything else wrapped as `{ input }`. */
export function toolInput(input: unknown): Record<string, unknown> {
  if (isObject(input)) return input;
  if (input === undefined || input === null) return {};
  if (typeof input === "string") {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isObject(parsed)) return parsed;
    } catch {
      // not JSON: wrapped below
    }
  }
  return { input };
}

function toRequest(call: MappedCall, options: ToolCallOptions): Request {
  const request: Request = { action: call.action, args: call.args };
  if (options.context !== undefined) request.context = options.context;
  if (options.time !== undefined) request.time = options.time;
  return request;
}

/** Every request one tool call amounts to (one for most tools; one per file for multi-file tools). */
export function toolCallToRequests(name: string, input: unknown, options: ToolCallOptions = {}): Request[] {
  const args = toolInput(input);
  const mapper = lookup(name, options.tools);
  if (mapper === undefined) return [toRequest({ action: unmappedAction(name), args }, options)];
  const mapped = mapper(args, { cwd: options.cwd });
  const calls = Array.isArray(mapped) ? mapped : [mapped];
  if (calls.length === 0) return [toRequest({ action: unmappedAction(name), args }, options)];
  return calls.map((c) => toRequest(c, options));
}

/**
 * The request for one tool call. For a tool that maps to several requests, a request of action
 * `tool.<name>` with the raw input (blocked unless declared): use `toolCallToRequests` for those.
 */
export function toolCallToRequest(name: string, input: unknown, overrides: ToolCallOptions = {}): Request {
  const all = toolCallToRequests(name, input, overrides);
  const [only] = all;
  if (all.length === 1 && only !== undefined) return only;
  return toRequest({ action: unmappedAction(name), args: toolInput(input) }, overrides);
}
