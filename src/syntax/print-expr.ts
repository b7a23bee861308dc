/**
 * Expressions to docs. Parentheses appear only where precedence needs them (LANGUAGE.md §6,
 * BINARY_PRECEDENCE in ast.ts): a child binds looser than its parent, a right operand of the same
 * level (`a - (b - c)`, `a and (b and c)`), or a comparison under a comparison (they do not chain);
 * and, for readers used to other languages, around `??` under a comparison or logical operator.
 * Chains of `and` / `or` break before the operator when they do not fit; lists, objects and call
 * arguments break one item per line. Strings print with JSON escapes (JSON.stringify), numbers as
 * written, durations as amount and unit.
 */
import type { Expr, LambdaExpr, NumberLiteral, ObjectEntry } from "./ast.js";
import { BINARY_PRECEDENCE, NEGATE_PRECEDENCE, NOT_PRECEDENCE } from "./ast.js";
import type { CommentPool } from "./print-comments.js";
import { type Doc, group, indent, join, line, render, softline } from "./print-doc.js";
import { delimited, type Element, type Region } from "./print-seq.js";

/** The pool comments are taken from when printing a file; absent for `printExpr`. */
export interface PrintCtx {
  readonly pool: CommentPool | undefined;
}

const NO_COMMENTS: PrintCtx = { pool: undefined };

const POSTFIX_PRECEDENCE = 10;
const COMPARISON_PRECEDENCE = BINARY_PRECEDENCE["=="];
const LAMBDA_PRECEDENCE = 0;

