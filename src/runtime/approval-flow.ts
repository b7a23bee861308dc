/**
 * What `guard` and `resume` do when the policy asks for a human (REQUIRE_APPROVAL):
 *
 *   1. bind the request to the policy (the digest, canonical.ts) and store a pending approval;
 *   2. record `pending` in the audit log (written before going on), and notify (in-process hook,
 *      webhook) beside the call;
 *   3. without waiting: throw ApprovalPendingError with the id. Waiting: poll the store until the
 *      approval is answered or expires (bounded by its timeout);
 *   4. approved: consume it (once, same digest), record `approved` and wait until that record is
 *      written, then run the action and record `executed` or `failed`;
 *      denied / expired / used / for another request: record it and throw ApprovalDeniedError.
 *
 * `resume(id, request, fn)` enters at step 3 for an approval asked for earlier, perhaps by
 * another process before a restart: the request is given again and must have the same digest.
 */

import { approvalMessage } from "./approvals/describe.js";
import type { ApprovalQueue } from "./approvals/queue.js";
import type { ApprovalRecord } from "./approvals/store.js";
import { postWebhook, type WebhookOptions } from "./approvals/webhook.js";
import type { AuditEntry, Outcome } from "./audit/record.js";
import { approvalDigest, CanonicalError } from "./canonical.js";
import {
  ApprovalDeniedError,
  ApprovalPendingError,
  type DeniedReason,
  messageOf,
  RunplaneError,
} from "./errors.js";
import type { Call, RunplaneOptions } from "./types.js";

type Entry = (outcome: Outcome, extra?: Partial<AuditEntry>) => AuditEntry;
type Execute = <T>(call: Call, fn: () => T | Promise<T>, extra?: Partial<AuditEntry>) => Promise<Awaited<T>>;

export class ApprovalFlow {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly webhook: WebhookOptions | undefined;

  constructor(
    private readonly queue: ApprovalQueue,
    private readonly stop: AbortSignal,
    private readonly options: RunplaneOptions,
    /** Record an entry; returns its seq. */
    private readonly record: (entry: AuditEntry) => number,
    private readonly execute: Execute,
    /** Resolves when audit record `seq` is written. */
    private readonly durable: (seq: number) => Promise<void>,
  ) {
    const hook = options.notify?.webhook;
    this.webhook = typeof hook === "string" ? { url: hook } : hook;
  }

  private async store<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof RunplaneError) throw e;
      throw new RunplaneError(
        "store",
        `the approval store ${this.queue.store.name} failed: ${messageOf(e)}`,
        {
          cause: e,
        },
      );
    }
  }

  private digest(call: Call): string {
    try {
      return approvalDigest(call.request as Record<string, unknown>, call.policy.hash);
    } catch (e) {
      if (!(e instanceof CanonicalError)) throw e;
      throw new RunplaneError("policy", `the request cannot be bound to an approval: ${e.message}`, {
        cause: e,
      });
    }
  }

  async ask<T>(call: Call, fn: () => T | Promise<T>, wait: boolean, entry: Entry): Promise<Awaited<T>> {
    const digest = this.digest(call);
    const approval = await this.store(() =>
      this.queue.open({
        request: call.view.value,
        decision: call.decision,
        digest,
        policyHash: call.policy.hash,
      }),
    );
    const pending = this.record(entry("pending", { approval: approval.id }));
    // On record before anyone is told (a human takes longer than a disk).
    await this.durable(pending);
    this.notify(approval);
    if (!wait) {
      call.end("pending");
      throw new ApprovalPendingError(approval.id, call.decision, new Date(approval.expiresAt).toISOString());
    }
    return this.await(approval.id, digest, call, fn, entry);
  }

  async resume<T>(
    id: string,
    call: Call,
    fn: () => T | Promise<T>,
    wait: boolean,
    entry: Entry,
  ): Promise<Awaited<T>> {
    const digest = this.digest(call);
    const found = await this.store(() => this.queue.get(id));
    if (found === undefined) return this.refuse(id, "unknown", call, entry);
    if (found.digest !== digest) return this.refuse(id, "mismatch", call, entry);
    if (found.status === "pending" && !wait) {
      call.end("pending");
      throw new ApprovalPendingError(id, call.decision, new Date(found.expiresAt).toISOString());
    }
    return this.await(id, digest, call, fn, entry);
  }

  private async await<T>(
    id: string,
    digest: string,
    call: Call,
    fn: () => T | Promise<T>,
    entry: Entry,
  ): Promise<Awaited<T>> {
    const answered = await this.store(() =>
      this.queue.waitFor(id, this.options.approvalPollMs ?? 250, this.stop),
    );
    if (answered === undefined) {
      if (this.stop.aborted) {
        call.end("pending");
        throw new RunplaneError(
          "store",
          `the runtime was closed while approval ${id} was pending: resume it later`,
        );
      }
      return this.refuse(id, "unknown", call, entry);
    }
    if (answered.status !== "approved")
      return this.refuse(id, answered.status as DeniedReason, call, entry, answered);
    const used = await this.store(() => this.queue.consume(id, digest));
    if (!used.ok) {
      const reason = used.reason === "pending" ? "unknown" : used.reason;
      return this.refuse(id, reason, call, entry, used.record);
    }
    const who = approverOf(used.record);
    const approved = this.record(entry("approved", who));
    // The approval is on record before the action runs (whatever the fsync mode).
    await this.durable(approved);
    return this.execute(call, fn, who);
  }

  private refuse(id: string, reason: DeniedReason, call: Call, entry: Entry, record?: ApprovalRecord): never {
    const outcome: Outcome = reason === "expired" ? "expired" : "denied";
    const who = record === undefined || reason !== "denied" ? { approval: id } : approverOf(record);
    const error = new ApprovalDeniedError(id, reason, record?.answeredBy, record?.note);
    this.record(
      entry(outcome, reason === "denied" || reason === "expired" ? who : { ...who, error: error.message }),
    );
    call.end(outcome);
    throw error;
  }

  /** Tell people about a new approval, beside the call: failures never touch the approval. */
  private notify(approval: ApprovalRecord): void {
    const n = this.options.notify;
    const onError = (e: Error) => {
      try {
        n?.onError?.(e, approval);
      } catch {
        // An observer's failure is not the approval's.
      }
    };
    try {
      n?.onApproval?.(approval);
    } catch (e) {
      onError(e instanceof Error ? e : new Error(String(e)));
    }
    const hook = this.webhook;
    if (hook === undefined) return;
    const task = postWebhook(hook, approvalMessage(approval, this.queue.store.name), this.stop)
      .then((r) => {
        if (!r.ok) onError(new Error(`webhook ${hook.url}: ${r.error} (after ${r.attempts} attempts)`));
      })
      .catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Resolves when no notification is in flight (closing aborts their retries). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}

function approverOf(r: ApprovalRecord): Partial<AuditEntry> {
  return {
    approval: r.id,
    ...(r.answeredBy === undefined
      ? {}
      : { approver: { by: r.answeredBy, roles: [...(r.answeredRoles ?? [])] } }),
    ...(r.note === undefined ? {} : { note: r.note }),
  };
}
