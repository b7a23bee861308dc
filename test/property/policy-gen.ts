/**
 * Random well-typed policy sets and random requests for the differential test. Policies are
 * generated as source text over a fixed schema (two actions, a context), with typed expression
 * grammars for numbers, strings and bools that reach every construct the back end lowers:
 * arithmetic (with division by zero), comparisons, `in` on literal lists and on request lists,
 * lambdas, map and list reads that can fail, optional reads with `??` and `has`, lets (top level
 * and per `on` block), defs, natives, regular expressions and globs, time. Every subexpression
 * is parenthesized, so precedence never depends on the generator.
 */
import fc from "fast-check";

export const SCHEMA = `context {
  env: "dev" | "prod"
  agent: string
  user?: { id: string, roles: list<string> }
}

action t.a {
  s: string
  n: number
  b: bool
  xs: list<string>
  ns: list<number>
  m: map<number>
  o?: string
  on?: number
  u: "x" | "y" | "z"
  meta: any
  at: timestamp
}

action t.b {
  s: string
  n: number
  xs: list<string>
  m: map<number>
  o?: string
}

let g_n = 3 * 4
let g_l = ["a", "DELETE", "x"]
def dbl(v: number): number = (v * 2) + 1
def isa(v: string): bool = starts_with(lower(v), "a")
`;

const STRINGS = ["a", "b", "x", "DELETE", "", "Ab", "__proto__", "constructor", "a*b"];
const strLit = fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s));
const intLit = fc.integer({ min: -3, max: 12 }).map(String);

/** Where an expression is written: what it may read. */
interface Scope {
  /** `args` fields of both actions (`on t.a, t.b`) or of t.a alone; none at top level. */
  readonly args: "none" | "common" | "a";
  /** The `on` block's lets (`ln` number, `ls` string). */
  readonly locals: boolean;
}

interface Grammar {
  num: fc.Arbitrary<string>;
  str: fc.Arbitrary<string>;
  bool: fc.Arbitrary<string>;
}

