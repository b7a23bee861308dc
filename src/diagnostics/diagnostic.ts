import { type CodeName, codes } from "./codes.js";
import type { Span } from "./span.js";

export type Severity = "error" | "warning";

export interface Related {
  readonly span: Span;
  readonly message: string;
}

/** A user-facing problem. Messages follow the house style: lowercase, one line, no trailing period. */
export interface Diagnostic {
  readonly code: CodeName;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for problems that have no place in a source (an unreadable path given on the command line). */
  readonly span?: Span;
  /** Advice: "did you mean `amount`?" */
  readonly help?: string;
  /** Other places that explain this one ("first declared here"). */
  readonly related?: readonly Related[];
}

/** The result of every pass: user mistakes are values, never exceptions. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Build a diagnostic from the catalogue. The message comes from the code's template so the
 * catalogue stays the one place where wording lives.
 */
export function diag(
  code: CodeName,
  span: Span | undefined,
  args: readonly string[] = [],
  extra: { help?: string; related?: readonly Related[] } = {},
): Diagnostic {
  const entry = codes[code];
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: entry.severity,
    message: entry.message(...args),
  };
  if (span) d.span = span;
  if (extra.help !== undefined) d.help = extra.help;
  if (extra.related !== undefined && extra.related.length > 0) d.related = extra.related;
  return d;
}

export const MAX_DIAGNOSTICS = 200;

/** Sort by file, offset, code; drop duplicates (same code and span); cap the count. */
export function normalize(
  diagnostics: Iterable<Diagnostic>,
  options: { cap?: number; disabled?: ReadonlySet<string> } = {},
): Diagnostic[] {
  const cap = options.cap ?? MAX_DIAGNOSTICS;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.severity === "warning" && options.disabled?.has(d.code)) continue;
    const key = `${d.code}\u0000${d.span?.file ?? ""}\u0000${d.span?.start ?? -1}\u0000${d.span?.end ?? -1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  out.sort(compareDiagnostics);
  if (out.length > cap) {
    const kept = out.slice(0, cap);
    const last = kept[kept.length - 1];
    kept.push(diag("RPL5001", last?.span, [String(out.length - cap)]));
    return kept;
  }
  return out;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? "";
  const fb = b.span?.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  const oa = a.span?.start ?? -1;
  const ob = b.span?.start ?? -1;
  if (oa !== ob) return oa - ob;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
