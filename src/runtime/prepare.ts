/**
 * Turning what a caller passes to `guard` into the request the policy decides, and a decision
 * into the fields of an audit record.
 */
import type { Decision, Request } from "../engine/decision.js";
import { isObject } from "../engine/values.js";
import type { AuditEntry, AuditMatch, CandidateView, Outcome } from "./audit/record.js";
import type { Redacted } from "./audit/redact.js";
import { isoNow } from "./clock.js";

/**
 * The request as decided: the runtime's `context` merged under the request's own (the request
 * wins, key by key at the top level), and `time` filled in with the current time when absent,
 * so the audit record shows the time the decision was made for. Anything that is not an object
 * is passed on unchanged (the policy's shape check turns it into an error decision).
 */
export function prepareRequest(
  request: Request | unknown,
  context: Record<string, unknown> | undefined,
): unknown {
  if (!isObject(request)) return request;
  const out: Record<string, unknown> = { ...request };
  if (context !== undefined && (out.context === undefined || isObject(out.context))) {
    out.context = { ...context, ...(out.context as Record<string, unknown> | undefined) };
  }
  if (out.time === undefined) out.time = isoNow();
  return out;
}

export function actionOf(request: unknown): string {
  return isObject(request) && typeof request.action === "string" ? request.action : "(no action)";
}

export function candidateView(d: Decision): CandidateView {
  return {
    decision: d.decision,
    matched: d.matched.map((m) => m.rule),
    score: d.score,
    policy: d.policy.hash,
  };
}

function matches(d: Decision, mask: (text: string) => string): AuditMatch[] {
  return d.matched.map((m) => ({ rule: m.rule, effect: m.effect, reason: mask(m.reason) }));
}

/** The parts of an audit entry that come from the decision and the recorded request. */
export function entryOf(
  action: string,
  view: Redacted,
  decision: Decision,
  outcome: Outcome,
  mask: (text: string) => string,
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    action,
    request: view.value,
    ...(view.removed.length > 0 ? { redacted: view.removed } : {}),
    ...(view.masked > 0 ? { masked: view.masked } : {}),
    decision: decision.decision,
    matched: matches(decision, mask),
    score: decision.score,
    ...(decision.errors.length > 0 ? { errors: decision.errors.map((e) => mask(e.message)) } : {}),
    outcome,
    policy: decision.policy.hash,
    ...extra,
  };
}
