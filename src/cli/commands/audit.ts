/**
 * `rplc audit verify|tail|query|diff FILE`: check and read an audit log.
 *
 *   verify FILE            exit 0 when the hash chain is intact; 1 naming the first bad line and
 *                          what happened to it (edited, deleted, reordered, inserted, truncated)
 *   tail FILE [-n N]       the last N records (default 20) that pass the filters
 *   query FILE             every record that passes the filters; `--format tests` writes the
 *                          requests as `{ "request": …, "expected": "ALLOW" }` lines for
 *                          `rplc test --requests`
 *   diff FILE              requests a candidate policy (shadow mode) decided differently
 *
 * Filters: --action (`db.query`, `db.*`), --decision, --outcome, --rule, --since, --until (an
 * RFC 3339 time, a date, or a duration back from now: `15m`, `2h`, `7d`).
 * Formats: human (default), json (the records as JSON lines), tests (query only).
 * Exit codes: 0 done (verify: intact), 1 verify found a problem, 2 usage error or unreadable file.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import type { DecisionKind } from "../../engine/decision.js";
import {
  type AuditFilter,
  changedByCandidate,
  parseWhen,
  readRecords,
  tailRecords,
  toTestCase,
} from "../../runtime/audit/query.js";
import { type AuditRecord, OUTCOMES, type Outcome } from "../../runtime/audit/record.js";
import { verifyAuditLog } from "../../runtime/audit/verify.js";
import { type CliIo, usageError } from "../io.js";

export interface AuditOptions {
  readonly action?: string;
  readonly decision?: string;
  readonly outcome?: string;
  readonly rule?: string;
  readonly since?: string;
  readonly until?: string;
  /** tail: how many records (default 20). */
  readonly lines?: string | number;
  readonly format?: string;
}

export const AUDIT_SUBCOMMANDS = ["verify", "tail", "query", "diff"] as const;
const DECISIONS = ["ALLOW", "BLOCK", "REQUIRE_APPROVAL"];

export async function auditCommand(
  sub: string,
  args: readonly string[],
  opts: AuditOptions,
  io: CliIo,
): Promise<number> {
  const cmd = `audit ${sub}`;
  if (!(AUDIT_SUBCOMMANDS as readonly string[]).includes(sub)) {
    return usageError(io, `unknown subcommand \`${sub}\` (use verify, tail, query or diff)`, "audit");
  }
  const given = args[0];
  if (given === undefined || given === "") return usageError(io, "missing the audit log file", cmd);
  const file = path.resolve(io.cwd, given);
  try {
    if (!statSync(file).isFile()) return usageError(io, `'${given}' is not a file`, cmd);
  } catch (e) {
    io.stderr(`rplc: cannot read '${given}': ${(e as NodeJS.ErrnoException).code ?? "unreadable"}\n`);
    return 2;
  }
  if (sub === "verify") return verify(file, given, io);

  const filter = parseFilter(opts, io, cmd);
  if (typeof filter === "number") return filter;
  const format = opts.format ?? "human";
  const formats = sub === "query" ? ["human", "json", "tests"] : ["human", "json"];
  if (!formats.includes(format))
    return usageError(io, `unknown format \`${format}\` (use ${formats.join(", ")})`, cmd);
  if (sub === "tail") {
    const n = Number(opts.lines ?? 20);
    if (!Number.isInteger(n) || n < 0)
      return usageError(io, `-n needs a whole number, not \`${opts.lines}\``, cmd);
    for (const r of await tailRecords(file, n, filter)) io.stdout(show(r, format));
    return 0;
  }
  if (sub === "diff") return diff(file, filter, format, io);
  let skipped = { "follow-up": 0, redacted: 0 };
  for await (const r of readRecords(file, filter)) {
    if (format !== "tests") {
      io.stdout(show(r, format));
      continue;
    }
    const t = toTestCase(r);
    if (typeof t === "string") skipped = { ...skipped, [t]: skipped[t] + 1 };
    else io.stdout(`${JSON.stringify(t)}\n`);
  }
  if (format === "tests" && skipped.redacted > 0) {
    io.stderr(
      `rplc: left out ${skipped.redacted} request${skipped.redacted === 1 ? "" : "s"} whose recorded copy was redacted or had secrets masked (the policy may decide that copy differently)\n`,
    );
  }
  return 0;
}

async function verify(file: string, given: string, io: CliIo): Promise<number> {
  const r = await verifyAuditLog(file);
  if (r.ok) {
    io.stdout(
      `${given}: ok, ${r.records} record${r.records === 1 ? "" : "s"}, chain intact (last hash ${r.lastHash.slice(0, 16)}…)\n`,
    );
    return 0;
  }
  const p = r.problem!;
  io.stdout(`${given}:${p.line}: ${p.kind}: ${p.message}\n`);
  io.stdout(`${given}: ${r.records} record${r.records === 1 ? "" : "s"} before line ${p.line} are intact\n`);
  return 1;
}

