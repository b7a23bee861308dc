/**
 * The approval rules, above any store:
 *
 *   - An approval is created pending, bound to a digest (canonical.ts) and an expiry
 *     (`decision.approval.timeout_ms` after it was asked for).
 *   - Identity: a human answers as `{ by, roles }`. An entry of the rule's `approvers` list matches
 *     when it equals `by` (a user id) or one of `roles`. An empty list (only the risk score asked for
 *     a human) lets anyone who names themselves answer. The same rule holds for deny, so that
 *     nobody outside the list can block work either.
 *   - Expiry resolves to expired, never to approved: an answer after `expiresAt` is refused, and
 *     an approved approval not used by `expiresAt` expires too.
 *   - Use: an approved approval is consumed once, only with the same digest.
 *
 * Expiry is applied lazily, by whoever reads the record next (a waiting guard, a list, an answer).
 */

import type { Decision } from "../../engine/decision.js";
import { crypto } from "../builtins.js";
import { ApprovalError } from "../errors.js";
import type { ApprovalRecord, ApprovalStore, ListFilter } from "./store.js";

export interface Answer {
  /** Who answers: a user id. */
  readonly by: string;
  /** Their roles (an approver entry may name a role or a user id). */
  readonly roles?: readonly string[];
  readonly note?: string;
}

/** Whether `who` may approve or deny an approval asking for `approvers`. */
export function mayAnswer(approvers: readonly string[], who: Answer): boolean {
  if (who.by.trim() === "") return false;
  if (approvers.length === 0) return true;
  return approvers.some((a) => a === who.by || (who.roles ?? []).includes(a));
}

const ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `ap-` and 10 characters that read aloud without confusion (no 0/o, 1/l/i): ~49 bits. */
export function newApprovalId(): string {
  const bytes = crypto().randomBytes(10);
  let id = "ap-";
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

export type ConsumeResult =
  | { readonly ok: true; readonly record: ApprovalRecord }
  | {
      readonly ok: false;
      readonly reason: "denied" | "expired" | "consumed" | "mismatch" | "unknown" | "pending";
      readonly record?: ApprovalRecord;
    };

type Listener = (record: ApprovalRecord) => void;

export class ApprovalQueue {
  private readonly listeners = new Set<Listener>();
  /** Counts answers made in this process, so a wake-up between a read and a sleep is not lost. */
  private epoch = 0;

  constructor(
    readonly store: ApprovalStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Record a new pending approval. */
  async open(input: {
    request: Record<string, unknown>;
    decision: Decision;
    digest: string;
    policyHash: string;
  }): Promise<ApprovalRecord> {
    const now = this.clock();
    const approval = input.decision.approval;
    // INVARIANT: only REQUIRE_APPROVAL decisions (which always carry approval details) get here.
    if (approval === null) throw new Error("INVARIANT: an approval needs a REQUIRE_APPROVAL decision");
    const record: ApprovalRecord = {
      id: newApprovalId(),
      status: "pending",
      digest: input.digest,
      policyHash: input.policyHash,
      request: input.request,
      decision: input.decision,
      approvers: approval.approvers,
      createdAt: now,
      expiresAt: now + approval.timeout_ms,
    };
    await this.store.create(record);
    return record;
  }

  /** The record with expiry applied (a pending or unused approved record past its time is expired). */
  async get(id: string): Promise<ApprovalRecord | undefined> {
    const r = await this.store.get(id);
    return r === undefined ? undefined : this.expireIfDue(r);
  }

  private async expireIfDue(r: ApprovalRecord): Promise<ApprovalRecord> {
    if ((r.status !== "pending" && r.status !== "approved") || this.clock() < r.expiresAt) return r;
    const expired = await this.store.transition(r.id, [r.status], "expired");
    if (expired !== undefined) this.emit(expired);
    return expired ?? (await this.store.get(r.id)) ?? r;
  }

  async list(filter: ListFilter = {}): Promise<ApprovalRecord[]> {
    const records = await this.store.list(filter);
    const out: ApprovalRecord[] = [];
    for (const r of records) {
      const now = await this.expireIfDue(r);
      if (filter.status === undefined || now.status === filter.status) out.push(now);
    }
    return out;
  }

  /** Approve or deny; refuses (ApprovalError) what the rules above do not allow. */
  async answer(id: string, status: "approved" | "denied", who: Answer): Promise<ApprovalRecord> {
    if (typeof who?.by !== "string" || who.by.trim() === "") {
      throw new ApprovalError("no_identity", "say who answers: `by` (a user id) is required");
    }
    const r = await this.get(id);
    if (r === undefined) throw new ApprovalError("unknown", `there is no approval ${id}`);
    if (r.status === "expired") throw new ApprovalError("expired", `approval ${id} has expired`);
    if (r.status !== "pending")
      throw new ApprovalError("not_pending", `approval ${id} is ${r.status}, not pending`);
    if (!mayAnswer(r.approvers, who)) {
      throw new ApprovalError(
        "not_approver",
        `${who.by}${who.roles?.length ? ` (roles ${who.roles.join(", ")})` : ""} may not answer approval ${id}: it needs ${r.approvers.join(" or ")}`,
      );
    }
    const next = await this.store.transition(id, ["pending"], status, {
      answeredBy: who.by,
      answeredRoles: [...(who.roles ?? [])],
      ...(who.note === undefined ? {} : { note: who.note }),
      answeredAt: this.clock(),
    });
    if (next === undefined) {
      // Someone else answered, or it expired, between the read and the write.
      const now = await this.get(id);
      throw new ApprovalError("not_pending", `approval ${id} is ${now?.status ?? "gone"}, not pending`);
    }
    this.emit(next);
    return next;
  }

  /** Use an approved approval for the request with `digest`: once, before it expires. */
  async consume(id: string, digest: string): Promise<ConsumeResult> {
    const r = await this.get(id);
    if (r === undefined) return { ok: false, reason: "unknown" };
    if (r.digest !== digest) return { ok: false, reason: "mismatch", record: r };
    if (r.status !== "approved") {
      const reason = r.status === "pending" ? "pending" : r.status;
      return { ok: false, reason: reason as "pending" | "denied" | "expired" | "consumed", record: r };
    }
    const used = await this.store.transition(
      id,
      ["approved"],
      "consumed",
      { consumedAt: this.clock() },
      digest,
    );
    if (used === undefined) {
      const now = await this.get(id);
      const reason = now?.status === "expired" ? "expired" : "consumed";
      return { ok: false, reason, ...(now === undefined ? {} : { record: now }) };
    }
    this.emit(used);
    return { ok: true, record: used };
  }

  /**
   * Wait until the approval is no longer pending (answered, or expired by the clock): poll the
   * store every `pollMs` (other processes answer there), and wake at once when this process
   * answers. `stop` ends the wait early (the runtime closing): then it resolves to undefined.
   */
  async waitFor(id: string, pollMs: number, stop: AbortSignal): Promise<ApprovalRecord | undefined> {
    for (;;) {
      if (stop.aborted) return undefined;
      const seen = this.epoch;
      const r = await this.get(id);
      if (r === undefined || r.status !== "pending") return r;
      const wait = Math.max(1, Math.min(pollMs, r.expiresAt - this.clock() + 1));
      await this.sleep(id, wait, stop, seen);
    }
  }

  private sleep(id: string, ms: number, stop: AbortSignal, seen: number): Promise<void> {
    return new Promise((resolve) => {
      if (stop.aborted || this.epoch !== seen) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(wake);
        stop.removeEventListener("abort", done);
        resolve();
      };
      const wake: Listener = (r) => {
        if (r.id === id) done();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(wake);
      stop.addEventListener("abort", done, { once: true });
    });
  }

  private emit(record: ApprovalRecord): void {
    this.epoch++;
    for (const l of [...this.listeners]) l(record);
  }
}
