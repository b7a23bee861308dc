/**
 * Reading audit records back: filters (action, decision, outcome, rule, time range), the last N
 * records, requests exported as test cases for `rplc test --requests`, and the shadow report
 * (requests a candidate policy would decide differently).
 *
 * Reading is tolerant where verifying is strict: a torn last line is skipped (verify reports it),
 * and lines that are not JSON are counted, not fatal, so a damaged log can still be searched.
 */
import type { DecisionKind } from "../../engine/decision.js";
import { lines } from "./lines.js";
import type { AuditRecord, Outcome } from "./record.js";

export interface AuditFilter {
  /** An action type (`db.query`) or a prefix wildcard (`db.*`). */
  readonly action?: string;
  readonly decision?: DecisionKind;
  readonly outcome?: Outcome;
  /** A rule that matched. */
  readonly rule?: string;
  /** Milliseconds since the epoch, inclusive. */
  readonly since?: number;
  /** Milliseconds since the epoch, exclusive. */
  readonly until?: number;
}

export function matchesFilter(r: AuditRecord, f: AuditFilter): boolean {
  if (f.action !== undefined) {
    const a = f.action;
    if (a.endsWith(".*") ? !r.action.startsWith(a.slice(0, -1)) : r.action !== a) return false;
  }
  if (f.decision !== undefined && r.decision !== f.decision) return false;
  if (f.outcome !== undefined && r.outcome !== f.outcome) return false;
  if (f.rule !== undefined && !r.matched.some((m) => m.rule === f.rule)) return false;
  if (f.since !== undefined || f.until !== undefined) {
    const t = Date.parse(r.time);
    if (f.since !== undefined && !(t >= f.since)) return false;
    if (f.until !== undefined && !(t < f.until)) return false;
  }
  return true;
}

export interface ReadStats {
  /** Lines that were not records (damaged), skipped. */
  skipped: number;
}

/** Every record of the log that passes `filter`, in order. */
export async function* readRecords(
  file: string,
  filter: AuditFilter = {},
  stats: ReadStats = { skipped: 0 },
): AsyncGenerator<AuditRecord> {
  for await (const line of lines(file)) {
    if (!line.terminated) continue;
    let r: AuditRecord;
    try {
      r = JSON.parse(line.text) as AuditRecord;
    } catch {
      stats.skipped++;
      continue;
    }
    if (typeof r !== "object" || r === null || typeof r.action !== "string" || !Array.isArray(r.matched)) {
      stats.skipped++;
      continue;
    }
    if (matchesFilter(r, filter)) yield r;
  }
}

/** The last `n` records that pass `filter`. */
export async function tailRecords(file: string, n: number, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(file, filter)) {
    out.push(r);
    if (out.length > n) out.shift();
  }
  return out;
}

/**
 * `since`/`until` values: an RFC 3339 time, a date (`2026-11-24`), or a duration back from `now`
 * (`90s`, `15m`, `2h`, `7d`). Undefined when the text is none of these.
 */
export function parseWhen(text: string, now: number = Date.now()): number | undefined {
  const rel = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (rel !== null) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
      rel[2] as "ms" | "s" | "m" | "h" | "d"
    ];
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** A test case for `rplc test --requests`: one JSON object per line. */
export interface TestCase {
  readonly request: Record<string, unknown>;
  readonly expected: DecisionKind;
}

/** Outcomes that answer an earlier record of the same request (not a new decision). */
const FOLLOW_UPS: ReadonlySet<Outcome> = new Set(["approved", "denied", "expired", "executed", "failed"]);

/**
 * The record as a test case, or why it is not one. Only first records of a decision count (an
 * approval's later `approved`/`executed` records repeat it); a record whose request was redacted
 * or had secrets masked is left out, because the policy may decide the recorded copy differently.
 */
export function toTestCase(r: AuditRecord): TestCase | "follow-up" | "redacted" {
  if (FOLLOW_UPS.has(r.outcome) && r.approval !== undefined) return "follow-up";
  if ((r.redacted?.length ?? 0) > 0 || (r.masked ?? 0) > 0) return "redacted";
  const request = { ...(r.request as Record<string, unknown>) };
  if (!Object.hasOwn(request, "time")) request.time = r.time;
  return { request, expected: r.decision };
}

/** A record whose candidate policy decided otherwise than the live one. */
export function changedByCandidate(r: AuditRecord): boolean {
  return r.candidate !== undefined && r.candidate.decision !== r.decision;
}

/** The records of `file` (passing `filter`) whose candidate policy decided otherwise. */
export async function shadowChanges(file: string, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(file, filter)) if (changedByCandidate(r)) out.push(r);
  return out;
}