function parseFilter(opts: AuditOptions, io: CliIo, cmd: string): AuditFilter | number {
  const f: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  if (opts.action !== undefined) f.action = opts.action;
  if (opts.rule !== undefined) f.rule = opts.rule;
  if (opts.decision !== undefined) {
    const d = opts.decision.toUpperCase().replace(/ /g, "_");
    if (!DECISIONS.includes(d))
      return usageError(io, `unknown decision \`${opts.decision}\` (use ${DECISIONS.join(", ")})`, cmd);
    f.decision = d as DecisionKind;
  }
  if (opts.outcome !== undefined) {
    if (!(OUTCOMES as readonly string[]).includes(opts.outcome)) {
      return usageError(io, `unknown outcome \`${opts.outcome}\` (use ${OUTCOMES.join(", ")})`, cmd);
    }
    f.outcome = opts.outcome as Outcome;
  }
  for (const key of ["since", "until"] as const) {
    const text = opts[key];
    if (text === undefined) continue;
    const t = parseWhen(text);
    if (t === undefined)
      return usageError(
        io,
        `--${key} needs a time (2026-11-24T10:00:00Z), a date or a duration (15m, 2h, 7d), not \`${text}\``,
        cmd,
      );
    f[key] = t;
  }
  return f;
}

/** One record: a JSON line, or `#SEQ TIME ACTION DECISION → OUTCOME rules: reasons`. */
function show(r: AuditRecord, format: string): string {
  if (format === "json") return `${JSON.stringify(r)}\n`;
  const rules = r.matched.map((m) => m.rule).join(", ");
  const why = r.matched.find((m) => m.effect === effectOf(r.decision))?.reason;
  const who = r.approver === undefined ? "" : ` by ${r.approver.by}`;
  const extra = r.error === undefined ? "" : ` (${r.error})`;
  const cand = r.candidate === undefined ? "" : `  [candidate: ${r.candidate.decision}]`;
  return `#${r.seq} ${r.time} ${r.action} ${r.decision} → ${r.outcome}${who}${extra}${rules ? `  ${rules}` : ""}${why ? `: ${why}` : ""}${cand}\n`;
}

function effectOf(d: DecisionKind): string {
  return d === "BLOCK" ? "block" : d === "REQUIRE_APPROVAL" ? "require_approval" : "allow";
}

async function diff(file: string, filter: AuditFilter, format: string, io: CliIo): Promise<number> {
  let total = 0;
  let withCandidate = 0;
  let changed = 0;
  for await (const r of readRecords(file, filter)) {
    total++;
    if (r.candidate === undefined) continue;
    withCandidate++;
    if (!changedByCandidate(r)) continue;
    changed++;
    if (format === "json") io.stdout(`${JSON.stringify(r)}\n`);
    else {
      const c = r.candidate;
      io.stdout(
        `#${r.seq} ${r.time} ${r.action}: ${r.decision} → ${c.decision}${c.matched.length ? ` (${c.matched.join(", ")})` : ""}\n  ${JSON.stringify(r.request)}\n`,
      );
    }
  }
  if (format !== "json") {
    io.stdout(
      withCandidate === 0
        ? `no record of ${total} has a candidate decision (run with a candidate policy to compare)\n`
        : `${changed} of ${withCandidate} decided requests would change under the candidate policy\n`,
    );
  }
  return 0;
}

/** Add `rplc audit` to the program (see addApprovalsCommand for `configure` and `done`). */
export function addAuditCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
  configure: (cmd: Command, name: string) => void,
): Command {
  const cmd = program
    .command("audit")
    .description("verify and read an audit log (hash-chained JSON lines)")
    .argument("<subcommand>", "verify, tail, query or diff")
    .argument("<file>", "the audit log (.runplane/audit.jsonl)")
    .option("--action <action>", "only this action type (db.query) or prefix (db.*)")
    .addOption(new Option("--decision <decision>", "only this decision").choices(DECISIONS))
    .addOption(new Option("--outcome <outcome>", "only this outcome").choices([...OUTCOMES]))
    .option("--rule <rule>", "only records where this rule matched")
    .option("--since <when>", "from this time (RFC 3339, a date, or 15m / 2h / 7d ago)")
    .option("--until <when>", "before this time")
    .option("-n, --lines <n>", "tail: how many records", "20")
    .addOption(new Option("-f, --format <format>", "output format").choices(["human", "json", "tests"]))
    .addHelpText(
      "after",
      `
Exit codes: 0 done (verify: the chain is intact), 1 verify found a problem (the first bad line is
named), 2 usage error or unreadable file.

Examples:
  $ rplc audit verify .runplane/audit.jsonl
  $ rplc audit tail .runplane/audit.jsonl -n 50 --decision BLOCK
  $ rplc audit query .runplane/audit.jsonl --action 'db.*' --since 2h
  $ rplc audit query .runplane/audit.jsonl --format tests > requests.jsonl
  $ rplc audit diff .runplane/audit.jsonl`,
    )
    .action(async (sub: string, file: string, opts: AuditOptions) => {
      done(await auditCommand(sub, [file], opts, io));
    });
  configure(cmd, "audit");
  return cmd;
}
