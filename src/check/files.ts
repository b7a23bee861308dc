/**
 * Paths given to the compiler → the sorted list of `.rplc` files of the policy set
 * (LANGUAGE.md §5: a directory means every `.rplc` file below it, sorted by path).
 * Paths are reported `/`-separated and relative to `cwd` when below it, so diagnostics and
 * rule locations read the same on every machine.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export interface PathProblem {
  readonly path: string;
  readonly message: string;
}

export interface ExpandedPaths {
  /** Absolute paths, deduplicated, sorted by display path. */
  readonly files: readonly string[];
  readonly problems: readonly PathProblem[];
}

const SKIP_DIRS = new Set(["node_modules", ".git"]);

export function expandPaths(paths: readonly string[], cwd = process.cwd()): ExpandedPaths {
  const found = new Set<string>();
  const problems: PathProblem[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch (e) {
      problems.push({ path: p, message: describeFsError(e) });
      continue;
    }
    if (st.isDirectory()) walk(abs, found, problems);
    else found.add(abs);
  }
  const files = [...found].sort((a, b) => compareText(displayPath(a, cwd), displayPath(b, cwd)));
  return { files, problems };
}

function walk(dir: string, out: Set<string>, problems: PathProblem[]): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ path: dir, message: describeFsError(e) });
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out, problems);
    } else if (entry.isFile() && entry.name.endsWith(".rplc")) {
      out.add(full);
    }
  }
}

/** The path shown to users: relative to cwd with `/` separators when below it, else absolute. */
export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  const shown = rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel;
  return shown.split(path.sep).join("/");
}

/** Code-unit order, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeFsError(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
