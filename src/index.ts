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
