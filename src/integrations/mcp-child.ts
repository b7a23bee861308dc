/**
 * An MCP transport to a server started as a child process (newline-delimited JSON-RPC on its
 * stdin/stdout), like the SDK's StdioClientTransport, but it reports how the child ended (exit
 * code or signal) and whether it could start at all: the proxy tells the user why it stopped.
 *
 * Decisions where nobody else decides:
 * - The child gets the environment it is given; `createMcpProxy` passes the proxy's whole
 *   environment by default (MCP clients configure a server's environment on the proxy's command),
 *   where the SDK's transport passes only a safe subset (HOME, PATH, …).
 * - The child's stderr goes to ours ("inherit") unless told otherwise: it is the server's log.
 * - Closing ends the child's stdin (a stdio server exits when its input ends), then sends SIGTERM
 *   after `graceMs` and SIGKILL after twice that.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

export interface McpServerCommand {
  /** The program that runs the MCP server (`npx`, `node`, `uvx`, …). */
  readonly command: string;
  readonly args?: readonly string[];
  /** The server's environment (default: this process's environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The server's working directory (default: this process's). */
  readonly cwd?: string;
  /** Where the server's stderr goes (default "inherit": ours). */
  readonly stderr?: "inherit" | "ignore" | "pipe";
}

/** How the child ended. */
export interface ChildExit {
  /** The exit code, or null when a signal ended it or it never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the program could not be started (ENOENT, EACCES, …). */
  readonly startError?: Error;
}

/** `command args…` for messages, quoted where needed. */
export function describeCommand(spec: McpServerCommand): string {
  return [spec.command, ...(spec.args ?? [])]
    .map((w) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : JSON.stringify(w)))
    .join(" ");
}

/** How a child ended, in words: `exited with code 1`, `was killed by SIGKILL`, `could not start: …`. */
export function describeExit(exit: ChildExit): string {
  if (exit.startError !== undefined) return `could not be started: ${exit.startError.message}`;
  if (exit.signal !== null) return `was ended by ${exit.signal}`;
  return `exited with code ${exit.code ?? "unknown"}`;
}

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private closing = false;
  private closedOnce = false;
  private exitInfo: ChildExit | undefined;
  private readonly exitWaiters: ((exit: ChildExit) => void)[] = [];

  constructor(
    readonly spec: McpServerCommand,
    private readonly graceMs = 2000,
  ) {}

  /** The child's process id once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the child ended (undefined while it runs). */
  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  /** The child's stderr when `stderr: "pipe"` was asked for. */
  get stderr(): NodeJS.ReadableStream | null {
    return this.child?.stderr ?? null;
  }

  /** Resolves once the child process has ended. */
  exited(): Promise<ChildExit> {
    if (this.exitInfo !== undefined) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  start(): Promise<void> {
    if (this.child !== undefined) throw new Error("ChildProcessTransport already started");
    const env = this.spec.env ?? process.env;
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.command, [...(this.spec.args ?? [])], {
        cwd: this.spec.cwd,
        env: clean,
        stdio: ["pipe", "pipe", this.spec.stderr ?? "inherit"],
        shell: false,
        windowsHide: true,
      });
      this.child = child;
      let started = false;
      child.once("spawn", () => {
        started = true;
        resolve();
      });
      child.once("error", (e) => {
        if (!started) {
          this.ended({ code: null, signal: null, startError: e });
          reject(e);
        } else {
          this.onerror?.(e);
        }
      });
      child.once("close", (code, signal) => this.ended({ code, signal }));
      child.stdout?.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (e) {
            this.onerror?.(
              new Error(`the MCP server wrote a line that is not JSON-RPC: ${(e as Error).message}`),
            );
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stdin?.on("error", (e) => this.onerror?.(e));
      child.stdout?.on("error", (e) => this.onerror?.(e));
    });
  }

  private ended(exit: ChildExit): void {
    if (this.exitInfo !== undefined) return;
    this.exitInfo = exit;
    for (const w of this.exitWaiters.splice(0)) w(exit);
    this.fireClose();
  }

  private fireClose(): void {
    if (this.closedOnce) return;
    this.closedOnce = true;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed || this.exitInfo !== undefined) {
      return Promise.reject(new Error("the MCP server is not running"));
    }
    return new Promise((resolve, reject) => {
      stdin.write(serializeMessage(message), (e) => (e ? reject(e) : resolve()));
    });
  }

  /** End the child: close its stdin, then SIGTERM, then SIGKILL; resolves when it has ended. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exitInfo !== undefined) {
      this.fireClose();
      return;
    }
    if (!this.closing) {
      this.closing = true;
      child.stdin?.end();
      const term = setTimeout(() => child.kill("SIGTERM"), this.graceMs);
      const kill = setTimeout(() => child.kill("SIGKILL"), this.graceMs * 2);
      term.unref();
      kill.unref();
      void this.exited().then(() => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    }
    await this.exited();
  }
}
