/**
 * String, number and time arbitraries biased towards what a policy mentions (literals.ts).
 *
 * A string is drawn from a weighted mix: the policy's literals as written and in other case or
 * padded, literals glued to random words and separators (`contains(args.path, "tmp")` sees paths
 * holding `tmp`), paths inside, beside and escaping the directories of `path.within`
 * (`/tmp/x`, `/tmpx`, `/tmp/../etc/x`), examples of the `glob` / `url.host_matches` patterns and
 * of the `matches` regular expressions, URLs and e-mail addresses on the hosts the policy names,
 * and plain random text. Numbers cluster around the constants the policy compares with (±1),
 * 0 and negatives. Times spread over two years around 2026-01-01T12:00:00Z, so every hour and
 * weekday occurs; they shrink towards that instant.
 */
import fc from "fast-check";
import type { PolicyLiterals } from "./literals.js";

type Arb<T> = fc.Arbitrary<T>;
type Weighted<T> = { arbitrary: Arb<T>; weight: number };

const LOWER = "abcdefghijklmnopqrstuvwxyz";
export const word: Arb<string> = fc.string({
  unit: fc.constantFrom(...`${LOWER}0123456789`),
  minLength: 1,
  maxLength: 8,
});
const SEPARATORS = [" ", "/", ".", "-", "_", ",", ";", ":", "\n", "=", "@"];

/** The instant generated times shrink towards (a Thursday, midday UTC). */
export const BASE_TIME = Date.UTC(2026, 0, 1, 12, 0, 0);
const SPREAD_S = 400 * 24 * 3600;

/** RFC 3339 in UTC, whole seconds: `2026-01-01T12:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The request's `time`: whole seconds, UTC. */
export const requestTime: Arb<string> = fc
  .integer({ min: -SPREAD_S, max: SPREAD_S })
  .map((s) => isoSeconds(BASE_TIME + s * 1000));

/** A `date-time` field: UTC or with an offset, sometimes with fractions of a second. */
export const dateTime: Arb<string> = fc
  .tuple(
    fc.integer({ min: -SPREAD_S, max: SPREAD_S }),
    fc.constantFrom(0, 0, 0, 120, -300, 330),
    fc.boolean(),
  )
  .map(([s, offsetMin, fraction]) => {
    const t = BASE_TIME + s * 1000;
    if (offsetMin === 0) return fraction ? new Date(t + 250).toISOString() : isoSeconds(t);
    const local = isoSeconds(t + offsetMin * 60_000).slice(0, -1);
    const sign = offsetMin < 0 ? "-" : "+";
    const abs = Math.abs(offsetMin);
    return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  });

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Examples of a glob: `*` a word, `**` a few path segments, `?` one character, `{a,b}`, `[ab]`. */
export function globExample(glob: string): Arb<string> {
  const parts: Arb<string>[] = [];
  let literal = "";
  const flush = () => {
    if (literal !== "") parts.push(fc.constant(literal));
    literal = "";
  };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "\\" && i + 1 < glob.length) {
      literal += glob[++i];
    } else if (c === "*" && glob[i + 1] === "*") {
      flush();
      parts.push(fc.array(word, { minLength: 1, maxLength: 3 }).map((s) => s.join("/")));
      i++;
    } else if (c === "*") {
      flush();
      parts.push(fc.oneof(word, fc.constant("")));
    } else if (c === "?") {
      flush();
      parts.push(fc.constantFrom(...LOWER));
    } else if (c === "{" && glob.indexOf("}", i) > i) {
      flush();
      const end = glob.indexOf("}", i);
      parts.push(fc.constantFrom(...glob.slice(i + 1, end).split(",")));
      i = end;
    } else if (c === "[" && glob.indexOf("]", i) > i + 1) {
      flush();
      const end = glob.indexOf("]", i);
      parts.push(fc.constantFrom(...classChars(glob.slice(i + 1, end))));
      i = end;
    } else {
      literal += c;
    }
  }
  flush();
  if (parts.length === 0) return fc.constant("");
  return fc.tuple(...parts).map((ps) => ps.join(""));
}

/** The characters a `[…]` class admits (ranges expanded, capped); a negated class gets ones outside. */
function classChars(body: string): string[] {
  const negated = body.startsWith("!") || body.startsWith("^");
  const chars = new Set<string>();
  const s = negated ? body.slice(1) : body;
  for (let i = 0; i < s.length; i++) {
    const a = s[i] as string;
    if (s[i + 1] === "-" && i + 2 < s.length) {
      const from = a.charCodeAt(0);
      const to = (s[i + 2] as string).charCodeAt(0);
      for (let c = from; c <= to && chars.size < 64; c++) chars.add(String.fromCharCode(c));
      i += 2;
    } else chars.add(a);
  }
  if (!negated) return chars.size > 0 ? [...chars] : ["x"];
  const outside = [...`${LOWER}0123456789._-`].filter((c) => !chars.has(c));
  return outside.length > 0 ? outside : ["~"];
}

/** Strings matching a `matches` pattern, when fast-check understands its syntax. */
export function regexExample(source: string): Arb<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(source), { size: "xsmall" });
  } catch {
    return undefined;
  }
}

const HOST_RE = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const SCHEMES = ["https", "http", "ftp", "file", "ssh"];

