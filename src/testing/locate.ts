/** Spans of the policy set → `file:line:column` locations for test results. */
import type { CheckedPolicySet } from "../check/program.js";
import { SourceFile } from "../diagnostics/source.js";
import type { Span } from "../diagnostics/span.js";
import type { Location } from "./model.js";

export type Locate = (span: Span) => Location;

export function locator(set: CheckedPolicySet): Locate {
  const files = new Map(set.sources.map((s) => [s.path, new SourceFile(s.path, s.text)]));
  return (s) => {
    const p = files.get(s.file)?.position(s.start) ?? { line: 1, column: 1 };
    return { file: s.file, line: p.line, column: p.column };
  };
}

export function formatLocation(l: Location): string {
  return `${l.file}:${l.line}`;
}
