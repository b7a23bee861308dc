/**
 * `rplc hook claude-code --policy PATHS`: Claude Code's PreToolUse hook. Claude Code runs it
 * before every tool call with the call as JSON on stdin; it answers allow, deny (the reason is
 * shown to the model) or ask on stdout (src/integrations/claude-code.ts has the protocol).
 *
 *   rplc hook claude-code --policy PATHS… [--audit FILE | --no-audit] [--approval ask|wait]
 *                         [--store STORE] [--wait-timeout SECONDS] [--on-allow allow|pass]
 *                         [--context KEY=VALUE]… [--shadow]
 *
 * Exit codes (Claude Code's): 0 answered (stdout holds the answer), 2 refused: the payload is not
 * a PreToolUse payload, the policy cannot be loaded, the audit log or the store failed, or a usage
 * error; stderr says why and Claude Code shows it to the model. Never anything else: any other
 * exit code would let the tool call through.
 *
 * It runs once per tool call, so startup matters: this file imports nothing heavy at load (main.ts
 * imports it statically); the runtime and the integration are imported in the action. A policy
 * built by `rplc build` loads in milliseconds; `.rplc` sources are compiled on every call
 * (docs/integrations/claude-code.md has the measurements).
 *
 * Relative paths are resolved against $CLAUDE_PROJECT_DIR when Claude Code sets it (the project
 * root, whatever directory the session is in), otherwise against the working directory.
 */
import path from "node:path";
import { type Command, Option } from "commander";
import type { LoadedPolicy } from "../../engine/load.js";
import type { HookAnswer } from "../../integrations/claude-code.js";
import { loadPolicySpec } from "../../runtime/policy.js";
import { createRunplane } from "../../runtime/runplane.js";
import type { Runplane } from "../../runtime/types.js";
import { type CliIo, usageError } from "../io.js";
import { collectEach } from "../options.js";

export interface ClaudeCodeHookCliOptions {
  readonly policy: readonly string[];
  /** A file, or false (`--no-audit`). Default `.runplane/audit.jsonl`. */
  readonly audit?: string | false;
  readonly store?: string;
  readonly approval?: "ask" | "wait";
  readonly waitTimeout?: string;
  readonly onAllow?: "allow" | "pass";
  readonly context?: readonly string[];
  readonly shadow?: boolean;
}

const DEFAULT_AUDIT = ".runplane/audit.jsonl";
const DEFAULT_STORE = "sqlite:.runplane/runplane.db";
const DEFAULT_WAIT_SECONDS = 300;
/** How long a call waits for another hook process to release the audit log (ask mode). */
const LOCK_WAIT_MS = 20_000;

/** Where relative paths start: $CLAUDE_PROJECT_DIR when set (absolute), else the working directory. */
export function baseDir(io: CliIo, env: NodeJS.ProcessEnv = process.env): string {
  const project = env.CLAUDE_PROJECT_DIR;
  return project !== undefined && path.isAbsolute(project) ? project : io.cwd;
}

function write(io: CliIo, a: HookAnswer): number {
  if (a.stdout !== "") io.stdout(a.stdout);
  if (a.stderr !== "") io.stderr(a.stderr);
  return a.exitCode;
}

/** `--context a=b --context c=d` → { a: "b", c: "d" }, or the entry that is not KEY=VALUE. */
function parseContext(entries: readonly string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf("=");
    if (eq <= 0) return e;
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

function isLockBusy(e: unknown): boolean {
  return e instanceof Error && /is being written by|keeps taking it/.test(e.message);
}

export async function claudeCodeHookCommand(opts: ClaudeCodeHookCliOptions, io: CliIo): Promise<number> {
  const started = Date.now();
  const cmd = "hook claude-code";
  const approval = opts.approval ?? "ask";
  if (opts.store !== undefined && approval !== "wait") {
    return usageError(io, "--store is only used with --approval wait (ask mode keeps no approvals)", cmd);
  }
  const seconds = Number(opts.waitTimeout ?? DEFAULT_WAIT_SECONDS);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return usageError(
      io,
      `--wait-timeout must be a positive number of seconds, not \`${opts.waitTimeout}\``,
      cmd,
    );
  }
  const context = parseContext(opts.context ?? []);
  if (typeof context === "string")
    return usageError(io, `--context takes KEY=VALUE, not \`${context}\``, cmd);

  const { answerPreToolUse, parsePayload, refuse, requestsForPreToolUse } = await import(
    "../../integrations/claude-code.js"
  );
  let text: string;
  try {
    text = await io.readStdin();
  } catch (e) {
    return write(io, refuse(`cannot read standard input (${(e as Error).message})`));
  }
  const payload = parsePayload(text);
  if (typeof payload === "string") return write(io, refuse(payload));

  const base = baseDir(io);
  const deadline = started + seconds * 1000;
  let runplane: Runplane;
  try {
    // Loaded once: a call that waits for the audit log's lock does not compile the policy again.
    const active = await loadPolicySpec([...opts.policy], base);
    const policy: LoadedPolicy = { hash: active.hash, decide: active.decide, rules: [], risks: [] };
    // Decide once before taking the audit log's lock: the natives the policy needs (the shell
    // parser's WebAssembly, RE2) load now, so the lock is held for milliseconds, not for their
    // start-up. The decision that counts is made (and recorded) below.
    for (const request of requestsForPreToolUse(payload, { context })) {
      try {
        active.decide({ ...request, time: new Date().toISOString() });
      } catch {
        // A policy that throws fails below, where it is recorded.
      }
    }
    const lockDeadline = approval === "wait" ? deadline : started + LOCK_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        runplane = await createRunplane({
          policy,
          store: approval === "wait" ? (opts.store ?? DEFAULT_STORE) : "memory",
          audit: opts.audit === false ? false : (opts.audit ?? DEFAULT_AUDIT),
          telemetry: false,
          cwd: base,
        });
        break;
      } catch (e) {
        // Claude Code runs the hooks of parallel tool calls at once; one process writes the log.
        if (!isLockBusy(e) || Date.now() + delay > lockDeadline) throw e;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } catch (e) {
    return write(io, refuse(`the runtime could not start (${(e as Error).message})`));
  }

  let result: HookAnswer;
  try {
    result = await answerPreToolUse(payload, runplane, {
      approval,
      deadline,
      onAllow: opts.onAllow ?? "allow",
      shadow: opts.shadow === true,
      context,
    });
  } catch (e) {
    // answerPreToolUse does not throw; if it ever did, exit 70 would let the call through.
    result = refuse(`internal error (${(e as Error).message})`);
  }
  try {
    await runplane.close();
  } catch (e) {
    // The records could not be written: nothing may run unrecorded.
    result = refuse(`the audit log could not be written (${(e as Error).message})`);
  }
  return write(io, result);
}

