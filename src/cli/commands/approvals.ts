/**
 * `rplc approvals list|show|approve|deny --store sqlite:PATH`: answer the approvals agents wait
 * for, from any terminal on the host. The store is the one the agent's runtime writes (default
 * `sqlite:.runplane/runplane.db`); the agent sees the answer on its next poll.
 *
 *   list [--status pending|approved|denied|expired|consumed|all] [--json]
 *   show ID [--json]
 *   approve ID --by USER [--role ROLE]… [--note TEXT]
 *   deny ID --by USER [--role ROLE]… [--note TEXT]
 *
 * Exit codes: 0 done, 1 refused (not an approver, not pending, expired, no such approval) or the
 * store failed, 2 usage error or no store at the path.
 */
import { type Command, Option } from "commander";
import { describeApproval, formatDuration, summarizeRequest } from "../../runtime/approvals/describe.js";
import { DEFAULT_STORE, openStore } from "../../runtime/approvals/open.js";
import { ApprovalQueue } from "../../runtime/approvals/queue.js";
import {
  APPROVAL_STATUSES,
  type ApprovalRecord,
  type ApprovalStatus,
} from "../../runtime/approvals/store.js";
import { ApprovalError, messageOf } from "../../runtime/errors.js";
import { type CliIo, usageError } from "../io.js";
import { collectList } from "../options.js";

export interface ApprovalsOptions {
  /** `sqlite:PATH` (default `sqlite:.runplane/runplane.db`). */
  readonly store?: string;
  readonly by?: string;
  readonly role?: readonly string[];
  readonly note?: string;
  /** list: a status or `all` (default pending). */
  readonly status?: string;
  readonly json?: boolean;
}

export const APPROVALS_SUBCOMMANDS = ["list", "show", "approve", "deny"] as const;

export async function approvalsCommand(
  sub: string,
  args: readonly string[],
  opts: ApprovalsOptions,
  io: CliIo,
): Promise<number> {
  const cmd = `approvals ${sub}`;
  if (!(APPROVALS_SUBCOMMANDS as readonly string[]).includes(sub)) {
    return usageError(io, `unknown subcommand \`${sub}\` (use list, show, approve or deny)`, "approvals");
  }
  const needsId = sub !== "list";
  const id = args[0];
  if (needsId && (id === undefined || id === "")) return usageError(io, "missing the approval id", cmd);
  if ((sub === "approve" || sub === "deny") && (opts.by === undefined || opts.by.trim() === "")) {
    return usageError(io, `say who ${sub === "approve" ? "approves" : "denies"}: --by USER`, cmd);
  }
  if (sub === "list" && opts.status !== undefined && opts.status !== "all") {
    if (!(APPROVAL_STATUSES as readonly string[]).includes(opts.status)) {
      return usageError(
        io,
        `unknown status \`${opts.status}\` (use ${APPROVAL_STATUSES.join(", ")} or all)`,
        cmd,
      );
    }
  }

  const spec = opts.store ?? DEFAULT_STORE;
  if (!spec.startsWith("sqlite:")) return usageError(io, `--store must be sqlite:PATH, not \`${spec}\``, cmd);
  let queue: ApprovalQueue;
  try {
    queue = new ApprovalQueue(await openStore(spec, io.cwd, { create: false }));
  } catch (e) {
    io.stderr(`rplc: ${messageOf(e).replace(/^store: /, "")}\n`);
    return 2;
  }
  try {
    switch (sub) {
      case "list":
        return await list(queue, opts, io, spec);
      case "show":
        return await show(queue, id!, opts, io);
      default:
        return await answer(queue, sub === "approve" ? "approved" : "denied", id!, opts, io);
    }
  } catch (e) {
    if (e instanceof ApprovalError) {
      io.stderr(`rplc: ${e.message}\n`);
      return 1;
    }
    io.stderr(`rplc: the approval store ${spec} failed: ${messageOf(e)}\n`);
    return 1;
  } finally {
    await queue.store.close();
  }
}

function heading(r: ApprovalRecord, now: number): string {
  const left = r.status === "pending" ? `  expires in ${formatDuration(r.expiresAt - now)}` : "";
  return `${r.id}  ${r.status}  ${String(r.request.action)}${left}`;
}

