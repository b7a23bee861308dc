import { defineCodes } from "./entry.js";

/** RPL4xxx: lint warnings (each can be switched off). Added by the lints (src/check/lints/). */
export const lintCodes = defineCodes({
  RPL4001: {
    severity: "warning",
    title: "condition can never hold",
    explain:
      'The `when` condition asks for two things that cannot both be true (`x == "a" and x == "b"`, ' +
      "`x == 1 and x != 1`, `when false`), so the rule or risk never applies.",
    message: (name = "") => `\`${name}\` can never hold`,
  },
  RPL4002: {
    severity: "warning",
    title: "rule shadowed by an unconditional rule",
    explain:
      "An earlier rule of the same block with the same effect has no `when` and no `unless`, so it always " +
      "holds: this rule can never change the decision.",
    message: (name = "", earlier = "") =>
      `\`${name}\` never changes the decision: \`${earlier}\` above always holds with the same effect`,
  },
  RPL4003: {
    severity: "warning",
    title: "unused declaration",
    explain: "A let, def, param or def parameter is declared but never read. Remove it or use it.",
    message: (kind = "", name = "") => `${kind} \`${name}\` is never used`,
  },
  RPL4004: {
    severity: "warning",
    title: "risk weight is always zero",
    explain: "A risk whose weight is the literal `0` never changes the score.",
    message: (name = "") => `risk \`${name}\` has weight 0 and never changes the score`,
  },
  RPL4005: {
    severity: "warning",
    title: "empty approvers",
    explain:
      "`approvers []` names nobody. Leave `approvers` out to use the default approvers, or name who approves.",
    message: (name = "") => `\`${name}\` names no approvers`,
  },
  RPL4006: {
    severity: "warning",
    title: "presence test of a required field",
    explain: "`has(x.f)` on a field that is not optional is always true.",
    message: (path = "") => `\`has(${path})\` is always true: the field is required`,
  },
});
