/**
 * The audit log writer: appends hash-chained records (record.ts) to a JSON Lines file.
 *
 * `append` is synchronous: it numbers the record and makes its JSON, so records made in one
 * process are numbered densely in the order they were made, however many guards run at once, and
 * what a record says is fixed when it is appended (a record that cannot be made throws there, and
 * the action does not run). Chaining it (its `prev`, the SHA-256) and encoding its line into the
 * queue buffer are deferred to the group write, in order, between calls: `add` costs a guard only
 * the JSON (`append`, which returns the hash, chains at once). Queued lines are written in groups,
 * always by this thread and in order (a synchronous write() of the whole group, which lands in
 * the page cache in microseconds), between calls rather than inside one; making them durable
 * (fdatasync) runs in the background thread pool:
 *
 *   fsync "group"  (default) a group is written every `groupMs` (5 ms), or as soon as the event
 *                  loop is free once 256 lines or 256 KiB are queued; then synced. Callers do not
 *                  wait. Only a program that never lets the event loop run pays for a write inside
 *                  `append`: at 4,096 lines or 4 MiB, so that memory stays bounded.
 *   fsync "record" a group is written as soon as the event loop is free and synced; each caller
 *                  that asks (`durable(seq)`, the runtime does before returning) waits for it.
 *   fsync "off"    grouped as "group", never synced (the operating system decides).
 *
 * Fail closed: the first failed write or sync, or the file found removed or replaced, breaks the
 * log for good: `check()` and `append()` throw a RunplaneError (part "audit"), so the runtime runs
 * nothing more. The error names the records that were not written. Whether the file is still
 * linked is asked of the system (fstat) after each group write and whenever the file's inotify
 * watch reports anything (a removal changes the link count, which the watch reports), both
 * between calls: with fsync "group" or "off", `check()` makes no system call, and an action that
 * starts after the removal has reached this process's event loop does not run. With fsync
 * "record" (or where the file cannot be watched) `check()` asks before every action, so even an
 * action that starts the instant after the removal does not run.
 *
 * After each sync (each write, with fsync "off"), `<file>.head` is overwritten with the last
 * durable seq and hash. It only ever lags the log, so a log that ends before its head was cut
 * (`rplc audit verify` reports it, and opening it refuses to write on a shortened chain).
 */
import type { FSWatcher } from "node:fs";
import { fs } from "../builtins.js";
import { isoNow } from "../clock.js";
import { RunplaneError } from "../errors.js";
import { acquireLock } from "./lock.js";
import { type AuditEntry, type AuditRecord, hashBody, recordHead, withPrev } from "./record.js";
import { type ChainEnd, recoverChainEnd } from "./recover.js";

const { closeSync, existsSync, fdatasync, fstatSync, openSync, readFileSync, watch, writeSync } = fs;

export type FsyncMode = "record" | "group" | "off";

export interface AuditLogOptions {
  readonly fsync?: FsyncMode;
  /** How long a group collects records before it is written (ms, default 5). */
  readonly groupMs?: number;
}

const HEAD_WIDTH = 120;

/** A group is written as soon as the event loop is free when this many lines or bytes are queued, */
const GROUP_LINES = 256;
const GROUP_BYTES = 256 * 1024;
/** and inside `append` when this many are (only a program that never yields gets there). */
const MAX_QUEUED_LINES = 4096;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/**
 * The queue buffer's size, kept between groups (a larger one is let go after its group): room for
 * a whole group with margin, so that an agent that yields between actions never grows it. (At
 * 64 KiB it grew twice in every group of 256 records, and those calls were the slowest 1 % of
 * guard calls: bench/results/runtime.md.)
 */
const BUFFER_BYTES = 2 * GROUP_BYTES;

