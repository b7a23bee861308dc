/**
 * The policy hash (LANGUAGE.md §2 `policy.hash`): `sha256:` and the hex SHA-256 of the policy
 * set's sources, sorted by path. Each source is encoded as its path and text, each preceded by
 * its length in UTF-8 bytes, so no two different source sets encode alike. Equal sources give
 * equal hashes; the hash does not depend on the compiler version or on the order files were named.
 */
import { createHash } from "node:crypto";

export interface HashedSource {
  readonly path: string;
  readonly text: string;
}

export function policyHash(sources: readonly HashedSource[]): string {
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const h = createHash("sha256");
  for (const s of sorted) {
    for (const part of [s.path, s.text]) {
      const bytes = Buffer.from(part, "utf8");
      h.update(`${bytes.length}:`);
      h.update(bytes);
    }
  }
  return `sha256:${h.digest("hex")}`;
}
