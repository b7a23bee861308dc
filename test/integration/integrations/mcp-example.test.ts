/** examples/mcp/agent.ts runs offline end to end: read allowed, write outside blocked, move approved. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, removeTempDirs, TSX, tempDir } from "./fixtures/mcp/procs.js";

afterAll(removeTempDirs);

describe("examples/mcp", () => {
  it("drives the real filesystem server through rplc mcp-proxy and leaves a log that verifies", () => {
    const dir = tempDir("rp-mcp-example-");
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        TSX,
        path.join(ROOT, "examples/mcp/agent.ts"),
        "--dir",
        dir,
        "--auto-approve-after",
        "200",
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 240_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain("connected to secure-filesystem-server: 14 tools");
    expect(out).toContain("  ok: Ship the MCP proxy on Friday.");
    expect(out).toContain(
      `  REFUSED: blocked by policy: writes outside the workspace (${path.join(dir, "outside/startup.sh")}) — do not retry this action`,
    );
    expect(out).toMatch(
      /waiting for approval (ap-\w+); answer from another terminal:\n {4}npx tsx examples\/mcp\/rplc\.ts approvals approve \1 /,
    );
    expect(out).toContain("  RELEASE.md exists");
    expect(out).toContain("outside/startup.sh was never written");
    expect(out).toMatch(/4 {2}fs\.move {2}REQUIRE_APPROVAL → pending {2}\[move_needs_review\]/);
    expect(out).toMatch(/6 {2}fs\.move {2}REQUIRE_APPROVAL → executed/);
    expect(out).toMatch(/rplc audit verify: .*ok, 6 records, chain intact/);
    expect(existsSync(path.join(dir, "workspace/RELEASE.md"))).toBe(true);
  });
});