function writeFully(fd: number, data: Buffer, position: number | null): void {
  let off = 0;
  while (off < data.length) {
    off += writeSync(fd, data, off, data.length - off, position === null ? null : position + off);
  }
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
  /** The time of the last record appended. */
  private time = "";
  /** Records numbered but not chained yet: each one's JSON up to its `prev` (record.ts recordHead). */
  private unchained: string[] = [];
  private unchainedChars = 0;
  /** The `prev` of the last record chained. */
  private lastPrev = "";
  /** Queued lines, UTF-8 encoded: `queuedBytes` bytes of `buffer`, `queuedLines` lines. */
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private queuedBytes = 0;
  private queuedLines = 0;
  /** The inotify watch on the file (undefined: none, `check()` looks itself). */
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** The last record written to the file (page cache), and the last one synced. */
  private writtenSeq: number;
  private writtenHash: string;
  private durableSeq: number;
  private syncing = false;
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
    this.writtenSeq = end.seq;
    this.writtenHash = end.hash;
    this.repaired = end.repaired;
    this.mode = options.fsync ?? "group";
    this.groupMs = options.groupMs ?? 5;
    this.watchFile();
  }

  /** Whether callers should wait for their records to be durable (fsync "record"). */
  get waits(): boolean {
    return this.mode === "record";
  }

  /**
   * Watch the file so that `check()` need not fstat it before every action: on any event (a
   * write, a change of the link count by unlink or rename, a move) the file is looked at then,
   * in the event loop. Without a watch (unsupported, or it failed) every check looks.
   */
  private watchFile(): void {
    try {
      const w = watch(this.file, { persistent: false }, () => {
        if (this.broken !== undefined || this.closed) return;
        try {
          this.stillLinked();
        } catch {
          // Broken now: the next check() or append() says so.
        }
      });
      w.on("error", () => {
        this.watcher = undefined;
        w.close();
      });
      this.watcher = w;
    } catch {
      this.watcher = undefined;
    }
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

  /**
   * Throws when nothing more can be recorded (the runtime then runs nothing). Called before each
   * action: an earlier write failure, or the log file found removed or replaced (by the file's
   * watch; or here, with one fstat, with fsync "record" or when there is no watch).
   */
  check(): void {
    this.usable();
    if (this.watcher === undefined || this.mode === "record") this.stillLinked();
  }

  /** Fstat the file: a link count of 0 (removed, or replaced by a rename) breaks the log. */
  private stillLinked(): void {
    let links: number;
    try {
      links = fstatSync(this.fd).nlink;
    } catch {
      links = 0;
    }
    if (links === 0) {
      if (this.writtenSeq < this.seq) {
        // Appended records not written yet: lost with the file (named, and waiters told).
        this.fail(new Error("the file was removed or replaced"), this.writtenSeq + 1, this.seq);
      } else {
        this.broken = new RunplaneError(
          "audit",
          `cannot write the audit log ${this.file}: the file was removed or replaced (nothing more runs)`,
        );
        this.settle();
      }
      throw this.broken;
    }
  }

  private usable(): void {
    if (this.broken !== undefined) throw this.broken;
    if (this.closed) throw new RunplaneError("audit", `the audit log ${this.file} is closed`);
  }

  /** Number, chain and queue a record; returns it as it will be written. */
  append(entry: AuditEntry): AuditRecord {
    const seq = this.add(entry);
    this.chain();
    return { ...entry, seq, time: this.time, prev: this.lastPrev, hash: this.prev };
  }

  /** Number a record and make its JSON; returns its seq (chained at the group write). */
  add(entry: AuditEntry): number {
    this.usable();
    const seq = this.seq + 1;
    const time = isoNow();
    const head = recordHead(seq, time, entry);
    this.unchained.push(head);
    this.unchainedChars += head.length;
    this.seq = seq;
    this.time = time;
    const lines = this.queuedLines + this.unchained.length;
    const bytes = this.queuedBytes + this.unchainedChars;
    if (lines >= MAX_QUEUED_LINES || bytes >= MAX_QUEUED_BYTES) this.writeQueued();
    else this.schedule(this.mode === "record" || lines >= GROUP_LINES || bytes >= GROUP_BYTES);
    return seq;
  }

  /** Chain the records added since the last call, in order, and queue their lines. */
  private chain(): void {
    const heads = this.unchained;
    if (heads.length === 0) return;
    for (let i = 0; i < heads.length; i++) {
      const body = withPrev(heads[i] as string, this.prev);
      const hash = hashBody(body);
      this.queue(body, hash);
      this.lastPrev = this.prev;
      this.prev = hash;
    }
    this.unchained = [];
    this.unchainedChars = 0;
  }

  /**
   * Encode the line `lineOf(body, hash)` and its newline at the end of the queue buffer (growing
   * it when it might not fit), without making the line as a string: the body, then its closing
   * brace overwritten by `,"hash":"…"}` and the newline.
   */
  private queue(body: string, hash: string): void {
    const worst = body.length * 3 + 128; // UTF-8 bytes per UTF-16 code unit, at most; the suffix
    if (this.queuedBytes + worst > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.queuedBytes + worst));
      this.buffer.copy(bigger, 0, 0, this.queuedBytes);
      this.buffer = bigger;
    }
    const end = this.queuedBytes + this.buffer.write(body, this.queuedBytes, "utf8") - 1; // at the "}"
    this.queuedBytes = end + this.buffer.write(`,"hash":"${hash}"}\n`, end, "latin1");
    this.queuedLines++;
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
    if (now) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.writeQueued();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.writeQueued();
      }, this.groupMs);
    }
  }

  /** Write every queued line now (synchronously, in order), then start a sync. */
  private writeQueued(): void {
    if (this.broken !== undefined) return;
    this.chain();
    if (this.queuedLines > 0) {
      const first = this.writtenSeq + 1;
      const bytes = this.queuedBytes;
      this.queuedLines = 0;
      this.queuedBytes = 0;
      try {
        writeFully(this.fd, this.buffer.subarray(0, bytes), null);
        if (this.buffer.length > BUFFER_BYTES) this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
        if (fstatSync(this.fd).nlink === 0) throw new Error("the file was removed or replaced");
      } catch (e) {
        this.fail(e, first, this.seq);
        return;
      }
      this.writtenSeq = this.seq;
      this.writtenHash = this.prev;
    }
    if (this.mode === "off") this.synced(this.writtenSeq, this.writtenHash);
    else this.sync();
  }

  /** fdatasync in the thread pool; one at a time, and again if more was written meanwhile. */
  private sync(): void {
    if (this.syncing || this.broken !== undefined || this.durableSeq >= this.writtenSeq) {
      this.settle();
      return;
    }
    this.syncing = true;
    const seq = this.writtenSeq;
    const hash = this.writtenHash;
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (err) {
        this.fail(err, this.durableSeq + 1, seq);
        return;
      }
      this.synced(seq, hash);
      if (this.writtenSeq > this.durableSeq) this.sync();
    });
  }

  private synced(seq: number, hash: string): void {
    if (seq > this.durableSeq) {
      this.durableSeq = seq;
      try {
        const head = JSON.stringify({ seq, hash }).padEnd(HEAD_WIDTH - 1);
        writeFully(this.headFd, Buffer.from(`${head}\n`), 0);
      } catch (e) {
        this.fail(e, seq, seq, "its head file");
        return;
      }
    }
    this.settle();
  }

  private fail(e: unknown, first: number, last: number, what = "the file"): void {
    const lost =
      first >= last ? `record ${last} may not be written` : `records ${first}–${last} may not be written`;
    this.broken = new RunplaneError(
      "audit",
      `cannot write the audit log ${this.file}: ${(e as Error).message} (${what}; ${lost}; nothing more runs)`,
      { cause: e },
    );
    this.settle();
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
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
      this.watcher?.close();
      if (this.timer !== undefined) clearTimeout(this.timer);
      if (this.immediate !== undefined) clearImmediate(this.immediate);
      closeSync(this.fd);
      closeSync(this.headFd);
      this.release();
    }
    // Closing does not hide a failure: records were lost.
    if (this.broken !== undefined) throw this.broken;
  }
}