/** How tightly an expression binds; higher binds tighter. */
export function precedence(e: Expr): number {
  switch (e.kind) {
    case "Binary":
      return BINARY_PRECEDENCE[e.op];
    case "Unary":
      return e.op === "not" ? NOT_PRECEDENCE : NEGATE_PRECEDENCE;
    case "Lambda":
      return LAMBDA_PRECEDENCE;
    default:
      return POSTFIX_PRECEDENCE;
  }
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Characters that JSON.stringify leaves raw but that are invisible or reorder text on screen:
 * DEL and C1 controls, soft hyphen, zero-width and bidirectional controls, line and paragraph
 * separators, the byte-order mark. They print as `\uXXXX` so a policy shows what it compares.
 */
const INVISIBLE_RE = /[\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** A string literal: JSON escapes (JSON.stringify), plus invisible characters escaped. */
export function printString(value: string): string {
  return JSON.stringify(value).replace(
    INVISIBLE_RE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A key or field name: bare when it is a word (keywords are fine there), else a JSON string. */
export function printKey(text: string, quoted = false): string {
  return !quoted && IDENT_RE.test(text) ? text : printString(text);
}

/** One expression on one line (for diagnostics and explanations). */
export function printExpr(e: Expr): string {
  return render(exprDoc(e, NO_COMMENTS), { width: Number.POSITIVE_INFINITY });
}

export function exprDoc(e: Expr, ctx: PrintCtx): Doc {
  switch (e.kind) {
    case "String":
      return printString(e.value);
    case "Number":
      return printNumber(e);
    case "Duration":
      return `${e.amount}${e.unit}`;
    case "Bool":
      return e.value ? "true" : "false";
    case "Identifier":
      return e.name;
    case "ErrorExpr":
      return "<error>";
    case "List":
      return delimited(
        "[",
        "]",
        e.items.map((item) => element(item, exprDoc(item, ctx))),
        region(ctx, e.span.start, e.span.end, e.span.start),
        { sep: "comma" },
      );
    case "Object":
      return objectDoc(e.entries, e.span, ctx);
    case "Member": {
      const needs =
        precedence(e.object) < POSTFIX_PRECEDENCE ||
        e.object.kind === "Number" ||
        e.object.kind === "Duration";
      return [wrap(e.object, needs, ctx), ".", e.property.text];
    }
    case "Index":
      return [
        wrap(e.object, precedence(e.object) < POSTFIX_PRECEDENCE, ctx),
        "[",
        exprDoc(e.index, ctx),
        "]",
      ];
    case "Call": {
      const args = e.args.map((a) => element(a, a.kind === "Lambda" ? lambdaDoc(a, ctx) : exprDoc(a, ctx)));
      const callee = wrap(e.callee, precedence(e.callee) < POSTFIX_PRECEDENCE, ctx);
      return [
        callee,
        delimited(
          "(",
          ")",
          args,
          region(ctx, e.callee.span.end, e.span.end, ctx.pool?.callParen(e.callee.span.end)),
          {
            sep: "comma",
          },
        ),
      ];
    }
    case "Lambda":
      // Only valid as a call argument (handled there); anywhere else it needs parentheses.
      return ["(", lambdaDoc(e, ctx), ")"];
    case "Unary": {
      if (e.op === "not") {
        return [
          "not ",
          wrap(e.operand, precedence(e.operand) < NOT_PRECEDENCE || isCoalesce(e.operand), ctx),
        ];
      }
      // `-(-x)` rather than `--x`, which reads like a decrement.
      const nested = e.operand.kind === "Unary" && e.operand.op === "-";
      return ["-", wrap(e.operand, nested || precedence(e.operand) < NEGATE_PRECEDENCE, ctx)];
    }
    case "Binary": {
      if (e.op === "and" || e.op === "or") return chainDoc(e, ctx);
      const p = BINARY_PRECEDENCE[e.op];
      const lp = precedence(e.left);
      const clarify = p <= COMPARISON_PRECEDENCE;
      const left = wrap(
        e.left,
        lp < p || (p === COMPARISON_PRECEDENCE && lp === p) || (clarify && isCoalesce(e.left)),
        ctx,
      );
      const right = wrap(e.right, precedence(e.right) <= p || (clarify && isCoalesce(e.right)), ctx);
      return [left, ` ${e.op} `, right];
    }
  }
}

export function objectDoc(
  entries: readonly ObjectEntry[],
  span: { readonly start: number; readonly end: number },
  ctx: PrintCtx,
): Doc {
  const elements = entries.map((en) =>
    element(en, [printKey(en.key.text, en.quoted), ": ", exprDoc(en.value, ctx)]),
  );
  return delimited("{", "}", elements, region(ctx, span.start, span.end, span.start), {
    sep: "comma",
    spaced: true,
  });
}

/** `a and b and c`: one group that breaks before each operator, continuation lines indented. */
function chainDoc(e: Expr & { kind: "Binary" }, ctx: PrintCtx): Doc {
  const op = e.op;
  const p = BINARY_PRECEDENCE[op];
  const operands: Expr[] = [];
  let cur: Expr = e;
  while (cur.kind === "Binary" && cur.op === op) {
    operands.push(cur.right);
    cur = cur.left;
  }
  operands.push(cur);
  operands.reverse();
  const docs = operands.map((o, i) => {
    // The first operand is a left operand (looser needs parens); the others are right operands.
    const needs = (i === 0 ? precedence(o) < p : precedence(o) <= p) || isCoalesce(o);
    return needs ? parenthesized(o, ctx) : exprDoc(o, ctx);
  });
  const [first, ...rest] = docs;
  return group([first ?? "", indent(rest.map((d) => [line, `${op} `, d]))]);
}

/**
 * The one exception to "parentheses only where precedence needs them": `a ?? b` keeps its
 * parentheses as an operand of a comparison, `not`, `and` or `or`. In rplc `??` binds tighter
 * than `==`, in JavaScript and C# looser, so `(x ?? "a") == "b"` without them misleads readers.
 */
function isCoalesce(e: Expr): boolean {
  return e.kind === "Binary" && e.op === "??";
}

function wrap(e: Expr, needs: boolean, ctx: PrintCtx): Doc {
  return needs ? parenthesized(e, ctx) : exprDoc(e, ctx);
}

function parenthesized(e: Expr, ctx: PrintCtx): Doc {
  if (e.kind === "Binary" && (e.op === "and" || e.op === "or")) {
    return group(["(", indent([softline, exprDoc(e, ctx)]), softline, ")"]);
  }
  if (e.kind === "Lambda") return ["(", lambdaDoc(e, ctx), ")"];
  return ["(", exprDoc(e, ctx), ")"];
}

function lambdaDoc(e: LambdaExpr, ctx: PrintCtx): Doc {
  const names = e.params.map((p) => p.text);
  const params = names.length === 1 ? (names[0] as string) : `(${names.join(", ")})`;
  return [params, " => ", exprDoc(e.body, ctx)];
}

const NUMBER_RE = /^[0-9]+(?:\.[0-9]+)?$/;

function printNumber(n: NumberLiteral): string {
  if (NUMBER_RE.test(n.raw) && Number(n.raw) === n.value) return n.raw;
  return formatNumber(n.value);
}

/** A number in plain decimal notation (no exponent), for nodes not read from source. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v < 0) return `-${formatNumber(-v)}`;
  const s = String(v);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(v)) return BigInt(v).toString();
  return v.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

function element(
  node: { readonly span: { readonly start: number; readonly end: number } },
  doc: Doc,
): Element {
  return { start: node.span.start, end: node.span.end, doc };
}

export function region(
  ctx: PrintCtx,
  from: number,
  to: number,
  openAt: number | undefined,
): Region | undefined {
  return ctx.pool ? { pool: ctx.pool, from, to, openAt } : undefined;
}

/** Docs joined by `, ` that break one per line (names in `except [...]`, `def` parameters). */
export function plainList(open: string, close: string, docs: readonly Doc[]): Doc {
  if (docs.length === 0) return `${open}${close}`;
  return group([open, indent([softline, join([",", line], docs)]), softline, close]);
}
