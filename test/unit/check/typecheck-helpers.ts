/**
 * Helpers for the type checker's tests: check policy source text in memory and look at the
 * diagnostics by code and by the source text their span covers.
 */
import { type CheckOptions, checkPolicySet } from "../../../src/check/check.js";
import type { CheckedPolicySet } from "../../../src/check/program.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";

/** A schema most tests share: optional fields, a union, a map, `any`, and several actions. */
export const PRELUDE = `context {
  env: "dev" | "staging" | "production"
  agent: string
  user?: { id: string, roles: list<string>, email?: string }
  labels: map<string>
  meta: any
}
action db.query { sql: string, database?: string, limit?: number }
action db.exec { sql: string, database?: number }
action fs.write { path: string, content: string, size: number }
action fs.delete { path: string, recursive?: bool }
action mail.send { to: list<{ addr: string, name?: string }>, subject?: string }
action pay.create { amount: number, currency: "EUR" | "USD", at: timestamp, to: list<string>, wait: duration }
`;

export interface Checked {
  readonly text: string;
  readonly value: CheckedPolicySet | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** `CODE@covered text` for every error, in order. */
  readonly found: readonly string[];
  /** `CODE@covered text` for every warning, in order. */
  readonly warned: readonly string[];
}

export function checkText(text: string, options: CheckOptions = {}): Checked {
  const r = checkPolicySet({ sources: [{ path: "p.rplc", text }] }, { cwd: "/work", ...options });
  const show = (d: Diagnostic) => `${d.code}@${d.span ? text.slice(d.span.start, d.span.end) : ""}`;
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const warnings = r.diagnostics.filter((d) => d.severity === "warning");
  return {
    text,
    value: r.value,
    diagnostics: r.diagnostics,
    errors,
    warnings,
    found: errors.map(show),
    warned: warnings.map(show),
  };
}

/** Check `body` after the prelude. */
export function checkWith(body: string, options: CheckOptions = {}): Checked {
  return checkText(PRELUDE + body, options);
}

/** Check one condition inside `on ACTION { block r when COND }` (action defaults to pay.create). */
export function checkWhen(cond: string, action = "pay.create"): Checked {
  return checkWith(`on ${action} {\n  block r when ${cond}\n}\n`);
}

/** Check one condition at the top level (`block r when COND`). */
export function checkTop(cond: string): Checked {
  return checkWith(`block r when ${cond}\n`);
}

export function helpOf(c: Checked, code: string): string | undefined {
  return c.diagnostics.find((d) => d.code === code)?.help;
}
