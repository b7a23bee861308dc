/**
 * The MCP proxy in one process: a real MCP SDK Client (the agent) → createMcpProxy → a real MCP SDK
 * Server (the upstream), linked with InMemoryTransport pairs, deciding with a real runtime. The
 * server records every tools/call it receives, so each test can say what reached it.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  CallToolResultSchema,
  ListResourcesRequestSchema,
  ListRootsRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createMcpProxy,
  type McpProxy,
  mcpToolAction,
  unmappedMcpAction,
} from "../../../src/integrations/mcp.js";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import type { Runplane } from "../../../src/runtime/types.js";

const POLICY = `include "stdlib/actions"

action tool.create_ticket {
  title: string
}

action tool.fail_tool {
  reason?: string
}

action tool.ask_roots {
  note?: string
}

action mcp.tracker.create_ticket {
  title: string
}

on fs.write {
  block outside_work
    when not path.within(args.path, "/work")
    reason "writes outside /work (" + args.path + ")"
}

on fs.move {
  require approval move_review
    reason "moving " + args.source + " removes it"
    approvers ["lead"]
}

on tool.create_ticket, mcp.tracker.create_ticket {
  block no_shouting
    when contains(args.title, "URGENT")
    reason "ticket titles do not shout"
}
`;

const TOOLS = [
  { name: "read_file", inputSchema: { type: "object", properties: { path: { type: "string" } } } },
  {
    name: "write_file",
    inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
  },
  {
    name: "move_file",
    inputSchema: {
      type: "object",
      properties: { source: { type: "string" }, destination: { type: "string" } },
    },
  },
  { name: "create_ticket", inputSchema: { type: "object", properties: { title: { type: "string" } } } },
  { name: "fail_tool", inputSchema: { type: "object", properties: {} } },
  { name: "ask_roots", inputSchema: { type: "object", properties: {} } },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface World {
  client: Client;
  proxy: McpProxy;
  runplane: Runplane;
  /** The tools/call requests that reached the server: `name args-json`. */
  seen: string[];
  audit: string;
  server: Server;
}

const open: World[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) {
    await w.client.close().catch(() => {});
    await w.proxy.close();
    await w.runplane.close().catch(() => {});
  }
});

async function world(options: { namespace?: string; approval?: "wait" | "defer" } = {}): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rp-mcp-mem-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "policy.rplc"), POLICY);
  const audit = path.join(dir, "audit.jsonl");
  const runplane = await createRunplane({
    policy: path.join(dir, "policy.rplc"),
    store: "memory",
    audit,
    approvalPollMs: 20,
  });

  const seen: string[] = [];
  const server = new Server(
    { name: "upstream", version: "9.9.9" },
    { capabilities: { tools: { listChanged: true }, resources: {} }, instructions: "be nice" },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [{ uri: "mem://readme", name: "readme" }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (req) => ({
    contents: [{ uri: req.params.uri, text: "resource text" }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
    seen.push(`${req.params.name} ${JSON.stringify(req.params.arguments ?? {})}`);
    if (req.params.name === "fail_tool") {
      return { content: [{ type: "text", text: "disk full" }], isError: true };
    }
    if (req.params.name === "ask_roots") {
      const roots = await server.listRoots();
      return { content: [{ type: "text", text: roots.roots.map((r) => r.uri).join(",") }] };
    }
    return { content: [{ type: "text", text: `ran ${req.params.name}` }] };
  });
  const [upClient, upServer] = InMemoryTransport.createLinkedPair();
  await server.connect(upServer);

  const [downProxy, downClient] = InMemoryTransport.createLinkedPair();
  const proxy = await createMcpProxy({
    runplane,
    upstream: upClient,
    downstream: downProxy,
    cwd: "/work",
    ...options,
  });
  const client = new Client({ name: "agent", version: "1" }, { capabilities: { roots: {} } });
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: "file:///work" }] }));
  await client.connect(downClient);
  const w = { client, proxy, runplane, seen, audit, server };
  open.push(w);
  return w;
}

