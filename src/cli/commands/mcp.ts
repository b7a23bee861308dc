/**
 * `rplc mcp-proxy` and `rplc mcp-schemas`: runplane in front of any MCP server.
 *
 *   rplc mcp-proxy --policy policies/ [--store sqlite:PATH] [--audit FILE|--no-audit] [--cwd DIR]
 *                  [--namespace NAME] [--context JSON] [--approval wait|defer] -- <server command…>
 *   rplc mcp-schemas [--out FILE] [--namespace NAME] [--cwd DIR] -- <server command…>
 *
 * main.ts imports this file at start-up for every command, so it imports nothing heavy at the
 * top: the MCP SDK, the runtime and the compiler are loaded inside the actions.
 *
 * mcp-proxy speaks MCP on its stdin/stdout (they belong to the protocol: everything else goes to
 * stderr). Exit codes: 0 the client closed the connection (or SIGINT/SIGTERM), 1 the server ended
 * or could not start, or the runtime could not start (a policy that does not compile, a store or
 * log that cannot be opened), 2 usage error or unreadable policy path.
 *
 * mcp-schemas exit codes: 0 written, 1 the server could not be listed or what was written does not
 * check, 2 usage error.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import type { McpProxyClosed } from "../../integrations/mcp.js";
import { formatDuration, summarizeRequest } from "../../runtime/approvals/describe.js";
import type { ApprovalRecord } from "../../runtime/approvals/store.js";
import { createRunplane } from "../../runtime/runplane.js";
import type { Runplane } from "../../runtime/types.js";
import { type CliIo, usageError } from "../io.js";
import { collectEach } from "../options.js";

export interface McpProxyCommandOptions {
  readonly policy?: readonly string[];
  readonly store?: string;
  /** A path, or false for `--no-audit`. */
  readonly audit?: string | boolean;
  readonly cwd?: string;
  readonly namespace?: string;
  readonly context?: string;
  readonly approval?: "wait" | "defer";
}

export interface McpSchemasCommandOptions {
  readonly out?: string;
  readonly namespace?: string;
  readonly cwd?: string;
}

const NAMESPACE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const prefix = "rplc mcp-proxy: ";

