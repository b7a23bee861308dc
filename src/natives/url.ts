/**
 * `url.*` over the WHATWG URL parser (Node's built-in `URL`), so a policy reads a URL exactly as
 * an HTTP client will: `http://0x7f.1/` is `127.0.0.1`, `http://EXAMPLE.com./` is `example.com`,
 * `http://münchen.de/` is `xn--mnchen-3ya.de`.
 *
 * Decisions:
 *   - `url.host` is the host name without port, lower-cased, trailing dot stripped, IDN in ASCII;
 *     an IPv6 host keeps its brackets (`[::1]`); a URL without a host (`file:///x`) gives `""`.
 *   - `url.host_matches` and `url.is_private` take a URL or a bare host (`api.acme.com`,
 *     `10.0.0.1:8080`, `::1`). A pattern is a host (`acme.com`, exact), `*.acme.com` (any
 *     subdomain at any depth, not `acme.com` itself) or `*` (any host).
 *   - `url.is_private` is true for hosts that are not public Internet addresses: loopback, RFC 1918,
 *     carrier-grade NAT, link-local (the 169.254.169.254 cloud metadata service), unique-local and
 *     link-local IPv6, multicast, reserved, `0.0.0.0/8`, IPv4 inside IPv6 (mapped, compatible,
 *     NAT64, 6to4) by the embedded address; the names `localhost` and `*.localhost`, the private-use
 *     suffixes `.local`, `.internal`, `.home.arpa`, `.localdomain`, single-label names (`http://db/`,
 *     resolved through search domains), and `file:` URLs. Other names are not resolved (natives are
 *     pure): a public name pointing at a private address is not caught here.
 *   - Text that is not a URL is an evaluation error, except in `url.valid`.
 */
import type { BlockList } from "node:net";
import { T } from "../check/types.js";
import { str } from "./guard.js";
import { lazy } from "./lazy.js";
import { P, simple } from "./sig.js";
import { NativeError, type NativeFunction } from "./spec.js";

