/**
 * Where pending approvals live: the contract every approval store keeps (memory.ts for tests and
 * single processes, sqlite.ts for the embedded default shared by processes on one host).
 *
 * A store holds records and makes state changes atomic: `transition` moves a record from one of
 * the given statuses to another in one step (a compare-and-set), so two processes that approve,
 * deny, expire or use the same approval at once cannot both succeed. The rules about who may
 * approve and when an approval expires live in queue.ts, above every store.
 *
 * Every method may reject; the runtime turns any rejection into a `RunplaneError` with part
 * "store" and runs nothing (fail closed).
 */
import type { Decision } from "../../engine/decision.js";

/**
 * pending  waiting for a human
 * approved a human approved; the action may run once
 * denied   a human denied
 * expired  nobody answered in time (an expired approval never lets anything run)
 * consumed the approved action ran (or started to): the approval cannot be used again
 */
export type ApprovalStatus = "pending" | "approved" | "denied" | "expired" | "consumed";

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = [
  "pending",
  "approved",
  "denied",
  "expired",
  "consumed",
];

export interface ApprovalRecord {
  readonly id: string;
  readonly status: ApprovalStatus;
  /** `sha256:…` over the canonical request (without time) and the policy hash (canonical.ts). */
  readonly digest: string;
  readonly policyHash: string;
  /** The request as shown to approvers: redacted fields removed, secrets masked. */
  readonly request: Record<string, unknown>;
  /** The decision that asked for the approval. */
  readonly decision: Decision;
  /** Who may approve: role names or user ids (queue.ts `mayAnswer`). Empty: anyone identified. */
  readonly approvers: readonly string[];
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Set when a human answered (approved or denied). */
  readonly answeredBy?: string;
  readonly answeredRoles?: readonly string[];
  readonly note?: string;
  readonly answeredAt?: number;
  /** Set when the approved action was let through. */
  readonly consumedAt?: number;
}

/** What a transition changes besides the status. */
export interface TransitionPatch {
  readonly answeredBy?: string;
  readonly answeredRoles?: readonly string[];
  readonly note?: string;
  readonly answeredAt?: number;
  readonly consumedAt?: number;
}

export interface ListFilter {
  /** Only records with this stored status. */
  readonly status?: ApprovalStatus;
  /** At most this many, newest first (default: all). */
  readonly limit?: number;
}

export interface ApprovalStore {
  /** A short description for messages (`sqlite:.runplane/runplane.db`, `memory`). */
  readonly name: string;
  /** Store a new record; rejects if the id exists. */
  create(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /** Newest first. */
  list(filter?: ListFilter): Promise<ApprovalRecord[]>;
  /**
   * Atomically: if the record's status is one of `from` (and, when given, its digest is
   * `digest`), set `to` and `patch` and return the updated record; otherwise change nothing and
   * return undefined.
   */
  transition(
    id: string,
    from: readonly ApprovalStatus[],
    to: ApprovalStatus,
    patch?: TransitionPatch,
    digest?: string,
  ): Promise<ApprovalRecord | undefined>;
  close(): Promise<void>;
}