export function grammar(scope: Scope): Grammar {
  const a = scope.args !== "none";
  const only = scope.args === "a";
  return fc.letrec<{ num: string; str: string; bool: string }>((tie) => {
    const num = tie("num");
    const str = tie("str");
    const bool = tie("bool");
    const bin = (x: fc.Arbitrary<string>, ops: string[], y: fc.Arbitrary<string>) =>
      fc.tuple(x, fc.constantFrom(...ops), y).map(([l, op, r]) => `(${l} ${op} ${r})`);
    const numLeaves: fc.Arbitrary<string>[] = [intLit, fc.constant("g_n"), fc.constant("2.5")];
    if (a) {
      numLeaves.push(fc.constant("args.n"), fc.constant("len(args.xs)"), fc.constant("len(args.s)"));
      numLeaves.push(strLit.map((k) => `(args.m[${k}] ?? 0)`));
    }
    if (only) numLeaves.push(fc.constant("(args.on ?? 1)"), fc.constant("len(args.ns)"));
    if (scope.locals) numLeaves.push(fc.constant("ln"));
    const strLeaves: fc.Arbitrary<string>[] = [
      strLit,
      fc.constant("context.agent"),
      // Unions compared with a literal outside them do not type-check: read them as plain strings.
      fc.constant("lower(context.env)"),
      fc.constant("lower(action)"),
    ];
    if (a) strLeaves.push(fc.constant("args.s"), fc.constant('(args.o ?? "none")'));
    if (only) strLeaves.push(fc.constant("lower(args.u)"));
    if (scope.locals) strLeaves.push(fc.constant("ls"));
    const numNodes: fc.Arbitrary<string>[] = [
      bin(num, ["+", "-", "*", "/", "%"], num),
      num.map((x) => `(-${x})`),
      num.map((x) => `dbl(${x})`),
      fc.tuple(num, num).map(([x, y]) => `min(${x}, ${y})`),
      num.map((x) => `abs(${x})`),
      num.map((x) => `floor(${x})`),
      str.map((x) => `len(${x})`),
    ];
    if (a) {
      numNodes.push(
        strLit.map((k) => `args.m[${k}]`),
        num.map((i) => `len(args.xs[${i}])`),
      );
      numNodes.push(fc.oneof(...strLeaves).map((s) => `count(args.xs, e => (e == ${s}))`));
    }
    if (only) numNodes.push(num.map((i) => `args.ns[${i}]`));
    const strNodes: fc.Arbitrary<string>[] = [
      bin(str, ["+"], str),
      str.map((x) => `lower(${x})`),
      str.map((x) => `upper(${x})`),
      str.map((x) => `trim(${x})`),
      num.map((x) => `str(${x})`),
      fc.constant('join(g_l, ",")'),
    ];
    if (a)
      strNodes.push(
        num.map((i) => `args.xs[${i}]`),
        str.map((sep) => `join(args.xs, ${sep})`),
      );
    const boolLeaves: fc.Arbitrary<string>[] = [
      fc.constantFrom("true", "false"),
      fc.constant('(context.env == "prod")'),
      fc.constant("has(context.user)"),
      fc.constant('(has(context.user) and ("admin" in context.user.roles))'),
      fc.constant("(hour(now) < 12)"),
      fc.constant('(weekday(now, "Europe/Berlin") == 1)'),
      fc.constant('(action == "t.a")'),
    ];
    if (a)
      boolLeaves.push(
        fc.constant("has(args.o)"),
        strLit.map((k) => `has(args.m[${k}])`),
      );
    if (only) {
      boolLeaves.push(fc.constant("args.b"), fc.constant('(args.u == "x")'), fc.constant("(args.at < now)"));
      boolLeaves.push(fc.constant("has(args.meta.k)"), fc.constant("((args.meta.k ?? 0) == 1)"));
      boolLeaves.push(fc.constant("(args.at + 1h > now)"));
    }
    const boolNodes: fc.Arbitrary<string>[] = [
      bin(num, ["<", "<=", ">", ">=", "==", "!="], num),
      bin(str, ["==", "!="], str),
      bin(bool, ["and", "or"], bool),
      bool.map((x) => `(not ${x})`),
      str.map((x) => `(${x} in g_l)`),
      fc.tuple(str, fc.subarray(STRINGS, { minLength: 1 })).map(([x, l]) => `(${x} in ${JSON.stringify(l)})`),
      fc
        .tuple(str, fc.subarray(STRINGS, { minLength: 1 }))
        .map(([x, l]) => `(${x} not in ${JSON.stringify(l)})`),
      str.map((x) => `isa(${x})`),
      fc.tuple(str, strLit).map(([x, p]) => `starts_with(${x}, ${p})`),
      fc.tuple(str, strLit).map(([x, p]) => `contains(${x}, ${p})`),
      str.map((x) => `matches(${x}, "^[a-c]+$")`),
      str.map((x) => `glob(${x}, "a*")`),
    ];
    if (a) {
      boolNodes.push(str.map((x) => `(${x} in args.xs)`));
      boolNodes.push(fc.oneof(...strLeaves).map((s) => `any(args.xs, e => starts_with(e, ${s}))`));
      boolNodes.push(fc.oneof(...numLeaves).map((x) => `all(args.xs, e => (len(e) < ${x}))`));
    }
    if (only) boolNodes.push(fc.oneof(...numLeaves).map((x) => `any(args.ns, v => (v > ${x}))`));
    const pick = (leaves: fc.Arbitrary<string>[], nodes: fc.Arbitrary<string>[]) =>
      fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.oneof(...leaves), fc.oneof(...nodes));
    return {
      num: pick(numLeaves, numNodes),
      str: pick(strLeaves, strNodes),
      bool: pick(boolLeaves, boolNodes),
    };
  });
}

const APPROVERS = ["ops", "dba", "sre", "ciso"];
const EFFECTS = ["allow", "block", "require approval"] as const;

function rule(g: Grammar, name: string): fc.Arbitrary<string> {
  return fc
    .record({
      effect: fc.constantFrom(...EFFECTS),
      when: fc.option(g.bool, { nil: undefined }),
      unless: fc.option(g.bool, { freq: 3, nil: undefined }),
      reason: fc.option(g.str, { freq: 2, nil: undefined }),
      approvers: fc.option(fc.subarray(APPROVERS, { minLength: 1 }), { nil: undefined }),
      timeout: fc.option(fc.constantFrom("5m", "30m", "2h"), { nil: undefined }),
    })
    .map((r) => {
      const parts = [`${r.effect} ${name}`];
      if (r.when !== undefined) parts.push(`when ${r.when}`);
      if (r.unless !== undefined) parts.push(`unless ${r.unless}`);
      if (r.reason !== undefined) parts.push(`reason ${r.reason}`);
      if (r.effect === "require approval" && r.approvers !== undefined)
        parts.push(`approvers ${JSON.stringify(r.approvers)}`);
      if (r.effect === "require approval" && r.timeout !== undefined) parts.push(`timeout ${r.timeout}`);
      return parts.join("\n    ");
    });
}

function risk(g: Grammar, name: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.oneof(intLit, fc.constantFrom("40", "-10", "55"), g.num), fc.option(g.bool, { nil: undefined }))
    .map(([w, when]) => `risk ${name} ${w}${when === undefined ? "" : ` when ${when}`}`);
}

/** Rules and risks of one place, named with `prefix`. */
function items(g: Grammar, prefix: string, max: number): fc.Arbitrary<string[]> {
  return fc
    .array(fc.boolean(), { minLength: 1, maxLength: max })
    .chain((kinds) =>
      fc.tuple(...kinds.map((isRule, i) => (isRule ? rule(g, `${prefix}${i}`) : risk(g, `${prefix}${i}`)))),
    );
}

