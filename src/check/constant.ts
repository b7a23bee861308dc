/**
 * Compile-time constants: `with { … }` values and `param` defaults. A constant is a string, number,
 * duration or boolean literal, a negated number or duration, or a list or object of constants.
 * `checkConstant` types one against a param's declared Type and reports the first mismatch at the
 * innermost offending value, naming it by path (`protected_tables[1]`).
 */
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import type { Expr, ObjectEntry } from "../syntax/ast.js";
import { didYouMean } from "./suggest.js";
import { formatType, T, type Type } from "./types.js";

/** RFC 3339 date-time, as JSON Schema's `date-time` format. */
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;

export function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case "String":
    case "Number":
    case "Duration":
    case "Bool":
      return true;
    case "Unary":
      return e.op === "-" && (e.operand.kind === "Number" || e.operand.kind === "Duration");
    case "List":
      return e.items.every(isConstant);
    case "Object":
      return e.entries.every((entry) => isConstant(entry.value));
    default:
      return false;
  }
}

/** The type a constant has on its own (lists of mixed items are `list<any>`). */
export function constantType(e: Expr): Type {
  switch (e.kind) {
    case "String":
      return T.string;
    case "Number":
      return T.number;
    case "Duration":
      return T.duration;
    case "Bool":
      return T.bool;
    case "Unary":
      return constantType(e.operand);
    case "List": {
      const items = e.items.map(constantType);
      const first = items[0];
      if (first === undefined) return T.list(T.any);
      const same = items.every((t) => formatType(t) === formatType(first));
      return T.list(same ? first : T.any);
    }
    case "Object":
      return T.object(
        Object.fromEntries(
          e.entries.map((entry) => [entry.key.text, { type: constantType(entry.value), optional: false }]),
        ),
      );
    default:
      return T.error;
  }
}

/**
 * Check constant `e` against `expected`. Messages name it `${label} \`${path}\``, like
 * "`with` value `tables[1]`". Returns true when it fits. Pushes at most one diagnostic.
 */
export function checkConstant(
  e: Expr,
  expected: Type,
  label: string,
  path: string,
  diagnostics: Diagnostic[],
): boolean {
  if (e.kind === "ErrorExpr") return false; // the parser already reported it
  const ctx: Ctx = { label, diagnostics };
  if (!isConstant(e)) {
    diagnostics.push(
      diag("RPL3013", e.span, [describe(ctx, path)], {
        help: "write a literal: a string, number, duration, boolean, list or object",
      }),
    );
    return false;
  }
  return fits(e, expected, path, ctx);
}

interface Ctx {
  readonly label: string;
  readonly diagnostics: Diagnostic[];
}

function describe(ctx: Ctx, path: string): string {
  return `${ctx.label} \`${path}\``;
}

function mismatch(e: Expr, expected: Type, what: string, ctx: Ctx, help?: string): false {
  ctx.diagnostics.push(
    diag(
      "RPL3012",
      e.span,
      [describe(ctx, what), formatType(expected), formatType(constantType(e))],
      help ? { help } : {},
    ),
  );
  return false;
}

function fits(e: Expr, expected: Type, what: string, ctx: Ctx): boolean {
  switch (expected.kind) {
    case "any":
    case "error":
      return true;
    case "string":
      return e.kind === "String" || mismatch(e, expected, what, ctx);
    case "number":
      return isNumber(e) || mismatch(e, expected, what, ctx);
    case "duration":
      return isDuration(e) || mismatch(e, expected, what, ctx);
    case "bool":
      return e.kind === "Bool" || mismatch(e, expected, what, ctx);
    case "timestamp":
      if (e.kind === "String" && RFC3339.test(e.value) && !Number.isNaN(Date.parse(e.value))) return true;
      return mismatch(e, expected, what, ctx, 'write an RFC 3339 time, like "2026-01-31T09:00:00Z"');
    case "union":
      if (e.kind !== "String") return mismatch(e, expected, what, ctx);
      if (expected.values.includes(e.value)) return true;
      return mismatch(e, expected, what, ctx, didYouMean(e.value, expected.values));
    case "list":
      if (e.kind !== "List") return mismatch(e, expected, what, ctx);
      return e.items.every((item, i) => fits(item, expected.element, `${what}[${i}]`, ctx));
    case "map":
      if (e.kind !== "Object") return mismatch(e, expected, what, ctx);
      return e.entries.every((entry) => fits(entry.value, expected.value, member(what, entry), ctx));
    case "object":
      return fitsObject(e, expected, what, ctx);
    case "function":
      return mismatch(e, expected, what, ctx);
  }
}

function fitsObject(e: Expr, expected: Extract<Type, { kind: "object" }>, what: string, ctx: Ctx): boolean {
  if (e.kind !== "Object") return mismatch(e, expected, what, ctx);
  const names = Object.keys(expected.fields);
  for (const entry of e.entries) {
    const field = Object.hasOwn(expected.fields, entry.key.text)
      ? expected.fields[entry.key.text]
      : undefined;
    if (field === undefined) {
      ctx.diagnostics.push(
        diag("RPL3014", entry.key.span, [describe(ctx, what), entry.key.text], {
          help:
            didYouMean(entry.key.text, names) ?? `the fields are ${names.map((n) => `\`${n}\``).join(", ")}`,
        }),
      );
      return false;
    }
    if (!fits(entry.value, field.type, member(what, entry), ctx)) return false;
  }
  const given = new Set(e.entries.map((entry) => entry.key.text));
  const missing = names.filter((n) => !expected.fields[n]?.optional && !given.has(n));
  if (missing.length > 0)
    return mismatch(e, expected, what, ctx, `add ${missing.map((n) => `\`${n}\``).join(", ")}`);
  return true;
}

function member(what: string, entry: ObjectEntry): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.key.text)
    ? `${what}.${entry.key.text}`
    : `${what}[${JSON.stringify(entry.key.text)}]`;
}

function isNumber(e: Expr): boolean {
  return e.kind === "Number" || (e.kind === "Unary" && e.operand.kind === "Number");
}
function isDuration(e: Expr): boolean {
  return e.kind === "Duration" || (e.kind === "Unary" && e.operand.kind === "Duration");
}

/** The constant as a JSON-like value (durations in milliseconds), for comparing two `with` objects. */
export function constantValue(e: Expr): unknown {
  switch (e.kind) {
    case "String":
    case "Number":
    case "Bool":
      return e.value;
    case "Duration":
      return e.ms;
    case "Unary": {
      const v = constantValue(e.operand);
      return typeof v === "number" ? -v : undefined;
    }
    case "List":
      return e.items.map(constantValue);
    case "Object":
      return Object.fromEntries(e.entries.map((entry) => [entry.key.text, constantValue(entry.value)]));
    default:
      return undefined;
  }
}
