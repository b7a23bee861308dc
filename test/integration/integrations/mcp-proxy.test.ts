/**
 * `rplc mcp-proxy` end to end over stdio: an MCP SDK Client (the agent) starts the rplc command,
 * which starts the real filesystem server (@modelcontextprotocol/server-filesystem) as its child.
 * The server may touch both the workspace and a second directory, so what stays untouched outside
 * the workspace was stopped by the policy, not by the server.
 *
 * The approval case uses move_file: the filesystem server has no delete tool, and a move is its
 * destructive operation (the source is gone afterwards; its tool annotations say destructiveHint).
 * The approval is answered by the real `rplc approvals approve` in another process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../../../src/runtime/audit/query.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import {
  connectThroughProxy,
  FS_SERVER,
  type ProxiedClient,
  removeTempDirs,
  rplc,
  rplcArgv,
  tempDir,
} from "./fixtures/mcp/procs.js";

const POLICY = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures/mcp/policy.rplc");

afterAll(removeTempDirs);

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

function setup() {
  const root = tempDir("rp-mcp-e2e-");
  const ws = path.join(root, "workspace");
  const outside = path.join(root, "outside");
  const state = path.join(root, "state");
  for (const d of [ws, outside, state]) mkdirSync(d);
  writeFileSync(path.join(ws, "notes.txt"), "meeting at noon\n");
  writeFileSync(path.join(ws, "draft.md"), "# draft\n");
  const store = `sqlite:${path.join(state, "runplane.db")}`;
  const audit = path.join(state, "audit.jsonl");
  const args = ["--policy", POLICY, "--store", store, "--audit", audit, "--cwd", ws];
  return { root, ws, outside, store, audit, args, server: [process.execPath, FS_SERVER, ws, outside] };
}

describe("rplc mcp-proxy with the real filesystem server", () => {
  let s: ReturnType<typeof setup>;
  let agent: ProxiedClient;

  beforeAll(async () => {
    s = setup();
    agent = await connectThroughProxy([...s.args, "--", ...s.server], s.root);
  });

  it("forwards tools/list: the agent sees the server's own tools and schemas", async () => {
    const direct = new Client({ name: "direct", version: "1" });
    await direct.connect(
      new StdioClientTransport({ command: process.execPath, args: [FS_SERVER, s.ws], stderr: "ignore" }),
    );
    const expected = await direct.listTools();
    await direct.close();
    const proxied = await agent.client.listTools();
    expect(proxied.tools.length).toBeGreaterThanOrEqual(10);
    expect(proxied).toEqual(expected);
    expect(agent.client.getServerVersion()?.name).toBe("secure-filesystem-server");
  });

  it("allows a read in the workspace", async () => {
    const r = await agent.client.callTool({
      name: "read_text_file",
      arguments: { path: path.join(s.ws, "notes.txt") },
    });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toBe("meeting at noon\n");
  });

  it("blocks a write outside the workspace with isError and the policy's reason", async () => {
    const target = path.join(s.outside, "evil.sh");
    const r = await agent.client.callTool({
      name: "write_file",
      arguments: { path: target, content: "rm -rf ~" },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      `blocked by policy: writes outside the workspace (${target}) — do not retry this action`,
    );
    expect(existsSync(target)).toBe(false);
    // The same write inside the workspace goes through (the server could do both).
    const ok = await agent.client.callTool({
      name: "write_file",
      arguments: { path: path.join(s.ws, "todo.txt"), content: "buy milk" },
    });
    expect(ok.isError).toBeFalsy();
    expect(readFileSync(path.join(s.ws, "todo.txt"), "utf8")).toBe("buy milk");
  });

  it("holds a move until `rplc approvals approve` in another process, then runs it", async () => {
    const from = path.join(s.ws, "draft.md");
    const to = path.join(s.ws, "final.md");
    const call = agent.client.callTool({ name: "move_file", arguments: { source: from, destination: to } });
    const [, id] = await agent.waitForStderr(/waits for approval (ap-\w+): fs\.move/);
    expect(agent.stderr()).toContain(`rplc approvals approve ${id} --store ${s.store} --by USER`);
    // Nothing has moved while the human has not answered.
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(from)).toBe(true);

    const list = rplc(["approvals", "list", "--store", s.store]);
    expect(list.stdout).toContain(`${id}  pending  fs.move`);
    const wrong = rplc(["approvals", "approve", id!, "--store", s.store, "--by", "mallory"]);
    expect(wrong.code).toBe(1);
    const ok = rplc(["approvals", "approve", id!, "--store", s.store, "--by", "alice", "--role", "reviewer"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);

    const r = await call;
    expect(r.isError).toBeFalsy();
    expect(existsSync(from)).toBe(false);
    expect(readFileSync(to, "utf8")).toBe("# draft\n");
  });

  it("records every decision in a log that verifies, after the agent disconnects", async () => {
    await agent.client.close();
    const outcomes: string[] = [];
    for await (const r of readRecords(s.audit)) {
      const rec = r as AuditRecord;
      outcomes.push(`${rec.action} ${rec.outcome}`);
    }
    expect(outcomes).toEqual([
      "fs.read executed",
      "fs.write blocked",
      "fs.write executed",
      "fs.move pending",
      "fs.move approved",
      "fs.move executed",
    ]);
    const verify = rplc(["audit", "verify", s.audit]);
    expect(verify.code).toBe(0);
  });
});

/** The proxy as a bare process (no MCP client): its exit code and stderr. */
function startProxy(args: readonly string[], cwd: string) {
  const child: ChildProcess = spawn(process.execPath, rplcArgv(["mcp-proxy", ...args]), {
    cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let err = "";
  let out = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString("utf8");
  });
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(err);
      if (m !== null) return m;
      if (Date.now() > end) throw new Error(`no ${re} on stderr:\n${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exited, until, stderr: () => err, stdout: () => out };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("rplc mcp-proxy lifecycle", () => {
  it("ends with the client: stdin closed → the server is stopped, exit 0, nothing but protocol on stdout", async () => {
    const s = setup();
    const p = startProxy([...s.args, "--", ...s.server], s.root);
    const [, pid] = await p.until(/guarding .* \(pid (\d+)\)/);
    expect(alive(Number(pid))).toBe(true);
    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
    expect(alive(Number(pid))).toBe(false);
    expect(p.stdout()).toBe("");
  });

  it("ends when the server dies, saying how (exit 1)", async () => {
    const s = setup();
    const p = startProxy([...s.args, "--", ...s.server], s.root);
    const [, pid] = await p.until(/guarding .* \(pid (\d+)\)/);
    process.kill(Number(pid), "SIGKILL");
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(
      /rplc mcp-proxy: the MCP server \(.+server-filesystem.+\) was ended by SIGKILL; the proxy stops\n/,
    );
  });

  it("a server that cannot be started: exit 1 with the reason", async () => {
    const s = setup();
    const p = startProxy([...s.args, "--", path.join(s.root, "no-such-server")], s.root);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/could not be started: spawn .*no-such-server ENOENT/);
  });

  it("a policy that does not compile: exit 1, the server is never started", async () => {
    const s = setup();
    const bad = path.join(s.root, "bad.rplc");
    writeFileSync(bad, 'on fs.write {\n  block x when args.nope reason "x"\n}\n');
    const marker = path.join(s.root, "started");
    const p = startProxy(
      [
        "--policy",
        bad,
        "--no-audit",
        "--store",
        "memory",
        "--",
        process.execPath,
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`,
      ],
      s.root,
    );
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^rplc mcp-proxy: cannot start: policy: /);
    expect(existsSync(marker)).toBe(false);
  });

  it("usage errors: no server command, no policy (exit 2)", () => {
    const noServer = rplc(["mcp-proxy", "--policy", POLICY]);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toBe("rplc: missing required argument 'server' (see 'rplc mcp-proxy --help')\n");
    const noPolicy = rplc(["mcp-proxy", "--", "node", "server.js"]);
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.stderr).toBe("rplc: no policy given: use --policy PATH (see 'rplc mcp-proxy --help')\n");
  });
});
