/**
 * A request → a ready-to-paste `test` block in the formatter's canonical layout:
 *
 *   test "no deletes outside /tmp (counterexample)" {
 *     request {
 *       action: "fs.delete",
 *       args: { path: "/tmpa" },
 *       context: { env: "dev", agent: "" },
 *       time: "2026-01-01T12:00:00Z"
 *     }
 *     expect not allow
 *   }
 *
 * The block is built as syntax (synthetic spans, no comments) and printed by `format`, so it
 * reads exactly like `rplc fmt` output. The language has no `null` literal: a JSON null (only
 * generated for schemas that demand one) prints as the bare word `null`, which the checker
 * rejects; the generators never produce null otherwise.
 */
import { SourceFile } from "../diagnostics/source.js";
import { type Span, span } from "../diagnostics/span.js";
import type {
  Expectation,
  Expr,
  FileNode,
  Name,
  ObjectEntry,
  ObjectLiteral,
  TestDecl,
} from "../syntax/ast.js";
import { format } from "../syntax/print.js";
import { formatNumber } from "../syntax/print-expr.js";

const FILE = "counterexample.rplc";
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Hands out increasing synthetic spans, so the printer keeps things in the order they were made. */
class Spans {
  private at = 0;
  next(): Span {
    this.at += 1;
    return span(FILE, this.at, this.at);
  }
}

export function testBlock(name: string, request: unknown, expects: readonly Expectation[]): string {
  const spans = new Spans();
  const decl: TestDecl = {
    kind: "Test",
    span: spans.next(),
    name: { kind: "String", value: name, span: spans.next() },
    request: objectLiteral(request as Record<string, unknown>, spans),
    expects: expects.map((e) => ({ ...e, span: spans.next() })),
  };
  const file: FileNode = { kind: "File", path: FILE, span: span(FILE, 0, 0), items: [decl], comments: [] };
  return format(file, new SourceFile(FILE, ""));
}

function objectLiteral(value: Record<string, unknown>, spans: Spans): ObjectLiteral {
  const s = spans.next();
  const entries: ObjectEntry[] = Object.keys(value).map((key) => {
    const keySpan = spans.next();
    const name: Name = { kind: "Name", text: key, span: keySpan };
    return {
      kind: "ObjectEntry",
      span: keySpan,
      key: name,
      quoted: !IDENT_RE.test(key),
      value: toExpr(value[key], spans),
    };
  });
  return { kind: "Object", span: s, entries };
}

/** A JSON value as an expression. */
export function toExpr(value: unknown, spans: Spans = new Spans()): Expr {
  const s = spans.next();
  switch (typeof value) {
    case "string":
      return { kind: "String", value, span: s };
    case "boolean":
      return { kind: "Bool", value, span: s };
    case "number": {
      const abs = Math.abs(value);
      const lit: Expr = { kind: "Number", value: abs, raw: formatNumber(abs), span: s };
      if (value >= 0 || Object.is(value, -0)) return lit;
      return { kind: "Unary", op: "-", operand: lit, span: s };
    }
    case "object":
      if (value === null) return { kind: "Identifier", name: "null", span: s };
      if (Array.isArray(value)) return { kind: "List", items: value.map((v) => toExpr(v, spans)), span: s };
      return objectLiteral(value as Record<string, unknown>, spans);
    default:
      return { kind: "Identifier", name: "null", span: s };
  }
}
