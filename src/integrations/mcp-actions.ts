/**
 * The action an MCP tool call is decided as; shared by the proxy (mcp.ts) and the declarations
 * `rplc mcp-schemas` writes (mcp-schemas.ts), so the two always agree.
 *
 * - A tool the standard mapping knows (src/stdlib/tool-map.ts) → its standard action
 *   (`read_file` → `fs.read`, `move_file` → `fs.move`).
 * - Any other tool → `tool.<name>` (as in every other integration), or `mcp.<namespace>.<name>`
 *   when a namespace is given; characters other than letters, digits and `_` become `_`.
 */
import { type ToolMapper, toolCallToRequests, unmappedAction } from "../stdlib/tool-map.js";

export interface McpNaming {
  /** Unmapped tools become `mcp.<namespace>.<tool>` instead of `tool.<tool>`. */
  readonly namespace?: string | undefined;
  /** Extra or replacing tool mappers (looked up before the standard table). */
  readonly tools?: Readonly<Record<string, ToolMapper>> | undefined;
}

/** `tool.<name>`, or `mcp.<namespace>.<name>`, made a valid action name. */
export function unmappedMcpAction(name: string, namespace: string | undefined): string {
  const plain = unmappedAction(name);
  if (namespace === undefined || namespace === "") return plain;
  return `mcp.${unmappedAction(namespace).slice("tool.".length)}.${plain.slice("tool.".length)}`;
}

/** The action a call of tool `name` with `input` is decided as, and whether the mapping knew it. */
export function mcpToolAction(
  name: string,
  input: unknown,
  naming: McpNaming = {},
): { action: string; mapped: boolean } {
  const first = toolCallToRequests(name, input, { tools: naming.tools })[0];
  if (first !== undefined && first.action !== unmappedAction(name))
    return { action: first.action, mapped: true };
  return { action: unmappedMcpAction(name, naming.namespace), mapped: false };
}
