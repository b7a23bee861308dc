/**
 * `verifyAuditLog(file)`: is the hash chain intact? Reads the file once, streaming, and checks
 * every line: it ends as the writer ends lines, its hash is the SHA-256 of its body, it is JSON,
 * its `seq` is one more than the line before and its `prev` is that line's hash. At the end, the
 * head file (`<file>.head`, when present) must not record a later record than the file holds.
 *
 * The first bad line is reported with the kind of change that explains it best:
 *   edited     the line's hash does not match its text, or it does not follow the line before
 *   deleted    records are missing before this line (seq jumps forward)
 *   reordered  this line belongs later (seq jumps forward and the next line has the missing seq),
 *              or earlier (seq goes back and the line after does not continue)
 *   inserted   an extra record (seq goes back and the line after continues the chain)
 *   truncated  the last line is incomplete (a torn write), or records were cut off the end
 *
 * What a hash chain cannot show: someone who rewrites the whole file from some line on, with
 * valid hashes, and also rewrites or removes the head file. Keep a copy of the head elsewhere
 * (or ship records off the host) to rule that out.
 */
import { lines } from "./lines.js";
import { readHead } from "./log.js";
import { GENESIS, hashBody, splitLine } from "./record.js";

export type ProblemKind = "edited" | "deleted" | "reordered" | "inserted" | "truncated";

export interface VerifyProblem {
  /** 1-based line number (one past the last line for records cut off the end). */
  readonly line: number;
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Records checked and found good before the first problem. */
  readonly records: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly problem?: VerifyProblem;
}

interface Checked {
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

/** The line as a record whose hash matches its text, or the reason it is not one. */
function check(text: string): Checked | string {
  const parts = splitLine(text);
  if (parts === undefined) return "the line does not end with a record hash";
  if (hashBody(parts.body) !== parts.hash) return "the line's text does not match its hash";
  let r: { seq?: unknown; prev?: unknown };
  try {
    r = JSON.parse(text) as typeof r;
  } catch {
    return "the line is not JSON";
  }
  if (typeof r.seq !== "number" || typeof r.prev !== "string") return "the line has no seq or prev";
  return { seq: r.seq, prev: r.prev, hash: parts.hash };
}

export async function verifyAuditLog(file: string): Promise<VerifyResult> {
  const head = readHead(file);
  let expected = 1;
  let lastHash = GENESIS;
  let headHash: string | undefined;
  let records = 0;
  const it = lines(file);
  const fail = (line: number, kind: ProblemKind, message: string): VerifyResult => ({
    ok: false,
    records,
    lastSeq: expected - 1,
    lastHash,
    problem: { line, kind, message },
  });
  const peekSeq = async (): Promise<number | undefined> => {
    const next = await it.next();
    if (next.done) return undefined;
    const c = check(next.value.text);
    return typeof c === "string" ? undefined : c.seq;
  };

  for await (const line of it) {
    if (!line.terminated) {
      return fail(line.n, "truncated", "the last line is incomplete (a write was cut off)");
    }
    const c = check(line.text);
    if (typeof c === "string") return fail(line.n, "edited", c);
    if (c.seq > expected) {
      const next = await peekSeq();
      if (next === expected)
        return fail(line.n, "reordered", `record ${c.seq} comes before record ${expected}`);
      const missing =
        c.seq - expected === 1 ? `record ${expected} is` : `records ${expected}–${c.seq - 1} are`;
      return fail(line.n, "deleted", `${missing} missing before this line`);
    }
    if (c.seq < expected) {
      const next = await peekSeq();
      if (next === expected)
        return fail(line.n, "inserted", `an extra copy of record ${c.seq} (expected ${expected})`);
      return fail(line.n, "reordered", `record ${c.seq} comes after record ${expected - 1}`);
    }
    if (c.prev !== lastHash) {
      return fail(
        line.n,
        "edited",
        `this record does not follow the one before it (line ${line.n - 1} or this line was changed)`,
      );
    }
    lastHash = c.hash;
    if (head !== undefined && c.seq === head.seq) headHash = c.hash;
    records++;
    expected++;
  }
  if (head !== undefined) {
    if (head.seq > expected - 1) {
      return fail(
        records + 1,
        "truncated",
        `the log ends at record ${expected - 1} but its head file records ${head.seq}: records were cut off the end`,
      );
    }
    if (head.seq > 0 && headHash !== head.hash) {
      return fail(
        head.seq,
        "edited",
        `record ${head.seq} is not the record the head file recorded: the chain was rewritten`,
      );
    }
  }
  return { ok: true, records, lastSeq: expected - 1, lastHash };
}
