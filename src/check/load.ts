/**
 * Reading a policy set: the given files, then every `include` they reach (relative to the
 * including file, or `stdlib/NAME`), each file loaded and parsed once. Include cycles are
 * reported once per closing include, with the chain of files.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";
import { span } from "../diagnostics/span.js";
import type { FileNode, Include } from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";
import { compareText, describeFsError, displayPath } from "./files.js";
import { STDLIB_PREFIX, stdlibDisplayPath, stdlibFile, stdlibPacks } from "./stdlib.js";
import { didYouMean } from "./suggest.js";

/** Source files larger than this are refused (RPL5002). */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export interface LoadedFile {
  /** Absolute path: the file's identity. */
  readonly abs: string;
  /** The path shown to users and used in spans: relative to cwd, or `stdlib/NAME.rplc`. */
  readonly display: string;
  readonly source: SourceFile;
  readonly node: FileNode;
  /** Given to the compiler directly (not only reached through includes). */
  readonly given: boolean;
}

export interface IncludeEdge {
  readonly from: LoadedFile;
  readonly node: Include;
  readonly target: LoadedFile;
}

export interface LoadedSet {
  /** Sorted by display path. */
  readonly files: readonly LoadedFile[];
  /** Every include that reached a file, in the order they were followed. */
  readonly includes: readonly IncludeEdge[];
  readonly diagnostics: readonly Diagnostic[];
}

export type ResolveEntry =
  | { readonly files: readonly string[] }
  | { readonly sources: readonly { path: string; text: string }[] };

export interface LoadOptions {
  readonly cwd?: string;
  readonly readFile?: (absPath: string) => string;
}

const defaultReadFile = (p: string): string => readFileSync(p, "utf8");

export function loadSet(entry: ResolveEntry, options: LoadOptions = {}): LoadedSet {
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? defaultReadFile;
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, LoadedFile>();
  const given = new Map<string, string>();
  if ("sources" in entry) {
    for (const s of entry.sources) given.set(path.resolve(cwd, s.path), s.text);
  }
  const show = (abs: string): string => stdlibDisplayPath(abs) ?? displayPath(abs, cwd);

  const load = (abs: string, text: string, isGiven: boolean): LoadedFile => {
    const display = show(abs);
    const source = new SourceFile(display, text);
    const bytes = Buffer.byteLength(text, "utf8");
    let node: FileNode;
    if (bytes > MAX_SOURCE_BYTES) {
      diagnostics.push(diag("RPL5002", span(display, 0, 0), [String(bytes), String(MAX_SOURCE_BYTES)]));
      node = { kind: "File", path: display, items: [], comments: [], span: span(display, 0, 0) };
    } else {
      const parsed = parse(source);
      diagnostics.push(...parsed.diagnostics);
      node = parsed.value;
    }
    const file: LoadedFile = { abs, display, source, node, given: isGiven };
    loaded.set(abs, file);
    return file;
  };

  const roots: LoadedFile[] = [];
  const givenPaths = "files" in entry ? entry.files.map((f) => path.resolve(cwd, f)) : [...given.keys()];
  for (const abs of [...new Set(givenPaths)].sort((a, b) => compareText(show(a), show(b)))) {
    let text = given.get(abs);
    if (text === undefined) {
      try {
        text = readFile(abs);
      } catch (e) {
        diagnostics.push(diag("RPL2002", undefined, [show(abs), describeFsError(e)]));
        continue;
      }
    }
    roots.push(load(abs, text, true));
  }

  /** The file an include names, loading it on first use; undefined (reported) when it cannot be read. */
  const target = (inc: Include, from: LoadedFile): LoadedFile | undefined => {
    const written = inc.path.value;
    if (written.startsWith(STDLIB_PREFIX)) {
      const name = written.slice(STDLIB_PREFIX.length);
      const abs = stdlibFile(name);
      const known = abs === undefined ? undefined : loaded.get(abs);
      if (known !== undefined) return known;
      const read = abs === undefined ? undefined : tryRead(readFile, abs);
      if (abs === undefined || read === undefined || !read.ok) {
        const help = didYouMean(name, stdlibPacks());
        diagnostics.push(diag("RPL2004", inc.path.span, [written], help ? { help } : {}));
        return undefined;
      }
      return load(abs, read.text, false);
    }
    const abs = path.resolve(path.dirname(from.abs), written);
    const known = loaded.get(abs);
    if (known !== undefined) return known;
    const text = given.get(abs);
    if (text !== undefined) return load(abs, text, false);
    const read = tryRead(readFile, abs);
    if (read.ok) return load(abs, read.text, false);
    const withExt = !written.endsWith(".rplc") && tryRead(readFile, `${abs}.rplc`).ok;
    const help = withExt ? { help: `did you mean \`${written}.rplc\`?` } : {};
    diagnostics.push(diag("RPL2002", inc.path.span, [written, describeFsError(read.error)], help));
    return undefined;
  };

  const includes: IncludeEdge[] = [];
  const state = new Map<LoadedFile, "active" | "done">();
  const visit = (file: LoadedFile, stack: LoadedFile[]): void => {
    state.set(file, "active");
    for (const item of file.node.items) {
      if (item.kind !== "Include") continue;
      const to = target(item, file);
      if (to === undefined) continue;
      includes.push({ from: file, node: item, target: to });
      const st = state.get(to);
      if (st === "active") {
        const chain = [...stack.slice(stack.indexOf(to)), to].map((f) => f.display).join(" → ");
        diagnostics.push(
          diag("RPL2003", item.path.span, [chain], { help: "each file is loaded once: remove this include" }),
        );
      } else if (st === undefined) {
        visit(to, [...stack, to]);
      }
    }
    state.set(file, "done");
  };
  for (const root of roots) if (!state.has(root)) visit(root, [root]);

  const files = [...loaded.values()].sort((a, b) => compareText(a.display, b.display));
  return { files, includes, diagnostics };
}

type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: unknown };

function tryRead(readFile: (p: string) => string, abs: string): ReadResult {
  try {
    return { ok: true, text: readFile(abs) };
  } catch (error) {
    return { ok: false, error };
  }
}
