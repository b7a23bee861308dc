/** Shared by the runtime tests: a small policy, compiled once per test file, and temp dirs. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../../../src/compile/compile.js";
import { type LoadedPolicy, loadPolicy } from "../../../src/engine/load.js";
import type { AuditEntry } from "../../../src/runtime/audit/record.js";

export const POLICY = `
settings {
  default: allow
  unknown_action: block
  on_error: block
  approval_timeout: 1h
}

context {
  env: "dev" | "production"
  agent: string
}

action db.query {
  sql: string
}

action http.request {
  url: string
  headers?: map<string>
}

action email.send {
  to: list<string>
  body: string
}

on db.query {
  block unbounded_delete
    when sql.verb(args.sql) == "DELETE" and not sql.has_where(args.sql)
    reason "DELETE without WHERE removes every row"

  require approval prod_write
    when context.env == "production" and sql.is_write(args.sql)
    reason "writes to production need a DBA"
    approvers ["dba"]
    timeout 30m

  require approval quick_update
    when context.env == "dev" and sql.verb(args.sql) == "UPDATE"
    reason "updates in dev expire fast"
    approvers ["alice"]
    timeout 400ms

  allow reads when sql.verb(args.sql) == "SELECT"
}

on email.send {
  block secret_in_email when secrets.found(args.body) reason "the email carries a credential"
}
`;

/** The same set with one rule changed: INSERTs are blocked (a candidate for shadow tests). */
export const CANDIDATE = POLICY.replace(
  "allow reads when",
  `block no_inserts when sql.verb(args.sql) == "INSERT" reason "inserts are frozen"\n\n  allow reads when`,
);

const compiled = new Map<string, Promise<string>>();

/** The built module's code for `text` (compiled once per process). */
export function moduleCode(text: string = POLICY): Promise<string> {
  let p = compiled.get(text);
  if (p === undefined) {
    p = compile({ sources: [{ path: "policy.rplc", text }] }, { cwd: "/" }).then((r) => {
      if (r.value === undefined)
        throw new Error(`test policy does not compile: ${JSON.stringify(r.diagnostics)}`);
      return r.value.code;
    });
    compiled.set(text, p);
  }
  return p;
}

export async function testPolicy(text: string = POLICY): Promise<LoadedPolicy> {
  return loadPolicy(await moduleCode(text));
}

const dirs: string[] = [];

export function tempDir(prefix = "rp-runtime-"): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Write the built module for `text` into `dir`; returns its path. */
export async function writeModule(dir: string, text: string = POLICY): Promise<string> {
  const file = path.join(dir, "policy.mjs");
  writeFileSync(file, await moduleCode(text));
  return file;
}

export const PROD = { env: "production", agent: "cleanup-bot" };
export const DEV = { env: "dev", agent: "cleanup-bot" };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` until it returns a value (not undefined), or fail after `ms`. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(25);
  }
}

/** An ALLOW/executed audit entry whose SQL names `i`. */
export function entry(i: number): AuditEntry {
  return {
    action: "db.query",
    request: { action: "db.query", args: { sql: `SELECT ${i}` } },
    decision: "ALLOW",
    matched: [{ rule: "reads", effect: "allow", reason: "reads" }],
    score: 0,
    outcome: "executed",
    policy: "sha256:p",
  };
}