async function list(queue: ApprovalQueue, opts: ApprovalsOptions, io: CliIo, spec: string): Promise<number> {
  const status = opts.status === "all" ? undefined : ((opts.status ?? "pending") as ApprovalStatus);
  const records = await queue.list(status === undefined ? {} : { status });
  if (opts.json === true) {
    io.stdout(`${JSON.stringify(records, null, 2)}\n`);
    return 0;
  }
  if (records.length === 0) {
    io.stdout(`no ${status ?? ""} approvals in ${spec}\n`.replace("no  ", "no "));
    return 0;
  }
  const now = Date.now();
  const blocks = records.map((r) =>
    [heading(r, now), ...describeApproval(r, now).map((l) => `  ${l}`)].join("\n"),
  );
  io.stdout(`${blocks.join("\n\n")}\n`);
  if (status === "pending") {
    io.stdout(
      `\n${records.length} pending. Answer with: rplc approvals approve|deny ID --store ${spec} --by USER\n`,
    );
  }
  return 0;
}

async function show(queue: ApprovalQueue, id: string, opts: ApprovalsOptions, io: CliIo): Promise<number> {
  const r = await queue.get(id);
  if (r === undefined) throw new ApprovalError("unknown", `there is no approval ${id}`);
  if (opts.json === true) {
    io.stdout(`${JSON.stringify(r, null, 2)}\n`);
    return 0;
  }
  const now = Date.now();
  const body = describeApproval(r, now).map((l) => `  ${l}`);
  const request = JSON.stringify(r.request, null, 2)
    .split("\n")
    .map((l) => `    ${l}`);
  io.stdout(
    `${[heading(r, now), ...body, "  request", ...request, `  digest     ${r.digest}`].join("\n")}\n`,
  );
  return 0;
}

async function answer(
  queue: ApprovalQueue,
  status: "approved" | "denied",
  id: string,
  opts: ApprovalsOptions,
  io: CliIo,
): Promise<number> {
  const r = await queue.answer(id, status, {
    by: opts.by!,
    roles: opts.role ?? [],
    ...(opts.note === undefined ? {} : { note: opts.note }),
  });
  const roles = opts.role?.length ? ` (${opts.role.join(", ")})` : "";
  io.stdout(`${status} ${r.id} as ${opts.by}${roles}: ${summarizeRequest(r.request)}\n`);
  return 0;
}

/**
 * Add `rplc approvals` to the program. `configure` is main.ts's per-command set-up (output
 * routing, exit override); `done` receives the exit code.
 */
export function addApprovalsCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
  configure: (cmd: Command, name: string) => void,
): Command {
  const cmd = program
    .command("approvals")
    .description("list and answer the approvals agents are waiting for")
    .argument("<subcommand>", "list, show, approve or deny")
    .argument("[id]", "the approval id (show, approve, deny)")
    .option("--store <store>", "the approval store", DEFAULT_STORE)
    .option("--by <user>", "who answers (approve, deny)")
    .option("--role <role>", "a role of the one who answers (repeatable, comma-separated)", collectList)
    .option("--note <text>", "a note kept with the answer")
    .addOption(
      new Option("--status <status>", "which approvals to list (default pending)").choices([
        ...APPROVAL_STATUSES,
        "all",
      ]),
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
An approver entry of a rule (\`approvers ["dba"]\`) matches the user id given with --by or any
role given with --role.

Exit codes: 0 done, 1 refused (not an approver, not pending, expired, unknown id) or the store
failed, 2 usage error or no store at the path.

Examples:
  $ rplc approvals list --store sqlite:.runplane/runplane.db
  $ rplc approvals show ap-7kq2m9x4pz
  $ rplc approvals approve ap-7kq2m9x4pz --by alice --role dba --note "checked the WHERE clause"
  $ rplc approvals deny ap-7kq2m9x4pz --by alice --role dba --note "not during the sale"`,
    )
    .action(async (sub: string, id: string | undefined, opts: ApprovalsOptions) => {
      done(await approvalsCommand(sub, id === undefined ? [] : [id], opts, io));
    });
  configure(cmd, "approvals");
  return cmd;
}
