/**
 * What the runtime writes audit records through: the file log (log.ts), or, with `audit: false`,
 * a log that numbers and chains records for `onDecision` but keeps nothing. The runtime calls
 * `append` for every record when it has an `onDecision` hook and `add` for every record when not.
 */

import { dirname } from "node:path";
import { fs } from "../builtins.js";
import { isoNow } from "../clock.js";
import { RunplaneError } from "../errors.js";
import { AuditLog, type AuditLogOptions } from "./log.js";
import { type AuditEntry, type AuditRecord, GENESIS, hashBody, recordBody } from "./record.js";

const { mkdirSync } = fs;

export interface AuditWriter {
  /** The file, or undefined when nothing is kept. */
  readonly file: string | undefined;
  /** Whether each caller waits for its records to be durable before answering (fsync "record"). */
  readonly waits: boolean;
  check(): void;
  append(entry: AuditEntry): AuditRecord;
  /** `append`, returning only the record's seq. */
  add(entry: AuditEntry): number;
  durable(seq?: number): Promise<void>;
  close(): Promise<void>;
}

class NoAudit implements AuditWriter {
  readonly file = undefined;
  readonly waits = false;
  private seq = 0;
  private prev = GENESIS;
  private closed = false;
  check(): void {
    if (this.closed) throw new RunplaneError("audit", "the runtime is closed");
  }
  /** Only numbers the record: no record is kept and none is shown, so nothing needs its hash. */
  add(_entry: AuditEntry): number {
    this.check();
    return ++this.seq;
  }
  /** Numbers and chains the record for an `onDecision` hook (which then sees every record). */
  append(entry: AuditEntry): AuditRecord {
    this.check();
    const seq = ++this.seq;
    const time = isoNow();
    const prev = this.prev;
    this.prev = hashBody(recordBody(seq, time, prev, entry));
    return { ...entry, seq, time, prev, hash: this.prev };
  }
  async durable(): Promise<void> {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

export type AuditSpec = string | false | ({ readonly path: string } & AuditLogOptions);

export const DEFAULT_AUDIT = ".runplane/audit.jsonl";

export function openAudit(spec: AuditSpec, resolvePath: (p: string) => string): AuditWriter {
  if (spec === false) return new NoAudit();
  const { path: given, ...options } = typeof spec === "string" ? { path: spec } : spec;
  const file = resolvePath(given);
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw new RunplaneError(
      "audit",
      `cannot create the directory of the audit log ${file}: ${(e as Error).message}`,
    );
  }
  return AuditLog.open(file, options);
}
