/**
 * The embedded approval store: one SQLite file (better-sqlite3, loaded lazily so the core needs
 * no native module), shared by every process on the host that names it: the agent that waits,
 * the `rplc approvals` command a human runs, and the agent again after a restart.
 * `store: "sqlite:.runplane/runplane.db"`.
 *
 * WAL journal, a busy timeout for writers that meet, and each transition one `UPDATE … WHERE
 * status IN (…)`: SQLite serialises writers, so a transition happens once across processes.
 *
 * Fail closed: a file that is not a database, a removed or replaced file (checked before every
 * operation: SQLite would otherwise keep writing to the unlinked file through its open
 * descriptor), or an unreadable row rejects, and the runtime runs nothing.
 */
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { fs } from "../builtins.js";
import type { ApprovalRecord, ApprovalStatus, ApprovalStore, ListFilter, TransitionPatch } from "./store.js";

const { mkdirSync, statSync } = fs;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  digest TEXT NOT NULL,
  policy_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  answered_by TEXT,
  answered_roles TEXT,
  note TEXT,
  answered_at INTEGER,
  consumed_at INTEGER
);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, created_at);
`;

interface Row {
  id: string;
  status: string;
  digest: string;
  policy_hash: string;
  created_at: number;
  expires_at: number;
  body: string;
  answered_by: string | null;
  answered_roles: string | null;
  note: string | null;
  answered_at: number | null;
  consumed_at: number | null;
}

export interface SqliteStoreOptions {
  /** Create the file (and its directory) when missing (default true; the CLI passes false). */
  readonly create?: boolean;
  /** How long a writer waits for another process's write (ms, default 5000). */
  readonly busyTimeoutMs?: number;
}

export class SqliteApprovalStore implements ApprovalStore {
  readonly name: string;
  private readonly statements: ReturnType<SqliteApprovalStore["prepare"]>;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly file: string,
    private readonly inode: number,
  ) {
    this.name = `sqlite:${file}`;
    this.statements = this.prepare();
  }

  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteApprovalStore> {
    const create = options.create ?? true;
    if (create && file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // Loaded here, not at the top: the runtime entry must not need the native module until used.
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(file, { fileMustExist: !create, timeout: options.busyTimeoutMs ?? 5000 });
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `the store was written by a newer runplane (schema ${version}, this one knows ${SCHEMA_VERSION})`,
        );
      }
      db.exec(SCHEMA);
      if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      const inode = file === ":memory:" ? 0 : statSync(file).ino;
      return new SqliteApprovalStore(db, file, inode);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare(
        `INSERT INTO approvals (id, status, digest, policy_hash, created_at, expires_at, body,
           answered_by, answered_roles, note, answered_at, consumed_at)
         VALUES (@id, @status, @digest, @policy_hash, @created_at, @expires_at, @body,
           @answered_by, @answered_roles, @note, @answered_at, @consumed_at)`,
      ),
      get: db.prepare<[string], Row>("SELECT * FROM approvals WHERE id = ?"),
      all: db.prepare<[number], Row>("SELECT * FROM approvals ORDER BY created_at DESC, id DESC LIMIT ?"),
      byStatus: db.prepare<[string, number], Row>(
        "SELECT * FROM approvals WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?",
      ),
    };
  }

  /** The file must still be the one opened: removed or replaced means the store is gone. */
  private check(): void {
    if (this.file === ":memory:") return;
    let ino: number;
    try {
      ino = statSync(this.file).ino;
    } catch (e) {
      throw new Error(
        `the store file ${this.file} is gone (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`,
      );
    }
    if (ino !== this.inode) throw new Error(`the store file ${this.file} was replaced by another file`);
  }

  async create(record: ApprovalRecord): Promise<void> {
    this.check();
    this.statements.insert.run(toRow(record));
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    this.check();
    const row = this.statements.get.get(id);
    return row === undefined ? undefined : fromRow(row);
  }

  async list(filter: ListFilter = {}): Promise<ApprovalRecord[]> {
    this.check();
    const limit = filter.limit ?? -1;
    const rows =
      filter.status === undefined
        ? this.statements.all.all(limit)
        : this.statements.byStatus.all(filter.status, limit);
    return rows.map(fromRow);
  }

  async transition(
    id: string,
    from: readonly ApprovalStatus[],
    to: ApprovalStatus,
    patch: TransitionPatch = {},
    digest?: string,
  ): Promise<ApprovalRecord | undefined> {
    this.check();
    const marks = from.map(() => "?").join(", ");
    const sql = `UPDATE approvals SET status = ?,
        answered_by = coalesce(?, answered_by), answered_roles = coalesce(?, answered_roles),
        note = coalesce(?, note), answered_at = coalesce(?, answered_at), consumed_at = coalesce(?, consumed_at)
      WHERE id = ? AND status IN (${marks})${digest === undefined ? "" : " AND digest = ?"}`;
    const params: unknown[] = [
      to,
      patch.answeredBy ?? null,
      patch.answeredRoles === undefined ? null : JSON.stringify(patch.answeredRoles),
      patch.note ?? null,
      patch.answeredAt ?? null,
      patch.consumedAt ?? null,
      id,
      ...from,
    ];
    if (digest !== undefined) params.push(digest);
    const run = this.db.transaction(() => {
      const changed = this.db.prepare(sql).run(...params).changes;
      return changed === 1 ? this.statements.get.get(id) : undefined;
    });
    const row = run.immediate();
    return row === undefined ? undefined : fromRow(row);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRow(r: ApprovalRecord): Row {
  return {
    id: r.id,
    status: r.status,
    digest: r.digest,
    policy_hash: r.policyHash,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    body: JSON.stringify({ request: r.request, decision: r.decision, approvers: r.approvers }),
    answered_by: r.answeredBy ?? null,
    answered_roles: r.answeredRoles === undefined ? null : JSON.stringify(r.answeredRoles),
    note: r.note ?? null,
    answered_at: r.answeredAt ?? null,
    consumed_at: r.consumedAt ?? null,
  };
}

const STATUSES = new Set(["pending", "approved", "denied", "expired", "consumed"]);

function fromRow(row: Row): ApprovalRecord {
  if (!STATUSES.has(row.status))
    throw new Error(`approval ${row.id} has an unknown status \`${row.status}\``);
  let body: Pick<ApprovalRecord, "request" | "decision" | "approvers">;
  try {
    body = JSON.parse(row.body) as typeof body;
  } catch {
    throw new Error(`approval ${row.id} is damaged (its body is not JSON)`);
  }
  if (typeof body !== "object" || body === null || !Array.isArray(body.approvers)) {
    throw new Error(`approval ${row.id} is damaged (its body lacks the request, decision or approvers)`);
  }
  return {
    id: row.id,
    status: row.status as ApprovalStatus,
    digest: row.digest,
    policyHash: row.policy_hash,
    request: body.request,
    decision: body.decision,
    approvers: body.approvers,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.answered_by === null ? {} : { answeredBy: row.answered_by }),
    ...(row.answered_roles === null ? {} : { answeredRoles: JSON.parse(row.answered_roles) as string[] }),
    ...(row.note === null ? {} : { note: row.note }),
    ...(row.answered_at === null ? {} : { answeredAt: row.answered_at }),
    ...(row.consumed_at === null ? {} : { consumedAt: row.consumed_at }),
  };
}
