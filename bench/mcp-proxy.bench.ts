/**
 * What the MCP proxy adds to a tools/call (target from the MCP issue: under 1 ms per call beyond
 * the server's own time; recorded, never asserted). One run, one server binary, three paths:
 *
 *   direct          MCP SDK Client ─stdio─▶ filesystem server
 *   proxy (library) Client ─in memory─▶ createMcpProxy ─stdio─▶ filesystem server
 *   proxy (process) Client ─stdio─▶ rplc mcp-proxy ─stdio─▶ filesystem server (the deployed shape)
 *
 * The call is `read_text_file` of a small file in the workspace: allowed by the policy of the
 * proxy tests (stdlib/files and two rules), audit log on (fsync group), approval store in memory.
 * "blocked" calls (a write outside the workspace) never reach the server: the proxy's own cost.
 * Run with `npm run bench -- mcp`; record results in bench/results/mcp-proxy.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { ChildProcessTransport, createMcpProxy } from "../src/integrations/mcp.js";
import { createRunplane } from "../src/runtime/runplane.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const FS_SERVER = path.join(root, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
const POLICY = path.join(root, "test/integration/integrations/fixtures/mcp/policy.rplc");
const RPLC = path.join(root, "test/integration/integrations/fixtures/mcp/rplc.ts");

const dir = mkdtempSync(path.join(os.tmpdir(), "rp-mcp-bench-"));
const ws = path.join(dir, "workspace");
mkdirSync(ws);
const file = path.join(ws, "notes.txt");
writeFileSync(file, "meeting at noon\n".repeat(8));
const server = { command: process.execPath, args: [FS_SERVER, ws] };

// 1. Direct.
const direct = new Client({ name: "bench-direct", version: "1" });
await direct.connect(new StdioClientTransport({ ...server, stderr: "ignore" }));

// 2. The proxy in this process.
const runplane = await createRunplane({
  policy: POLICY,
  store: "memory",
  audit: { path: path.join(dir, "audit-lib.jsonl"), fsync: "group" },
  telemetry: false,
});
const [downProxy, downClient] = InMemoryTransport.createLinkedPair();

/**
 * The proxy's own time per call, apart from the server's and the client's: stamps taken where a
 * message enters or leaves the proxy (tools/call in from the client → out to the server, answer in
 * from the server → out to the client), summed per request id.
 */
const stamps = new Map<
  string | number,
  { downIn?: number; upOut?: number; upIn?: number; downOut?: number }
>();
const stamp = (m: JSONRPCMessage, key: "downIn" | "upOut" | "upIn" | "downOut") => {
  const id = (m as { id?: string | number }).id;
  if (id === undefined) return;
  if ((key === "downIn" || key === "upOut") && (m as { method?: string }).method !== "tools/call") return;
  const s = stamps.get(id) ?? {};
  s[key] = performance.now();
  stamps.set(id, s);
};
function timed(inner: Transport, inKey: "downIn" | "upIn", outKey: "upOut" | "downOut"): Transport {
  const t: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (m, o) => {
      stamp(m, outKey);
      return inner.send(m, o);
    },
  };
  Object.defineProperty(t, "onmessage", {
    set(fn: (m: JSONRPCMessage) => void) {
      inner.onmessage = (m: JSONRPCMessage) => {
        stamp(m, inKey);
        fn(m);
      };
    },
  });
  Object.defineProperty(t, "onclose", { set: (fn: () => void) => (inner.onclose = fn) });
  Object.defineProperty(t, "onerror", { set: (fn: (e: Error) => void) => (inner.onerror = fn) });
  return t;
}
const proxy = await createMcpProxy({
  runplane,
  upstream: timed(new ChildProcessTransport({ ...server, stderr: "ignore" }), "upIn", "upOut"),
  downstream: timed(downProxy, "downIn", "downOut"),
  cwd: ws,
});
const viaLibrary = new Client({ name: "bench-library", version: "1" });
await viaLibrary.connect(downClient);

// 3. `rplc mcp-proxy` as its own process (source tree through tsx: the same code the build holds).
const viaProcess = new Client({ name: "bench-process", version: "1" });
await viaProcess.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [
      "--import",
      import.meta.resolve("tsx"),
      RPLC,
      "mcp-proxy",
      "--policy",
      POLICY,
      "--store",
      "memory",
      "--audit",
      path.join(dir, "audit-proc.jsonl"),
      "--cwd",
      ws,
      "--",
      server.command,
      ...server.args,
    ],
    stderr: "ignore",
  }),
);

const read = { name: "read_text_file", arguments: { path: file } };
const blocked = { name: "write_file", arguments: { path: path.join(dir, "outside.txt"), content: "x" } };
for (const c of [direct, viaLibrary, viaProcess]) {
  const r = await c.callTool(read);
  if (r.isError) throw new Error(`INVARIANT: the read is allowed: ${JSON.stringify(r)}`);
}
if ((await viaLibrary.callTool(blocked)).isError !== true) throw new Error("INVARIANT: the write is blocked");

group("tools/call read_text_file (allowed)", () => {
  summary(() => {
    bench("direct (client → server)", async () => do_not_optimize(await direct.callTool(read)));
    bench("through createMcpProxy (in process)", async () =>
      do_not_optimize(await viaLibrary.callTool(read)),
    );
    bench("through rplc mcp-proxy (own process)", async () =>
      do_not_optimize(await viaProcess.callTool(read)),
    );
  });
});

group("tools/call write_file outside the workspace (blocked by the proxy)", () => {
  bench("through createMcpProxy (in process)", async () =>
    do_not_optimize(await viaLibrary.callTool(blocked)),
  );
  bench("through rplc mcp-proxy (own process)", async () =>
    do_not_optimize(await viaProcess.callTool(blocked)),
  );
});

await run();

const own: number[] = [];
for (const s of stamps.values()) {
  if (s.downIn === undefined || s.upOut === undefined || s.upIn === undefined || s.downOut === undefined)
    continue;
  own.push(s.upOut - s.downIn + (s.downOut - s.upIn));
}
own.sort((a, b) => a - b);
const q = (p: number) =>
  `${((own[Math.min(own.length - 1, Math.floor(p * own.length))] ?? Number.NaN) * 1000).toFixed(0)} µs`;
console.log(
  `\ncreateMcpProxy's own time per allowed tools/call (decide, audit, forward, answer; ${own.length} calls):` +
    ` min ${q(0)}, p50 ${q(0.5)}, p75 ${q(0.75)}, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${q(1)}`,
);

await Promise.all([direct.close(), viaLibrary.close(), viaProcess.close()]);
await proxy.close();
await runplane.close();
rmSync(dir, { recursive: true, force: true });
