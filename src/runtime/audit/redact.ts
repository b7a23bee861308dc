/**
 * What of a request may be written down (audit log, approval store): a copy with the fields
 * named by `redact` removed and every secret in every string masked (`[REDACTED:kind]`, see
 * natives/secrets.ts). The caller's request is never changed.
 *
 * Paths are dotted field names below the request: `args.headers`, `context.user.email`; a `*`
 * segment matches any one key (`args.*.password`). To keep one record bounded whatever an agent
 * sends, strings longer than 64 KiB are cut (`…[cut N characters]`) and nesting deeper than 64
 * levels is replaced by `"[too deep]"`. The approval digest is computed on the full request, not
 * on this copy.
 */
import { maskSecrets, secretKinds } from "../../natives/secrets.js";

export const MAX_STRING = 64 * 1024;
export const MAX_DEPTH = 64;

export interface Redacted {
  readonly value: Record<string, unknown>;
  /** The paths removed, as written in the request (`args.headers`). */
  readonly removed: string[];
  /** How many strings had secrets masked. */
  readonly masked: number;
}

type Pattern = readonly string[];

export interface Redactor {
  (request: Record<string, unknown>): Redacted;
  /** Mask secrets in one string (error messages, notes). */
  mask(text: string): string;
}

export function redactor(paths: readonly string[] = []): Redactor {
  const patterns: Pattern[] = paths.map((p) => p.split(".").filter((s) => s !== ""));
  const redact = (request: Record<string, unknown>): Redacted => {
    const state = { removed: [] as string[], masked: 0 };
    const value = copy(request, [], patterns, state, 0) as Record<string, unknown>;
    return { value, removed: state.removed, masked: state.masked };
  };
  return Object.assign(redact, { mask: maskText });
}

/** No detector finds a secret shorter than this (passwords need 8 characters). */
const MIN_SECRET = 8;

/**
 * An RFC 3339 UTC time such as the runtime fills in (`2026-11-24T10:00:00.000Z`): digits and
 * separators only, which no secret detector matches (each needs a token's prefix or a URL's
 * credentials). Recognised without a scan: a request's time is a new string every call, and
 * scanning and caching it would cost more than the rest of the copy.
 */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;

/** Whether `text` holds a secret (memoized by the natives' cache: repeated strings cost a lookup). */
function hasSecret(text: string): boolean {
  if (text.length < MIN_SECRET || (text.length <= 30 && ISO_TIME.test(text))) return false;
  return secretKinds(text).length > 0;
}

export function maskText(text: string): string {
  const cut =
    text.length > MAX_STRING
      ? `${text.slice(0, MAX_STRING)}…[cut ${text.length - MAX_STRING} characters]`
      : text;
  return hasSecret(cut) ? maskSecrets(cut) : cut;
}

/** Patterns that still match below `key`, given the ones that matched its parent. */
function narrow(patterns: readonly Pattern[], depth: number, key: string): Pattern[] {
  const out: Pattern[] = [];
  for (const p of patterns) {
    const seg = p[depth];
    if (seg === key || seg === "*") out.push(p);
  }
  return out;
}

function copy(
  value: unknown,
  at: string[],
  patterns: readonly Pattern[],
  state: { removed: string[]; masked: number },
  depth: number,
): unknown {
  if (typeof value === "string") {
    const masked = maskText(value);
    if (masked !== value && hasSecret(value)) state.masked++;
    return masked;
  }
  if (typeof value !== "object" || value === null) {
    return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  }
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      const below = patterns.length === 0 ? patterns : narrow(patterns, depth, String(i));
      if (below.some((p) => p.length === depth + 1)) {
        state.removed.push([...at, String(i)].join("."));
        return "[redacted]";
      }
      return copy(v, below.length === 0 ? at : [...at, String(i)], below, state, depth + 1);
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const below = patterns.length === 0 ? patterns : narrow(patterns, depth, key);
    if (below.some((p) => p.length === depth + 1)) {
      state.removed.push([...at, key].join("."));
      continue;
    }
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch {
      v = "[unreadable]";
    }
    const copied = copy(v, below.length === 0 ? at : [...at, key], below, state, depth + 1);
    // An own `__proto__` key (JSON.parse makes them) stays a key: assigning it would set the
    // copy's prototype and drop the field from the record.
    if (key === "__proto__") {
      Object.defineProperty(out, key, {
        value: copied,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = copied;
  }
  return out;
}
