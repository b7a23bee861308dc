/**
 * Paths → files → sources → diagnostics: the one place that decides which compiler stages the
 * `check` command runs: parse, resolve, typecheck and lints over the whole policy set.
 */
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { checkPolicySet } from "../check/check.js";
import { describeFsError, displayPath, expandPaths, type PathProblem } from "../check/files.js";
import { stdlibDisplayPath } from "../check/stdlib.js";
import { type Diagnostic, diag, normalize } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";
import { span } from "../diagnostics/span.js";

/** The largest source file the compiler reads (16 MiB). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface AnalyzeOptions {
  /** Warning codes to leave out (errors are never left out). */
  readonly disabled?: ReadonlySet<string>;
  /** `false` leaves out every warning. */
  readonly warnings?: boolean;
}

export interface Analysis {
  /** Sorted, deduplicated and capped (see `normalize`). */
  readonly diagnostics: Diagnostic[];
  /** Every file read as text, keyed by display path (the `file` of its spans). */
  readonly sources: Map<string, SourceFile>;
  /** Paths that could not be read at all: the command line reports these and exits 2. */
  readonly problems: PathProblem[];
  /** The display paths of every file of the policy set, read or not, in order. */
  readonly files: string[];
}

export async function analyzePaths(
  paths: string[],
  cwd: string,
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const expanded = expandPaths(paths, cwd);
  const problems: PathProblem[] = [...expanded.problems];
  const sources = new Map<string, SourceFile>();
  const found: Diagnostic[] = [];
  /** Files that are not UTF-8 text: reported once (RPL1011), never parsed. */
  const notText = new Set<string>();
  const files = expanded.files.map((abs) => displayPath(abs, cwd));

  // One file at a time: a large policy set must not run out of file descriptors.
  for (const [i, abs] of expanded.files.entries()) {
    const result = await loadSource(abs, files[i] ?? displayPath(abs, cwd));
    if ("problem" in result) problems.push(result.problem);
    else {
      if (result.source) sources.set(result.source.path, result.source);
      if (result.diagnostics.length > 0 && result.source) notText.add(result.source.path);
      found.push(...result.diagnostics);
    }
  }

  const readable = [...sources.values()].filter((s) => !notText.has(s.path));
  // A file that is not text is reported alone: checking the rest would report its names as missing.
  if (notText.size === 0) found.push(...runStages(readable, cwd, sources, options));

  const kept = options.warnings === false ? found.filter((d) => d.severity !== "warning") : found;
  const normalizeOptions = options.disabled === undefined ? {} : { disabled: options.disabled };
  return { diagnostics: normalize(kept, normalizeOptions), sources, problems, files };
}

/**
 * The compiler stages run over the readable sources of the policy set (in path order): parse,
 * resolve (includes, declarations, schemas), typecheck and the lints. Files the checker reads on its
 * own (includes, stdlib packs) are added to `sources`, so their diagnostics get code frames too.
 */
function runStages(
  given: readonly SourceFile[],
  cwd: string,
  sources: Map<string, SourceFile>,
  options: AnalyzeOptions,
): Diagnostic[] {
  const readFile = (abs: string): string => {
    const text = readFileSync(abs, "utf8");
    const shown = stdlibDisplayPath(abs) ?? displayPath(abs, cwd);
    if (!sources.has(shown)) sources.set(shown, new SourceFile(shown, text));
    return text;
  };
  const entry = { sources: given.map((s) => ({ path: s.path, text: s.text })) };
  const checkOptions =
    options.disabled === undefined
      ? { cwd, readFile }
      : { cwd, readFile, disabledWarnings: options.disabled };
  return [...checkPolicySet(entry, checkOptions).diagnostics];
}

type Loaded =
  | { readonly problem: PathProblem }
  | { readonly source?: SourceFile; readonly diagnostics: readonly Diagnostic[] };

/** Read one file as bytes and decode it as UTF-8, or say why that is not possible. */
async function loadSource(abs: string, shown: string): Promise<Loaded> {
  let bytes: Uint8Array;
  try {
    const st = await stat(abs);
    if (st.size > MAX_FILE_BYTES) {
      return {
        diagnostics: [diag("RPL5002", span(shown, 0, 0), [String(st.size), "16 MiB"])],
      };
    }
    bytes = await readFile(abs);
  } catch (e) {
    return { problem: { path: shown, message: describeFsError(e) } };
  }
  return decodeSource(bytes, shown);
}

/**
 * Bytes → a `SourceFile`, or an RPL1011 diagnostic at the first byte that is not UTF-8 text
 * (the source is still returned, decoded with U+FFFD, so the code frame can show the place).
 * A UTF-8 byte-order mark is dropped.
 */
export function decodeSource(
  bytes: Uint8Array,
  shown: string,
): { source: SourceFile; diagnostics: Diagnostic[] } {
  const text = new TextDecoder("utf-8").decode(bytes);
  const source = new SourceFile(shown, text);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const at = new TextDecoder("utf-8").decode(bytes.subarray(0, bad)).length;
    const byte = (bytes[bad] ?? 0).toString(16).padStart(2, "0");
    const why = `invalid UTF-8 byte 0x${byte} at byte offset ${bad}`;
    return { source, diagnostics: [diag("RPL1011", span(shown, at, at + 1), [why])] };
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    return {
      source,
      diagnostics: [diag("RPL1011", span(shown, nul, nul + 1), ["it contains a NUL byte"])],
    };
  }
  return { source, diagnostics: [] };
}

/** The byte offset of the first byte that does not belong to well-formed UTF-8, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) more = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      if (c === 0xf0) lo = 0x90; // no overlong forms
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    if (i + more >= b.length) return i;
    const second = b[i + 1] ?? 0;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= more; k++) {
      const next = b[i + k] ?? 0;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += more + 1;
  }
  return -1;
}
