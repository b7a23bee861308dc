// The runtime entry point (`runplane`). It never imports the compiler or Chevrotain.
export type {
  Decision,
  DecisionError,
  DecisionKind,
  Effect,
  MatchedRisk,
  MatchedRule,
  Request,
} from "./engine/decision.js";
export { type LoadedPolicy, type LoadOptions, loadPolicy, PolicyLoadError } from "./engine/load.js";
/** What compiled policy modules import; not for application code. */
export { __runtime } from "./engine/runtime.js";
export {
  decideToolCall,
  guardToolCall,
  isRefusal,
  mostSevere,
  refusalMessage,
  requestsForToolCall,
  type ToolGuardOptions,
} from "./integrations/tool-guard.js";
export { MemoryApprovalStore } from "./runtime/approvals/memory.js";
// The runtime: guard, approvals, audit log (docs/runtime.md).
export {
  type Answer,
  mayAnswer,
} from "./runtime/approvals/queue.js";
export { SqliteApprovalStore } from "./runtime/approvals/sqlite.js";
export type {
  ApprovalRecord,
  ApprovalStatus,
  ApprovalStore,
  ListFilter,
  TransitionPatch,
} from "./runtime/approvals/store.js";
export type { WebhookOptions } from "./runtime/approvals/webhook.js";
export type { FsyncMode } from "./runtime/audit/log.js";
export {
  type AuditFilter,
  readRecords,
  shadowChanges,
  type TestCase,
  tailRecords,
  toTestCase,
} from "./runtime/audit/query.js";
export type { AuditEntry, AuditRecord, CandidateView, Outcome } from "./runtime/audit/record.js";
export { type VerifyProblem, type VerifyResult, verifyAuditLog } from "./runtime/audit/verify.js";
export { approvalDigest, canonicalize } from "./runtime/canonical.js";
export {
  ApprovalDeniedError,
  ApprovalError,
  type ApprovalErrorCode,
  ApprovalPendingError,
  BlockedError,
  type DeniedReason,
  RunplaneError,
  type RunplanePart,
} from "./runtime/errors.js";
export type { PolicySpec } from "./runtime/policy.js";
export {
  type Approvals,
  createRunplane,
  type GuardOptions,
  type NotifyOptions,
  type ReloadResult,
  type Runplane,
  type RunplaneOptions,
} from "./runtime/runplane.js";
// Tool calls → requests: the one mapping every integration shares (docs/stdlib.md).
export {
  type MapContext,
  type MappedCall,
  TOOL_TABLE,
  type ToolCallOptions,
  type ToolMapper,
  toolCallToRequest,
  toolCallToRequests,
  toolInput,
  unmappedAction,
} from "./stdlib/tool-map.js";
