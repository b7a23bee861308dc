/** Run the real `rplc` command (bin/rplc.js → dist/cli/main.js) in a child process. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = path.join(ROOT, "bin", "rplc.js");
export const VERSION: string = (
  JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
).version;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fail early, with advice, when the build is missing. */
export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npx tsup` (or `npm test`, which builds first)");
  }
}

export function rplc(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];

/** A fresh temporary directory holding `files` (path → content); `removeTempTrees` deletes it. */
export function tempTree(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rplc-cli-"));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** Delete every directory `tempTree` made (call it in `afterAll`). */
export function removeTempTrees(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const GOOD = `action db.query {
  sql: string
}

on db.query {
  block unbounded_delete
    when args.sql == "DELETE FROM users"
    reason "DELETE without WHERE removes every row"
}
`;

/** An unexpected character at line 4, column 1 (RPL1001); its action is not GOOD's, so both fit one set. */
export const BAD = `action db.exec {
  sql: string
}
@
`;
