/**
 * Replays recorded Claude Code PreToolUse payloads through the real hook, the way Claude Code
 * runs it: one `rplc hook claude-code` process per tool call, the payload on stdin.
 *
 *   npx tsx examples/claude-code/replay.ts [PAYLOAD_DIR]
 *
 * It builds examples/claude-code/policy.rplc into a module first (as you would for the hook:
 * `rplc build`, then `--policy policy.mjs`), answers each payload (*.json and *.txt files of
 * PAYLOAD_DIR, default: the test fixtures), prints what Claude Code would be told, and ends with
 * the audit log the calls left behind. Everything it writes goes to a temporary directory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const RPLC = path.join(ROOT, "bin", "rplc.js");
const payloads = path.resolve(
  process.argv[2] ?? path.join(ROOT, "test/integration/integrations/fixtures/claude-code"),
);

function rplc(args: string[], input = ""): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [RPLC, ...args], { input, encoding: "utf8", cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const work = mkdtempSync(path.join(os.tmpdir(), "runplane-claude-code-"));
try {
  const policy = path.join(work, "policy.mjs");
  const audit = path.join(work, "audit.jsonl");
  const built = rplc(["build", path.join(HERE, "policy.rplc"), "-o", policy]);
  if (built.code !== 0) throw new Error(`rplc build failed: ${built.stderr}`);

  const files = readdirSync(payloads)
    .filter((f) => f.endsWith(".json") || f.endsWith(".txt"))
    .sort();
  for (const file of files) {
    const input = readFileSync(path.join(payloads, file), "utf8");
    let tool = "?";
    try {
      const p = JSON.parse(input) as { tool_name?: string; tool_input?: Record<string, unknown> };
      const detail = p.tool_input?.command ?? p.tool_input?.file_path ?? p.tool_input?.url ?? "";
      tool = `${p.tool_name} ${String(detail)}`.trim();
    } catch {
      tool = "(not JSON)";
    }
    const r = rplc(["hook", "claude-code", "--policy", policy, "--audit", audit], input);
    let answer: string;
    let reason: string;
    if (r.code === 0 && r.stdout !== "") {
      const out = JSON.parse(r.stdout) as {
        hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string };
      };
      answer = out.hookSpecificOutput.permissionDecision;
      reason = out.hookSpecificOutput.permissionDecisionReason;
    } else if (r.code === 0) {
      answer = "(no opinion)";
      reason = "";
    } else {
      answer = `exit ${r.code}`;
      reason = r.stderr.trim();
    }
    console.log(`${file.padEnd(28)} ${tool.slice(0, 44).padEnd(44)} → ${answer}`);
    if (reason !== "") console.log(`${"".padEnd(29)}${reason}`);
  }

  console.log("\nThe audit log (rplc audit tail):");
  process.stdout.write(rplc(["audit", "tail", audit, "-n", "50"]).stdout);
  const verify = rplc(["audit", "verify", audit]);
  process.stdout.write(verify.stdout);
  process.exitCode = verify.code ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
