/**
 * `createRunplane(options)`: the runtime an agent's code guards its actions with.
 *
 *   guard(request, fn)   decide; ALLOW runs fn, BLOCK throws BlockedError, REQUIRE_APPROVAL
 *                        records a pending approval and waits for a human (or, with
 *                        `{ wait: false }`, throws ApprovalPendingError carrying its id)
 *   resume(id, request, fn)  the same action later, in any process: runs once it is approved
 *   decide(request)      the decision only (recorded with outcome `decided`)
 *   approvals            list, get, approve, deny (the same store `rplc approvals` answers in)
 *   reload(), close()
 *
 * Fail closed: a policy that throws, a store that cannot be read or written, an audit log that
 * cannot be written: the action does not run, and the RunplaneError's `part` says which failed.
 * Every decision is recorded in the audit log with what came of it (the outcome). The approval
 * flow is in approval-flow.ts.
 */
import { type FSWatcher, watch } from "node:fs";
import path from "node:path";
import type { Decision, Request } from "../engine/decision.js";
import { ApprovalFlow } from "./approval-flow.js";
import { DEFAULT_STORE, openStore } from "./approvals/open.js";
import { ApprovalQueue } from "./approvals/queue.js";
import type { AuditEntry, AuditRecord, Outcome } from "./audit/record.js";
import { type Redactor, redactor } from "./audit/redact.js";
import { type AuditWriter, DEFAULT_AUDIT, openAudit } from "./audit/writer.js";
import { BlockedError, messageOf, RunplaneError } from "./errors.js";
import { type ActivePolicy, loadPolicySpec } from "./policy.js";
import { actionOf, candidateView, entryOf, prepareRequest } from "./prepare.js";
import { openTelemetry, type Telemetry } from "./telemetry.js";
import type { Approvals, Call, GuardOptions, ReloadResult, Runplane, RunplaneOptions } from "./types.js";

export type {
  Approvals,
  Call,
  GuardOptions,
  NotifyOptions,
  ReloadResult,
  Runplane,
  RunplaneOptions,
} from "./types.js";

export async function createRunplane(options: RunplaneOptions): Promise<Runplane> {
  const cwd = options.cwd ?? process.cwd();
  const live = await loadPolicySpec(options.policy, cwd);
  const candidate =
    options.candidate === undefined
      ? undefined
      : await loadPolicySpec(options.candidate, cwd, "candidate policy");
  const store = await openStore(options.store ?? DEFAULT_STORE, cwd);
  let audit: AuditWriter;
  try {
    audit = openAudit(options.audit ?? DEFAULT_AUDIT, (p) => path.resolve(cwd, p));
  } catch (e) {
    await store.close();
    throw e;
  }
  const telemetry = await openTelemetry(options.telemetry ?? true);
  const rp = new RunplaneImpl(options, cwd, live, candidate, new ApprovalQueue(store), audit, telemetry);
  if (options.watch === true) rp.watchFiles();
  return rp;
}

class RunplaneImpl implements Runplane {
  readonly mode: "enforce" | "shadow";
  readonly approvals: Approvals;
  private readonly redact: Redactor;
  private readonly flow: ApprovalFlow;
  private readonly stop = new AbortController();
  private reloading: Promise<ReloadResult> | undefined;
  private watchers: FSWatcher[] = [];
  private closed = false;

  constructor(
    private readonly options: RunplaneOptions,
    private readonly cwd: string,
    private live: ActivePolicy,
    private candidate: ActivePolicy | undefined,
    private readonly queue: ApprovalQueue,
    private readonly audit: AuditWriter,
    private readonly telemetry: Telemetry,
  ) {
    this.mode = options.mode ?? "enforce";
    this.redact = redactor(options.redact);
    this.flow = new ApprovalFlow(
      queue,
      this.stop.signal,
      options,
      (entry) => this.record(entry),
      (call, fn, extra) => this.execute(call, fn, extra),
      (seq) => audit.durable(seq),
    );
    this.approvals = {
      list: (filter) => this.storeCall(() => queue.list(filter)),
      get: (id) => this.storeCall(() => queue.get(id)),
      approve: (id, who) => this.storeCall(() => queue.answer(id, "approved", who)),
      deny: (id, who) => this.storeCall(() => queue.answer(id, "denied", who)),
    };
  }

  get policyHash(): string {
    return this.live.hash;
  }

  get telemetryActive(): boolean {
    return this.telemetry.active;
  }

