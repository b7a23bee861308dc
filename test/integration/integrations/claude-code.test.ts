/**
 * `rplc hook claude-code`: the real command (bin/rplc.js → dist/cli/main.js) fed recorded
 * PreToolUse payloads on stdin, as Claude Code runs it. Asserts the exact stdout, the exit code
 * and what the audit log holds.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BIN, ROOT } from "../../cli/helpers.js";

const FIXTURES = path.join(ROOT, "test/integration/integrations/fixtures/claude-code");
const SOURCE = path.join(FIXTURES, "policy.rplc");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** This process's environment without CLAUDE_PROJECT_DIR (these tests may run inside Claude Code). */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CLAUDE_PROJECT_DIR: _, ...rest } = process.env;
  return { ...rest, NO_COLOR: "1", ...extra };
}

/** Run `rplc …args` with `input` on stdin. */
function rplc(
  args: readonly string[],
  input: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: env(options.env),
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, in the background (for hooks that run at once). */
function rplcAsync(args: readonly string[], input: string, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), "utf8");
}

function hookOutput(permissionDecision: string, permissionDecisionReason: string): string {
  return `${JSON.stringify({
    hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision, permissionDecisionReason },
  })}\n`;
}

function records(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const SESSION = "3f1c2a9e-7b4d-4e0a-9c55-1d2e8f6a0b17";
const CONTEXT = { agent: "claude-code", session_id: SESSION, permission_mode: "default" };
const ALLOWED = "Runplane: allowed: the policy's default for this action is allow";

let dir: string;
let built: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), "rplc-claude-code-"));
  built = path.join(dir, "policy.mjs");
  const b = rplc(["build", SOURCE, "-o", built], "");
  expect(b.code, b.stderr).toBe(0);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function freshAudit(): string {
  return path.join(dir, `audit-${++n}.jsonl`);
}