const settings = fc
  .record({
    default: fc.constantFrom("allow", "block", "require_approval"),
    unknown_action: fc.constantFrom("allow", "block", "require_approval"),
    on_error: fc.constantFrom("allow", "block", "require_approval"),
    thresholds: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
    approval_timeout: fc.constantFrom("1h", "10m"),
  })
  .map(({ thresholds, ...rest }) => ({
    ...rest,
    approval_at: Math.min(...thresholds),
    block_at: Math.max(...thresholds),
  }))
  .map(
    (s) =>
      `settings {\n${Object.entries(s)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join("\n")}\n}\n`,
  );

/** One policy file's text. */
export const policyText: fc.Arbitrary<string> = fc
  .record({
    settings: fc.option(settings, { nil: undefined }),
    top: items(grammar({ args: "none", locals: false }), "top", 3),
    onA: items(grammar({ args: "a", locals: true }), "a", 5),
    onAB: items(grammar({ args: "common", locals: true }), "ab", 4),
    aLocals: fc.tuple(grammar({ args: "a", locals: false }).num, grammar({ args: "a", locals: false }).str),
    abLocals: fc.tuple(
      grammar({ args: "common", locals: false }).num,
      grammar({ args: "common", locals: false }).str,
    ),
  })
  .map((p) => {
    const block = (pattern: string, locals: [string, string], body: string[]) =>
      `on ${pattern} {\n  let ln = ${locals[0]}\n  let ls = ${locals[1]}\n${body.map((b) => `  ${b}`).join("\n")}\n}\n`;
    return [
      p.settings ?? "",
      SCHEMA,
      block("t.a", p.aLocals, p.onA),
      block("t.a, t.b", p.abLocals, p.onAB),
      ...p.top,
      "",
    ].join("\n");
  });

const anyString = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 6 }));
const number = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.double({ min: -100, max: 100, noNaN: true }));
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((t) => new Date(t).toISOString());
const map = fc.dictionary(fc.constantFrom(...STRINGS), number, { maxKeys: 3 });

const argsA = fc.record(
  {
    s: anyString,
    n: number,
    b: fc.boolean(),
    xs: fc.array(anyString, { maxLength: 4 }),
    ns: fc.array(number, { maxLength: 4 }),
    m: map,
    o: anyString,
    on: number,
    u: fc.constantFrom("x", "y", "z"),
    meta: fc.oneof(
      fc.constant(null),
      fc.record({ k: fc.oneof(number, fc.constant(null)) }, { requiredKeys: [] }),
      number,
    ),
    at: instant,
  },
  { requiredKeys: ["s", "n", "b", "xs", "ns", "m", "u", "meta", "at"] },
);
const argsB = fc.record(
  { s: anyString, n: number, xs: fc.array(anyString, { maxLength: 4 }), m: map, o: anyString },
  { requiredKeys: ["s", "n", "xs", "m"] },
);
const context = fc.record(
  {
    env: fc.constantFrom("dev", "prod"),
    agent: anyString,
    user: fc.record({ id: anyString, roles: fc.subarray(["admin", "ops", "dev"]) }),
  },
  { requiredKeys: ["env", "agent"] },
);

/**
 * JSON a request may carry where the schema expects something else: over a declared field (a
 * wrong type, null, a deep object) or as an extra field (`__proto__` included, as JSON.parse
 * makes it: an own key). The compiled module's fast checks must send every such request down the
 * full checks when, and only when, those find something (compile/fast-check.ts).
 */
const overrides = fc.dictionary(
  fc.constantFrom("s", "n", "xs", "env", "agent", "extra", "__proto__"),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("dev", "prod", 1, [], {})),
  { minKeys: 1, maxKeys: 2 },
);

function withOverrides(
  object: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(object));
  for (const [k, v] of Object.entries(extra))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Requests: mostly valid for the schema, some not, some of an undeclared action. */
export const request: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .record({
        action: fc.constantFrom("t.a", "t.b", "t.zz"),
        args: argsA,
        context,
        time: instant,
        into: fc.constantFrom("args", "context"),
        extra: overrides,
      })
      .map(({ into, extra, ...q }) => ({ ...q, [into]: withOverrides(q[into], extra) })),
  },
  { weight: 6, arbitrary: fc.record({ action: fc.constant("t.a"), args: argsA, context, time: instant }) },
  { weight: 3, arbitrary: fc.record({ action: fc.constant("t.b"), args: argsB, context, time: instant }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constant("t.zz"), context, time: instant }) },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constantFrom("t.a", "t.b"),
      args: fc.record({ s: number, n: anyString }),
      time: instant,
    }),
  },
);