export async function mcpProxyCommand(
  server: readonly string[],
  opts: McpProxyCommandOptions,
  io: CliIo,
): Promise<number> {
  const cmd = "mcp-proxy";
  const [command, ...args] = server;
  if (command === undefined || command === "") {
    return usageError(io, "no server command given: rplc mcp-proxy --policy PATH -- <command> [args…]", cmd);
  }
  const policies = opts.policy ?? [];
  if (policies.length === 0) return usageError(io, "no policy given: use --policy PATH", cmd);
  if (opts.namespace !== undefined && !NAMESPACE.test(opts.namespace)) {
    return usageError(
      io,
      `--namespace must be an identifier (letters, digits, _), not \`${opts.namespace}\``,
      cmd,
    );
  }
  const cwd = path.resolve(io.cwd, opts.cwd ?? ".");
  if (!existsSync(cwd)) return usageError(io, `--cwd: no directory '${opts.cwd}'`, cmd);
  for (const p of policies) {
    if (!existsSync(path.resolve(cwd, p))) {
      io.stderr(`rplc: cannot read '${p}': no such file or directory\n`);
      return 2;
    }
  }
  let context: Record<string, unknown> | undefined;
  if (opts.context !== undefined) {
    try {
      const parsed: unknown = JSON.parse(opts.context);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      context = parsed as Record<string, unknown>;
    } catch {
      return usageError(io, `--context must be a JSON object, like '{"agent":"claude-desktop"}'`, cmd);
    }
  }
  const storeSpec = opts.store ?? "sqlite:.runplane/runplane.db";
  const shownStore = storeSpec.startsWith("sqlite:")
    ? `sqlite:${path.resolve(cwd, storeSpec.slice("sqlite:".length))}`
    : storeSpec;

  const { createMcpProxy, describeCommand } = await import("../../integrations/mcp.js");
  const say = (line: string) => io.stderr(`${prefix}${line}\n`);

  const announce = (a: ApprovalRecord) => {
    say(
      `a tool call waits for approval ${a.id}: ${summarizeRequest(a.request)} (expires in ${formatDuration(a.expiresAt - Date.now())})\n` +
        `  answer with: rplc approvals approve ${a.id} --store ${shownStore} --by USER   (or: approvals deny)`,
    );
  };

  let runplane: Runplane;
  try {
    runplane = await createRunplane({
      policy: policies.length === 1 ? policies[0]! : [...policies],
      store: storeSpec,
      audit: opts.audit === false ? false : typeof opts.audit === "string" ? opts.audit : undefined,
      cwd,
      ...(context === undefined ? {} : { context }),
      notify: { onApproval: announce },
    });
  } catch (e) {
    say(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  const spec = { command, args, cwd };
  let proxy: Awaited<ReturnType<typeof createMcpProxy>>;
  try {
    proxy = await createMcpProxy({
      runplane,
      upstream: spec,
      cwd,
      ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
      approval: opts.approval ?? "wait",
      log: say,
    });
  } catch (e) {
    say(`the MCP server (${describeCommand(spec)}) could not be started: ${(e as Error).message}`);
    await runplane.close().catch(() => {});
    return 1;
  }
  say(`guarding ${describeCommand(spec)} (pid ${proxy.serverPid}) with ${policies.join(", ")}`);

  const onSignal = () => void proxy.close();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let result: McpProxyClosed;
  try {
    result = await proxy.closed;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  await runplane.close().catch((e: unknown) => say(`closing the runtime: ${(e as Error).message}`));
  if (result.by === "server") {
    say(`${result.message}; the proxy stops`);
    return 1;
  }
  return 0;
}

export async function mcpSchemasCommand(
  server: readonly string[],
  opts: McpSchemasCommandOptions,
  io: CliIo,
): Promise<number> {
  const cmd = "mcp-schemas";
  const [command, ...args] = server;
  if (command === undefined || command === "") {
    return usageError(io, "no server command given: rplc mcp-schemas --out FILE -- <command> [args…]", cmd);
  }
  if (opts.namespace !== undefined && !NAMESPACE.test(opts.namespace)) {
    return usageError(
      io,
      `--namespace must be an identifier (letters, digits, _), not \`${opts.namespace}\``,
      cmd,
    );
  }
  const outArg = opts.out ?? "mcp-tools.rplc";
  if (!outArg.endsWith(".rplc")) return usageError(io, `--out must name a .rplc file, not '${outArg}'`, cmd);
  const out = path.resolve(io.cwd, outArg);
  const cwd = path.resolve(io.cwd, opts.cwd ?? ".");

  const [{ listMcpTools, mcpToolDeclarations, describeCommand }, { analyzePaths }] = await Promise.all([
    import("../../integrations/mcp.js"),
    import("../analyze.js"),
  ]);
  const spec = { command, args, cwd };
  let listed: Awaited<ReturnType<typeof listMcpTools>>;
  try {
    listed = await listMcpTools(spec);
  } catch (e) {
    io.stderr(`rplc: cannot list the tools of ${describeCommand(spec)}: ${(e as Error).message}\n`);
    return 1;
  }
  const files = mcpToolDeclarations(listed.server, listed.tools, {
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
    command: describeCommand({ command: path.basename(command), args }),
  });
  const dir = path.dirname(out);
  try {
    mkdirSync(dir, { recursive: true });
    for (const s of files.schemas) {
      const file = path.join(dir, s.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, s.text);
    }
    writeFileSync(out, files.rplc);
  } catch (e) {
    io.stderr(`rplc: cannot write '${outArg}': ${(e as Error).message}\n`);
    return 1;
  }
  for (const p of files.problems) io.stderr(`rplc: ${p}\n`);

  const shown = path.relative(io.cwd, out) || out;
  const declared = files.declared.map((d) => d.action);
  const lines = [
    `wrote ${shown}: ${listed.tools.length} tool${listed.tools.length === 1 ? "" : "s"} of ${listed.server.name}`,
  ];
  if (declared.length > 0) {
    lines.push(
      `  declared ${declared.length} action${declared.length === 1 ? "" : "s"}: ${declared.join(", ")} (schemas in ${path.join(path.relative(io.cwd, dir) || ".", "schemas")}/)`,
    );
  }
  if (files.mapped.length > 0) {
    const actions = [...new Set(files.mapped.map((m) => m.action))].sort();
    lines.push(
      `  ${files.mapped.length} decided as standard actions (${actions.join(", ")}): include "stdlib/files" or "stdlib/actions" for their declarations`,
    );
  }
  io.stdout(`${lines.join("\n")}\n`);

  // What was written must check on its own: the declarations and every schema.
  const analysis = await analyzePaths([out], io.cwd);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const { renderHuman } = await import("../../diagnostics/render.js");
    io.stderr(renderHuman(errors, analysis.sources, { color: false }));
    io.stderr(`rplc: the declarations written to ${shown} do not check (see above)\n`);
    return 1;
  }
  const warnings = analysis.diagnostics.length - errors.length;
  if (warnings > 0) {
    io.stderr(
      `rplc: ${warnings} warning${warnings === 1 ? "" : "s"} about the schemas: \`rplc check ${shown}\` shows ${warnings === 1 ? "it" : "them"}\n`,
    );
  }
  return 0;
}

/** Add `rplc mcp-proxy` and `rplc mcp-schemas` to the program. */
export function addMcpCommands(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
  configure: (cmd: Command, name: string) => void,
): void {
  const proxy = program
    .command("mcp-proxy")
    .description("run an MCP server behind runplane: every tools/call is decided by the policy first")
    .argument("<server...>", "the MCP server's command and arguments, after --")
    .option(
      "-p, --policy <path>",
      "policy files or directories, or a module built by rplc build (repeatable)",
      collectEach,
    )
    .option("--store <store>", "the approval store (default sqlite:.runplane/runplane.db)")
    .option("--audit <file>", "the audit log (default .runplane/audit.jsonl; one per proxy process)")
    .option("--no-audit", "keep no audit log")
    .option(
      "--cwd <dir>",
      "the directory of relative paths, the server's working directory, and the agent's workspace (cwd of file actions)",
    )
    .option("--namespace <name>", "decide unmapped tools as mcp.<name>.<tool> instead of tool.<tool>")
    .option("--context <json>", 'merged under every request\'s context, like \'{"agent":"claude-desktop"}\'')
    .addOption(
      new Option(
        "--approval <mode>",
        "REQUIRE_APPROVAL: wait for an answer, or answer the client at once (defer)",
      )
        .choices(["wait", "defer"])
        .default("wait"),
    )
    .addHelpText(
      "after",
      `
Standard input and output carry MCP; messages go to standard error. BLOCK: the client gets a
tool result with isError and the policy's reason, and the server never sees the call.
REQUIRE_APPROVAL: the call waits until someone answers in another terminal with
\`rplc approvals approve ID --store …\` (the id is printed), at most until the policy's approval
timeout. Tools the standard mapping knows (read_file, write_file, move_file…) are decided as
standard actions (fs.read, fs.write, fs.move…), others as tool.<name>.

Exit codes: 0 the client disconnected, 1 the server ended or could not start, or the policy,
store or audit log could not be opened, 2 usage error.

Examples:
  $ rplc mcp-proxy --policy policies/ -- npx -y @modelcontextprotocol/server-filesystem ~/work
  $ rplc mcp-proxy --policy policies/ --cwd ~/work --audit .runplane/fs-audit.jsonl \\
      -- npx -y @modelcontextprotocol/server-filesystem ~/work
  $ rplc approvals list --store sqlite:.runplane/runplane.db`,
    )
    .action(async (server: string[], opts: McpProxyCommandOptions) => {
      done(await mcpProxyCommand(server, opts, io));
    });
  configure(proxy, "mcp-proxy");

  const schemas = program
    .command("mcp-schemas")
    .description("write action declarations (and JSON Schemas) for an MCP server's tools")
    .argument("<server...>", "the MCP server's command and arguments, after --")
    .option("-o, --out <file>", "the .rplc file to write; schemas go to schemas/ beside it", "mcp-tools.rplc")
    .option("--namespace <name>", "declare unmapped tools as mcp.<name>.<tool> (as mcp-proxy --namespace)")
    .option("--cwd <dir>", "the server's working directory")
    .addHelpText(
      "after",
      `
Starts the server, lists its tools, and writes one \`action … from "schemas/….json"\` per tool
that mcp-proxy decides under its own name (tool.<name>). Tools decided as standard actions
(read_file → fs.read) are listed in a comment: their declarations come from stdlib/actions.
The written file is checked before the command ends.

Exit codes: 0 written, 1 the server could not be listed or the result does not check, 2 usage error.

Examples:
  $ rplc mcp-schemas --out policies/mcp/github.rplc -- npx -y @modelcontextprotocol/server-github
  $ rplc mcp-schemas --out policies/fs-tools.rplc -- npx -y @modelcontextprotocol/server-filesystem .
  $ rplc check policies/`,
    )
    .action(async (server: string[], opts: McpSchemasCommandOptions) => {
      done(await mcpSchemasCommand(server, opts, io));
    });
  configure(schemas, "mcp-schemas");
}
