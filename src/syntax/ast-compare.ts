/**
 * Comparing syntax trees without their spans ("spans never take part in equality"): used by the
 * formatter's safety check and by the round-trip tests.
 */

/**
 * A deep copy of an AST (or any part of one) without `span` and `opSpan`, and with the fields
 * that legitimately differ between equal trees normalised: a number's `raw` text (`3.50` and
 * `3.5` are one number) is dropped, its `value` is kept.
 */
export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  const isNumber = (node as { kind?: unknown }).kind === "Number";
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || key === "opSpan") continue;
    if (isNumber && key === "raw") continue;
    out[key] = stripSpans(value);
  }
  return out;
}

/** Structural equality of two trees, spans left out (see stripSpans). */
export function sameTree(a: unknown, b: unknown): boolean {
  return equal(stripSpans(a), stripSpans(b));
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(b))
    return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
