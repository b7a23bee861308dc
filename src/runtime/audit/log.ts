/**
 * The audit log writer: appends hash-chained records (record.ts) to a JSON Lines file.
 *
 * `append` is synchronous: it numbers the record, chains and hashes it, and queues its line, so
 * records made in one process are numbered densely in the order they were made, however many
 * guards run at once. Lines reach the file in batches:
 *
 *   fsync "group"  (default) a batch every `groupMs` (5 ms), written and fdatasync'ed together;
 *                  callers do not wait for it.
 *   fsync "record" a batch as soon as the event loop is free; each caller that asks
 *                  (`durable(seq)`) waits until its record is on disk.
 *   fsync "off"    batches as "group", never fsync'ed (the operating system decides).
 *
 * Fail closed: the first failed write or sync, or the file found removed or replaced, breaks the
 * log for good: `check()` and `append()` throw a RunplaneError (part "audit"), so the runtime runs
 * nothing more. Records of the failed batch are named in the error (at most one batch).
 *
 * After each batch, `<file>.head` is overwritten with the last seq and hash. It only ever lags the
 * log, so a log that ends before its head was cut (`rplc audit verify` reports it, and opening it
 * refuses to write on a shortened chain).
 */
import { closeSync, existsSync, fdatasync, fstat, fstatSync, openSync, readFileSync, write } from "node:fs";
import { RunplaneError } from "../errors.js";
import { acquireLock } from "./lock.js";
import { type AuditEntry, type AuditRecord, hashBody, lineOf, recordBody } from "./record.js";
import { type ChainEnd, recoverChainEnd } from "./recover.js";

export type FsyncMode = "record" | "group" | "off";

export interface AuditLogOptions {
  readonly fsync?: FsyncMode;
  /** How long a group collects records before it is written (ms, default 5). */
  readonly groupMs?: number;
}

const HEAD_WIDTH = 120;

function writeAll(fd: number, data: Buffer, position: number | null): Promise<void> {
  return new Promise((resolve, reject) => {
    let off = 0;
    const step = (): void => {
      write(fd, data, off, data.length - off, position === null ? null : position + off, (err, n) => {
        if (err) return reject(err);
        off += n;
        if (off < data.length) step();
        else resolve();
      });
    };
    step();
  });
}

function syncData(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function linkCount(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st.nlink))));
}

