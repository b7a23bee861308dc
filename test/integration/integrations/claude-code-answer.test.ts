/**
 * answerPreToolUse in process: the recorded payloads against a real runtime (the fixture policy
 * compiled in memory, a memory store, an audit log in a temporary directory).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../../src/engine/decision.js";
import {
  answerPreToolUse,
  checkPayload,
  parsePayload,
  requestsForPreToolUse,
} from "../../../src/integrations/claude-code.js";
import type { AuditRecord } from "../../../src/runtime/audit/record.js";
import { createRunplane, type Runplane } from "../../../src/runtime/runplane.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures/claude-code");
const POLICY = path.join(FIXTURES, "policy.rplc");

function payload(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, unknown>;
}

/** What the runtime recorded (through onDecision, as each record is made). */
const seen: AuditRecord[] = [];
function records(): AuditRecord[] {
  return seen;
}

let dir: string;
let runplane: Runplane;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rp-claude-code-"));
  runplane = await createRunplane({
    policy: POLICY,
    store: "memory",
    audit: path.join(dir, "audit.jsonl"),
    telemetry: false,
    onDecision: (r) => seen.push(r),
  });
}, 60_000);

afterAll(async () => {
  await runplane.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("answerPreToolUse", () => {
  it("maps each recorded payload to the hook's answer", async () => {
    const expected: Record<string, [string, string]> = {
      "bash-rm-rf-root.json": ["deny", "BLOCK"],
      "bash-ls.json": ["allow", "ALLOW"],
      "read-source.json": ["allow", "ALLOW"],
      "write-outside-project.json": ["ask", "REQUIRE_APPROVAL"],
      "edit-source.json": ["allow", "ALLOW"],
      "webfetch-metadata.json": ["deny", "BLOCK"],
      "unknown-tool.json": ["deny", "BLOCK"],
    };
    for (const [file, [answer, decision]] of Object.entries(expected)) {
      const a = await answerPreToolUse(payload(file), runplane);
      expect(a.exitCode, file).toBe(0);
      expect(a.stderr).toBe("");
      expect(a.output?.hookSpecificOutput.hookEventName).toBe("PreToolUse");
      expect(a.output?.hookSpecificOutput.permissionDecision, file).toBe(answer);
      expect(a.decision?.decision).toBe(decision);
      expect(JSON.parse(a.stdout)).toEqual(a.output);
      expect(a.stdout.endsWith("}\n")).toBe(true);
    }
  });

  it("the deny reason is the refusal the model reads; ask names the policy's approvers", async () => {
    const deny = await answerPreToolUse(payload("bash-rm-rf-root.json"), runplane);
    expect(deny.output?.hookSpecificOutput.permissionDecisionReason).toBe(
      "Runplane: blocked by policy: deletes a system directory, a home directory or a credential store: an agent never does that — do not retry this action",
    );
    const deploy = { ...payload("bash-ls.json"), tool_input: { command: "npm run deploy" } };
    const ask = await answerPreToolUse(deploy, runplane);
    expect(ask.output?.hookSpecificOutput).toEqual({
      hookEventName: "PreToolUse",
      permissionDecision: "ask",
      permissionDecisionReason:
        "Runplane: approval required: deploys need a release manager (the policy names approvers: release)",
    });
  });

  it("records one `decided` record per request, with the payload's cwd and session in the request", async () => {
    const before = records().length;
    await answerPreToolUse(payload("write-outside-project.json"), runplane);
    const added = records().slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: "fs.write",
      decision: "REQUIRE_APPROVAL",
      outcome: "decided",
      matched: [{ rule: "files_outside_workspace" }],
      request: {
        args: { path: "/home/dev/notes/todo.md", cwd: "/home/dev/project" },
        context: {
          agent: "claude-code",
          session_id: "3f1c2a9e-7b4d-4e0a-9c55-1d2e8f6a0b17",
          permission_mode: "default",
        },
      },
    });
  });

  it("a tool that maps to several requests is decided on each; the most severe decides", async () => {
    const call = {
      hook_event_name: "PreToolUse",
      cwd: "/home/dev/project",
      tool_name: "mcp__filesystem__read_multiple_files",
      tool_input: { paths: ["/home/dev/project/README.md", "/home/dev/.ssh/id_rsa"] },
    };
    const before = records().length;
    const a = await answerPreToolUse(call, runplane);
    expect(a.output?.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(
      records()
        .slice(before)
        .map((r) => [r.action, r.decision]),
    ).toEqual([
      ["fs.read", "ALLOW"],
      ["fs.read", "BLOCK"],
    ]);
  });

  it("onAllow pass and shadow answer nothing (exit 0, empty stdout)", async () => {
    const pass = await answerPreToolUse(payload("bash-ls.json"), runplane, { onAllow: "pass" });
    expect(pass).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    expect(pass.decision?.decision).toBe("ALLOW");
    expect(pass.output).toBeUndefined();
    const shadow = await answerPreToolUse(payload("bash-rm-rf-root.json"), runplane, { shadow: true });
    expect(shadow).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    expect(shadow.decision?.decision).toBe("BLOCK");
  });

  it("refuses what is not a PreToolUse payload with exit 2", async () => {
    for (const [value, message] of [
      [null, "the hook input is not a JSON object"],
      [[1], "the hook input is not a JSON object"],
      [
        { tool_name: "Bash" },
        "the hook input has no hook_event_name: it is not a Claude Code PreToolUse payload",
      ],
      [
        { hook_event_name: "Stop" },
        "this hook answers PreToolUse events, not Stop (install it under hooks.PreToolUse)",
      ],
      [{ hook_event_name: "PreToolUse", tool_name: "" }, "the PreToolUse payload has no tool_name"],
      [
        { hook_event_name: "PreToolUse", tool_name: "Bash", cwd: 7 },
        "the PreToolUse payload's cwd is not a string",
      ],
    ] as const) {
      const a = await answerPreToolUse(value, runplane);
      expect(a).toEqual({
        exitCode: 2,
        stdout: "",
        stderr: `Runplane: ${message}: the tool call is refused\n`,
      });
    }
  });

  it("fails closed with exit 2 when the policy throws", async () => {
    const throwing = await createRunplane({
      policy: {
        hash: "sha256:throws",
        rules: [],
        risks: [],
        decide(): Decision {
          throw new Error("boom");
        },
      },
      store: "memory",
      audit: false,
      telemetry: false,
    });
    try {
      const a = await answerPreToolUse(payload("bash-ls.json"), throwing);
      expect(a.exitCode).toBe(2);
      expect(a.stdout).toBe("");
      expect(a.stderr).toBe(
        "Runplane: the policy could not decide this call (policy: the policy failed while deciding: boom): the tool call is refused\n",
      );
    } finally {
      await throwing.close();
    }
  });

  it("fails closed when the runtime is closed (its audit log cannot take records)", async () => {
    const closed = await createRunplane({ policy: POLICY, store: "memory", audit: false, telemetry: false });
    await closed.close();
    const a = await answerPreToolUse(payload("bash-ls.json"), closed);
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(
      /^Runplane: the policy could not decide this call \(.+\): the tool call is refused\n$/,
    );
  }, 60_000);
});

describe("approval: wait", () => {
  const deploy = {
    hook_event_name: "PreToolUse",
    session_id: "s-unit",
    cwd: "/home/dev/project",
    tool_name: "Bash",
    tool_input: { command: "npm run deploy" },
  };

  async function pending(): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const [first] = await runplane.approvals.list({ status: "pending" });
      if (first !== undefined) return first.id;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("no pending approval");
  }

  it("allows once a policy approver approves; denies when denied", async () => {
    const waiting = answerPreToolUse(deploy, runplane, { approval: "wait", pollMs: 5 });
    const id = await pending();
    await expect(runplane.approvals.approve(id, { by: "eve", roles: [] })).rejects.toThrow(
      /eve may not answer/,
    );
    await runplane.approvals.approve(id, { by: "rita", roles: ["release"] });
    const a = await waiting;
    expect(a.output?.hookSpecificOutput).toMatchObject({
      permissionDecision: "allow",
      permissionDecisionReason: `Runplane: approved (${id} by rita)`,
    });

    const again = answerPreToolUse({ ...deploy, session_id: "s-unit-2" }, runplane, {
      approval: "wait",
      pollMs: 5,
    });
    const id2 = await pending();
    await runplane.approvals.deny(id2, { by: "rita", roles: ["release"], note: "freeze" });
    expect((await again).output?.hookSpecificOutput.permissionDecisionReason).toBe(
      `Runplane: approval ${id2} was denied by rita: freeze — do not retry this action`,
    );
  });

  it("denies at the deadline, and a retry finds the same approval once it is approved", async () => {
    const call = { ...deploy, session_id: "s-unit-3" };
    const first = await answerPreToolUse(call, runplane, {
      approval: "wait",
      deadline: Date.now() + 50,
      pollMs: 5,
    });
    const id = await pending();
    expect(first.output?.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(first.output?.hookSpecificOutput.permissionDecisionReason).toContain(
      `approval ${id} is still pending`,
    );
    await runplane.approvals.approve(id, { by: "rita", roles: ["release"] });
    const retry = await answerPreToolUse(call, runplane, { approval: "wait", deadline: Date.now() + 50 });
    expect(retry.output?.hookSpecificOutput.permissionDecisionReason).toBe(
      `Runplane: approved (${id} by rita)`,
    );
    // Used once: a third identical call asks again.
    const third = await answerPreToolUse(call, runplane, {
      approval: "wait",
      deadline: Date.now() + 50,
      pollMs: 5,
    });
    expect(third.output?.hookSpecificOutput.permissionDecisionReason).not.toContain(id);
  });
});

describe("parsePayload and requestsForPreToolUse", () => {
  it("parses stdin text and says why it is not a payload", () => {
    expect(parsePayload("")).toBe(
      "the hook got nothing on standard input (expected Claude Code's PreToolUse JSON)",
    );
    expect(parsePayload("{")).toMatch(/^the hook input is not valid JSON \(/);
    const p = parsePayload(JSON.stringify(payload("bash-ls.json")));
    expect(typeof p).toBe("object");
    expect(checkPayload(payload("bash-ls.json"))).toEqual(payload("bash-ls.json"));
  });

  it("uses the payload's cwd and puts agent, session and permission mode in the context", () => {
    const p = checkPayload(payload("bash-ls.json"));
    if (typeof p === "string") throw new Error(p);
    expect(requestsForPreToolUse(p, { context: { env: "dev", agent: "me" } })).toEqual([
      {
        action: "shell.exec",
        args: { command: "ls -la src", cwd: "/home/dev/project" },
        context: {
          agent: "me",
          env: "dev",
          session_id: "3f1c2a9e-7b4d-4e0a-9c55-1d2e8f6a0b17",
          permission_mode: "default",
        },
      },
    ]);
  });
});
