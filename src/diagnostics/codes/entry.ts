import type { Severity } from "../diagnostic.js";

/** One catalogue entry: the severity, a title for the docs, and the message template. */
export interface CodeEntry {
  readonly severity: Severity;
  /** A short title for docs/diagnostics.md. */
  readonly title: string;
  /** A sentence or two for docs/diagnostics.md: what is wrong and how to fix it. */
  readonly explain: string;
  /** The one-line message: lowercase, no trailing period, user text in backticks. */
  readonly message: (...args: string[]) => string;
}

export function defineCodes<const T extends Record<string, CodeEntry>>(entries: T): T {
  return entries;
}
