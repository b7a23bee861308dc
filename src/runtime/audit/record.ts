/**
 * The audit record and its line format.
 *
 * One record per line (JSON Lines). The line is the record's JSON without `hash` (top-level keys
 * in the fixed order below, `undefined` fields left out) with `,"hash":"<hex>"}` put before its
 * closing brace, where `hash` is the SHA-256 of exactly that JSON text. `prev` is the previous
 * record's `hash` (64 zeros for the first), so the records form a chain: changing, removing,
 * adding or moving any line breaks it. The verifier hashes the bytes as written and never
 * re-serialises, so the format does not depend on key order or number formatting elsewhere.
 */

import type { DecisionKind, Effect } from "../../engine/decision.js";
import { crypto } from "../builtins.js";

export type Outcome =
  | "executed"
  | "failed"
  | "blocked"
  | "approved"
  | "denied"
  | "expired"
  | "shadow"
  | "pending"
  | "decided";

export const OUTCOMES: readonly Outcome[] = [
  "executed",
  "failed",
  "blocked",
  "approved",
  "denied",
  "expired",
  "shadow",
  "pending",
  "decided",
];

export interface AuditMatch {
  readonly rule: string;
  readonly effect: Effect;
  readonly reason: string;
}

/** A second policy's view of the same request (shadow mode and candidates). */
export interface CandidateView {
  readonly decision: DecisionKind;
  readonly matched: readonly string[];
  readonly score: number;
  readonly policy: string;
}

/** What the runtime hands the log; the log adds seq, time, prev and hash. */
export interface AuditEntry {
  readonly action: string;
  /** The request as recorded: redacted fields removed, secrets masked. */
  readonly request: unknown;
  /** The paths that were removed (`args.headers`), and how many secrets were masked. */
  readonly redacted?: readonly string[];
  readonly masked?: number;
  readonly decision: DecisionKind;
  readonly matched: readonly AuditMatch[];
  readonly score: number;
  readonly errors?: readonly string[];
  readonly outcome: Outcome;
  readonly approval?: string;
  readonly approver?: { readonly by: string; readonly roles: readonly string[] };
  readonly note?: string;
  /** The message of the error the action threw (outcome `failed`), secrets masked. */
  readonly error?: string;
  readonly candidate?: CandidateView;
  readonly policy: string;
}

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly time: string;
  readonly prev: string;
  readonly hash: string;
}

export const GENESIS = "0".repeat(64);

/** The record's JSON without `hash`, keys in a fixed order. */
export function recordBody(seq: number, time: string, prev: string, e: AuditEntry): string {
  return withPrev(recordHead(seq, time, e), prev);
}

/**
 * The record's JSON up to where `prev` goes (its last key): the part that can be made before the
 * previous record's hash is known. `withPrev(recordHead(…), prev)` is the body.
 */
export function recordHead(seq: number, time: string, e: AuditEntry): string {
  const json = JSON.stringify({
    seq,
    time,
    action: e.action,
    request: e.request,
    redacted: e.redacted,
    masked: e.masked,
    decision: e.decision,
    matched: e.matched,
    score: e.score,
    errors: e.errors,
    outcome: e.outcome,
    approval: e.approval,
    approver: e.approver,
    note: e.note,
    error: e.error,
    candidate: e.candidate,
    policy: e.policy,
  });
  return json.slice(0, -1);
}

/** A record head closed with its `prev` (a hash: hex digits, nothing to escape). */
export function withPrev(head: string, prev: string): string {
  return `${head},"prev":"${prev}"}`;
}

/** SHA-256 of `body` in hex (the one-shot `crypto.hash`: no Hash object per record). */
export function hashBody(body: string): string {
  return crypto().hash("sha256", body, "hex");
}

/** The full line (without its newline) for `body` with hash `hash`. */
export function lineOf(body: string, hash: string): string {
  return `${body.slice(0, -1)},"hash":"${hash}"}`;
}

const SUFFIX_LENGTH = ',"hash":"'.length + 64 + '"}'.length;
const SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

/**
 * Split a line into the body it claims to hash and the hash it states; undefined when the line
 * does not end the way the writer ends every line.
 */
export function splitLine(line: string): { body: string; hash: string } | undefined {
  const hash = statedHash(line);
  return hash === undefined ? undefined : { body: `${line.slice(0, -SUFFIX_LENGTH)}}`, hash };
}

/** The hash a line states, or undefined when it does not end as the writer ends lines. */
export function statedHash(line: string): string | undefined {
  if (line.length < SUFFIX_LENGTH + 2) return undefined;
  const m = SUFFIX.exec(line.slice(-SUFFIX_LENGTH));
  return m === null ? undefined : m[1];
}

/** The SHA-256 of the line's body (the line without its hash), without copying the text. */
export function bodyHash(line: string): string {
  return crypto()
    .createHash("sha256")
    .update(line.slice(0, -SUFFIX_LENGTH), "utf8")
    .update("}")
    .digest("hex");
}
