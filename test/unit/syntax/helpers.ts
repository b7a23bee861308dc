/** Shared helpers for the syntax tests: parse with positions, strip spans, print expressions. */

import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import type { Expr, FileNode, TypeNode } from "../../../src/syntax/ast.js";
import { parse, parseExpression } from "../../../src/syntax/parse.js";

export interface Parsed<T> {
  value: T;
  diagnostics: readonly Diagnostic[];
  source: SourceFile;
  /** `code@line:col` of every diagnostic, in order. */
  where: string[];
}

export function parseText(text: string, path = "test.rplc"): Parsed<FileNode> {
  const source = new SourceFile(path, text);
  const r = parse(source);
  return { ...r, source, where: r.diagnostics.map((d) => place(source, d)) };
}

export function parseExpr(text: string): Parsed<Expr> {
  const source = new SourceFile("expr.rplc", text);
  const r = parseExpression(source);
  return { ...r, source, where: r.diagnostics.map((d) => place(source, d)) };
}

export function place(source: SourceFile, d: Diagnostic): string {
  const p = source.position(d.span?.start ?? 0);
  return `${d.code}@${p.line}:${p.column}`;
}

/** The text a span covers. */
export function textOf(source: SourceFile, s: { start: number; end: number }): string {
  return source.text.slice(s.start, s.end);
}

/** A deep copy without `span` and `opSpan`, for structural comparison. */
export function strip<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === "span" || k === "opSpan" ? undefined : v))) as T;
}

/** A compact S-expression: `(+ a (* b c))`, `(. x f)`, `([] x 0)`, `(call f a)`, `(=> (x) body)`. */
export function sexpr(e: Expr): string {
  switch (e.kind) {
    case "String":
      return JSON.stringify(e.value);
    case "Number":
      return e.raw;
    case "Duration":
      return `${e.amount}${e.unit}`;
    case "Bool":
      return String(e.value);
    case "Identifier":
      return e.name;
    case "List":
      return `[${e.items.map(sexpr).join(" ")}]`;
    case "Object":
      return `{${e.entries.map((x) => `${x.quoted ? JSON.stringify(x.key.text) : x.key.text}: ${sexpr(x.value)}`).join(", ")}}`;
    case "Member":
      return `(. ${sexpr(e.object)} ${e.property.text})`;
    case "Index":
      return `([] ${sexpr(e.object)} ${sexpr(e.index)})`;
    case "Call":
      return `(call ${[e.callee, ...e.args].map(sexpr).join(" ")})`;
    case "Lambda":
      return `(=> (${e.params.map((p) => p.text).join(" ")}) ${sexpr(e.body)})`;
    case "Unary":
      return `(${e.op} ${sexpr(e.operand)})`;
    case "Binary":
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "ErrorExpr":
      return "<error>";
  }
}

export function typeText(t: TypeNode): string {
  switch (t.kind) {
    case "NamedType":
      return t.name;
    case "ListType":
      return `list<${typeText(t.element)}>`;
    case "MapType":
      return `map<${typeText(t.value)}>`;
    case "UnionType":
      return t.members.map((m) => JSON.stringify(m.value)).join(" | ");
    case "ObjectType":
      return `{ ${t.fields.map((f) => `${f.name.text}${f.optional ? "?" : ""}: ${typeText(f.type)}`).join(", ")} }`;
  }
}
