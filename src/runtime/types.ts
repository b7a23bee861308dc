/** The runtime's public shapes: options, the Runplane object, and what one guarded call carries. */
import type { Decision, Request } from "../engine/decision.js";
import type { StoreSpec } from "./approvals/open.js";
import type { Answer } from "./approvals/queue.js";
import type { ApprovalRecord, ListFilter } from "./approvals/store.js";
import type { WebhookOptions } from "./approvals/webhook.js";
import type { AuditRecord, Outcome } from "./audit/record.js";
import type { Redacted } from "./audit/redact.js";
import type { AuditSpec } from "./audit/writer.js";
import type { ActivePolicy, PolicySpec } from "./policy.js";

export interface NotifyOptions {
  /** A Slack-compatible incoming webhook URL (or options), posted when an approval is asked for. */
  readonly webhook?: string | WebhookOptions;
  /** Called in this process when an approval is asked for. */
  readonly onApproval?: (approval: ApprovalRecord) => void;
  /** Called when a notification could not be delivered (the approval is not affected). */
  readonly onError?: (error: Error, approval: ApprovalRecord) => void;
}

export interface RunplaneOptions {
  /** `.rplc` files or directories (compiled in memory), a built module's path, or a loaded policy. */
  readonly policy: PolicySpec;
  /** A second policy decided beside the live one and recorded (`candidate` in each record). */
  readonly candidate?: PolicySpec;
  /** `"sqlite:PATH"` (default `sqlite:.runplane/runplane.db`), `"memory"`, or a store object. */
  readonly store?: StoreSpec;
  /** The audit log's path (default `.runplane/audit.jsonl`), `{ path, fsync, groupMs }`, or false. */
  readonly audit?: AuditSpec;
  /** Request fields never written down (`args.headers`); secrets are always masked. */
  readonly redact?: readonly string[];
  /** `enforce` (default) or `shadow`: decide and record, never stop anything. */
  readonly mode?: "enforce" | "shadow";
  /** Merged under each request's context. */
  readonly context?: Record<string, unknown>;
  readonly notify?: NotifyOptions;
  /** Called with each audit record as it is made. */
  readonly onDecision?: (record: AuditRecord) => void;
  /** How often a waiting guard looks at the store for an answer from another process (ms, default 250). */
  readonly approvalPollMs?: number;
  /** Reload when the policy's files change. */
  readonly watch?: boolean;
  readonly onReload?: (result: ReloadResult) => void;
  /** Use @opentelemetry/api when installed (default true). */
  readonly telemetry?: boolean;
  /** Relative paths are resolved against it (default: process.cwd()). */
  readonly cwd?: string;
}

export type ReloadResult =
  | { readonly ok: true; readonly hash: string; readonly previous: string }
  | { readonly ok: false; readonly hash: string; readonly error: string };

export interface GuardOptions {
  /** false: do not wait for a human; throw ApprovalPendingError with the approval id (default true). */
  readonly wait?: boolean;
}

export interface Approvals {
  list(filter?: ListFilter): Promise<ApprovalRecord[]>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  approve(id: string, answer: Answer): Promise<ApprovalRecord>;
  deny(id: string, answer: Answer): Promise<ApprovalRecord>;
}

export interface Runplane {
  guard<T>(request: Request, fn: () => T | Promise<T>, options?: GuardOptions): Promise<Awaited<T>>;
  resume<T>(
    id: string,
    request: Request,
    fn: () => T | Promise<T>,
    options?: GuardOptions,
  ): Promise<Awaited<T>>;
  decide(request: Request): Promise<Decision>;
  readonly approvals: Approvals;
  /** The live policy's hash. */
  readonly policyHash: string;
  readonly mode: "enforce" | "shadow";
  /** Whether @opentelemetry/api was found and is used. */
  readonly telemetryActive: boolean;
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

/** What one guarded call carries from step to step. */
export interface Call {
  readonly request: unknown;
  readonly action: string;
  readonly view: Redacted;
  readonly decision: Decision;
  readonly policy: ActivePolicy;
  readonly candidate?: Decision;
  /** Run the action inside the call's telemetry span. */
  readonly run: <T>(fn: () => T) => T;
  /** End the call's telemetry (once): the recorded outcome, or `error` with a message when a part failed. */
  readonly end: (outcome: Outcome | "error", error?: string) => void;
}
