/**
 * `rplc fmt`: the one canonical layout of a `.rplc` file.
 *
 * Layout rules (the formatter's contract; see also docs/language reference):
 * - 2-space indentation, lines of at most 100 columns where the syntax allows a break, `\n` line
 *   endings, no trailing spaces, one final newline (an empty file stays empty).
 * - One item per line. Between items a single empty line is kept where the source had one or
 *   more; an empty line always surrounds an item printed on several lines (blocks such as `on`,
 *   `settings`, `context`, tests, and rules that do not fit on one line).
 * - A rule or risk is printed on one line when it fits in 100 columns and holds no comment;
 *   otherwise the head (`block name`, `risk name WEIGHT`) comes first and each clause follows on
 *   its own line, indented. Clauses keep their source order.
 * - `{ … }` bodies (settings, context, action, on, test, property) hold one entry per line, without
 *   commas. Lists, objects, call arguments, `except` names and `def` parameters stay on one line
 *   when they fit, else one item per line (lists, objects and arguments then end with a comma).
 *   Object types are `{ a: T, b?: T }` on one line, else one field per line without commas.
 *   `on` patterns that do not fit break after a comma; `and` / `or` chains break before the operator.
 * - Operators take single spaces; parentheses only where precedence needs them, and around `??`
 *   under a comparison, `not`, `and` or `or` (its precedence differs between languages).
 * - Strings print with JSON escapes (JSON.stringify, and invisible or bidirectional-control
 *   characters as `\uXXXX`), numbers as written, durations as amount and unit, object keys bare
 *   when they are words, else quoted.
 * - Every comment is kept exactly once (print-comments.ts): on its own line before the item it
 *   precedes, or at the end of the line it ended; a comment from inside an expression moves to the
 *   start of the line (rule clause, list item, item) that holds it.
 * Formatting is idempotent: format(parse(format(x))) === format(x).
 */
import type { SourceFile } from "../diagnostics/source.js";
import type {
  ActionDecl,
  DefDecl,
  Expectation,
  FileNode,
  Include,
  OnBlock,
  OnItem,
  PropertyDecl,
  QualifiedName,
  Settings,
  TestDecl,
  TopItem,
} from "./ast.js";
import { CommentPool } from "./print-comments.js";
import { type Doc, group, indent, line, render } from "./print-doc.js";
import { exprDoc, objectDoc, type PrintCtx, plainList, printKey, printString, region } from "./print-expr.js";
import { DECISION_WORDS, risk, rule } from "./print-rule.js";
import { delimited, type Element, topLevel } from "./print-seq.js";
import { objectTypeDoc, typeDoc } from "./print-type.js";

export { printExpr } from "./print-expr.js";
export { printType } from "./print-type.js";

export interface Ctx extends PrintCtx {
  readonly pool: CommentPool;
}

/** Format a file that parsed without errors. */
export function format(file: FileNode, source: SourceFile): string {
  const ctx: Ctx = { pool: new CommentPool(file.comments, source) };
  const elements: Element[] = [];
  if (file.header) {
    const h = file.header;
    const doc: Doc = [
      "policy ",
      printString(h.name.value),
      h.version ? [" version ", printString(h.version.value)] : "",
    ];
    elements.push(hoisting(ctx, h.span, doc));
  }
  for (const item of file.items) elements.push(topItem(item, ctx));
  elements.sort((a, b) => a.start - b.start);
  const doc = topLevel(elements, {
    pool: ctx.pool,
    from: 0,
    to: Number.POSITIVE_INFINITY,
    openAt: undefined,
  });
  // INVARIANT: every comment found a place.
  if (ctx.pool.remaining.length > 0) throw new Error("INVARIANT: the formatter lost a comment");
  return render(doc);
}

function topItem(item: TopItem, ctx: Ctx): Element {
  switch (item.kind) {
    case "Include":
      return include(item, ctx);
    case "Settings":
      return settings(item, ctx);
    case "Context": {
      const body = objectTypeDoc(item.type, ctx, true);
      return hoisting(ctx, item.span, ["context ", body]);
    }
    case "Action":
      return action(item, ctx);
    case "Def":
      return def(item, ctx);
    case "Param":
      return hoisting(ctx, item.span, [
        "param ",
        item.name.text,
        ": ",
        typeDoc(item.type, ctx),
        " = ",
        exprDoc(item.default, ctx),
      ]);
    case "On":
      return on(item, ctx);
    case "Test":
      return test(item, ctx);
    case "Property":
      return property(item, ctx);
    default:
      return onItem(item, ctx);
  }
}

function onItem(item: OnItem, ctx: Ctx): Element {
  switch (item.kind) {
    case "Let":
      return hoisting(ctx, item.span, ["let ", item.name.text, " = ", exprDoc(item.value, ctx)]);
    case "Rule":
      return rule(item, ctx);
    case "Risk":
      return risk(item, ctx);
    case "Label":
      return hoisting(ctx, item.span, ["label ", item.name.text]);
    case "Redact":
      return hoisting(ctx, item.span, ["redact ", exprDoc(item.target, ctx)]);
  }
}

/** An element whose remaining inner comments (after its parts took theirs) go before it. */
function hoisting(ctx: Ctx, span: { start: number; end: number }, doc: Doc): Element {
  return { start: span.start, end: span.end, doc, hoisted: ctx.pool.take(span.start, span.end) };
}

