/**
 * Canonical JSON in the manner of RFC 8785 (JCS) and the digest that binds an approval to one
 * action.
 *
 * Canonical form: object keys sorted by their UTF-16 code units, no whitespace, strings and
 * numbers written as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2 and §3.2.3 adopt
 * exactly that serialisation). Differences from a strict JCS implementation, where JSON itself
 * has no answer: keys whose value is `undefined` are left out (as JSON.stringify does), and
 * values JSON cannot represent (non-finite numbers, bigints, functions, symbols, cycles) are an
 * error rather than silently changed, so two different requests never share a digest.
 */
import { crypto } from "./builtins.js";

export class CanonicalError extends Error {
  override readonly name = "CanonicalError";
}

export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, out, new Set(), "");
  return out.join("");
}

function write(value: unknown, out: string[], seen: Set<object>, at: string): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalError(`${at || "/"}: ${value} is not a JSON number`);
      out.push(JSON.stringify(value));
      return;
    case "object":
      break;
    default:
      throw new CanonicalError(`${at || "/"}: a ${typeof value} is not JSON`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (seen.has(value)) throw new CanonicalError(`${at || "/"}: the value refers to itself`);
  seen.add(value);
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item: unknown = value[i];
      write(item === undefined ? null : item, out, seen, `${at}/${i}`);
    }
    out.push("]");
  } else {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort(compareUtf16);
    out.push("{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(k), ":");
      write(obj[k], out, seen, `${at}/${k}`);
    });
    out.push("}");
  }
  seen.delete(value);
}

/** RFC 8785 §3.2.3: keys compare as arrays of UTF-16 code units (what `<` on strings does). */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256Hex(text: string): string {
  return crypto().createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The digest an approval is bound to: SHA-256 over the canonical JSON of
 * `{ policy: <policy hash>, request: <the request without its time> }`. The request's `time` is
 * left out (it is when the action was asked for, not what it does), so the same action asked
 * again later, or resumed after a restart, has the same digest; a change of any argument, of the
 * context, of the action, or of the policy gives another.
 */
export function approvalDigest(request: Record<string, unknown>, policyHash: string): string {
  const { time: _time, ...rest } = request;
  return `sha256:${sha256Hex(canonicalize({ policy: policyHash, request: rest }))}`;
}