/** Hosts the policy mentions: literal host names and examples of host patterns (`*.acme.com`). */
function hostArb(lit: PolicyLiterals): Arb<string> {
  const literal = lit.strings.filter((s) => HOST_RE.test(s));
  const patterns = lit.globs.filter((g) => /^[*a-z0-9.-]+$/i.test(g) && g.includes("."));
  const choices: Weighted<string>[] = [
    { arbitrary: fc.constantFrom("localhost", "127.0.0.1", "example.com", "169.254.169.254"), weight: 1 },
    { arbitrary: fc.domain(), weight: 1 },
  ];
  if (literal.length > 0) choices.push({ arbitrary: fc.constantFrom(...literal), weight: 2 });
  for (const p of patterns.slice(0, 20)) choices.push({ arbitrary: globExample(p), weight: 1 });
  choices.push({
    arbitrary: fc.tuple(word, fc.constantFrom(...literal, "acme.com")).map(([w, h]) => `${h}.${w}`),
    weight: 1,
  });
  return fc.oneof(...choices);
}

export function urlArb(lit: PolicyLiterals): Arb<string> {
  return fc
    .tuple(fc.constantFrom(...SCHEMES), hostArb(lit), fc.array(word, { maxLength: 3 }), fc.option(word))
    .map(([scheme, host, segs, query]) => {
      const path = segs.length > 0 ? `/${segs.join("/")}` : "/";
      return `${scheme}://${host}${path}${query === null ? "" : `?q=${query}`}`;
    });
}

export function emailArb(lit: PolicyLiterals): Arb<string> {
  return fc.oneof(
    fc.tuple(word, hostArb(lit)).map(([user, host]) => `${user}@${host}`),
    fc.emailAddress({ size: "xsmall" }),
  );
}

/** Paths in, beside and escaping the `path.within` directories, and plain ones. */
function pathArb(lit: PolicyLiterals): Arb<string> {
  const segment = fc.oneof(
    { arbitrary: word, weight: 4 },
    { arbitrary: fc.constantFrom(".", "..", ".ssh", "etc", "home"), weight: 1 },
  );
  const plain = fc
    .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 4 }))
    .map(([absolute, segs]) => (absolute ? "/" : "") + segs.join("/"));
  if (lit.dirs.length === 0) return plain;
  const dir = fc.constantFrom(...lit.dirs.map((d) => d.replace(/\/+$/, "") || "/"));
  return fc.oneof(
    {
      arbitrary: fc.tuple(dir, fc.array(segment, { maxLength: 3 })).map(([d, s]) => [d, ...s].join("/")),
      weight: 4,
    },
    { arbitrary: dir, weight: 1 },
    { arbitrary: fc.tuple(dir, word).map(([d, w]) => `${d}${w}`), weight: 1 },
    { arbitrary: fc.tuple(dir, plain).map(([d, p]) => `${d}/../${p.replace(/^\//, "")}`), weight: 2 },
    { arbitrary: fc.tuple(dir, word).map(([d, w]) => `${d}//./${w}`), weight: 1 },
    { arbitrary: plain, weight: 3 },
  );
}

/** The mix of strings a `string` field is drawn from. */
export function biasedString(lit: PolicyLiterals): Arb<string> {
  const choices: Weighted<string>[] = [
    { arbitrary: fc.string({ maxLength: 16 }), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }), weight: 1 },
    { arbitrary: pathArb(lit), weight: lit.dirs.length > 0 ? 3 : 1 },
    { arbitrary: urlArb(lit), weight: 1 },
    { arbitrary: emailArb(lit), weight: 1 },
  ];
  if (lit.strings.length > 0) {
    const literal = fc.constantFrom(...lit.strings);
    const piece = fc.oneof(
      { arbitrary: literal, weight: 3 },
      { arbitrary: word, weight: 2 },
      { arbitrary: fc.constantFrom(...SEPARATORS), weight: 2 },
    );
    choices.push(
      { arbitrary: literal, weight: 4 },
      { arbitrary: fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join("")), weight: 4 },
      {
        arbitrary: fc
          .tuple(literal, fc.constantFrom("upper", "lower", "pad"))
          .map(([s, how]) =>
            how === "upper" ? s.toUpperCase() : how === "lower" ? s.toLowerCase() : ` ${s} `,
          ),
        weight: 1,
      },
    );
  }
  for (const g of lit.globs.slice(0, 40)) choices.push({ arbitrary: globExample(g), weight: 1 });
  for (const r of lit.regexes.slice(0, 40)) {
    const a = regexExample(r);
    if (a !== undefined) choices.push({ arbitrary: a, weight: 1 });
  }
  return fc.oneof(...choices);
}

/** Numbers near the policy's constants, 0, ±1, small and large integers, two-decimal fractions. */
export function biasedNumber(lit: PolicyLiterals, integer: boolean): Arb<number> {
  const near = new Set<number>([0, 1, -1]);
  for (const c of lit.numbers) {
    for (const v of [c - 1, c, c + 1]) if (!integer || Number.isInteger(v)) near.add(v);
  }
  const choices: Weighted<number>[] = [
    { arbitrary: fc.constantFrom(...near), weight: 4 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 3 },
    { arbitrary: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), weight: 1 },
  ];
  if (!integer)
    choices.push({ arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100), weight: 2 });
  return fc.oneof(...choices);
}
