/**
 * `secrets.*`: is there a credential in this text? Synchronous and linear in the text (see
 * secrets-rules.ts for the detectors and where each comes from). Also `maskSecrets` for the
 * audit log.
 *
 * Decisions:
 *   - Kind names are snake_case (`aws_access_key_id`, `github_token`, `private_key`, `jwt`, …);
 *     `secrets.kinds` is sorted and deduplicated.
 *   - A value assigned to a secret-sounding name (`api_key=…`, `"token": "…"`) counts as
 *     `generic_secret` (16+ characters, letters and digits, ≥ 3 bits of entropy per character) or
 *     `password` (8+ characters, not only letters), unless it is a template (`${X}`, `{{x}}`), a
 *     placeholder (`changeme`, `xxxx`, `<token>`), a dotted name (`process.env.TOKEN`), or already
 *     part of a specific kind.
 *   - Texts are scanned whole; results for texts up to 8 KiB are cached.
 */
import { T } from "../check/types.js";
import { CACHE_ENTRIES, LruCache, memo } from "./cache.js";
import { str } from "./guard.js";
import { type SecretRule, secretRules } from "./secrets-rules.js";
import { P, simple } from "./sig.js";
import type { NativeFunction } from "./spec.js";

export interface SecretHit {
  readonly kind: string;
  /** The secret's span in the text (the value, for `name = value` rules). */
  readonly start: number;
  readonly end: number;
}

const GENERIC = new Set(["generic_secret", "password"]);
let split: { specific: readonly SecretRule[]; generic: readonly SecretRule[] } | undefined;

/** The detectors of specific kinds, then the generic ones (`name = value`), split once. */
function rules(): NonNullable<typeof split> {
  split ??= {
    specific: secretRules().filter((r) => !GENERIC.has(r.kind)),
    generic: secretRules().filter((r) => GENERIC.has(r.kind)),
  };
  return split;
}

function* matches(rule: SecretRule, text: string): Generator<SecretHit> {
  const re = rule.pattern;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === "") re.lastIndex++;
    if (rule.accept !== undefined && !rule.accept(m)) continue;
    const span = m.indices?.[rule.group] ?? [m.index, m.index + m[0].length];
    yield { kind: rule.kind, start: span[0], end: span[1] };
  }
}

/** Every secret in `text`, specific kinds first; generic hits overlapping a specific one are dropped. */
export function findSecrets(text: string, firstOnly = false): SecretHit[] {
  const hits: SecretHit[] = [];
  const { specific: SPECIFIC, generic: GENERIC_RULES } = rules();
  for (const rule of SPECIFIC) {
    for (const hit of matches(rule, text)) {
      hits.push(hit);
      if (firstOnly) return hits;
    }
  }
  const specific = hits.length;
  for (const rule of GENERIC_RULES) {
    for (const hit of matches(rule, text)) {
      let overlaps = false;
      for (let i = 0; i < specific && !overlaps; i++) {
        const h = hits[i]!;
        overlaps = hit.start < h.end && h.start < hit.end;
      }
      if (overlaps) continue;
      hits.push(hit);
      if (firstOnly) return hits;
    }
  }
  return hits;
}

const kindsCache = new LruCache<string, readonly string[]>(CACHE_ENTRIES);

export function secretKinds(text: string): readonly string[] {
  return memo(kindsCache, text, () =>
    Object.freeze([...new Set(findSecrets(text).map((h) => h.kind))].sort()),
  );
}

export function secretFound(text: string): boolean {
  const cached = kindsCache.get(text);
  if (cached !== undefined) return cached.length > 0;
  return findSecrets(text, true).length > 0;
}

/**
 * `text` with every secret replaced by `[REDACTED:kind]`. A PEM private key is masked from its
 * BEGIN line through its END line (or, without one, through its base64 body).
 */
export function maskSecrets(text: string): string {
  const spans = findSecrets(text).map((h) => ({
    ...h,
    end: h.kind === "private_key" ? pemEnd(text, h.end) : h.end,
  }));
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos) {
      pos = Math.max(pos, s.end); // overlaps the previous mask: extend it
      continue;
    }
    out += `${text.slice(pos, s.start)}[REDACTED:${s.kind}]`;
    pos = s.end;
  }
  return out + text.slice(pos);
}

const PEM_END = /-----END (?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;

function pemEnd(text: string, from: number): number {
  PEM_END.lastIndex = from;
  const end = PEM_END.exec(text);
  if (end !== null) return end.index + end[0].length;
  let i = from;
  while (i < text.length && /[A-Za-z0-9+/=\s\\:,-]/.test(text[i]!)) i++;
  return i;
}

export const SECRETS_NATIVES: readonly NativeFunction[] = [
  {
    name: "secrets.found",
    doc: "secrets.found(text: string): bool — whether the text holds a credential (cloud keys, API tokens, private keys, JWTs, passwords in URLs or assignments)",
    arity: [1, 1],
    signature: simple([P.string], T.bool),
    impl: (text: unknown) => secretFound(str(text, "secrets.found")),
  },
  {
    name: "secrets.kinds",
    doc: "secrets.kinds(text: string): list<string> — the kinds of credential found, sorted (`aws_access_key_id`, `github_token`, `private_key`, `jwt`, …)",
    arity: [1, 1],
    signature: simple([P.string], T.list(T.string)),
    impl: (text: unknown) => secretKinds(str(text, "secrets.kinds")),
  },
];