function parse(u: string): URL {
  try {
    return new URL(u);
  } catch {
    throw new NativeError(`cannot read \`${clip(u)}\` as a URL`);
  }
}

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Lower-cased (by URL), trailing dot stripped. */
function hostname(url: URL): string {
  const h = url.hostname;
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

/** The normalized host of a URL, or of a bare `host[:port]`. */
export function hostOf(input: string): { host: string; url?: URL } {
  if (input.includes("://")) {
    const url = parse(input);
    let host = hostname(url);
    // Non-special schemes keep hosts opaque (`foo://0x7f.1`): read them as an HTTP client would.
    if (host !== "" && !/^(?:https?|wss?|ftp):$/.test(url.protocol) && !host.startsWith("[")) {
      host = hostname(parse(`http://${host}/`));
    }
    return { host, url };
  }
  const bare = isIP(input) === 6 ? `[${input}]` : input;
  // `mailto:a@b.c`: no `//`, not a host either, but a URL.
  if (/[/@?#]/.test(bare) && URL.canParse(input)) return { host: hostname(parse(input)), url: parse(input) };
  if (bare === "" || /[\s/@?#\\]/.test(bare))
    throw new NativeError(`cannot read \`${clip(input)}\` as a host`);
  return { host: hostname(parse(`http://${bare}/`)) };
}

/** Whether `host` matches `pattern` (`acme.com`, `*.acme.com` or `*`). */
export function hostMatches(input: string, pattern: string): boolean {
  const { host } = hostOf(input);
  if (pattern === "*") return host !== "";
  const wildcard = pattern.startsWith("*.");
  const rest = wildcard ? pattern.slice(2) : pattern;
  if (rest.includes("*")) {
    throw new NativeError(`host pattern \`${clip(pattern)}\` may only start with \`*.\``);
  }
  const base = hostOf(rest).host;
  return wildcard ? host.endsWith(`.${base}`) : host === base;
}

/**
 * node:net (it pulls in streams: ~4 ms of `import "runplane"`) on first use: only the host and
 * private-address natives need `isIP` and `BlockList`.
 */
const net = lazy<typeof import("node:net")>("node:net");

function isIP(input: string): number {
  return net().isIP(input);
}

let blocks: { v4: BlockList; v6: BlockList } | undefined;

/** The private and reserved ranges, built on first use. */
function privateRanges(): { v4: BlockList; v6: BlockList } {
  if (blocks !== undefined) return blocks;
  const v4 = new (net().BlockList)();
  for (const [subnet, bits] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ] as const) {
    v4.addSubnet(subnet, bits, "ipv4");
  }
  const v6 = new (net().BlockList)();
  for (const [subnet, bits] of [
    ["::", 128],
    ["::1", 128],
    ["100::", 64],
    ["fc00::", 7],
    ["fe80::", 10],
    ["fec0::", 10],
    ["ff00::", 8],
  ] as const) {
    v6.addSubnet(subnet, bits, "ipv6");
  }
  blocks = { v4, v6 };
  return blocks;
}

/** The eight 16-bit groups of an IPv6 address (already validated by `isIP`). */
function hextets(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill("0");
  return [...h, ...zeros, ...t].map((x) => Number.parseInt(x, 16));
}

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(g: readonly number[]): string | undefined {
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) return quad(g[6]!, g[7]!); // ::ffff:a.b.c.d, ::a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return quad(g[6]!, g[7]!); // 64:ff9b::/96
  if (g[0] === 0x2002) return quad(g[1]!, g[2]!); // 2002::/16
  return undefined;
}

const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".localdomain"];

export function isPrivate(input: string): boolean {
  const { host, url } = hostOf(input);
  if (host === "") return url?.protocol === "file:";
  const { v4, v6 } = privateRanges();
  if (host.startsWith("[")) {
    const ip = host.slice(1, -1);
    if (v6.check(ip, "ipv6")) return true;
    const inner = embeddedV4(hextets(ip));
    return inner !== undefined && v4.check(inner, "ipv4");
  }
  if (isIP(host) === 4) return v4.check(host, "ipv4") || host === "255.255.255.255";
  if (host === "localhost" || !host.includes(".")) return true;
  return PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

export const URL_NATIVES: readonly NativeFunction[] = [
  {
    name: "url.valid",
    doc: "url.valid(u: string): bool — whether `u` is an absolute URL (`https://…`, `file:///…`)",
    arity: [1, 1],
    signature: simple([P.string], T.bool),
    impl: (u: unknown) => typeof u === "string" && URL.canParse(u),
  },
  {
    name: "url.host",
    doc: "url.host(u: string): string — the host name: lower-case, no port, no trailing dot, IDN in ASCII",
    arity: [1, 1],
    signature: simple([P.string], T.string),
    impl: (u: unknown) => hostname(parse(str(u, "url.host"))),
  },
  {
    name: "url.scheme",
    doc: "url.scheme(u: string): string — the scheme, lower-case, without `:` (`https`)",
    arity: [1, 1],
    signature: simple([P.string], T.string),
    impl: (u: unknown) => parse(str(u, "url.scheme")).protocol.slice(0, -1),
  },
  {
    name: "url.path",
    doc: "url.path(u: string): string — the path with `.` and `..` resolved, percent-encoded as sent (`/a%20b`)",
    arity: [1, 1],
    signature: simple([P.string], T.string),
    impl: (u: unknown) => parse(str(u, "url.path")).pathname,
  },
  {
    name: "url.host_matches",
    doc: 'url.host_matches(host: string, pattern: string): bool — whether the host (or URL\'s host) is `pattern`, or a subdomain of it for `"*.acme.com"`',
    arity: [2, 2],
    signature: simple([P.string, P.string], T.bool),
    impl: (h: unknown, p: unknown) => hostMatches(str(h, "url.host_matches"), str(p, "url.host_matches")),
  },
  {
    name: "url.is_private",
    doc: "url.is_private(u: string): bool — whether the URL (or host) points at a non-public address: loopback, private ranges, link-local/metadata, `localhost`",
    arity: [1, 1],
    signature: simple([P.string], T.bool),
    impl: (u: unknown) => isPrivate(str(u, "url.is_private")),
  },
];
