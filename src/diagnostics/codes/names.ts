import { defineCodes } from "./entry.js";

/** RPL2xxx: names, includes, the policy set. Added by the resolver. */
export const nameCodes = defineCodes({
  RPL2001: {
    severity: "error",
    title: "duplicate name",
    explain:
      "Actions, lets, defs, params, rules and risks share one namespace across the whole policy set " +
      "(every given file and everything it includes). Rename one of the two declarations.",
    message: (kind = "", name = "") => `${kind} \`${name}\` is already declared`,
  },
  RPL2002: {
    severity: "error",
    title: "unreadable file",
    explain: "A policy file given to the compiler or named by an `include` cannot be read.",
    message: (path = "", reason = "") => `cannot read \`${path}\`: ${reason}`,
  },
  RPL2003: {
    severity: "error",
    title: "include cycle",
    explain:
      "Files include each other in a circle. Each file is loaded once anyway, so the cycle is never " +
      "needed: remove the include that closes it.",
    message: (chain = "") => `include cycle: ${chain}`,
  },
  RPL2004: {
    severity: "error",
    title: "unknown standard pack",
    explain: '`include "stdlib/NAME"` names a pack shipped with runplane; this one does not exist.',
    message: (name = "") => `there is no standard pack \`${name}\``,
  },
  RPL2005: {
    severity: "error",
    title: "conflicting includes",
    explain:
      "Each file is loaded once, so its params have one value: every `include` of the same file " +
      "must give the same `with` values and the same `except` list.",
    message: (path = "") => `\`${path}\` is included again with different \`with\` or \`except\``,
  },
  RPL2006: {
    severity: "error",
    title: "unknown pack parameter",
    explain: "A `with { … }` key must be a `param` declared in the included file.",
    message: (name = "", path = "") => `\`${path}\` has no param \`${name}\``,
  },
  RPL2007: {
    severity: "error",
    title: "duplicate key",
    explain: "A key is given twice in the same `with`, `settings` block or object.",
    message: (name = "") => `\`${name}\` is given twice`,
  },
  RPL2008: {
    severity: "error",
    title: "unknown rule in except",
    explain: "`except [NAME, …]` must name rules or risks declared in the included file itself.",
    message: (name = "", path = "") => `\`${path}\` declares no rule or risk \`${name}\``,
  },
  RPL2009: {
    severity: "error",
    title: "settings declared twice",
    explain: "A policy set has at most one `settings` block; merge them into one.",
    message: () => "`settings` is already declared in this policy set",
  },
  RPL2010: {
    severity: "error",
    title: "context declared twice",
    explain: "A policy set has at most one `context` declaration; merge them into one.",
    message: () => "`context` is already declared in this policy set",
  },
  RPL2011: {
    severity: "error",
    title: "unknown setting",
    explain:
      "The settings are `default`, `unknown_action`, `on_error` (each `allow`, `block` or " +
      "`require_approval`), `approval_at`, `block_at` (numbers from 0 to 100) and `approval_timeout` (a duration).",
    message: (name = "") => `unknown setting \`${name}\``,
  },
  RPL2012: {
    severity: "error",
    title: "invalid setting value",
    explain: "A setting was given a value of the wrong kind or out of range.",
    message: (name = "", expected = "") => `\`${name}\` must be ${expected}`,
  },
  RPL2013: {
    severity: "error",
    title: "approval threshold above block threshold",
    explain:
      "`approval_at` is greater than `block_at`, so no score could ever ask for an approval. " +
      "Lower `approval_at` or raise `block_at`.",
    message: (approval = "", block = "") =>
      `\`approval_at\` (${approval}) is greater than \`block_at\` (${block})`,
  },
  RPL2014: {
    severity: "error",
    title: "pattern matches no action",
    explain:
      "An `on` or `for` pattern must match at least one declared action type: `db.query` names one, " +
      "`fs.*` matches every action whose name starts with `fs.`.",
    message: (pattern = "") => `\`${pattern}\` matches no declared action type`,
  },
  RPL2015: {
    severity: "error",
    title: "local shadows a global name",
    explain: "A `let` inside an `on` block may not reuse the name of a top-level let, def or param.",
    message: (name = "") => `local \`${name}\` shadows the top-level \`${name}\``,
  },
  RPL2016: {
    severity: "error",
    title: "reserved name",
    explain:
      "`args`, `context`, `action`, `now` and the built-in namespaces (`sql`, `shell`, `path`, `url`, " +
      "`secrets`, `session`) cannot be declared as lets, defs or params.",
    message: (name = "") => `\`${name}\` is a built-in name`,
  },
  RPL2017: {
    severity: "error",
    title: "unknown rule in test",
    explain: "`expect rule NAME` must name a rule or risk declared in the policy set.",
    message: (name = "") => `no rule or risk is named \`${name}\``,
  },
});