async function outcomes(audit: string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readRecords(audit)) {
    const rec = r as AuditRecord;
    out.push(`${rec.action} ${rec.outcome}`);
  }
  return out;
}

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

/** Resolves once an approval is pending in `runplane`'s store. */
async function pendingId(runplane: Runplane): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const [p] = await runplane.approvals.list({ status: "pending" });
    if (p !== undefined) return p.id;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no approval was asked for");
}

describe("createMcpProxy (in memory)", () => {
  it("passes initialize, tools/list and resources through unchanged", async () => {
    const w = await world();
    expect(w.client.getServerVersion()).toEqual({ name: "upstream", version: "9.9.9" });
    expect(w.client.getInstructions()).toBe("be nice");
    expect(w.client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, resources: {} });
    const tools = await w.client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    expect(tools.tools[1]?.inputSchema).toEqual(TOOLS[1]?.inputSchema);
    expect((await w.client.listResources()).resources).toEqual([{ uri: "mem://readme", name: "readme" }]);
    const read = await w.client.readResource({ uri: "mem://readme" });
    expect(read.contents[0]).toMatchObject({ text: "resource text" });
    expect(w.seen).toEqual([]);
  });

  it("forwards an allowed call and returns the server's answer", async () => {
    const w = await world();
    const r = await w.client.callTool({
      name: "write_file",
      arguments: { path: "/work/a.txt", content: "x" },
    });
    expect(r.isError).toBeUndefined();
    expect(text(r)).toBe("ran write_file");
    expect(w.seen).toEqual([`write_file {"path":"/work/a.txt","content":"x"}`]);
  });

  it("blocks: the server never sees the call, the client reads the reason with isError", async () => {
    const w = await world();
    const r = await w.client.callTool({
      name: "write_file",
      arguments: { path: "/etc/passwd", content: "x" },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe("blocked by policy: writes outside /work (/etc/passwd) — do not retry this action");
    expect(w.seen).toEqual([]);
    await w.runplane.close();
    expect(await outcomes(w.audit)).toEqual(["fs.write blocked"]);
  });

  it("waits for an approval, then runs the call once", async () => {
    const w = await world();
    const call = w.client.callTool({
      name: "move_file",
      arguments: { source: "/work/a", destination: "/work/b" },
    });
    const id = await pendingId(w.runplane);
    expect(w.seen).toEqual([]);
    await w.runplane.approvals.approve(id, { by: "ann", roles: ["lead"] });
    const r = await call;
    expect(text(r)).toBe("ran move_file");
    expect(w.seen).toEqual([`move_file {"source":"/work/a","destination":"/work/b"}`]);
    await w.runplane.close();
    expect(await outcomes(w.audit)).toEqual(["fs.move pending", "fs.move approved", "fs.move executed"]);
  });

  it("a denied approval reaches the client as isError, and nothing runs", async () => {
    const w = await world();
    const call = w.client.callTool({
      name: "move_file",
      arguments: { source: "/work/a", destination: "/work/b" },
    });
    const id = await pendingId(w.runplane);
    await w.runplane.approvals.deny(id, { by: "ann", roles: ["lead"], note: "not today" });
    const r = await call;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/denied/);
    expect(w.seen).toEqual([]);
  });

  it("approval 'defer' answers at once with the approval id", async () => {
    const w = await world({ approval: "defer" });
    const r = await w.client.callTool({
      name: "move_file",
      arguments: { source: "/work/a", destination: "/work/b" },
    });
    expect(r.isError).toBe(true);
    const [p] = await w.runplane.approvals.list({ status: "pending" });
    expect(text(r)).toContain(p!.id);
    expect(text(r)).toContain("has not run");
    expect(w.seen).toEqual([]);
  });

  it("a call cancelled while it waits never runs, even when approved later", async () => {
    const w = await world();
    const abort = new AbortController();
    const call = w.client.callTool(
      { name: "move_file", arguments: { source: "/work/a", destination: "/work/b" } },
      undefined,
      { signal: abort.signal },
    );
    const id = await pendingId(w.runplane);
    abort.abort("the user gave up");
    await expect(call).rejects.toThrow(/gave up/);
    await w.runplane.approvals.approve(id, { by: "ann", roles: ["lead"] });
    // The waiting guard sees the answer on its next poll (20 ms) and would run the call now.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.seen).toEqual([]);
    await w.runplane.close();
    expect(await outcomes(w.audit)).toEqual(["fs.move pending", "fs.move approved", "fs.move failed"]);
  });

  it("unmapped tools are tool.<name>, or mcp.<namespace>.<name> with a namespace", async () => {
    expect(mcpToolAction("create_ticket", {})).toEqual({ action: "tool.create_ticket", mapped: false });
    expect(mcpToolAction("move_file", { source: "a", destination: "b" })).toEqual({
      action: "fs.move",
      mapped: true,
    });
    expect(unmappedMcpAction("close-ticket", "my-tracker")).toBe("mcp.my_tracker.close_ticket");

    const plain = await world();
    expect(text(await plain.client.callTool({ name: "create_ticket", arguments: { title: "hi" } }))).toBe(
      "ran create_ticket",
    );
    const loud = await plain.client.callTool({ name: "create_ticket", arguments: { title: "URGENT" } });
    expect(text(loud)).toBe("blocked by policy: ticket titles do not shout — do not retry this action");

    const spaced = await world({ namespace: "tracker" });
    const r = await spaced.client.callTool({ name: "create_ticket", arguments: { title: "URGENT now" } });
    expect(r.isError).toBe(true);
    await spaced.client.callTool({ name: "create_ticket", arguments: { title: "calm" } });
    await spaced.runplane.close();
    expect(await outcomes(spaced.audit)).toEqual([
      "mcp.tracker.create_ticket blocked",
      "mcp.tracker.create_ticket executed",
    ]);
  });

  it("a tool the policy does not declare is blocked (unknown_action)", async () => {
    const w = await world();
    const r = await w.client.callTool({ name: "launch_rockets", arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^blocked by policy: /);
    expect(w.seen).toEqual([]);
  });

  it("the tool's own error reaches the client unchanged and is recorded as failed", async () => {
    const w = await world();
    const r = await w.client.callTool({ name: "fail_tool", arguments: {} });
    expect(r).toEqual({ content: [{ type: "text", text: "disk full" }], isError: true });
    await w.runplane.close();
    const records: AuditRecord[] = [];
    for await (const rec of readRecords(w.audit)) records.push(rec as AuditRecord);
    expect(records.map((x) => [x.outcome, x.error])).toEqual([["failed", "disk full"]]);
  });

  it("requests the server makes of the client pass through (roots/list inside a tool call)", async () => {
    const w = await world();
    const r = await w.client.callTool({ name: "ask_roots", arguments: {} });
    expect(text(r)).toBe("file:///work");
  });

  it("fails closed: when the runtime cannot record, the call does not run and the client is told", async () => {
    const w = await world();
    await w.client.callTool({ name: "write_file", arguments: { path: "/work/a.txt", content: "x" } });
    await new Promise((r) => setTimeout(r, 50));
    unlinkSync(w.audit);
    // With grouped fsync (the default) the log learns of its removal from the file's watch, at the
    // event loop's next turn (docs/runtime.md); `fsync: "record"` checks before every action.
    await new Promise((r) => setTimeout(r, 50));
    const r = await w.client.callTool({
      name: "write_file",
      arguments: { path: "/work/b.txt", content: "x" },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^runplane could not check this tool call, so it did not run: audit: /);
    expect(w.seen).toHaveLength(1);
  });

  it("a tools/call without a name is refused with invalid params, not forwarded", async () => {
    const w = await world();
    await expect(
      w.client.request({ method: "tools/call", params: { arguments: {} } } as never, CallToolResultSchema),
    ).rejects.toThrow(/needs the tool's name/);
    expect(w.seen).toEqual([]);
  });

  it("when the server goes away, the proxy closes and says so", async () => {
    const w = await world();
    await w.server.close();
    const closed = await w.proxy.closed;
    expect(closed.by).toBe("server");
  });
});
