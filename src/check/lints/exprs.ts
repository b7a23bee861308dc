/**
 * Every expression of a policy set's files, with the names bound around it, for the lints that
 * look at the syntax (usage, presence tests). Rules left out by `except` are included: a let
 * they read is still used by the pack that declares it.
 */
import type { Expr, FileNode, OnBlock, RiskDecl, RuleDecl } from "../../syntax/ast.js";

export interface ExprSite {
  readonly expr: Expr;
  /** Names bound around it (a def's parameters). */
  readonly bound: ReadonlySet<string>;
  readonly file: FileNode;
  /** The `on` block it sits in, if any. */
  readonly block: OnBlock | undefined;
  /** The def whose body it is, if any. */
  readonly def: string | undefined;
}

const NONE: ReadonlySet<string> = new Set();

function ruleExprs(r: RuleDecl | RiskDecl): Expr[] {
  if (r.kind === "Risk") return r.when ? [r.weight, r.when] : [r.weight];
  return [r.when, r.unless, r.reason, r.approvers, r.timeout].filter((e): e is Expr => e !== undefined);
}

export function exprSites(files: readonly FileNode[]): ExprSite[] {
  const out: ExprSite[] = [];
  for (const file of files) {
    const add = (expr: Expr, block?: OnBlock, bound = NONE, def?: string) =>
      out.push({ expr, bound, file, block, def });
    for (const item of file.items) {
      switch (item.kind) {
        case "Let":
          add(item.value);
          break;
        case "Def":
          add(item.body, undefined, new Set(item.params.map((p) => p.name.text)), item.name.text);
          break;
        case "Param":
          add(item.default);
          break;
        case "Include":
          if (item.with) add(item.with);
          break;
        case "Settings":
          for (const s of item.entries) add(s.value);
          break;
        case "Rule":
        case "Risk":
          for (const e of ruleExprs(item)) add(e);
          break;
        case "On":
          for (const i of item.items) {
            if (i.kind === "Let") add(i.value, item);
            else if (i.kind === "Rule" || i.kind === "Risk") for (const e of ruleExprs(i)) add(e, item);
            else if (i.kind === "Redact") add(i.target, item);
          }
          break;
        case "Test":
          add(item.request);
          break;
        case "Property":
          if (item.where) add(item.where);
          break;
        default:
          break;
      }
    }
  }
  return out;
}
