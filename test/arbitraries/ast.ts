/**
 * fast-check arbitraries of valid rplc syntax trees (src/syntax/ast.ts), for round-trip and
 * other property tests. Every tree is one the parser can produce: identifiers are not keywords
 * (keywords appear only where the grammar allows them: field names, object keys, setting keys,
 * action name parts, the roots `action` and `context`), numbers are ≥ 0 (negative ones are
 * `Unary -`), lambdas appear only as call arguments, `approvers` and `timeout` only on
 * `require approval` rules. Spans are all the same dummy span: spans never take part in equality.
 */
import fc from "fast-check";
import type * as A from "../../src/syntax/ast.js";

export const DUMMY_FILE = "arbitrary.rplc";
const S = { file: DUMMY_FILE, start: 0, end: 0 } as const;

export const KEYWORDS = [
  "policy",
  "version",
  "include",
  "with",
  "except",
  "action",
  "context",
  "let",
  "def",
  "param",
  "settings",
  "on",
  "allow",
  "block",
  "require",
  "approval",
  "risk",
  "when",
  "unless",
  "reason",
  "approvers",
  "timeout",
  "and",
  "or",
  "not",
  "in",
  "true",
  "false",
  "test",
  "expect",
  "property",
  "for",
  "where",
  "runs",
] as const;
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
/** Words with a meaning in one place only: still identifiers everywhere. */
const CONTEXTUAL = ["label", "redact", "request", "rule", "score", "from", "list", "map"] as const;

const FIRST = "abcdefghijklmnopqrstuvwxyzABCZ_".split("");
const REST = "abcxyz0189_".split("");

/** An identifier that is not a keyword (sometimes a contextual word such as `rule`). */
export const identifier: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...FIRST), fc.string({ unit: fc.constantFrom(...REST), maxLength: 6 }))
      .map(([a, b]) => a + b)
      .filter((s) => !KEYWORD_SET.has(s)),
  },
  { weight: 2, arbitrary: fc.constantFrom("args", "now", "sql", "verb", "internal", "x", "env") },
  { weight: 1, arbitrary: fc.constantFrom(...CONTEXTUAL) },
);
/** Where the grammar takes any word: a field name, an object key, a setting key. */
const anyName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: identifier },
  { weight: 1, arbitrary: fc.constantFrom(...KEYWORDS) },
);

const name = (text: fc.Arbitrary<string> = identifier): fc.Arbitrary<A.Name> =>
  text.map((t) => ({ kind: "Name", text: t, span: S }));

/** Strings with escapes, control characters, line separators, astral and lone surrogate code units. */
export const stringValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({
    unit: fc.constantFrom(
      "\\",
      '"',
      "\n",
      "\r",
      "\t",
      "\b",
      "\f",
      "\u0000",
      "\u001f",
      "\u007f",
      "\u2028",
      "/",
      "é",
      "😀",
      "\ud800",
      "\udfff",
      "#",
      "a",
    ),
    maxLength: 10,
  }),
);
const stringLit: fc.Arbitrary<A.StringLiteral> = stringValue.map((value) => ({
  kind: "String",
  value,
  span: S,
}));

const digits = fc.string({ unit: fc.constantFrom(..."0123456789".split("")), minLength: 1, maxLength: 4 });
export const numberLit: fc.Arbitrary<A.NumberLiteral> = fc
  .tuple(
    fc.oneof(
      fc.constant("0"),
      fc
        .tuple(
          fc.constantFrom(..."123456789".split("")),
          fc.string({ unit: fc.constantFrom(..."0123456789".split("")), maxLength: 6 }),
        )
        .map(([a, b]) => a + b),
    ),
    fc.option(digits, { nil: undefined }),
  )
  .map(([int, frac]) => {
    const raw = frac === undefined ? int : `${int}.${frac}`;
    return { kind: "Number", value: Number(raw), raw, span: S };
  });

const UNIT_MS: Record<A.DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const durationLit: fc.Arbitrary<A.DurationLiteral> = fc
  .tuple(fc.nat({ max: 100_000 }), fc.constantFrom<A.DurationUnit>("ms", "s", "m", "h", "d"))
  .map(([amount, unit]) => ({ kind: "Duration", amount, unit, ms: amount * UNIT_MS[unit], span: S }));

const BINARY_OPS: readonly A.BinaryOp[] = [
  "or",
  "and",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "in",
  "not in",
  "??",
  "+",
  "-",
  "*",
  "/",
  "%",
];

type ExprArbs = {
  expr: A.Expr;
  lambda: A.LambdaExpr;
  object: A.ObjectLiteral;
};

const leaf: fc.Arbitrary<A.Expr> = fc.oneof(
  stringLit,
  numberLit,
  durationLit,
  fc.boolean().map((value): A.BoolLiteral => ({ kind: "Bool", value, span: S })),
  fc
    .oneof(
      { weight: 8, arbitrary: identifier },
      { weight: 1, arbitrary: fc.constantFrom("action", "context") },
    )
    .map((n): A.Identifier => ({ kind: "Identifier", name: n, span: S })),
);

