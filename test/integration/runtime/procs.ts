/** Child processes for the runtime's integration tests (real processes, no mocks). */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = path.join(ROOT, "test/integration/runtime/fixtures");

export interface Event {
  event: string;
  id?: string;
  result?: unknown;
  name?: string;
  part?: string;
  reason?: string;
  message?: string;
}

export interface Agent {
  readonly child: ChildProcess;
  readonly events: Event[];
  /** Resolves with the first event named `name` (rejects if the process ends first). */
  next(name: string, timeoutMs?: number): Promise<Event>;
  /** Resolves with the exit code (or signal). */
  readonly exited: Promise<number | string>;
  stderr(): string;
}

/** Start fixtures/agent.ts with `args`. */
export function startAgent(args: string[], cwd = ROOT): Agent {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(FIXTURES, "agent.ts"), ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Event[] = [];
  let err = "";
  let buf = "";
  const waiters: { name: string; resolve: (e: Event) => void }[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let e: Event;
      try {
        e = JSON.parse(line) as Event;
      } catch {
        continue;
      }
      events.push(e);
      for (const w of [...waiters]) {
        if (w.name === e.event) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  });
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    events,
    exited,
    stderr: () => err,
    next(name, timeoutMs = 60_000) {
      const seen = events.find((e) => e.event === name);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${name} event after ${timeoutMs} ms; events ${JSON.stringify(events)}; stderr ${err}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          name,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
        void exited.then(() =>
          setTimeout(() => {
            clearTimeout(timer);
            reject(
              new Error(
                `the agent ended without a ${name} event; events ${JSON.stringify(events)}; stderr ${err}`,
              ),
            );
          }, 50),
        );
      });
    },
  };
}

/** Run the agent to its end; returns its final event. */
export async function runAgent(args: string[]): Promise<Event> {
  const a = startAgent(args);
  await a.exited;
  const last = [...a.events].reverse().find((e) => e.event === "done" || e.event === "error");
  if (last === undefined) throw new Error(`the agent printed no result; stderr ${a.stderr()}`);
  return last;
}

/** `rplc <args>` through fixtures/rplc.ts. */
export function rplc(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(FIXTURES, "rplc.ts"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