/** Each recorded payload: the decision, the exact answer, and the request the audit log holds. */
const CASES: {
  file: string;
  stdout: string;
  decision: string;
  action: string;
  args: Record<string, unknown>;
}[] = [
  {
    file: "bash-rm-rf-root.json",
    stdout: hookOutput(
      "deny",
      "Runplane: blocked by policy: deletes a system directory, a home directory or a credential store: an agent never does that — do not retry this action",
    ),
    decision: "BLOCK",
    action: "shell.exec",
    args: { command: "rm -rf /", cwd: "/home/dev/project" },
  },
  {
    file: "bash-ls.json",
    stdout: hookOutput("allow", ALLOWED),
    decision: "ALLOW",
    action: "shell.exec",
    args: { command: "ls -la src", cwd: "/home/dev/project" },
  },
  {
    file: "read-source.json",
    stdout: hookOutput("allow", ALLOWED),
    decision: "ALLOW",
    action: "fs.read",
    args: { path: "/home/dev/project/src/index.ts", cwd: "/home/dev/project" },
  },
  {
    file: "write-outside-project.json",
    stdout: hookOutput(
      "ask",
      "Runplane: approval required: writes outside the workspace (/home/dev/notes/todo.md)",
    ),
    decision: "REQUIRE_APPROVAL",
    action: "fs.write",
    args: { path: "/home/dev/notes/todo.md", content: "- ship the hook\n", cwd: "/home/dev/project" },
  },
  {
    file: "edit-source.json",
    stdout: hookOutput("allow", ALLOWED),
    decision: "ALLOW",
    action: "fs.edit",
    args: {
      path: "/home/dev/project/src/index.ts",
      edits: [{ old_text: "export const retries = 3;", new_text: "export const retries = 5;" }],
      cwd: "/home/dev/project",
    },
  },
  {
    file: "webfetch-metadata.json",
    stdout: hookOutput(
      "deny",
      "Runplane: blocked by policy: calls a cloud metadata endpoint (169.254.169.254), which hands out the machine's credentials — do not retry this action",
    ),
    decision: "BLOCK",
    action: "http.request",
    args: { url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/" },
  },
  {
    file: "unknown-tool.json",
    stdout: hookOutput(
      "deny",
      "Runplane: blocked by policy: no rule covers the tool mcp__deploy__trigger_release (action tool.mcp__deploy__trigger_release) and the policy's default for it is block — do not retry this action",
    ),
    decision: "BLOCK",
    action: "tool.mcp__deploy__trigger_release",
    args: { service: "billing", environment: "production" },
  },
];

describe("rplc hook claude-code with recorded payloads", () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.decision} → ${JSON.parse(c.stdout).hookSpecificOutput.permissionDecision}`, () => {
      const audit = freshAudit();
      const r = rplc(["hook", "claude-code", "--policy", built, "--audit", audit], fixture(c.file));
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(c.stdout);

      const log = records(audit);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        seq: 1,
        action: c.action,
        decision: c.decision,
        outcome: "decided",
        request: { action: c.action, args: c.args, context: CONTEXT },
      });
      // The tool_use_id stays out of the request (a retried call has the same approval digest).
      expect(JSON.stringify(log[0])).not.toContain("toolu_");
    });
  }

  it("refuses a payload that is not JSON with exit 2 and records nothing", () => {
    const audit = freshAudit();
    const r = rplc(["hook", "claude-code", "--policy", built, "--audit", audit], fixture("malformed.txt"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^Runplane: the hook input is not valid JSON \(.+\): the tool call is refused\n$/,
    );
    expect(existsSync(audit)).toBe(false);
  });

  it("refuses an event other than PreToolUse (a hook installed under the wrong event)", () => {
    const r = rplc(["hook", "claude-code", "--policy", built, "--no-audit"], fixture("post-tool-use.json"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "Runplane: this hook answers PreToolUse events, not PostToolUse (install it under hooks.PreToolUse): the tool call is refused\n",
    );
  });

  it("refuses empty stdin and a payload without a tool name", () => {
    const empty = rplc(["hook", "claude-code", "--policy", built, "--no-audit"], "");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      "Runplane: the hook got nothing on standard input (expected Claude Code's PreToolUse JSON): the tool call is refused\n",
    );
    const noTool = rplc(
      ["hook", "claude-code", "--policy", built, "--no-audit"],
      JSON.stringify({ hook_event_name: "PreToolUse", tool_input: { command: "ls" } }),
    );
    expect(noTool.code).toBe(2);
    expect(noTool.stderr).toBe(
      "Runplane: the PreToolUse payload has no tool_name: the tool call is refused\n",
    );
  });

  it("fails closed (exit 2) when the policy cannot be loaded", () => {
    const r = rplc(
      ["hook", "claude-code", "--policy", path.join(dir, "missing.mjs"), "--no-audit"],
      fixture("bash-ls.json"),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^Runplane: the runtime could not start \(policy: cannot load the policy: .*missing\.mjs.*\): the tool call is refused\n$/,
    );
  });

  it("fails closed when the policy does not compile", () => {
    const bad = path.join(dir, "bad.rplc");
    writeFileSync(bad, "on shell.exec {\n  block x when nope\n}\n");
    const r = rplc(["hook", "claude-code", "--policy", bad, "--no-audit"], fixture("bash-ls.json"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^Runplane: the runtime could not start \(policy: .*bad\.rplc.*\): the tool call is refused\n$/s,
    );
  });

  it("fails closed when the audit log cannot be opened", () => {
    const notAFile = path.join(dir, "a-directory");
    mkdirSync(notAFile);
    const r = rplc(["hook", "claude-code", "--policy", built, "--audit", notAFile], fixture("bash-ls.json"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^Runplane: the runtime could not start \(audit: .*\): the tool call is refused\n$/,
    );
  });

  it("a usage error exits 2 too (Claude Code blocks the call and shows the message)", () => {
    const r = rplc(["hook", "claude-code"], fixture("bash-ls.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "rplc: required option '--policy <paths...>' not specified (see 'rplc hook claude-code --help')\n",
    );
    const store = rplc(
      ["hook", "claude-code", "--policy", built, "--store", "memory"],
      fixture("bash-ls.json"),
    );
    expect(store.code).toBe(2);
    expect(store.stderr).toBe(
      "rplc: --store is only used with --approval wait (ask mode keeps no approvals) (see 'rplc hook claude-code --help')\n",
    );
  });

  it("decides the same from .rplc sources as from the built module", () => {
    for (const file of ["bash-rm-rf-root.json", "write-outside-project.json", "read-source.json"]) {
      const fromSource = rplc(["hook", "claude-code", "--policy", SOURCE, "--no-audit"], fixture(file));
      const fromModule = rplc(["hook", "claude-code", "--policy", built, "--no-audit"], fixture(file));
      expect(fromSource.code).toBe(0);
      expect(fromSource.stdout).toBe(fromModule.stdout);
    }
  });

  it("--on-allow pass answers nothing on ALLOW (Claude Code's own permission flow decides) and still denies", () => {
    const audit = freshAudit();
    const allow = rplc(
      ["hook", "claude-code", "--policy", built, "--audit", audit, "--on-allow", "pass"],
      fixture("bash-ls.json"),
    );
    expect(allow).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(records(audit)[0]).toMatchObject({ decision: "ALLOW", outcome: "decided" });
    const deny = rplc(
      ["hook", "claude-code", "--policy", built, "--no-audit", "--on-allow", "pass"],
      fixture("bash-rm-rf-root.json"),
    );
    expect(JSON.parse(deny.stdout).hookSpecificOutput.permissionDecision).toBe("deny");
  });

  it("--shadow records the decision and answers nothing", () => {
    const audit = freshAudit();
    const r = rplc(
      ["hook", "claude-code", "--policy", built, "--audit", audit, "--shadow"],
      fixture("bash-rm-rf-root.json"),
    );
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(records(audit)[0]).toMatchObject({ decision: "BLOCK", outcome: "decided" });
  });

  it("--context adds fields to the request's context; the payload's own keys win", () => {
    const audit = freshAudit();
    const r = rplc(
      [
        "hook",
        "claude-code",
        "--policy",
        built,
        "--audit",
        audit,
        "--context",
        "env=dev",
        "--context",
        "agent=reviewer",
      ],
      fixture("bash-ls.json"),
    );
    expect(r.code).toBe(0);
    expect(records(audit)[0]!.request).toMatchObject({
      context: { agent: "reviewer", env: "dev", session_id: SESSION, permission_mode: "default" },
    });
  });

  it("resolves relative paths against $CLAUDE_PROJECT_DIR", () => {
    const project = path.join(dir, "project");
    mkdirSync(path.join(project, ".runplane"), { recursive: true });
    writeFileSync(path.join(project, ".runplane", "policy.mjs"), readFileSync(built));
    const elsewhere = path.join(dir, "elsewhere");
    mkdirSync(elsewhere);
    const r = rplc(["hook", "claude-code", "--policy", ".runplane/policy.mjs"], fixture("bash-ls.json"), {
      cwd: elsewhere,
      env: { CLAUDE_PROJECT_DIR: project },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(hookOutput("allow", ALLOWED));
    expect(records(path.join(project, ".runplane", "audit.jsonl"))).toHaveLength(1);
    expect(existsSync(path.join(elsewhere, ".runplane"))).toBe(false);
  });

  it("hooks of parallel tool calls share one audit log: they take turns, and the chain stays intact", async () => {
    const audit = freshAudit();
    // Claude Code runs the hooks of one turn's parallel tool calls at once.
    const cases = CASES.slice(0, 4);
    const files = cases.map((c) => c.file);
    const runs = await Promise.all(
      files.map((f) => rplcAsync(["hook", "claude-code", "--policy", built, "--audit", audit], fixture(f))),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.stderr, files[i]).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(cases[i]!.stdout);
    }
    const log = records(audit);
    expect(log.map((l) => l.seq)).toEqual(files.map((_, i) => i + 1));
    expect(log.map((l) => l.action).sort()).toEqual(cases.map((c) => c.action).sort());
    const verify = rplc(["audit", "verify", audit], "");
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it("shows the settings snippet in its help", () => {
    const r = rplc(["hook", "claude-code", "--help"], "");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"PreToolUse": [');
    expect(r.stdout).toContain('"type": "command"');
    expect(r.stdout).toContain("rplc hook claude-code --policy .runplane/policy.mjs");
  });
});

describe("rplc hook claude-code --approval wait", () => {
  const deploy = (session: string) =>
    JSON.stringify({
      session_id: session,
      cwd: "/home/dev/project",
      permission_mode: "default",
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "npm run deploy -- --prod" },
      tool_use_id: "toolu_01Deploy",
    });

  async function pendingId(store: string): Promise<string> {
    for (let i = 0; i < 400; i++) {
      const r = rplc(["approvals", "list", "--store", store, "--json"], "");
      if (r.code === 0) {
        const list = JSON.parse(r.stdout) as { id: string }[];
        if (list.length > 0) return list[0]!.id;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("no pending approval appeared");
  }

  it("waits for a Runplane approval given with rplc approvals, then allows; the log holds the whole story", async () => {
    const audit = freshAudit();
    const store = `sqlite:${path.join(dir, "wait-1.db")}`;
    const hook = rplcAsync(
      ["hook", "claude-code", "--policy", built, "--audit", audit, "--approval", "wait", "--store", store],
      deploy("s-wait-1"),
    );
    const id = await pendingId(store);
    const wrong = rplc(["approvals", "approve", id, "--store", store, "--by", "mallory"], "");
    expect(wrong.code).toBe(1); // not a release manager
    const ok = rplc(["approvals", "approve", id, "--store", store, "--by", "alice", "--role", "release"], "");
    expect(ok.code, ok.stderr).toBe(0);
    const r = await hook;
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(hookOutput("allow", `Runplane: approved (${id} by alice)`));
    expect(records(audit).map((l) => [l.decision, l.outcome])).toEqual([
      ["REQUIRE_APPROVAL", "decided"],
      ["REQUIRE_APPROVAL", "pending"],
      ["REQUIRE_APPROVAL", "approved"],
      ["REQUIRE_APPROVAL", "executed"],
    ]);
  });

  it("a denied approval is a deny the model reads", async () => {
    const store = `sqlite:${path.join(dir, "wait-2.db")}`;
    const hook = rplcAsync(
      ["hook", "claude-code", "--policy", built, "--no-audit", "--approval", "wait", "--store", store],
      deploy("s-wait-2"),
    );
    const id = await pendingId(store);
    const no = rplc(
      [
        "approvals",
        "deny",
        id,
        "--store",
        store,
        "--by",
        "alice",
        "--role",
        "release",
        "--note",
        "not on a Friday",
      ],
      "",
    );
    expect(no.code, no.stderr).toBe(0);
    const r = await hook;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      hookOutput(
        "deny",
        `Runplane: approval ${id} was denied by alice: not on a Friday — do not retry this action`,
      ),
    );
  });

  it("denies when nobody answered by --wait-timeout; a retry after approval uses the same approval", async () => {
    const audit = freshAudit();
    const store = `sqlite:${path.join(dir, "wait-3.db")}`;
    const args = [
      "hook",
      "claude-code",
      "--policy",
      built,
      "--audit",
      audit,
      "--approval",
      "wait",
      "--store",
      store,
    ];
    const first = rplc([...args, "--wait-timeout", "1"], deploy("s-wait-3"));
    expect(first.code).toBe(0);
    const id = await pendingId(store);
    expect(first.stdout).toBe(
      hookOutput(
        "deny",
        `Runplane: approval ${id} is still pending: deploys need a release manager. The call has not run; ask the user to approve it (rplc approvals approve ${id} --by USER) and then retry it.`,
      ),
    );
    expect(
      rplc(["approvals", "approve", id, "--store", store, "--by", "bob", "--role", "release"], "").code,
    ).toBe(0);
    const retry = rplc([...args, "--wait-timeout", "5"], deploy("s-wait-3"));
    expect(retry.stdout).toBe(hookOutput("allow", `Runplane: approved (${id} by bob)`));
    const list = JSON.parse(
      rplc(["approvals", "list", "--store", store, "--status", "all", "--json"], "").stdout,
    );
    expect(list).toHaveLength(1); // no second approval was asked for
    expect(records(audit).map((l) => l.outcome)).toEqual([
      "decided",
      "pending",
      "decided",
      "approved",
      "executed",
    ]);
  });
});