const arbs = fc.letrec<ExprArbs>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 4, depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...BINARY_OPS), tie("expr"), tie("expr"))
        .map(([op, left, right]): A.Expr => ({ kind: "Binary", op, left, right, opSpan: S, span: S })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<A.UnaryOp>("not", "-"), tie("expr"))
        .map(([op, operand]): A.Expr => ({ kind: "Unary", op, operand, span: S })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(tie("expr"), name(anyName))
        .map(([object, property]): A.Expr => ({ kind: "Member", object, property, span: S })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(tie("expr"), tie("expr"))
        .map(([object, index]): A.Expr => ({ kind: "Index", object, index, span: S })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          tie("expr"),
          fc.array(fc.oneof({ weight: 3, arbitrary: tie("expr") }, { weight: 1, arbitrary: tie("lambda") }), {
            maxLength: 3,
          }),
        )
        .map(([callee, args]): A.Expr => ({ kind: "Call", callee, args, span: S })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(tie("expr"), { maxLength: 4 })
        .map((items): A.Expr => ({ kind: "List", items, span: S })),
    },
    { weight: 1, arbitrary: tie("object") },
  ),
  lambda: fc
    .tuple(fc.array(name(), { maxLength: 3 }), tie("expr"))
    .map(([params, body]): A.LambdaExpr => ({ kind: "Lambda", params, body, span: S })),
  object: fc
    .array(
      fc.oneof(fc.tuple(name(anyName), fc.constant(false)), fc.tuple(name(stringValue), fc.constant(true))),
      { maxLength: 4 },
    )
    .chain((keys) =>
      fc.tuple(fc.constant(keys), fc.array(tie("expr"), { minLength: keys.length, maxLength: keys.length })),
    )
    .map(
      ([keys, values]): A.ObjectLiteral => ({
        kind: "Object",
        entries: keys.map(([key, quoted], i) => ({
          kind: "ObjectEntry",
          key,
          quoted,
          value: values[i] as A.Expr,
          span: S,
        })),
        span: S,
      }),
    ),
}));

export const expr: fc.Arbitrary<A.Expr> = arbs.expr;
export const objectLit: fc.Arbitrary<A.ObjectLiteral> = arbs.object;

// ---------------------------------------------------------------------------------------------
// Types

const PRIMITIVES = ["string", "number", "bool", "duration", "timestamp", "any"];
const typeArbs = fc.letrec<{ type: A.TypeNode; object: A.ObjectTypeNode }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          { weight: 4, arbitrary: fc.constantFrom(...PRIMITIVES) },
          { weight: 1, arbitrary: identifier.filter((n) => n !== "list" && n !== "map") },
        )
        .map((n): A.TypeNode => ({ kind: "NamedType", name: n, span: S })),
    },
    {
      weight: 1,
      arbitrary: tie("type").map((element): A.TypeNode => ({ kind: "ListType", element, span: S })),
    },
    { weight: 1, arbitrary: tie("type").map((value): A.TypeNode => ({ kind: "MapType", value, span: S })) },
    { weight: 1, arbitrary: tie("object") },
    {
      weight: 1,
      arbitrary: fc
        .array(stringLit, { minLength: 1, maxLength: 3 })
        .map((members): A.TypeNode => ({ kind: "UnionType", members, span: S })),
    },
  ),
  object: fc
    .array(
      fc
        .tuple(
          name(fc.oneof({ weight: 4, arbitrary: anyName }, { weight: 1, arbitrary: stringValue })),
          fc.boolean(),
          tie("type"),
        )
        .map(
          ([n, optional, type]): A.FieldTypeNode => ({ kind: "FieldType", name: n, optional, type, span: S }),
        ),
      { maxLength: 4 },
    )
    .map((fields): A.ObjectTypeNode => ({ kind: "ObjectType", fields, span: S })),
}));

export const typeNode: fc.Arbitrary<A.TypeNode> = typeArbs.type;
export const objectType: fc.Arbitrary<A.ObjectTypeNode> = typeArbs.object;

// ---------------------------------------------------------------------------------------------
// Declarations

const qualifiedName = (wildcardAllowed: boolean): fc.Arbitrary<A.QualifiedName> =>
  fc
    .tuple(
      fc.array(anyName, { minLength: 1, maxLength: 3 }),
      wildcardAllowed ? fc.boolean() : fc.constant(false),
    )
    .map(([parts, wildcard]) => ({
      kind: "QualifiedName",
      parts: parts.map((text) => ({ kind: "Name", text, span: S })),
      wildcard,
      text: parts.join("."),
      span: S,
    }));

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** `{ ...(v !== undefined ? { key: v } : {}) }` without the noise. */
function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

