/**
 * The standard packs: `include "stdlib/NAME"` loads `<package root>/stdlib/NAME.rplc`, shipped with
 * the package. The package root is the nearest directory above this module holding package.json,
 * which holds both in the source tree (src/check/) and in the build (dist/).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const STDLIB_PREFIX = "stdlib/";

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) break;
    const parent = path.dirname(dir);
    // INVARIANT: the module is installed inside its package, which has a package.json.
    if (parent === dir) throw new Error("runplane: cannot find the package root above this module");
    dir = parent;
  }
  root = dir;
  return root;
}

export function stdlibDir(): string {
  return path.join(packageRoot(), "stdlib");
}

/** A pack name (`sql` of `stdlib/sql`) → its absolute path; undefined for a name no pack can have. */
export function stdlibFile(name: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return undefined;
  return path.join(stdlibDir(), `${name}.rplc`);
}

/** The names of the shipped packs, for "did you mean" hints. */
export function stdlibPacks(): string[] {
  try {
    return readdirSync(stdlibDir())
      .filter((f) => f.endsWith(".rplc"))
      .map((f) => f.slice(0, -".rplc".length))
      .sort();
  } catch {
    return [];
  }
}

/** The display path of a file under the stdlib directory (`stdlib/sql.rplc`), or undefined. */
export function stdlibDisplayPath(absPath: string): string | undefined {
  const rel = path.relative(stdlibDir(), absPath);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return STDLIB_PREFIX + rel.split(path.sep).join("/");
}
