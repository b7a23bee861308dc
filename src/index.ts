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
export { type LoadedPolicy, loadPolicy, PolicyLoadError } from "./engine/load.js";
/** What compiled policy modules import; not for application code. */
export { __runtime } from "./engine/runtime.js";
