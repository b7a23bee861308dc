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
import { eachLine } from "./lines.js";
import { readHead } from "./log.js";
import { bodyHash, GENESIS, statedHash } from "./record.js";

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
  const hash = statedHash(text);
  if (hash === undefined) return "the line does not end with a record hash";
  if (bodyHash(text) !== hash) return "the line's text does not match its hash";
  let r: { seq?: unknown; prev?: unknown };
  try {
    r = JSON.parse(text) as typeof r;
  } catch {
    return "the line is not JSON";
  }
  if (typeof r.seq !== "number" || typeof r.prev !== "string") return "the line has no seq or prev";
  return { seq: r.seq, prev: r.prev, hash };
}

/** A seq out of place, waiting for the next line to say which kind of change explains it. */
interface Suspect {
  readonly line: number;
  readonly seq: number;
}

export async function verifyAuditLog(file: string): Promise<VerifyResult> {
  const head = readHead(file);
  let expected = 1;
  let lastHash = GENESIS;
  let headHash: string | undefined;
  let records = 0;
  let problem: VerifyProblem | undefined;
  let suspect: Suspect | undefined;

  /** Name the change that put `s` out of place, given the seq of the line after it. */
  const classify = (s: Suspect, next: number | undefined): VerifyProblem => {
    if (s.seq > expected) {
      if (next === expected) {
        return {
          line: s.line,
          kind: "reordered",
          message: `record ${s.seq} comes before record ${expected}`,
        };
      }
      const missing =
        s.seq - expected === 1 ? `record ${expected} is` : `records ${expected}–${s.seq - 1} are`;
      return { line: s.line, kind: "deleted", message: `${missing} missing before this line` };
    }
    if (next === expected) {
      return {
        line: s.line,
        kind: "inserted",
        message: `an extra copy of record ${s.seq} (expected ${expected})`,
      };
    }
    return { line: s.line, kind: "reordered", message: `record ${s.seq} comes after record ${expected - 1}` };
  };

  await eachLine(file, (line) => {
    if (suspect !== undefined) {
      const c = line.terminated ? check(line.text) : undefined;
      problem = classify(suspect, typeof c === "object" ? c.seq : undefined);
      return false;
    }
    if (!line.terminated) {
      problem = {
        line: line.n,
        kind: "truncated",
        message: "the last line is incomplete (a write was cut off)",
      };
      return false;
    }
    const c = check(line.text);
    if (typeof c === "string") {
      problem = { line: line.n, kind: "edited", message: c };
      return false;
    }
    if (c.seq !== expected) {
      suspect = { line: line.n, seq: c.seq };
      return undefined;
    }
    if (c.prev !== lastHash) {
      problem = {
        line: line.n,
        kind: "edited",
        message: `this record does not follow the one before it (line ${line.n - 1} or this line was changed)`,
      };
      return false;
    }
    lastHash = c.hash;
    if (head !== undefined && c.seq === head.seq) headHash = c.hash;
    records++;
    expected++;
    return undefined;
  });
  if (problem === undefined && suspect !== undefined) problem = classify(suspect, undefined);
  if (problem === undefined && head !== undefined) {
    if (head.seq > expected - 1) {
      problem = {
        line: records + 1,
        kind: "truncated",
        message: `the log ends at record ${expected - 1} but its head file records ${head.seq}: records were cut off the end`,
      };
    } else if (head.seq > 0 && headHash !== head.hash) {
      problem = {
        line: head.seq,
        kind: "edited",
        message: `record ${head.seq} is not the record the head file recorded: the chain was rewritten`,
      };
    }
  }
  const result = { records, lastSeq: expected - 1, lastHash };
  return problem === undefined ? { ok: true, ...result } : { ok: false, ...result, problem };
}
