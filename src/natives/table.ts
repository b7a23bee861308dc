/**
 * The one table of native functions, shared by the type checker (signatures, literal checks),
 * the interpreter and the emitted code (implementations). Keyed by the qualified name as written
 * in policies: `lower`, `sql.verb`, `path.within`.
 */
import { CORE_NATIVES } from "./core.js";
import { PATH_NATIVES } from "./path.js";
import { SECRETS_NATIVES } from "./secrets.js";
import { SHELL_NATIVES } from "./shell.js";
import type { NativeFunction } from "./spec.js";
import { SQL_NATIVES } from "./sql.js";
import { TIME_NATIVES } from "./time.js";
import { URL_NATIVES } from "./url.js";

/** The built-in namespaces: `sql.verb(…)` is a call of the native `sql.verb`. */
export const NAMESPACES = ["sql", "shell", "path", "url", "secrets"] as const;
export type Namespace = (typeof NAMESPACES)[number];

function buildTable(groups: readonly (readonly NativeFunction[])[]): ReadonlyMap<string, NativeFunction> {
  const table = new Map<string, NativeFunction>();
  for (const group of groups) {
    for (const f of group) {
      // INVARIANT: native names are unique; a duplicate is a programming error caught by the tests.
      if (table.has(f.name)) throw new Error(`INVARIANT: duplicate native \`${f.name}\``);
      table.set(f.name, Object.freeze(f));
    }
  }
  return table;
}

export const NATIVES: ReadonlyMap<string, NativeFunction> = buildTable([
  CORE_NATIVES,
  TIME_NATIVES,
  SQL_NATIVES,
  SHELL_NATIVES,
  PATH_NATIVES,
  URL_NATIVES,
  SECRETS_NATIVES,
]);

export function lookupNative(name: string): NativeFunction | undefined {
  return NATIVES.get(name);
}

/** Every native's qualified name, sorted: the candidates for "did you mean" hints. */
export function nativeNames(): string[] {
  return [...NATIVES.keys()].sort();
}

/** The natives of one namespace (`sql` → `sql.valid`, `sql.verb`, …), sorted. */
export function namespaceMembers(namespace: Namespace): string[] {
  return nativeNames().filter((n) => n.startsWith(`${namespace}.`));
}
