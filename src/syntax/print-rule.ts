/**
 * Rules and risks: a head (`block name`, `risk name WEIGHT`) and clauses (`when`, `unless`,
 * `reason`, `approvers`, `timeout`). One line when it fits in 100 columns and holds no comment;
 * otherwise the head, then each clause on its own line, indented, in source order.
 */
import type { Expr, RiskDecl, RuleDecl } from "./ast.js";
import type { Ctx } from "./print.js";
import { comment, type Doc, group, indent, line } from "./print-doc.js";
import { exprDoc } from "./print-expr.js";
import type { Element } from "./print-seq.js";

/** How `allow`, `block` and `require_approval` are written in rules and expectations. */
export const DECISION_WORDS = {
  allow: "allow",
  block: "block",
  require_approval: "require approval",
} as const;

interface Part {
  readonly start: number;
  readonly end: number;
  readonly doc: Doc;
}

/**
 * A head and its clauses: one line when it fits and holds no comment, else one clause per line.
 * A comment after a part on its line stays there; any other comment inside the clause region
 * goes on its own line before the clause; comments inside the head move before the item.
 */
function clauses(ctx: Ctx, span: { start: number; end: number }, head: Part, parts: Part[]): Element {
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  const all = [head, ...sorted];
  // Where each part's text ends, closing parentheses included.
  const ends = all.map((part) => ctx.pool.endOf(part));
  const leading: Doc[][] = all.map(() => []);
  const trailing: (Doc | undefined)[] = all.map(() => undefined);
  const hoisted = [];
  for (const c of ctx.pool.take(span.start, span.end)) {
    let p = -1;
    for (let i = 0; i < all.length; i++) if ((ends[i] as number) <= c.span.start) p = i;
    if (p < 0 || p === all.length - 1) {
      hoisted.push(c);
    } else if (trailing[p] === undefined && ctx.pool.sameLine(ends[p] as number, c.span.start)) {
      trailing[p] = [" ", comment(c.text)];
    } else {
      (leading[p + 1] as Doc[]).push([comment(c.text), line]);
    }
  }
  const doc = group([
    head.doc,
    trailing[0] ?? "",
    indent(sorted.map((part, i) => [line, leading[i + 1] ?? "", part.doc, trailing[i + 1] ?? ""])),
  ]);
  return { start: span.start, end: span.end, doc, hoisted };
}

function clause(keyword: string, e: Expr | undefined, ctx: Ctx): Part[] {
  return e ? [{ start: e.span.start, end: e.span.end, doc: [keyword, " ", exprDoc(e, ctx)] }] : [];
}

export function rule(item: RuleDecl, ctx: Ctx): Element {
  const parts: Part[] = [
    ...clause("when", item.when, ctx),
    ...clause("unless", item.unless, ctx),
    ...clause("reason", item.reason, ctx),
    ...clause("approvers", item.approvers, ctx),
    ...(item.timeout
      ? [
          {
            start: item.timeout.span.start,
            end: item.timeout.span.end,
            doc: `timeout ${item.timeout.amount}${item.timeout.unit}`,
          },
        ]
      : []),
  ];
  const head: Part = {
    start: item.span.start,
    end: item.name.span.end,
    doc: `${DECISION_WORDS[item.effect]} ${item.name.text}`,
  };
  return clauses(ctx, item.span, head, parts);
}

export function risk(item: RiskDecl, ctx: Ctx): Element {
  const head: Part = {
    start: item.span.start,
    end: item.weight.span.end,
    doc: ["risk ", item.name.text, " ", exprDoc(item.weight, ctx)],
  };
  return clauses(ctx, item.span, head, clause("when", item.when, ctx));
}
