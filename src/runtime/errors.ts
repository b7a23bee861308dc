/**
 * The errors `guard`, `resume` and the approval calls throw. Each carries what a caller needs to
 * act on it without parsing the message:
 *
 *   BlockedError          the policy blocked the action; `decision` says why. Its message is written
 *                         for a model (`blocked by policy: … — do not retry this action`).
 *   ApprovalPendingError  `{ wait: false }` and the action needs a human: `approvalId` to resume with.
 *   ApprovalDeniedError   the approval was denied, expired, already used, or is for another request.
 *   ApprovalError         an approve/deny call that was refused (not an approver, not pending, …).
 *   RunplaneError         a part of the runtime failed (`part`: policy, store or audit), so nothing
 *                         ran: the runtime fails closed.
 */
import type { Decision } from "../engine/decision.js";

/** The part of the runtime that failed. */
export type RunplanePart = "policy" | "store" | "audit";

export class RunplaneError extends Error {
  override readonly name: string = "RunplaneError";
  constructor(
    readonly part: RunplanePart,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${part}: ${message}`, options);
  }
}

/** The reasons of the rules that made `decision` what it is (the most severe effect's rules). */
export function decisiveReasons(decision: Decision): string[] {
  const effect =
    decision.decision === "BLOCK"
      ? "block"
      : decision.decision === "REQUIRE_APPROVAL"
        ? "require_approval"
        : "allow";
  const reasons = decision.matched.filter((m) => m.effect === effect).map((m) => m.reason);
  if (reasons.length > 0) return reasons;
  if (decision.errors.length > 0) return decision.errors.map((e) => `policy error: ${e.message}`);
  if (decision.decision !== "ALLOW" && decision.risks.length > 0) {
    return [
      `risk score ${decision.score} (${decision.risks.map((r) => `${r.name} ${r.weight}`).join(", ")})`,
    ];
  }
  return [`the policy's default for this action is ${decision.decision.toLowerCase().replace("_", " ")}`];
}

export class BlockedError extends Error {
  override readonly name = "BlockedError";
  readonly reasons: readonly string[];
  constructor(readonly decision: Decision) {
    const reasons = decisiveReasons(decision);
    super(`blocked by policy: ${reasons.join("; ")} — do not retry this action`);
    this.reasons = reasons;
  }
}

export class ApprovalPendingError extends Error {
  override readonly name = "ApprovalPendingError";
  constructor(
    readonly approvalId: string,
    readonly decision: Decision,
    readonly expiresAt: string,
  ) {
    super(
      `waiting for approval ${approvalId}: ${decisiveReasons(decision).join("; ")} — a human must approve it before it can run (until ${expiresAt})`,
    );
  }
}

/** Why an approval did not let the action run. */
export type DeniedReason = "denied" | "expired" | "consumed" | "mismatch" | "unknown";

export class ApprovalDeniedError extends Error {
  override readonly name = "ApprovalDeniedError";
  constructor(
    readonly approvalId: string,
    readonly reason: DeniedReason,
    readonly by?: string,
    readonly note?: string,
  ) {
    super(deniedMessage(approvalId, reason, by, note));
  }
}

function deniedMessage(id: string, reason: DeniedReason, by?: string, note?: string): string {
  const tail = " — do not retry this action";
  switch (reason) {
    case "denied":
      return `approval ${id} was denied${by ? ` by ${by}` : ""}${note ? `: ${note}` : ""}${tail}`;
    case "expired":
      return `approval ${id} expired before anyone approved it${tail}`;
    case "consumed":
      return `approval ${id} was already used: an approval lets one action run once`;
    case "mismatch":
      return `approval ${id} was given for a different request or policy: it cannot run this one`;
    case "unknown":
      return `there is no approval ${id}`;
  }
}

/** Why an approve/deny call was refused. */
export type ApprovalErrorCode = "not_approver" | "not_pending" | "expired" | "unknown" | "no_identity";

export class ApprovalError extends Error {
  override readonly name = "ApprovalError";
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `e`'s message (any thrown value), for records and errors. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