const SNIPPET = `{
    "hooks": {
      "PreToolUse": [
        {
          "matcher": "Bash|Read|Write|Edit|MultiEdit|NotebookEdit|Glob|Grep|LS|WebFetch|WebSearch|mcp__.*",
          "hooks": [
            {
              "type": "command",
              "command": "\\"$CLAUDE_PROJECT_DIR\\"/node_modules/.bin/rplc hook claude-code --policy .runplane/policy.mjs",
              "timeout": 30
            }
          ]
        }
      ]
    }
  }`;

/**
 * Add `rplc hook claude-code` to the program. `configure` is main.ts's per-command set-up (output
 * routing, exit override); `done` receives the exit code.
 */
export function addHookCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
  configure: (cmd: Command, name: string) => void,
): void {
  const hook = program
    .command("hook")
    .description("answer an agent's hook: decide each tool call with a policy (claude-code)")
    .addHelpText(
      "after",
      `
Examples:
  $ rplc hook claude-code --policy .runplane/policy.mjs < payload.json`,
    );
  configure(hook, "hook");

  const cc = hook
    .command("claude-code")
    .description("Claude Code's PreToolUse hook: read the tool call on stdin, answer allow, deny or ask")
    .requiredOption(
      "--policy <paths...>",
      "a module built by `rplc build` (fast), or .rplc files/directories",
      collectEach,
    )
    .option("--audit <file>", `the audit log (default ${DEFAULT_AUDIT})`)
    .option("--no-audit", "keep no audit log")
    .addOption(
      new Option(
        "--approval <mode>",
        "REQUIRE_APPROVAL: ask the user in Claude Code, or wait for a Runplane approval",
      )
        .choices(["ask", "wait"])
        .default("ask"),
    )
    .option("--store <store>", `the approval store, with --approval wait (default ${DEFAULT_STORE})`)
    .option(
      "--wait-timeout <seconds>",
      `with --approval wait: deny when nobody answered by then (default ${DEFAULT_WAIT_SECONDS})`,
    )
    .addOption(
      new Option("--on-allow <answer>", "ALLOW: say allow (skips Claude Code's prompt), or pass (no opinion)")
        .choices(["allow", "pass"])
        .default("allow"),
    )
    .option("--context <key=value>", "a context field for the policy (repeatable)", collectEach)
    .option(
      "--shadow",
      "decide and record, but answer nothing (Claude Code decides as if there were no hook)",
    )
    .addHelpText(
      "after",
      `
Claude Code runs it before every tool call and passes the call as JSON on stdin. The answer follows
the hooks protocol (https://code.claude.com/docs/en/hooks): ALLOW → "allow", BLOCK → "deny" with
the reasons (Claude reads them), REQUIRE_APPROVAL → "ask" (Claude Code asks you), or with
--approval wait, a Runplane approval (rplc approvals approve ID) is waited for. Every decision is
recorded in the audit log. Relative paths start at $CLAUDE_PROJECT_DIR when it is set.

Build the policy first: .rplc sources are compiled on every tool call (seconds); a
module built by \`rplc build\` loads in milliseconds.

Exit codes: 0 answered (the answer is on stdout), 2 refused: not a PreToolUse payload, the
policy cannot be loaded, the audit log or the store failed, or a usage error (stderr says why).

Install it in .claude/settings.json:
  ${SNIPPET}

Examples:
  $ rplc build policies/ -o .runplane/policy.mjs
  $ echo '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf /"},"cwd":"/tmp"}' \\
      | rplc hook claude-code --policy .runplane/policy.mjs
  $ rplc hook claude-code --policy policies/ --approval wait --wait-timeout 120 < payload.json`,
    )
    .action(async (opts: ClaudeCodeHookCliOptions) => {
      done(await claudeCodeHookCommand(opts, io));
    });
  configure(cc, "hook claude-code");
}