export const rule: fc.Arbitrary<A.RuleDecl> = fc
  .record({
    effect: fc.constantFrom<A.Effect>("allow", "block", "require_approval"),
    name: name(),
    when: opt(expr),
    unless: opt(expr),
    reason: opt(expr),
    approvers: opt(expr),
    timeout: opt(durationLit),
  })
  .map(({ effect, name: n, when, unless, reason, approvers, timeout }) =>
    withOptional<A.RuleDecl>(
      { kind: "Rule", effect, name: n, span: S },
      effect === "require_approval" ? { when, unless, reason, approvers, timeout } : { when, unless, reason },
    ),
  );

export const risk: fc.Arbitrary<A.RiskDecl> = fc
  .tuple(name(), expr, opt(expr))
  .map(([n, weight, when]) => withOptional<A.RiskDecl>({ kind: "Risk", name: n, weight, span: S }, { when }));

const letDecl: fc.Arbitrary<A.LetDecl> = fc
  .tuple(name(), expr)
  .map(([n, value]) => ({ kind: "Let", name: n, value, span: S }));

const onItem: fc.Arbitrary<A.OnItem> = fc.oneof(
  letDecl,
  rule,
  risk,
  name().map((n): A.OnItem => ({ kind: "Label", name: n, span: S })),
  expr.map((target): A.OnItem => ({ kind: "Redact", target, span: S })),
);

const expectation: fc.Arbitrary<A.Expectation> = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.constantFrom<A.ExpectDecision>("allow", "block", "require_approval"))
    .map(([negated, decision]): A.Expectation => ({ kind: "ExpectDecision", negated, decision, span: S })),
  fc
    .tuple(fc.boolean(), name())
    .map(([negated, r]): A.Expectation => ({ kind: "ExpectRule", negated, rule: r, span: S })),
  fc
    .tuple(fc.constantFrom<A.ScoreOp>("==", "!=", "<", "<=", ">", ">="), numberLit)
    .map(([op, value]): A.Expectation => ({ kind: "ExpectScore", op, value, span: S })),
);

/** Keys after which an expression value could run on (`a: x in: y`): the printer must separate them. */
const settingEntry: fc.Arbitrary<A.SettingEntry> = fc
  .tuple(
    name(anyName),
    fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .constantFrom("allow", "block")
          .map((n): A.Expr => ({ kind: "Identifier", name: n, span: S })),
      },
      { weight: 3, arbitrary: expr },
    ),
  )
  .map(([key, value]) => ({ kind: "SettingEntry", key, value, span: S }));

export const topItem: fc.Arbitrary<A.TopItem> = fc.oneof(
  fc
    .tuple(stringLit, opt(objectLit), fc.array(name(), { maxLength: 3 }))
    .map(([path, w, except]) =>
      withOptional<A.Include>({ kind: "Include", path, except, span: S }, { with: w }),
    ),
  fc
    .array(settingEntry, { maxLength: 4 })
    .map((entries): A.TopItem => ({ kind: "Settings", entries, span: S })),
  objectType.map((type): A.TopItem => ({ kind: "Context", type, span: S })),
  fc
    .tuple(
      qualifiedName(false),
      fc.oneof(
        objectType.map((type) => ({ type })),
        stringLit.map((from) => ({ from })),
      ),
    )
    .map(([n, body]): A.TopItem => ({ kind: "Action", name: n, span: S, ...body })),
  letDecl,
  fc.tuple(name(), fc.array(fc.tuple(name(), typeNode), { maxLength: 3 }), typeNode, expr).map(
    ([n, params, returnType, body]): A.TopItem => ({
      kind: "Def",
      name: n,
      params: params.map(([pn, type]) => ({ kind: "DefParam", name: pn, type, span: S })),
      returnType,
      body,
      span: S,
    }),
  ),
  fc
    .tuple(name(), typeNode, expr)
    .map(([n, type, d]): A.TopItem => ({ kind: "Param", name: n, type, default: d, span: S })),
  fc
    .tuple(fc.array(qualifiedName(true), { minLength: 1, maxLength: 3 }), fc.array(onItem, { maxLength: 4 }))
    .map(([patterns, items]): A.TopItem => ({ kind: "On", patterns, items, span: S })),
  rule,
  risk,
  fc
    .tuple(stringLit, objectLit, fc.array(expectation, { maxLength: 3 }))
    .map(([n, request, expects]): A.TopItem => ({ kind: "Test", name: n, request, expects, span: S })),
  fc
    .tuple(stringLit, qualifiedName(true), opt(expr), fc.array(expectation, { maxLength: 3 }), opt(numberLit))
    .map(([n, action, where, expects, runs]) =>
      withOptional<A.PropertyDecl>({ kind: "Property", name: n, action, expects, span: S }, { where, runs }),
    ),
);

export const fileNode: fc.Arbitrary<A.FileNode> = fc
  .tuple(opt(fc.tuple(stringLit, opt(stringLit))), fc.array(topItem, { maxLength: 6 }))
  .map(([header, items]) =>
    withOptional<A.FileNode>(
      { kind: "File", path: DUMMY_FILE, items, comments: [], span: S },
      {
        header: header
          ? withOptional<A.PolicyHeader>(
              { kind: "PolicyHeader", name: header[0], span: S },
              { version: header[1] },
            )
          : undefined,
      },
    ),
  );