/** The head file's seq and hash, or undefined when there is none (or it cannot be read). */
export function readHead(file: string): { seq: number; hash: string } | undefined {
  try {
    const h = JSON.parse(readFileSync(`${file}.head`, "utf8")) as { seq?: unknown; hash?: unknown };
    if (typeof h.seq === "number" && typeof h.hash === "string") return { seq: h.seq, hash: h.hash };
  } catch {
    // No head yet.
  }
  return undefined;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class AuditLog {
  private seq: number;
  private prev: string;
  private queued: string[] = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private durableSeq: number;
  private waiters: Waiter[] = [];
  private broken: RunplaneError | undefined;
  private closed = false;
  private readonly mode: FsyncMode;
  private readonly groupMs: number;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly headFd: number,
    private readonly release: () => void,
    end: ChainEnd,
    options: AuditLogOptions,
  ) {
    this.seq = end.seq;
    this.prev = end.hash;
    this.durableSeq = end.seq;
    this.repaired = end.repaired;
    this.mode = options.fsync ?? "group";
    this.groupMs = options.groupMs ?? 5;
  }

  /** Bytes cut off a torn last line when the log was opened (-1: a newline was added). */
  readonly repaired: number | undefined;

  /** Open (creating) the log for appending; throws RunplaneError (part "audit") when it cannot. */
  static open(file: string, options: AuditLogOptions = {}): AuditLog {
    let release: (() => void) | undefined;
    let fd: number | undefined;
    let headFd: number | undefined;
    try {
      release = acquireLock(file);
      fd = openSync(file, "a+");
      if (!fstatSync(fd).isFile()) throw new Error("it is not a regular file");
      const end = recoverChainEnd(fd, file);
      const head = readHead(file);
      if (head !== undefined && head.seq > end.seq) {
        throw new Error(
          `the log ends at record ${end.seq} but its head file records ${head.seq}: records were removed from the end (run \`rplc audit verify ${file}\`; move the file aside to start a new log)`,
        );
      }
      // Not "a": the head is rewritten in place (position 0), which O_APPEND would turn into appends.
      headFd = openSync(`${file}.head`, existsSync(`${file}.head`) ? "r+" : "w+");
      return new AuditLog(file, fd, headFd, release, end, options);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      if (headFd !== undefined) closeSync(headFd);
      release?.();
      throw new RunplaneError("audit", `cannot open the audit log ${file}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** The seq of the last record appended. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Throws when nothing more can be recorded (the runtime then runs nothing). */
  check(): void {
    if (this.broken !== undefined) throw this.broken;
    if (this.closed) throw new RunplaneError("audit", `the audit log ${this.file} is closed`);
  }

  /** Number, chain and queue a record; returns it as it will be written. */
  append(entry: AuditEntry): AuditRecord {
    this.check();
    const seq = this.seq + 1;
    const time = new Date().toISOString();
    const prev = this.prev;
    const body = recordBody(seq, time, prev, entry);
    const hash = hashBody(body);
    this.seq = seq;
    this.prev = hash;
    this.queued.push(`${lineOf(body, hash)}\n`);
    this.schedule(this.mode === "record");
    return { ...entry, seq, time, prev, hash };
  }

  /** Resolves when record `seq` (default: every record so far) is written (and synced, unless "off"). */
  durable(seq: number = this.seq): Promise<void> {
    if (this.durableSeq >= seq) return Promise.resolve();
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.schedule(true);
    });
  }

  private schedule(now: boolean): void {
    if (this.flushing) return; // the running flush picks up what was queued meanwhile
    if (now) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      setImmediate(() => void this.flush());
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.groupMs);
    }
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.flushing || this.broken !== undefined) return;
    this.flushing = true;
    try {
      while (this.queued.length > 0) {
        const batch = this.queued;
        this.queued = [];
        const upTo = this.seq;
        const hash = this.prev;
        try {
          await writeAll(this.fd, Buffer.from(batch.join(""), "utf8"), null);
          if (this.mode !== "off") await syncData(this.fd);
          if ((await linkCount(this.fd)) === 0) throw new Error("the file was removed or replaced");
          const head = JSON.stringify({ seq: upTo, hash }).padEnd(HEAD_WIDTH - 1);
          await writeAll(this.headFd, Buffer.from(`${head}\n`), 0);
        } catch (e) {
          const first = upTo - batch.length + 1;
          const lost =
            first === upTo ? `record ${upTo} was not written` : `records ${first}–${upTo} were not written`;
          this.broken = new RunplaneError(
            "audit",
            `cannot write the audit log ${this.file}: ${(e as Error).message} (${lost}; nothing more runs)`,
            { cause: e },
          );
          break;
        }
        this.durableSeq = upTo;
        this.settle();
      }
    } finally {
      this.flushing = false;
    }
    if (this.broken !== undefined) this.settle();
    else if (this.queued.length > 0) this.schedule(this.mode === "record" || this.waiters.length > 0);
  }

  private settle(): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.broken !== undefined) w.reject(this.broken);
      else if (w.seq <= this.durableSeq) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }

  /** Write what is queued, then close the files and release the lock; rejects if the log broke. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.broken === undefined && this.seq > this.durableSeq) await this.durable();
    } finally {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      closeSync(this.fd);
      closeSync(this.headFd);
      this.release();
    }
    // Closing does not hide a failure: records were lost.
    if (this.broken !== undefined) throw this.broken;
  }
}