  /** Store failures as RunplaneErrors (part "store"); the approval rules' own errors pass. */
  private async storeCall<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof RunplaneError || (e instanceof Error && e.name === "ApprovalError")) throw e;
      throw new RunplaneError(
        "store",
        `the approval store ${this.queue.store.name} failed: ${messageOf(e)}`,
        {
          cause: e,
        },
      );
    }
  }

  /** Decide `request` with the live (and candidate) policy: the first half of every call. */
  private begin(request: Request): Call {
    this.audit.check();
    const end = this.telemetry.start();
    const prepared = prepareRequest(request, this.options.context);
    const policy = this.live;
    let decision: Decision;
    try {
      decision = decideWith(policy, prepared, "policy");
    } catch (e) {
      end({ action: actionOf(prepared), decision: "ERROR", outcome: "failed", score: 0 });
      throw e;
    }
    let candidate: Decision | undefined;
    if (this.candidate !== undefined) {
      try {
        candidate = decideWith(this.candidate, prepared, "candidate policy");
      } catch {
        candidate = undefined; // a failing candidate never affects the live decision
      }
    }
    const action = actionOf(prepared);
    const call: Call = {
      request: prepared,
      action,
      view: this.redact(prepared as Record<string, unknown>),
      decision,
      policy,
      ...(candidate === undefined ? {} : { candidate }),
      end: (outcome) => end({ action, decision: decision.decision, outcome, score: decision.score }),
    };
    return call;
  }

  private record(entry: AuditEntry): AuditRecord {
    const record = this.audit.append(entry);
    const hook = this.options.onDecision;
    if (hook !== undefined) {
      try {
        hook(record);
      } catch {
        // An observer's failure is not the action's.
      }
    }
    return record;
  }

  private entry(call: Call, outcome: Outcome, extra: Partial<AuditEntry> = {}): AuditEntry {
    const withCandidate =
      call.candidate === undefined ? extra : { ...extra, candidate: candidateView(call.candidate) };
    return entryOf(call.action, call.view, call.decision, outcome, this.redact.mask, withCandidate);
  }

  /** Run the action and record how it went (`executed`/`failed`, or `shadow` in shadow mode). */
  async execute<T>(
    call: Call,
    fn: () => T | Promise<T>,
    extra: Partial<AuditEntry> = {},
  ): Promise<Awaited<T>> {
    const shadow = this.mode === "shadow";
    let result: Awaited<T>;
    try {
      result = await fn();
    } catch (e) {
      this.record(
        this.entry(call, shadow ? "shadow" : "failed", { ...extra, error: this.redact.mask(messageOf(e)) }),
      );
      call.end(shadow ? "shadow" : "failed");
      throw e;
    }
    this.record(this.entry(call, shadow ? "shadow" : "executed", extra));
    call.end(shadow ? "shadow" : "executed");
    return result;
  }

  async guard<T>(
    request: Request,
    fn: () => T | Promise<T>,
    options: GuardOptions = {},
  ): Promise<Awaited<T>> {
    const call = this.begin(request);
    if (this.mode === "shadow") return this.execute(call, fn);
    switch (call.decision.decision) {
      case "ALLOW":
        return this.execute(call, fn);
      case "BLOCK":
        this.record(this.entry(call, "blocked"));
        call.end("blocked");
        throw new BlockedError(call.decision);
      case "REQUIRE_APPROVAL":
        return this.flow.ask(call, fn, options.wait !== false, (o, x) => this.entry(call, o, x));
    }
  }

  async resume<T>(
    id: string,
    request: Request,
    fn: () => T | Promise<T>,
    options: GuardOptions = {},
  ): Promise<Awaited<T>> {
    const call = this.begin(request);
    // Shadow mode stops nothing, so nothing waits for an approval either.
    if (this.mode === "shadow") return this.execute(call, fn, { approval: id });
    if (call.decision.decision === "BLOCK") {
      this.record(this.entry(call, "blocked", { approval: id }));
      call.end("blocked");
      throw new BlockedError(call.decision);
    }
    return this.flow.resume(id, call, fn, options.wait !== false, (o, x) => this.entry(call, o, x));
  }

  async decide(request: Request): Promise<Decision> {
    const call = this.begin(request);
    this.record(this.entry(call, "decided"));
    call.end("decided");
    return call.decision;
  }

  reload(): Promise<ReloadResult> {
    // One reload at a time; the swap of live and candidate is one assignment each, between calls.
    const run = async (): Promise<ReloadResult> => {
      const previous = this.live.hash;
      try {
        const next = await loadPolicySpec(this.options.policy, this.cwd);
        const cand =
          this.options.candidate === undefined
            ? undefined
            : await loadPolicySpec(this.options.candidate, this.cwd, "candidate policy");
        this.live = next;
        this.candidate = cand;
        return { ok: true, hash: next.hash, previous };
      } catch (e) {
        return { ok: false, hash: previous, error: messageOf(e) };
      }
    };
    const next = (this.reloading ?? Promise.resolve()).then(run, run);
    this.reloading = next;
    return next;
  }

  /** `watch: true`: reload (debounced) when a policy file or directory changes. */
  watchFiles(): void {
    const spec = this.options.policy;
    const paths = typeof spec === "string" ? [spec] : Array.isArray(spec) ? (spec as string[]) : [];
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        void this.reload().then((r) => this.options.onReload?.(r));
      }, 100);
      timer.unref();
    };
    for (const p of paths) {
      try {
        const w = watch(path.resolve(this.cwd, p), { recursive: true, persistent: false }, changed);
        w.on("error", () => undefined);
        this.watchers.push(w);
      } catch {
        // A path that cannot be watched is still reloaded by reload().
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    for (const w of this.watchers) w.close();
    await this.flow.settled();
    try {
      await this.audit.close();
    } finally {
      await this.queue.store.close();
    }
  }
}

/** One decision; a policy that throws (a bug, never a rule's error) is a RunplaneError. */
function decideWith(policy: ActivePolicy, request: unknown, role: string): Decision {
  try {
    return policy.decide(request);
  } catch (e) {
    throw new RunplaneError("policy", `the ${role} failed while deciding: ${messageOf(e)}`, { cause: e });
  }
}
