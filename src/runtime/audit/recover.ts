/**
 * Opening an audit log: find where the chain ends (the last record's seq and hash) by reading the
 * file backwards, and repair a torn last line.
 *
 * A process killed while writing can leave at most one incomplete last line (no newline). If that
 * line is nevertheless a whole, valid next record, its newline is added; otherwise it is cut off
 * (the file is truncated to the end of the last complete line). Earlier records are never touched.
 * A last complete line that is not a valid record is not a crash but damage: opening fails.
 */
import { fs } from "../builtins.js";
import { GENESIS, hashBody, splitLine } from "./record.js";

const { fstatSync, ftruncateSync, readSync, writeSync } = fs;

export interface ChainEnd {
  readonly seq: number;
  readonly hash: string;
  /** Bytes cut off a torn last line, or -1 when a complete-but-unterminated record was kept. */
  readonly repaired?: number;
  /** The number of the last line (1-based), for messages. */
  readonly lines?: number;
}

const CHUNK = 64 * 1024;

/** The position of the last `\n` before `end`, or -1. */
function lastNewline(fd: number, end: number): number {
  const buf = Buffer.allocUnsafe(CHUNK);
  let pos = end;
  while (pos > 0) {
    const start = Math.max(0, pos - CHUNK);
    const n = readSync(fd, buf, 0, pos - start, start);
    const at = buf.subarray(0, n).lastIndexOf(0x0a);
    if (at >= 0) return start + at;
    pos = start;
  }
  return -1;
}

function readText(fd: number, start: number, end: number): string {
  const buf = Buffer.allocUnsafe(end - start);
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, start + off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off).toString("utf8");
}

interface Parsed {
  seq: number;
  prev: string;
  hash: string;
}

/** The line as a valid record (its hash matches its body), or undefined. */
function parse(line: string): Parsed | undefined {
  const parts = splitLine(line);
  if (parts === undefined || hashBody(parts.body) !== parts.hash) return undefined;
  try {
    const r = JSON.parse(line) as Partial<Parsed>;
    if (typeof r.seq !== "number" || typeof r.prev !== "string") return undefined;
    return { seq: r.seq, prev: r.prev, hash: parts.hash };
  } catch {
    return undefined;
  }
}

/** Where the chain of the open file `fd` ends, after repairing a torn last line. */
export function recoverChainEnd(fd: number, file: string): ChainEnd {
  const size = fstatSync(fd).size;
  if (size === 0) return { seq: 0, hash: GENESIS };
  const nl = lastNewline(fd, size);
  let repaired: number | undefined;
  let completeEnd = nl; // the newline ending the last complete line, or -1
  let last: Parsed | undefined;
  if (nl !== size - 1) {
    // A torn last line: from nl + 1 to the end of the file.
    const tornText = readText(fd, nl + 1, size);
    const torn = parse(tornText);
    const before = nl < 0 ? undefined : parse(readText(fd, lastNewline(fd, nl) + 1, nl));
    const follows =
      torn !== undefined &&
      (before === undefined
        ? nl < 0 && torn.seq === 1 && torn.prev === GENESIS
        : torn.seq === before.seq + 1 && torn.prev === before.hash);
    if (follows) {
      writeSync(fd, "\n");
      repaired = -1;
      completeEnd = size;
      last = torn;
    } else {
      ftruncateSync(fd, nl + 1);
      repaired = size - (nl + 1);
    }
  }
  if (completeEnd < 0) return { seq: 0, hash: GENESIS, ...(repaired === undefined ? {} : { repaired }) };
  if (last === undefined) {
    const start = lastNewline(fd, completeEnd) + 1;
    last = parse(readText(fd, start, completeEnd));
    if (last === undefined) {
      throw new Error(
        `the last record of ${file} is damaged (not a valid audit record): run \`rplc audit verify ${file}\``,
      );
    }
  }
  return { seq: last.seq, hash: last.hash, ...(repaired === undefined ? {} : { repaired }) };
}
