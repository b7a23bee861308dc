/**
 * MCP tool input schemas → runplane action declarations (`rplc mcp-schemas`), so that rules over
 * an MCP server's tools are type-checked: `args.titel` in a rule for `create_ticket` is an error.
 *
 * One `.rplc` file and one JSON Schema file per declared action:
 *
 *   # create_ticket: Open a ticket in the tracker.
 *   action tool.create_ticket from "./schemas/tool.create_ticket.json"
 *
 * Decisions where nobody else decides:
 * - Only the tools the proxy decides under a name of their own are declared (`tool.<name>`, or
 *   `mcp.<namespace>.<name>`, exactly the names `createMcpProxy` uses). A tool the standard
 *   mapping knows (`read_file` → `fs.read`) is decided as the standard action, whose declaration
 *   and schema come from stdlib/actions (included by the packs): the file lists those in a
 *   comment and does not include stdlib/actions itself, because declaring every standard action
 *   would let through all of them that no rule stops.
 * - Whether a tool is mapped is asked of the mapping itself, with an input made from the tool's
 *   schema (a string for each string field, one-element lists, …), so tools whose mapping depends
 *   on their fields (`read_multiple_files`) are seen as a real call would be.
 * - A schema is written as the server gave it (the runtime validates with it), with `title` and
 *   `description` added when absent. Two tools whose names become the same action name are
 *   reported and only the first is declared.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type McpNaming, mcpToolAction } from "./mcp-actions.js";
import type { McpServerCommand } from "./mcp-child.js";

export interface McpToolInfo {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Record<string, unknown>;
}

export interface McpServerInfo {
  readonly name: string;
  readonly version: string;
}

/** Start (or connect to) a server, list every tool (all pages), and disconnect. */
export async function listMcpTools(
  upstream: McpServerCommand | Transport,
): Promise<{ server: McpServerInfo; tools: McpToolInfo[] }> {
  const [{ Client }, { ChildProcessTransport }] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("./mcp-child.js"),
  ]);
  const transport =
    typeof (upstream as McpServerCommand).command === "string"
      ? new ChildProcessTransport(upstream as McpServerCommand)
      : (upstream as Transport);
  const client = new Client({ name: "rplc-mcp-schemas", version: "1" });
  await client.connect(transport);
  try {
    const info = client.getServerVersion();
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      for (const t of page.tools) {
        tools.push({
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
          inputSchema: t.inputSchema as Record<string, unknown>,
        });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { server: { name: info?.name ?? "unknown", version: info?.version ?? "" }, tools };
  } finally {
    await client.close();
  }
}

export interface McpToolDeclarationsOptions extends McpNaming {
  /** Where the schema files go, relative to the .rplc file (default `schemas`). */
  readonly schemasDir?: string;
  /** The server command, for the header comment. */
  readonly command?: string;
}

export interface McpSchemaFiles {
  /** The `.rplc` file's text. */
  readonly rplc: string;
  /** Schema files: path relative to the .rplc file's directory, and text. */
  readonly schemas: { readonly path: string; readonly text: string }[];
  /** Tools declared under their own action. */
  readonly declared: { readonly tool: string; readonly action: string }[];
  /** Tools decided as a standard action. */
  readonly mapped: { readonly tool: string; readonly action: string }[];
  /** Tools left out, and why. */
  readonly problems: string[];
}

/** A plausible input for a tool, made from its schema: what the mapping sees of a real call. */
export function sampleInput(schema: Record<string, unknown>): Record<string, unknown> {
  const props = schema.properties;
  if (typeof props !== "object" || props === null) return {};
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(props as Record<string, unknown>)) {
    const s = (typeof sub === "object" && sub !== null ? sub : {}) as Record<string, unknown>;
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
    if (Array.isArray(s.enum) && s.enum.length > 0) out[k] = s.enum[0];
    else if (type === "number" || type === "integer") out[k] = 1;
    else if (type === "boolean") out[k] = true;
    else if (type === "array") out[k] = ["x"];
    else if (type === "object") out[k] = {};
    else out[k] = "x";
  }
  return out;
}

/** The first line of a description, cut to fit a comment line. */
function firstLine(text: string | undefined): string {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
  const t = line.trim();
  return t.length > 90 ? `${t.slice(0, 89)}…` : t;
}

/** The declarations for a server's tools, named as the proxy decides them (`mcpToolAction`). */
export function mcpToolDeclarations(
  server: McpServerInfo,
  tools: readonly McpToolInfo[],
  options: McpToolDeclarationsOptions = {},
): McpSchemaFiles {
  const dir = (options.schemasDir ?? "schemas").replace(/\/+$/, "");
  const declared: { tool: string; action: string }[] = [];
  const mapped: { tool: string; action: string }[] = [];
  const problems: string[] = [];
  const schemas: { path: string; text: string }[] = [];
  const body: string[] = [];
  const taken = new Map<string, string>();
  for (const tool of tools) {
    const { action, mapped: isMapped } = mcpToolAction(tool.name, sampleInput(tool.inputSchema), options);
    if (isMapped) {
      mapped.push({ tool: tool.name, action });
      continue;
    }
    const other = taken.get(action);
    if (other !== undefined) {
      problems.push(
        `tools \`${other}\` and \`${tool.name}\` are both decided as ${action}: only the first is declared`,
      );
      continue;
    }
    taken.set(action, tool.name);
    const { $schema, title, description, ...rest } = tool.inputSchema;
    const schema = {
      ...($schema === undefined ? {} : { $schema }),
      title: title ?? action,
      description: description ?? (tool.description || `Arguments of the MCP tool ${tool.name}.`),
      ...rest,
    };
    const file = `${dir}/${action}.json`;
    schemas.push({ path: file, text: `${JSON.stringify(schema, null, 2)}\n` });
    declared.push({ tool: tool.name, action });
    const about = firstLine(tool.description);
    body.push(`# ${tool.name}${about === "" ? "" : `: ${about}`}`, `action ${action} from "./${file}"`, "");
  }

  const head = [
    `# The tools of the MCP server ${server.name}${server.version === "" ? "" : ` ${server.version}`} as runplane actions.`,
    "# Written by `rplc mcp-schemas`; write it again when the server's tools change, and keep your rules",
    "# in other files.",
  ];
  if (options.command !== undefined) head.push(`# Server: ${options.command}`);
  head.push(
    "#",
    "# `rplc mcp-proxy` decides each tools/call as the action named here. A declared action is decided",
    "# by your rules and then `settings.default` (allow unless set); an undeclared one falls to",
    "# `settings.unknown_action` (block unless set).",
  );
  if (mapped.length > 0) {
    const width = Math.max(...mapped.map((m) => m.tool.length));
    head.push(
      "#",
      "# Decided as standard actions (declared by stdlib/actions, and by the packs that guard them,",
      '# such as `include "stdlib/files"`):',
      ...mapped.map((m) => `#   ${m.tool.padEnd(width)} → ${m.action}`),
    );
  }
  if (declared.length === 0) head.push("#", "# No tool needs an action of its own.");
  const rplc = `${[...head, "", ...body].join("\n").replace(/\n+$/, "")}\n`;
  return { rplc, schemas, declared, mapped, problems };
}
