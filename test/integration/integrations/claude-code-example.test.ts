/**
 * examples/claude-code: the replay script runs the recorded payloads through the real hook with
 * the example policy, and the README shows the settings file that is in the example.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertBuilt, ROOT } from "../../cli/helpers.js";

const EXAMPLE = path.join(ROOT, "examples/claude-code");

describe("examples/claude-code", () => {
  it("replay.ts answers every recorded payload and leaves an intact audit log", () => {
    assertBuilt();
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(EXAMPLE, "replay.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const answers = Object.fromEntries(
      r.stdout
        .split("\n")
        .filter((l) => /^\S+\.(json|txt) .* → /.test(l))
        .map((l) => [l.split(" ")[0], l.split(" → ")[1]]),
    );
    expect(answers).toEqual({
      "bash-ls.json": "allow",
      "bash-rm-rf-root.json": "deny",
      "edit-source.json": "allow",
      "malformed.txt": "exit 2",
      "post-tool-use.json": "exit 2",
      "read-source.json": "allow",
      "unknown-tool.json": "deny",
      "webfetch-metadata.json": "deny",
      "write-outside-project.json": "ask",
    });
    expect(r.stdout).toContain(
      "Runplane: blocked by policy: calls a cloud metadata endpoint (169.254.169.254)",
    );
    expect(r.stdout).toMatch(/#7 \S+ fs\.write REQUIRE_APPROVAL → decided {2}files_outside_workspace/);
    expect(r.stdout).toMatch(/: ok, 7 records, chain intact/);
  }, 300_000);

  it("the README shows the example's .claude/settings.json as it is", () => {
    const settings = readFileSync(path.join(EXAMPLE, ".claude/settings.json"), "utf8");
    const parsed = JSON.parse(settings) as {
      hooks: { PreToolUse: { matcher: string; hooks: { type: string; command: string }[] }[] };
    };
    expect(parsed.hooks.PreToolUse[0]!.hooks[0]!.command).toContain("rplc hook claude-code --policy");
    const readme = readFileSync(path.join(EXAMPLE, "README.md"), "utf8");
    expect(readme).toContain(settings.trim());
  });
});
