/** Option parsers shared by the commands (commander's `argParser`s for repeatable options). */

/** A repeatable option that also takes comma-separated lists: `--role a --role b,c` → ["a", "b", "c"]. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const more = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...(previous ?? []), ...more];
}

/** A repeatable option taken whole (paths may hold commas): `--policy a --policy b` → ["a", "b"]. */
export function collectEach(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
