/**
 * Diagnostics → text for people (`renderHuman`) and for programs (`renderJson`; SARIF lives in
 * render-sarif.ts). Positions are 1-based; a column counts UTF-16 code units, and an end column is
 * the position just after the span (exclusive), as in SARIF and LSP.
 */
import { codeFrameColumns } from "@babel/code-frame";
import { createColors } from "picocolors";
import type { Diagnostic, Severity } from "./diagnostic.js";
import type { SourceFile } from "./source.js";
import type { Span } from "./span.js";

/** The sources the diagnostics point into, keyed by `SourceFile.path` (= `Span.file`). */
export type SourceMap = ReadonlyMap<string, SourceFile>;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly file: string;
  readonly start: Position;
  /** The position just after the span. */
  readonly end: Position;
}

/**
 * Where a span is, in lines and columns. A span into a file whose text is not available (a file
 * too large to read) is placed at the start of that file.
 */
export function locate(span: Span, sources: SourceMap): Location {
  const source = sources.get(span.file);
  if (source === undefined) {
    return { file: span.file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  }
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end));
  return { file: span.file, start, end };
}

// ---------------------------------------------------------------------------------------------
// JSON

export interface JsonDiagnostic {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/** One diagnostic as the `--format json` row: exactly the keys of LANGUAGE.md §9, in that order. */
export function toJsonDiagnostic(d: Diagnostic, sources: SourceMap): JsonDiagnostic {
  const loc = d.span ? locate(d.span, sources) : undefined;
  return {
    file: loc?.file ?? null,
    line: loc?.start.line ?? null,
    column: loc?.start.column ?? null,
    endLine: loc?.end.line ?? null,
    endColumn: loc?.end.column ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

/** `{ "diagnostics": [ … ] }` as one JSON document (pretty-printed, ending with a newline). */
export function renderJson(diags: readonly Diagnostic[], sources: SourceMap): string {
  const doc = { diagnostics: diags.map((d) => toJsonDiagnostic(d, sources)) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Human

export interface HumanOptions {
  /** ANSI colours (the caller decides: a terminal, and `NO_COLOR` unset). */
  readonly color: boolean;
}

/** Lines of context shown above and below the marked lines. */
const CONTEXT_LINES = 1;
/** A span over more lines than this is marked on its first lines only. */
const MAX_MARKED_LINES = 6;

type Colors = ReturnType<typeof createColors>;

/**
 * Every diagnostic as `file:line:col: severity[CODE]: message`, a code frame, `= help:` advice and
 * related notes, separated by blank lines, then a summary (`2 errors, 1 warning`). Empty input
 * gives the empty string.
 */
export function renderHuman(
  diags: readonly Diagnostic[],
  sources: SourceMap,
  options: HumanOptions = { color: false },
): string {
  if (diags.length === 0) return "";
  const c = createColors(options.color);
  const blocks = diags.map((d) => renderOne(d, sources, c));
  blocks.push(c.bold(summarize(diags)));
  return `${blocks.join("\n\n")}\n`;
}

/** `2 errors, 1 warning`; `no problems` when there are none. */
export function summarize(diags: readonly Diagnostic[]): string {
  let errors = 0;
  let warnings = 0;
  let capped = false;
  for (const d of diags) {
    if (d.code === CAP_CODE) capped = true;
    else if (d.severity === "error") errors++;
    else warnings++;
  }
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  const counted = parts.length > 0 ? parts.join(", ") : "no problems";
  return capped ? `${counted} shown, more not shown` : counted;
}

/** "too many diagnostics": `normalize` gives it the last kept span, but it is about no place. */
const CAP_CODE = "RPL5001";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function renderOne(d: Diagnostic, sources: SourceMap, c: Colors): string {
  const lines: string[] = [];
  const severity = d.severity === "error" ? c.red(c.bold("error")) : c.yellow(c.bold("warning"));
  const head = `${severity}${c.bold(`[${d.code}]: ${escapeControls(d.message)}`)}`;
  if (d.span && d.code !== CAP_CODE) {
    const loc = locate(d.span, sources);
    lines.push(`${c.bold(formatLocation(loc))}: ${head}`);
    const frame = codeFrame(d.span, sources, c);
    if (frame !== "") lines.push(frame);
  } else {
    lines.push(head);
  }
  if (d.help !== undefined) lines.push(`  ${c.cyan("= help:")} ${escapeControls(d.help)}`);
  for (const r of d.related ?? []) {
    const where = formatLocation(locate(r.span, sources));
    lines.push(`${c.bold(where)}: ${c.cyan("note")}: ${escapeControls(r.message)}`);
    const frame = codeFrame(r.span, sources, c, 0);
    if (frame !== "") lines.push(frame);
  }
  return lines.join("\n");
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.start.line}:${loc.start.column}`;
}

/**
 * A @babel/code-frame excerpt marking the span (several lines when the span does). Only the lines
 * around the span are handed to code-frame, with their real numbers, so a large file costs little.
 */
function codeFrame(span: Span, sources: SourceMap, c: Colors, context = CONTEXT_LINES): string {
  const source = sources.get(span.file);
  if (source === undefined) return "";
  // A column past the end of its line (an offset inside a CRLF) is moved back to the line end.
  const clamp = (p: Position): Position => ({
    line: p.line,
    column: Math.min(p.column, source.line(p.line).length + 1),
  });
  const start = clamp(source.position(span.start));
  let end = clamp(source.position(Math.max(span.start, span.end)));
  // A span that ends just after a line break marks up to the end of the previous line.
  if (end.column === 1 && end.line > start.line) {
    end = { line: end.line - 1, column: source.line(end.line - 1).length + 1 };
  }
  let clipped = false;
  if (end.line - start.line >= MAX_MARKED_LINES) {
    const last = start.line + MAX_MARKED_LINES - 1;
    end = { line: last, column: source.line(last).length + 1 };
    clipped = true;
  }
  const first = Math.max(1, start.line - context);
  const lastLine = Math.min(source.lineStarts.length, end.line + (clipped ? 0 : context));
  const text: string[] = [];
  for (let n = first; n <= lastLine; n++) text.push(printableLine(source.line(n)));
  // code-frame marks `end.column` characters from column 1 on the last line of a multi-line span
  // (and `end.column - start.column` on a single line), so the exclusive end becomes inclusive there.
  const endColumn = end.line > start.line ? Math.max(1, end.column - 1) : end.column;
  const options = {
    highlightCode: false,
    linesAbove: context,
    linesBelow: clipped ? 0 : context,
    startLine: first,
  };
  let frame = codeFrameColumns(
    text.join("\n"),
    { start, end: { line: end.line, column: endColumn } },
    // `startLine` is supported by code-frame 7.29 but missing from @types/babel__code-frame.
    options as Parameters<typeof codeFrameColumns>[2],
  );
  if (clipped) frame += `\n ${" ".repeat(String(lastLine).length + 1)}| …`;
  return colorFrame(frame, c);
}

/** Colour the `>` pointer and the `^` markers of a code frame. */
function colorFrame(frame: string, c: Colors): string {
  if (!c.isColorSupported) return frame;
  return frame
    .split("\n")
    .map((line) => {
      const marker = /^(\s+\|[ \t]*)(\^+)$/.exec(line);
      if (marker) return c.dim(marker[1] ?? "") + c.red(c.bold(marker[2] ?? ""));
      const bar = line.indexOf("|");
      if (bar < 0) return line;
      const gutter = line.startsWith(">")
        ? c.red(c.bold(">")) + c.dim(line.slice(1, bar + 1))
        : c.dim(line.slice(0, bar + 1));
      return gutter + line.slice(bar + 1);
    })
    .join("\n");
}

// Control characters (C0 except tab, DEL, C1), line and paragraph separators, and bidirectional
// overrides would move the cursor or reorder text in a terminal: never print them raw.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A source line for a code frame: unsafe characters become U+FFFD, so columns still line up. */
export function printableLine(line: string): string {
  return line.replace(UNSAFE, "\uFFFD");
}

/** Text for a message line: unsafe characters become visible `\u{…}` escapes. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
}