function include(item: Include, ctx: Ctx): Element {
  const doc: Doc[] = ["include ", printString(item.path.value)];
  if (item.with) doc.push(" with ", objectDoc(item.with.entries, item.with.span, ctx));
  if (item.except.length > 0) {
    doc.push(
      " except ",
      plainList(
        "[",
        "]",
        item.except.map((n) => n.text),
      ),
    );
  }
  return hoisting(ctx, item.span, doc);
}

const OPERATOR_WORDS: ReadonlySet<string> = new Set(["and", "or", "in", "not"]);

/** `keyword {` … `}`: comments between the keyword and the first entry's line follow the brace. */
function settings(item: Settings, ctx: Ctx): Element {
  const openAt = item.span.start + "settings".length;
  const entries = item.entries.map((e, i) => {
    // Entries take no commas, except before a key that would continue the value (`x in: 1`, `x not: 1`).
    const next = item.entries[i + 1]?.key.text;
    const comma = next !== undefined && OPERATOR_WORDS.has(next) ? "," : "";
    return {
      start: e.span.start,
      end: e.span.end,
      doc: [printKey(e.key.text), ": ", exprDoc(e.value, ctx), comma],
    };
  });
  const body = delimited("{", "}", entries, region(ctx, openAt, item.span.end, openAt), {
    sep: "none",
    spaced: true,
    forceBreak: true,
  });
  const hoisted = ctx.pool.take(item.span.start, openAt);
  return { start: item.span.start, end: item.span.end, doc: ["settings ", body], hoisted };
}

function action(item: ActionDecl, ctx: Ctx): Element {
  const head = ["action ", qualified(item.name)];
  if (item.type) return hoisting(ctx, item.span, [head, " ", objectTypeDoc(item.type, ctx, true)]);
  return hoisting(ctx, item.span, [head, " from ", printString(item.from?.value ?? "")]);
}

function def(item: DefDecl, ctx: Ctx): Element {
  const params = item.params.map((p): Doc => [p.name.text, ": ", typeDoc(p.type, ctx)]);
  return hoisting(ctx, item.span, [
    "def ",
    item.name.text,
    plainList("(", ")", params),
    ": ",
    typeDoc(item.returnType, ctx),
    " = ",
    exprDoc(item.body, ctx),
  ]);
}

function qualified(q: QualifiedName): string {
  const text = q.parts.length > 0 ? q.parts.map((p) => p.text).join(".") : q.text;
  return q.wildcard ? `${text}.*` : text;
}

/** A body of `{ … }` after a head that ends at `openAt`; the head's own comments are hoisted. */
function block(
  ctx: Ctx,
  span: { start: number; end: number },
  openAt: number,
  head: Doc,
  elements: readonly Element[],
  blankAroundMultiline?: number,
): Element {
  const body = delimited("{", "}", elements, region(ctx, openAt, span.end, openAt), {
    sep: "none",
    spaced: true,
    forceBreak: true,
    ...(blankAroundMultiline !== undefined ? { blankAroundMultiline } : {}),
  });
  const hoisted = ctx.pool.take(span.start, openAt);
  return { start: span.start, end: span.end, doc: [head, " ", body], hoisted };
}

function on(item: OnBlock, ctx: Ctx): Element {
  const items = item.items.map((i) => onItem(i, ctx));
  const [first, ...rest] = item.patterns.map(qualified);
  const head = group(["on ", first ?? "", indent(rest.map((p) => [",", line, p]))]);
  const last = item.patterns[item.patterns.length - 1];
  const openAt = last ? last.span.end : item.span.start + "on".length;
  return block(ctx, item.span, openAt, head, items, 2);
}

function test(item: TestDecl, ctx: Ctx): Element {
  const request: Element = {
    start: item.request.span.start,
    end: item.request.span.end,
    doc: ["request ", objectDoc(item.request.entries, item.request.span, ctx)],
  };
  const elements = [request, ...item.expects.map(expectation)].sort((a, b) => a.start - b.start);
  return block(ctx, item.span, item.name.span.end, ["test ", printString(item.name.value)], elements);
}

function property(item: PropertyDecl, ctx: Ctx): Element {
  const where = item.where;
  const forLine: Element = {
    start: item.action.span.start,
    end: (where ?? item.action).span.end,
    doc: group(["for ", qualified(item.action), where ? indent([line, "where ", exprDoc(where, ctx)]) : ""]),
  };
  const elements: Element[] = [forLine, ...item.expects.map(expectation)];
  if (item.runs)
    elements.push({ start: item.runs.span.start, end: item.runs.span.end, doc: ["runs ", item.runs.raw] });
  elements.sort((a, b) => a.start - b.start);
  return block(ctx, item.span, item.name.span.end, ["property ", printString(item.name.value)], elements);
}

function expectation(e: Expectation): Element {
  let doc: string;
  switch (e.kind) {
    case "ExpectDecision":
      doc = `expect ${e.negated ? "not " : ""}${DECISION_WORDS[e.decision]}`;
      break;
    case "ExpectRule":
      doc = `expect ${e.negated ? "not " : ""}rule ${e.rule.text}`;
      break;
    case "ExpectScore":
      doc = `expect score ${e.op} ${e.value.raw}`;
      break;
  }
  return { start: e.span.start, end: e.span.end, doc };
}
