/**
 * `rplc eval --explain`: a human account of a decision, from the interpreter. For each rule that
 * held, the conditions that held (the `and`-parts of `when`, then `unless`); for each applicable
 * rule that did not, the first condition that failed; the score as a sum; the errors.
 * Conditions are shown as written in the source.
 */
import type { Expr } from "../syntax/ast.js";
import type { Decision } from "./decision.js";
import { Evaluation } from "./evaluate.js";
import { errorMessage } from "./finalize.js";
import { admit, applies, type DecideOptions, type Item, type Prepared } from "./interpret.js";

/** `a and b and c` → [a, b, c]. */
function conjuncts(e: Expr): Expr[] {
  return e.kind === "Binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

type Outcome =
  | { readonly kind: "held" | "failed"; readonly text: string }
  | { readonly kind: "error"; readonly text: string };

function sourceText(p: Prepared, e: Expr): string {
  const src = p.set.sources.find((s) => s.path === e.span.file);
  const raw = src === undefined ? "…" : src.text.slice(e.span.start, e.span.end);
  const one = raw.replace(/\s+/g, " ").trim();
  return one.length > 100 ? `${one.slice(0, 99)}…` : one;
}

/** The conditions of one rule or risk, evaluated one by one until the first that fails. */
function trace(p: Prepared, ev: Evaluation, item: Item): Outcome[] {
  const out: Outcome[] = [];
  const parts: { expr: Expr; negated: boolean }[] = [];
  if (item.node.when !== undefined)
    for (const c of conjuncts(item.node.when)) parts.push({ expr: c, negated: false });
  if (item.kind === "rule" && item.node.unless !== undefined)
    parts.push({ expr: item.node.unless, negated: true });
  for (const part of parts) {
    const text = part.negated ? `unless ${sourceText(p, part.expr)}` : sourceText(p, part.expr);
    let value: boolean;
    try {
      value = ev.test(part.expr);
    } catch (e) {
      out.push({ kind: "error", text: `${text}: ${errorMessage(e)}` });
      return out;
    }
    const held = part.negated ? !value : value;
    out.push({
      kind: held ? "held" : "failed",
      text: part.negated ? `${text} (${value ? "it held" : "it did not hold"})` : text,
    });
    if (!held) return out;
  }
  return out;
}

const MARK = { held: "✓", failed: "✗", error: "!" } as const;

export function explain(
  p: Prepared,
  request: unknown,
  decision: Decision,
  options: DecideOptions = {},
): string {
  const lines: string[] = [`decision: ${decision.decision} (score ${decision.score})`];
  const a = admit(p, request, options);
  if (!a.ok) {
    lines.push("the request was not evaluated:");
    for (const e of a.errors) lines.push(`  ${e.message}`);
    return `${lines.join("\n")}\n`;
  }
  const ev = new Evaluation(p.constants, a);
  const matched = new Set(decision.matched.map((m) => m.rule));
  const held: string[] = [];
  const missed: string[] = [];
  for (const item of p.items) {
    if (item.kind !== "rule" || !applies(item, a.action, a.known)) continue;
    const effect = item.node.effect.replace("_", " ");
    const head = `  ${effect} ${item.entry.id} (${item.entry.location})`;
    const steps = trace(p, ev, item);
    if (matched.has(item.entry.id)) {
      held.push(
        head,
        ...(steps.length === 0
          ? ["    ✓ (no conditions)"]
          : steps.map((s) => `    ${MARK[s.kind]} ${s.text}`)),
      );
    } else {
      const last = steps[steps.length - 1];
      missed.push(
        head,
        `    ${last === undefined ? "?" : MARK[last.kind]} ${last?.text ?? "(did not hold)"}`,
      );
    }
  }
  lines.push(held.length > 0 ? "rules that held:" : "no rule held", ...held);
  if (missed.length > 0) lines.push("rules that did not hold (the first condition that failed):", ...missed);
  if (decision.risks.length > 0) {
    const sum = decision.risks.reduce((n, r) => n + r.weight, 0);
    const terms = decision.risks.map(
      (r, i) =>
        `${i === 0 ? "" : r.weight < 0 ? "- " : "+ "}${i > 0 && r.weight < 0 ? -r.weight : r.weight} (${r.name})`,
    );
    const clamp = sum !== decision.score ? `, clamped to ${decision.score}` : "";
    lines.push(`score: ${terms.join(" ")} = ${sum}${clamp}`);
  } else {
    lines.push("score: 0 (no risk held)");
  }
  if (decision.errors.length > 0) {
    lines.push("errors (they force the on_error setting):");
    for (const e of decision.errors) lines.push(`  ${e.rule === undefined ? "" : `${e.rule}: `}${e.message}`);
  }
  return `${lines.join("\n")}\n`;
}
