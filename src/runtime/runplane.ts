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
import type { FSWatcher } from "node:fs";
import path from "node:path";
import type { Decision, Request } from "../engine/decision.js";
import { ApprovalFlow } from "./approval-flow.js";
import { DEFAULT_STORE, openStore } from "./approvals/open.js";
import { ApprovalQueue } from "./approvals/queue.js";
import type { AuditEntry, Outcome } from "./audit/record.js";
import { type Redacted, type Redactor, redactor } from "./audit/redact.js";
import { type AuditWriter, DEFAULT_AUDIT, openAudit } from "./audit/writer.js";
import { fs } from "./builtins.js";
import { BlockedError, messageOf, RunplaneError } from "./errors.js";
import { type ActivePolicy, loadPolicySpec } from "./policy.js";
import { actionOf, candidateView, entryOf, prepareRequest } from "./prepare.js";
import { type GuardTelemetry, openTelemetry, type Telemetry } from "./telemetry.js";
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

const { watch } = fs;

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
    const telemetry = this.telemetry.start();
    const prepared = prepareRequest(request, this.options.context);
    const policy = this.live;
    let decision: Decision;
    try {
      decision = decideWith(policy, prepared, "policy");
    } catch (e) {
      telemetry.end({
        action: actionOf(prepared),
        decision: "ERROR",
        outcome: "error",
        score: 0,
        error: this.redact.mask(messageOf(e)),
      });
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
    return new GuardCall(
      prepared,
      actionOf(prepared),
      this.redact(prepared as Record<string, unknown>),
      decision,
      policy,
      candidate,
      telemetry,
    );
  }

  /** Record `entry`; returns its seq. The record object is made only for an `onDecision` hook. */
  private record(entry: AuditEntry): number {
    const hook = this.options.onDecision;
    if (hook === undefined) return this.audit.add(entry);
    const record = this.audit.append(entry);
    try {
      hook(record);
    } catch {
      // An observer's failure is not the action's.
    }
    return record.seq;
  }

  private entry(call: Call, outcome: Outcome, extra: Partial<AuditEntry> = {}): AuditEntry {
    const withCandidate =
      call.candidate === undefined ? extra : { ...extra, candidate: candidateView(call.candidate) };
    return entryOf(call.action, call.view, call.decision, outcome, this.redact.mask, withCandidate);
  }

  /**
   * Record the call's last outcome and end its telemetry. Returns a promise to wait for before
   * answering when every record must be on disk first (fsync "record"), else undefined.
   */
  private finish(
    call: Call,
    outcome: Outcome,
    extra: Partial<AuditEntry> = {},
    error?: string,
  ): Promise<void> | undefined {
    let seq: number;
    try {
      seq = this.record(this.entry(call, outcome, extra));
    } catch (e) {
      call.end("error", messageOf(e));
      throw e;
    }
    call.end(outcome, error);
    return this.audit.waits ? this.audit.durable(seq) : undefined;
  }

  /** A call that failed before it had an outcome (a store or audit failure): end its telemetry. */
  private failed(call: Call, e: unknown): unknown {
    call.end("error", this.redact.mask(messageOf(e)));
    return e;
  }

  /**
   * Run the action and record how it went (`executed`/`failed`, or `shadow` in shadow mode).
   * An action that returns a plain value is recorded at once, without a trip through the
   * microtask queue; a promise is recorded when it settles.
   */
  execute<T>(call: Call, fn: () => T | Promise<T>, extra: Partial<AuditEntry> = {}): Promise<Awaited<T>> {
    let result: T | Promise<T>;
    try {
      result = call.run(fn);
    } catch (e) {
      return this.threw(call, e, extra);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => this.ran(call, value as Awaited<T>, extra),
        (e: unknown) => this.threw(call, e, extra),
      );
    }
    try {
      return this.ran(call, result as Awaited<T>, extra);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private ran<T>(call: Call, value: T, extra: Partial<AuditEntry>): Promise<T> {
    const wait = this.finish(call, this.mode === "shadow" ? "shadow" : "executed", extra);
    return wait === undefined ? Promise.resolve(value) : wait.then(() => value);
  }

  private threw(call: Call, e: unknown, extra: Partial<AuditEntry>): Promise<never> {
    const shadow = this.mode === "shadow";
    const message = this.redact.mask(messageOf(e));
    let wait: Promise<void> | undefined;
    try {
      wait = this.finish(call, shadow ? "shadow" : "failed", { ...extra, error: message }, message);
    } catch (recordError) {
      return Promise.reject(recordError);
    }
    return wait === undefined ? Promise.reject(e) : wait.then(() => Promise.reject(e));
  }

  /** Record `blocked` and refuse with BlockedError. */
  private blocked(call: Call, extra: Partial<AuditEntry> = {}): Promise<never> {
    const error = new BlockedError(call.decision);
    const wait = this.finish(call, "blocked", extra);
    return wait === undefined ? Promise.reject(error) : wait.then(() => Promise.reject(error));
  }

  /** End the telemetry of a call whose promise fails without an outcome (store or audit failure). */
  private ending<T>(call: Call, p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => Promise.reject(this.failed(call, e)));
  }

  guard<T>(request: Request, fn: () => T | Promise<T>, options: GuardOptions = {}): Promise<Awaited<T>> {
    let call: Call;
    try {
      call = this.begin(request);
    } catch (e) {
      return Promise.reject(e);
    }
    try {
      if (this.mode === "shadow") return this.execute(call, fn);
      switch (call.decision.decision) {
        case "ALLOW":
          return this.execute(call, fn);
        case "BLOCK":
          return this.blocked(call);
        case "REQUIRE_APPROVAL":
          return this.ending(
            call,
            this.flow.ask(call, fn, options.wait !== false, (o, x) => this.entry(call, o, x)),
          );
      }
    } catch (e) {
      return Promise.reject(e);
    }
  }

  resume<T>(
    id: string,
    request: Request,
    fn: () => T | Promise<T>,
    options: GuardOptions = {},
  ): Promise<Awaited<T>> {
    let call: Call;
    try {
      call = this.begin(request);
    } catch (e) {
      return Promise.reject(e);
    }
    try {
      // Shadow mode stops nothing, so nothing waits for an approval either.
      if (this.mode === "shadow") return this.execute(call, fn, { approval: id });
      if (call.decision.decision === "BLOCK") return this.blocked(call, { approval: id });
      return this.ending(
        call,
        this.flow.resume(id, call, fn, options.wait !== false, (o, x) => this.entry(call, o, x)),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async decide(request: Request): Promise<Decision> {
    const call = this.begin(request);
    await this.finish(call, "decided");
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

/** One guarded call (a class rather than an object of closures: it is made for every call). */
class GuardCall implements Call {
  constructor(
    readonly request: unknown,
    readonly action: string,
    readonly view: Redacted,
    readonly decision: Decision,
    readonly policy: ActivePolicy,
    readonly candidate: Decision | undefined,
    private readonly telemetry: GuardTelemetry,
  ) {}

  run<T>(fn: () => T): T {
    return this.telemetry.run(fn);
  }

  end(outcome: Outcome | "error", error?: string): void {
    this.telemetry.end({
      action: this.action,
      decision: this.decision.decision,
      outcome,
      score: this.decision.score,
      ...(error === undefined ? {} : { error }),
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** One decision; a policy that throws (a bug, never a rule's error) is a RunplaneError. */
function decideWith(policy: ActivePolicy, request: unknown, role: string): Decision {
  try {
    return policy.decide(request);
  } catch (e) {
    throw new RunplaneError("policy", `the ${role} failed while deciding: ${messageOf(e)}`, { cause: e });
  }
}
