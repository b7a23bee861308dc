/**
 * Turning what a caller passes to `guard` into the request the policy decides, and a decision
 * into the fields of an audit record.
 */
import type { Decision, Request } from "../engine/decision.js";
import { isObject } from "../engine/values.js";
import type { AuditEntry, AuditMatch, CandidateView, Outcome } from "./audit/record.js";
import type { Redacted } from "./audit/redact.js";
import { isoNow } from "./clock.js";

// Local, as in engine/request.ts: V8 optimizes `HOP.call` on a constant of the module.
const HOP = Object.prototype.hasOwnProperty;

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
  const own = HOP.call(request, "context") ? request.context : undefined;
  const merged =
    context === undefined || (own !== undefined && !isObject(own))
      ? own
      : own === undefined
        ? { ...context }
        : { ...context, ...own };
  const given = HOP.call(request, "time") ? request.time : undefined;
  const time = given === undefined ? isoNow() : given;
  // The usual request, built as one object literal: in V8 (Node 20) adding keys to the copy a
  // spread made costs about 1 µs each, most of guard's own time (bench/results/runtime.md).
  if (isPlainRequest(request)) {
    return merged === undefined
      ? { action: request.action, args: request.args, time }
      : { action: request.action, args: request.args, context: merged, time };
  }
  const out: Record<string, unknown> = { ...request };
  if (merged !== undefined) out.context = merged;
  out.time = time;
  return out;
}

/** A string `action`, an `args`, and no keys but `context` and `time` besides. */
function isPlainRequest(request: Record<string, unknown>): boolean {
  if (typeof request.action !== "string" || request.args === undefined) return false;
  if (!HOP.call(request, "action") || !HOP.call(request, "args")) return false;
  for (const key in request) {
    if (!HOP.call(request, key)) continue;
    if (key !== "action" && key !== "args" && key !== "context" && key !== "time") return false;
  }
  return true;
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
