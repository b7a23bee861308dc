/** The guard every integration shares: tool call → request(s) → guard each → run only if all may. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  decideToolCall,
  guardToolCall,
  isRefusal,
  mostSevere,
  refusalMessage,
  requestsForToolCall,
  sameAction,
} from "../../../src/integrations/tool-guard.js";
import { ApprovalPendingError, BlockedError, RunplaneError } from "../../../src/runtime/errors.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import type { Runplane } from "../../../src/runtime/types.js";
import { moduleCode, removeTempDirs } from "../runtime/helpers.js";

const POLICY = `
settings {
  default: allow
  unknown_action: block
  on_error: block
  approval_timeout: 1h
}

action fs.read {
  path: string
  cwd?: string
}

action fs.write {
  path: string
  content?: string
  cwd?: string
}

on fs.read {
  block secrets_dir when path.glob(args.path, "/secrets/**") reason "the secrets directory is off limits"
}

on fs.write {
  require approval config_write when path.glob(args.path, "/etc/**")
    reason "writes under /etc need an operator"
    approvers ["ops"]
}
`;

afterAll(removeTempDirs);

let runplane: Runplane;
const records: { action: string; outcome: string }[] = [];
beforeAll(async () => {
  runplane = await createRunplane({
    policy: { source: await moduleCode(POLICY) },
    store: "memory",
    audit: false,
    telemetry: false,
    onDecision: (r) =>
      records.push({
        action: String((r.request as { action?: unknown } | undefined)?.action),
        outcome: r.outcome,
      }),
  });
});
afterAll(() => runplane.close());
afterEach(() => {
  records.length = 0;
});

describe("requestsForToolCall", () => {
  it("uses the standard mapping, and a caller's toRequest first", () => {
    expect(requestsForToolCall("write_file", { path: "/w/a.txt", content: "x" })).toEqual([
      { action: "fs.write", args: { path: "/w/a.txt", content: "x" } },
    ]);
    const custom = requestsForToolCall(
      "deploy",
      { env: "prod" },
      {
        toRequest: (name, input) =>
          name === "deploy" ? { action: "cloud.deploy", args: input as Record<string, unknown> } : undefined,
        context: { agent: "a1" },
      },
    );
    expect(custom).toEqual([{ action: "cloud.deploy", args: { env: "prod" }, context: { agent: "a1" } }]);
    // undefined from toRequest falls back to the table; an unknown tool becomes tool.<name>.
    expect(requestsForToolCall("frobnicate", { x: 1 }, { toRequest: () => undefined })).toEqual([
      { action: "tool.frobnicate", args: { x: 1 } },
    ]);
  });
});

describe("guardToolCall", () => {
  it("runs the tool when the policy allows it", async () => {
    let ran = 0;
    const out = await guardToolCall(runplane, "read_file", { path: "/w/notes.txt" }, () => {
      ran++;
      return "contents";
    });
    expect(out).toBe("contents");
    expect(ran).toBe(1);
    expect(records).toEqual([{ action: "fs.read", outcome: "executed" }]);
  });

  it("never runs the tool when the policy blocks it, and says why", async () => {
    let ran = 0;
    const err = await guardToolCall(runplane, "read_file", { path: "/secrets/key.pem" }, () => {
      ran++;
    }).catch((e: unknown) => e);
    expect(ran).toBe(0);
    expect(err).toBeInstanceOf(BlockedError);
    expect(isRefusal(err)).toBe(true);
    expect(refusalMessage(err)).toBe(
      "blocked by policy: the secrets directory is off limits — do not retry this action",
    );
  });

  it("a multi-file tool runs only if every file may be read; the refusal names the blocked one", async () => {
    let ran = 0;
    const err = await guardToolCall(
      runplane,
      "read_multiple_files",
      { paths: ["/w/a.txt", "/secrets/b.txt"] },
      () => {
        ran++;
      },
    ).catch((e: unknown) => e);
    expect(ran).toBe(0);
    expect(err).toBeInstanceOf(BlockedError);
    // Both requests were decided and recorded: the first allowed (its guard then failed), the second blocked.
    expect(records.map((r) => r.action)).toEqual(["fs.read", "fs.read"]);
    expect(records.map((r) => r.outcome).sort()).toEqual(["blocked", "failed"]);

    records.length = 0;
    const ok = await guardToolCall(
      runplane,
      "read_multiple_files",
      { paths: ["/w/a", "/w/b"] },
      () => "both",
    );
    expect(ok).toBe("both");
    expect(records.map((r) => r.outcome)).toEqual(["executed", "executed"]);
  });

  it('approval "defer" creates a pending approval and throws with its id; the model is told to wait', async () => {
    let ran = 0;
    const err = await guardToolCall(
      runplane,
      "write_file",
      { path: "/etc/hosts", content: "x" },
      () => {
        ran++;
      },
      { approval: "defer" },
    ).catch((e: unknown) => e);
    expect(ran).toBe(0);
    expect(err).toBeInstanceOf(ApprovalPendingError);
    const id = (err as ApprovalPendingError).approvalId;
    expect((await runplane.approvals.get(id))?.status).toBe("pending");
    expect(refusalMessage(err)).toContain(`tell the user it is waiting for approval ${id}`);
  });

  it('approval "wait" (the default) runs the tool once a human approves', async () => {
    let ran = 0;
    const pending = guardToolCall(runplane, "write_file", { path: "/etc/motd", content: "hi" }, () => {
      ran++;
      return "written";
    });
    let id: string | undefined;
    for (let i = 0; i < 100 && id === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const list = await runplane.approvals.list({ status: "pending" });
      id = list.find((a) => JSON.stringify(a.request).includes("/etc/motd"))?.id;
    }
    expect(id).toBeDefined();
    expect(ran).toBe(0);
    await runplane.approvals.approve(id as string, { by: "olga", roles: ["ops"] });
    expect(await pending).toBe("written");
    expect(ran).toBe(1);
  });
});

describe("decideToolCall and mostSevere", () => {
  it("returns the most severe decision of the call's requests", async () => {
    const d = await decideToolCall(runplane, "read_multiple_files", { paths: ["/w/a", "/secrets/x"] });
    expect(d.decision).toBe("BLOCK");
    expect(d.matched.map((m) => m.rule)).toEqual(["secrets_dir"]);
    const allow = await decideToolCall(runplane, "read_file", { path: "/w/a" });
    expect(allow.decision).toBe("ALLOW");
    expect(mostSevere([allow, d]).decision).toBe("BLOCK");
    expect(() => mostSevere([])).toThrow(TypeError);
  });

  it("a runtime failure is not a refusal: no message for the model", () => {
    const e = new RunplaneError("store", "the store is gone");
    expect(isRefusal(e)).toBe(false);
    expect(refusalMessage(e)).toBeUndefined();
  });
});

describe("sameAction", () => {
  it("compares action and canonical args, not key order, context or time", () => {
    const r = { action: "fs.write", args: { path: "a", content: "x" }, context: { agent: "a1" } };
    expect(sameAction(r, { action: "fs.write", args: { content: "x", path: "a" } })).toBe(true);
    expect(sameAction(r, { action: "fs.write", args: { content: "y", path: "a" } })).toBe(false);
    expect(sameAction(r, { action: "fs.read", args: { content: "x", path: "a" } })).toBe(false);
    expect(sameAction({ action: "x", args: {} }, { action: "x" })).toBe(true);
    // Not JSON (a cycle): never the same.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(sameAction({ action: "x", args: cyclic }, { action: "x", args: cyclic })).toBe(false);
  });
});
