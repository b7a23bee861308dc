/**
 * CST to AST. Reads the typed CST (cst.generated.d.ts) and builds the AST of ast.ts, reporting
 * the syntax errors the grammar accepts on purpose (duplicate clauses, chained comparisons,
 * clauses on the wrong effect, a second policy header, type arguments).
 *
 * Parser recovery may leave any child missing, even ones the grammar requires: every read is
 * defensive, and a lost expression becomes an ErrorExpr. Expression depth is capped so later
 * stages, which recurse over the tree, never meet a tree deeper than MAX_EXPR_DEPTH.
 *
 * A typed traversal rather than Chevrotain's visitor class: each method takes the generated
 * `…CstNode` type of its rule and returns the AST type it builds, so the compiler checks both
 * ends. Over 500 lines because it is one mapping per grammar rule, kept beside each other.
 */
import type { IToken } from "chevrotain";
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import { type Span, span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { BINARY_PRECEDENCE, NEGATE_PRECEDENCE, NOT_PRECEDENCE } from "./ast.js";
import type * as C from "./cst.generated.js";
import { decodeString, tokenSpan } from "./lexer.js";

export const MAX_EXPR_DEPTH = 1024;

const DURATION_RE = /^([0-9]+)(ms|s|m|h|d)$/;
const NUMBER_RE = /^[0-9]+(?:\.[0-9]+)?$/;
const UNIT_MS: Readonly<Record<A.DurationUnit, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const COMPARE = BINARY_PRECEDENCE["=="];
const NOT_HELP = { help: "`not` binds more loosely than comparisons and arithmetic: write `(not …)`" };

/** An operator waiting on the stack of `expression()`. */
type Pending =
  | { kind: "prefix"; op: A.UnaryOp; prec: number; span: Span }
  | { kind: "binary"; op: A.BinaryOp; prec: number; span: Span };

type CstLike = { location?: { startOffset: number; endOffset?: number } | undefined };

export class AstBuilder {
  private readonly depth = new WeakMap<A.Expr, number>();
  private depthReported = false;
  private header: A.PolicyHeader | undefined;
  private readonly items: A.TopItem[] = [];

  constructor(
    private readonly path: string,
    private readonly textLength: number,
    private readonly diagnostics: Diagnostic[],
  ) {}

  // -------------------------------------------------------------------------------------------
  // Spans

  private tok(t: IToken): Span {
    return tokenSpan(this.path, t);
  }

  /** A CST node's span; recovery can leave NaN offsets, so fall back to `fallback`. */
  private node(n: CstLike | undefined, fallback?: Span): Span {
    const loc = n?.location;
    if (loc && Number.isFinite(loc.startOffset)) {
      const end =
        loc.endOffset !== undefined && Number.isFinite(loc.endOffset) ? loc.endOffset + 1 : loc.startOffset;
      return span(this.path, loc.startOffset, Math.max(end, loc.startOffset));
    }
    return fallback ?? span(this.path, this.textLength, this.textLength);
  }

  private cover(a: Span, b: Span | undefined): Span {
    if (!b || b.end < a.start) return a;
    return span(this.path, Math.min(a.start, b.start), Math.max(a.end, b.end));
  }

  private name(t: IToken): A.Name {
    return { kind: "Name", text: t.image, span: this.tok(t) };
  }

  private string(t: IToken): A.StringLiteral {
    return { kind: "String", value: decodeString(t.image).value, span: this.tok(t) };
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  /**
   * Add one top-level item (called as the parser finishes each one). The first policy header
   * becomes the file's header; another one is reported.
   */
  addTopItem(node: C.TopItemCstNode): void {
    const c = node.children;
    if (c.policyHeader?.[0]) {
      const h = this.policyHeader(c.policyHeader[0]);
      if (h && this.header) this.diagnostics.push(diag("RPL1010", h.span));
      else if (h) this.header = h;
      return;
    }
    const item = this.topItem(c);
    if (item) this.items.push(item);
  }

  /** The file of the items added so far. */
  file(comments: readonly A.Comment[], path: string): A.FileNode {
    return {
      kind: "File",
      path,
      items: this.items,
      comments,
      span: span(this.path, 0, this.textLength),
      ...(this.header ? { header: this.header } : {}),
    };
  }

  private topItem(c: C.TopItemCstChildren): A.TopItem | undefined {
    if (c.includeDecl?.[0]) return this.include(c.includeDecl[0]);
    if (c.settingsDecl?.[0]) return this.settings(c.settingsDecl[0]);
    if (c.contextDecl?.[0]) return this.context(c.contextDecl[0]);
    if (c.actionDecl?.[0]) return this.action(c.actionDecl[0]);
    if (c.letDecl?.[0]) return this.let(c.letDecl[0]);
    if (c.defDecl?.[0]) return this.def(c.defDecl[0]);
    if (c.paramDecl?.[0]) return this.param(c.paramDecl[0]);
    if (c.onBlock?.[0]) return this.on(c.onBlock[0]);
    if (c.ruleDecl?.[0]) return this.rule(c.ruleDecl[0]);
    if (c.riskDecl?.[0]) return this.risk(c.riskDecl[0]);
    if (c.testDecl?.[0]) return this.test(c.testDecl[0]);
    if (c.propertyDecl?.[0]) return this.property(c.propertyDecl[0]);
    return undefined;
  }

  private policyHeader(n: C.PolicyHeaderCstNode): A.PolicyHeader | undefined {
    const [nameTok, versionTok] = (n.children.StringLiteral ?? []).filter((t) => !t.isInsertedInRecovery);
    if (!nameTok) return undefined;
    return {
      kind: "PolicyHeader",
      name: this.string(nameTok),
      span: this.node(n),
      ...(versionTok ? { version: this.string(versionTok) } : {}),
    };
  }

  private include(n: C.IncludeDeclCstNode): A.Include | undefined {
    const c = n.children;
    const pathTok = real(c.StringLiteral?.[0]);
    if (!pathTok) return undefined;
    const withObj = c.objectLiteral?.[0];
    return {
      kind: "Include",
      path: this.string(pathTok),
      except: (c.Identifier ?? []).filter((t) => !t.isInsertedInRecovery).map((t) => this.name(t)),
      span: this.node(n),
      ...(withObj ? { with: this.objectLiteral(withObj) } : {}),
    };
  }

  private settings(n: C.SettingsDeclCstNode): A.Settings {
    const entries: A.SettingEntry[] = [];
    for (const e of n.children.settingEntry ?? []) {
      const c = e.children;
      const key = real(c.AnyName?.[0]);
      if (!key) continue;
      const keyword = c.Allow?.[0] ?? c.Block?.[0];
      const value: A.Expr = keyword
        ? { kind: "Identifier", name: keyword.image, span: this.tok(keyword) }
        : this.expression(c.expression?.[0], this.tok(key));
      entries.push({ kind: "SettingEntry", key: this.name(key), value, span: this.node(e) });
    }
    return { kind: "Settings", entries, span: this.node(n) };
  }

  private context(n: C.ContextDeclCstNode): A.ContextDecl {
    return {
      kind: "Context",
      type: this.objectType(n.children.objectType?.[0], this.node(n)),
      span: this.node(n),
    };
  }

  private action(n: C.ActionDeclCstNode): A.ActionDecl | undefined {
    const c = n.children;
    const name = this.qualifiedName(c.qualifiedName?.[0], false);
    if (!name) return undefined;
    const from = real(c.StringLiteral?.[0]);
    const objectType = c.objectType?.[0];
    return {
      kind: "Action",
      name,
      span: this.node(n),
      ...(objectType ? { type: this.objectType(objectType, name.span) } : {}),
      ...(from && !objectType ? { from: this.string(from) } : {}),
    };
  }

  private let(n: C.LetDeclCstNode): A.LetDecl | undefined {
    const id = real(n.children.Identifier?.[0]);
    if (!id) return undefined;
    return {
      kind: "Let",
      name: this.name(id),
      value: this.expression(n.children.expression?.[0], this.node(n)),
      span: this.node(n),
    };
  }

  private def(n: C.DefDeclCstNode): A.DefDecl | undefined {
    const c = n.children;
    const id = real(c.Identifier?.[0]);
    if (!id) return undefined;
    const params: A.DefParam[] = [];
    for (const p of c.defParam ?? []) {
      const pid = p.children.Identifier?.[0];
      if (!pid) continue;
      const type = this.type(p.children.typeExpr?.[0], this.node(p));
      params.push({ kind: "DefParam", name: this.name(pid), type, span: this.node(p) });
    }
    return {
      kind: "Def",
      name: this.name(id),
      params,
      returnType: this.type(c.typeExpr?.[0], this.node(n)),
      body: this.expression(c.expression?.[0], this.node(n)),
      span: this.node(n),
    };
  }

  private param(n: C.ParamDeclCstNode): A.ParamDecl | undefined {
    const c = n.children;
    const id = real(c.Identifier?.[0]);
    if (!id) return undefined;
    return {
      kind: "Param",
      name: this.name(id),
      type: this.type(c.typeExpr?.[0], this.node(n)),
      default: this.expression(c.expression?.[0], this.node(n)),
      span: this.node(n),
    };
  }

  private on(n: C.OnBlockCstNode): A.OnBlock {
    const patterns: A.QualifiedName[] = [];
    for (const q of n.children.qualifiedName ?? []) {
      const p = this.qualifiedName(q, true);
      if (p) patterns.push(p);
    }
    const items: A.OnItem[] = [];
    for (const item of n.children.onItem ?? []) {
      const c = item.children;
      let built: A.OnItem | undefined;
      if (c.letDecl?.[0]) built = this.let(c.letDecl[0]);
      else if (c.ruleDecl?.[0]) built = this.rule(c.ruleDecl[0]);
      else if (c.riskDecl?.[0]) built = this.risk(c.riskDecl[0]);
      else if (c.labelDecl?.[0]) {
        const id = real(c.labelDecl[0].children.Identifier?.[0]);
        if (id) built = { kind: "Label", name: this.name(id), span: this.node(c.labelDecl[0]) };
      } else if (c.redactDecl?.[0]) {
        const r = c.redactDecl[0];
        built = {
          kind: "Redact",
          target: this.expression(r.children.expression?.[0], this.node(r)),
          span: this.node(r),
        };
      }
      if (built) items.push(built);
    }
    return { kind: "On", patterns, items, span: this.node(n) };
  }

  /** `a.b.c` or (where `wildcard` is allowed) `a.b.*`; a `*` anywhere else is reported. */
  private qualifiedName(
    n: C.QualifiedNameCstNode | undefined,
    wildcardAllowed: boolean,
  ): A.QualifiedName | undefined {
    if (!n) return undefined;
    const parts = (n.children.AnyName ?? []).filter((t) => !t.isInsertedInRecovery).map((t) => this.name(t));
    const first = parts[0];
    if (!first) return undefined;
    const stars = n.children.Star ?? [];
    const lastPartEnd = parts[parts.length - 1]!.span.end;
    let wildcard = false;
    for (const star of stars) {
      const s = this.tok(star);
      if (wildcardAllowed && s.start > lastPartEnd && star === stars[stars.length - 1] && !wildcard)
        wildcard = true;
      else this.diagnostics.push(diag("RPL1003", s, ["a name", "`*`"]));
    }
    const end = wildcard ? this.tok(stars[stars.length - 1]!) : parts[parts.length - 1]!.span;
    return {
      kind: "QualifiedName",
      parts,
      wildcard,
      text: parts.map((p) => p.text).join("."),
      span: this.cover(first.span, end),
    };
  }

  private rule(n: C.RuleDeclCstNode): A.RuleDecl | undefined {
    const c = n.children;
    const id = real(c.Identifier?.[0]);
    if (!id) return undefined;
    const effect: A.Effect = c.Allow ? "allow" : c.Block ? "block" : "require_approval";
    const ruleName = id.image;
    const seen = new Set<string>();
    const clauses: { -readonly [K in "when" | "unless" | "reason" | "approvers"]?: A.Expr } & {
      timeout?: A.DurationLiteral;
    } = {};
    for (const cl of c.ruleClause ?? []) {
      const k = cl.children;
      const kw = k.When?.[0] ?? k.Unless?.[0] ?? k.Reason?.[0] ?? k.Approvers?.[0] ?? k.Timeout?.[0];
      if (!kw) continue;
      const clause = kw.image as "when" | "unless" | "reason" | "approvers" | "timeout";
      if (seen.has(clause)) {
        this.diagnostics.push(diag("RPL1008", this.tok(kw), [clause, ruleName]));
        continue;
      }
      seen.add(clause);
      if ((clause === "approvers" || clause === "timeout") && effect !== "require_approval") {
        this.diagnostics.push(
          diag("RPL1009", this.tok(kw), [clause, effect === "allow" ? "allow" : "block"]),
        );
        continue;
      }
      if (clause === "timeout") {
        const d = k.DurationLiteral?.[0];
        const lit = d ? this.duration(d) : undefined;
        if (lit) clauses.timeout = lit;
      } else {
        clauses[clause] = this.expression(k.expression?.[0], this.tok(kw));
      }
    }
    return { kind: "Rule", effect, name: this.name(id), ...clauses, span: this.node(n) };
  }

  private risk(n: C.RiskDeclCstNode): A.RiskDecl | undefined {
    const c = n.children;
    const id = real(c.Identifier?.[0]);
    if (!id) return undefined;
    const when = c.when?.[0];
    return {
      kind: "Risk",
      name: this.name(id),
      weight: this.expression(c.weight?.[0], this.tok(id)),
      span: this.node(n),
      ...(when || c.When ? { when: this.expression(when, this.tok(c.When?.[0] ?? id)) } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Tests and properties

  private test(n: C.TestDeclCstNode): A.TestDecl | undefined {
    const c = n.children;
    const nameTok = real(c.StringLiteral?.[0]);
    if (!nameTok) return undefined;
    const req = c.objectLiteral?.[0];
    if (!c.Request)
      this.diagnostics.push(
        diag("RPL1015", this.tok(nameTok), ["request", "test", this.string(nameTok).value]),
      );
    const request: A.ObjectLiteral = req
      ? this.objectLiteral(req)
      : { kind: "Object", entries: [], span: this.tok(c.Request?.[0] ?? nameTok) };
    return {
      kind: "Test",
      name: this.string(nameTok),
      request,
      expects: this.expectations(c.expectation),
      span: this.node(n),
    };
  }

  private property(n: C.PropertyDeclCstNode): A.PropertyDecl | undefined {
    const c = n.children;
    const nameTok = real(c.StringLiteral?.[0]);
    if (!nameTok) return undefined;
    if (!c.For)
      this.diagnostics.push(
        diag("RPL1015", this.tok(nameTok), ["for", "property", this.string(nameTok).value]),
      );
    const action = this.qualifiedName(c.qualifiedName?.[0], true) ?? {
      kind: "QualifiedName",
      parts: [],
      wildcard: false,
      text: "",
      span: this.tok(c.For?.[0] ?? nameTok),
    };
    const runs = c.NumberLiteral?.[0];
    const runsLit = runs ? this.number(runs) : undefined;
    return {
      kind: "Property",
      name: this.string(nameTok),
      action,
      expects: this.expectations(c.expectation),
      span: this.node(n),
      ...(c.Where ? { where: this.expression(c.expression?.[0], this.tok(c.Where[0]!)) } : {}),
      ...(runsLit?.kind === "Number" ? { runs: runsLit } : {}),
    };
  }

  private expectations(list: C.ExpectationCstNode[] | undefined): A.Expectation[] {
    const out: A.Expectation[] = [];
    for (const e of list ?? []) {
      const c = e.children;
      const at = this.node(e);
      if (c.Score) {
        const op = c.CompareOp?.[0];
        const num = c.NumberLiteral?.[0];
        const value = num ? this.number(num) : undefined;
        if (!op || value?.kind !== "Number") continue;
        out.push({ kind: "ExpectScore", op: op.image as A.ScoreOp, value, span: at });
        continue;
      }
      const negated = c.Not !== undefined && c.Not.length > 0;
      if (c.Rule) {
        const id = c.Identifier?.[0];
        if (id) out.push({ kind: "ExpectRule", negated, rule: this.name(id), span: at });
        continue;
      }
      const decision: A.ExpectDecision | undefined = c.Allow
        ? "allow"
        : c.Block
          ? "block"
          : c.Require
            ? "require_approval"
            : undefined;
      if (decision) out.push({ kind: "ExpectDecision", negated, decision, span: at });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Types

  private type(n: C.TypeExprCstNode | undefined, fallback: Span): A.TypeNode {
    if (!n) return { kind: "NamedType", name: "any", span: fallback };
    const c = n.children;
    const at = this.node(n, fallback);
    if (c.objectType?.[0]) return this.objectType(c.objectType[0], at);
    if (c.StringLiteral?.length) {
      return { kind: "UnionType", members: c.StringLiteral.map((t) => this.string(t)), span: at };
    }
    const id = c.Identifier?.[0];
    if (!id) return { kind: "NamedType", name: "any", span: at };
    const hasArg = c.Less !== undefined && c.Less.length > 0;
    if (id.image === "list" || id.image === "map") {
      if (!hasArg) {
        this.diagnostics.push(diag("RPL1013", this.tok(id), [id.image]));
        return { kind: "NamedType", name: id.image, span: at };
      }
      const arg = this.type(c.typeExpr?.[0], at);
      return id.image === "list"
        ? { kind: "ListType", element: arg, span: at }
        : { kind: "MapType", value: arg, span: at };
    }
    if (hasArg) this.diagnostics.push(diag("RPL1014", this.tok(c.Less![0]!), [id.image]));
    return { kind: "NamedType", name: id.image, span: this.tok(id) };
  }

  private objectType(n: C.ObjectTypeCstNode | undefined, fallback: Span): A.ObjectTypeNode {
    const fields: A.FieldTypeNode[] = [];
    for (const f of n?.children.fieldType ?? []) {
      const c = f.children;
      const key = c.AnyName?.[0] ?? c.StringLiteral?.[0];
      if (!key) continue;
      const name: A.Name =
        c.StringLiteral?.[0] === key
          ? { kind: "Name", text: this.string(key).value, span: this.tok(key) }
          : this.name(key);
      fields.push({
        kind: "FieldType",
        name,
        optional: c.Question !== undefined && c.Question.length > 0,
        type: this.type(c.typeExpr?.[0], this.node(f)),
        span: this.node(f),
      });
    }
    return { kind: "ObjectType", fields, span: this.node(n, fallback) };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /** Wrap a freshly built node: record its depth, or replace it when it is too deep. */
  private mk(e: A.Expr, ...children: A.Expr[]): A.Expr {
    let d = 0;
    for (const ch of children) d = Math.max(d, this.depth.get(ch) ?? 1);
    d += 1;
    if (d > MAX_EXPR_DEPTH) {
      if (!this.depthReported) this.diagnostics.push(diag("RPL1007", e.span, [String(MAX_EXPR_DEPTH)]));
      this.depthReported = true;
      return { kind: "ErrorExpr", span: e.span };
    }
    if (d > 1) this.depth.set(e, d);
    return e;
  }

  private error(at: Span): A.ErrorExpr {
    return { kind: "ErrorExpr", span: at };
  }

  /**
   * A flat `operand (op operand)*` sequence to a tree, by operator precedence (an operator
   * stack, no recursion): prefix `not` binds looser than comparisons, prefix `-` tighter than
   * `* / %`, binary operators associate to the left, comparisons do not chain (RPL1012).
   */
  expression(n: C.ExpressionCstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.error(span(this.path, fallback.end, fallback.end));
    const operands = n.children.operand ?? [];
    const ops = (n.children.binaryOp ?? []).map((o) => this.binaryOp(o));
    const values: A.Expr[] = [];
    const stack: Pending[] = [];
    const reduced = new WeakSet<A.Expr>(); // comparisons built here (not from parentheses)
    const reduce = (): void => {
      const top = stack.pop()!;
      const right = values.pop()!;
      if (top.kind === "prefix") {
        values.push(
          this.mk(
            { kind: "Unary", op: top.op, operand: right, span: this.cover(top.span, right.span) },
            right,
          ),
        );
        return;
      }
      const left = values.pop()!;
      const cmp = BINARY_PRECEDENCE[top.op] === COMPARE;
      if (cmp && left.kind === "Binary" && reduced.has(left)) {
        this.diagnostics.push(diag("RPL1012", top.span, [top.op]));
      }
      const e = this.mk(
        {
          kind: "Binary",
          op: top.op,
          left,
          right,
          opSpan: top.span,
          span: this.cover(left.span, right.span),
        },
        left,
        right,
      );
      if (cmp) reduced.add(e);
      values.push(e);
    };
    for (let i = 0; i <= ops.length; i++) {
      const before = ops[i - 1];
      const at = before ? span(this.path, before.span.end, before.span.end) : this.node(n, fallback);
      const operand = operands[i];
      for (const p of operand?.children.PrefixOp ?? []) {
        const op = p.image === "not" ? "not" : "-";
        // `not` is looser than comparisons: `a == not b` and `- not b` need parentheses.
        const prev = stack[stack.length - 1];
        const misplaced =
          op === "not" &&
          ((before && BINARY_PRECEDENCE[before.op] > NOT_PRECEDENCE) ||
            (prev?.kind === "prefix" && prev.op === "-"));
        if (misplaced)
          this.diagnostics.push(diag("RPL1003", this.tok(p), ["an expression", "`not`"], NOT_HELP));
        stack.push({
          kind: "prefix",
          op,
          prec: op === "not" ? NOT_PRECEDENCE : NEGATE_PRECEDENCE,
          span: this.tok(p),
        });
      }
      values.push(this.postfix(operand, at));
      const next = ops[i];
      if (!next) break;
      const prec = BINARY_PRECEDENCE[next.op];
      while (stack.length > 0 && stack[stack.length - 1]!.prec >= prec) reduce();
      stack.push({ kind: "binary", op: next.op, prec, span: next.span });
    }
    while (stack.length > 0) reduce();
    return values[0] ?? this.error(fallback);
  }

  private binaryOp(n: C.BinaryOpCstNode): { op: A.BinaryOp; span: Span } {
    const c = n.children;
    const not = c.Not?.[0];
    const inTok = c.In?.[0];
    if (not) return { op: "not in", span: this.cover(this.tok(not), inTok ? this.tok(inTok) : undefined) };
    if (inTok) return { op: "in", span: this.tok(inTok) };
    const t = c.Or?.[0] ?? c.And?.[0] ?? c.CompareOp?.[0] ?? c.Coalesce?.[0] ?? c.AddOp?.[0] ?? c.MulOp?.[0];
    if (!t) return { op: "or", span: this.node(n) }; // INVARIANT: the grammar consumed one of these
    return { op: t.image as A.BinaryOp, span: this.tok(t) };
  }

  /** An operand without its prefix operators: a primary expression and its suffixes. */
  private postfix(n: C.OperandCstNode | undefined, fallback: Span): A.Expr {
    if (!n) return this.error(fallback);
    let e = this.primary(n.children, this.node(n, fallback));
    for (const s of n.children.suffix ?? []) {
      const c = s.children;
      const whole = this.cover(e.span, this.node(s, span(this.path, e.span.end, e.span.end)));
      if (c.Dot) {
        const prop = real(c.AnyName?.[0]);
        e = prop
          ? this.mk({ kind: "Member", object: e, property: this.name(prop), span: whole }, e)
          : this.error(whole);
      } else if (c.LBracket) {
        const index = this.expression(c.expression?.[0], whole);
        e = this.mk({ kind: "Index", object: e, index, span: whole }, e, index);
      } else if (c.LParen) {
        const parts: (C.LambdaCstNode | C.ExpressionCstNode)[] = [
          ...(c.lambda ?? []),
          ...(c.expression ?? []),
        ];
        if (c.lambda) parts.sort((a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0));
        const args = parts.map((a) =>
          a.name === "lambda" ? this.lambda(a, whole) : this.expression(a, whole),
        );
        e = this.mk({ kind: "Call", callee: e, args, span: whole }, e, ...args);
      }
    }
    return e;
  }

  private lambda(lam: C.LambdaCstNode, fallback: Span): A.Expr {
    const params = (lam.children.Identifier ?? [])
      .filter((t) => !t.isInsertedInRecovery)
      .map((t) => this.name(t));
    const at = this.node(lam, fallback);
    const body = this.expression(lam.children.expression?.[0], at);
    return this.mk({ kind: "Lambda", params, body, span: at }, body);
  }

  private primary(c: C.OperandCstChildren, at: Span): A.Expr {
    const str = c.StringLiteral?.[0];
    if (str) return this.string(str);
    const num = c.NumberLiteral?.[0];
    if (num) return this.number(num);
    const dur = c.DurationLiteral?.[0];
    if (dur) return this.duration(dur) ?? this.error(this.tok(dur));
    const bool = c.True?.[0] ?? c.False?.[0];
    if (bool) return { kind: "Bool", value: bool.image === "true", span: this.tok(bool) };
    const id = real(c.Identifier?.[0] ?? c.Context?.[0] ?? c.Action?.[0]);
    if (id) return { kind: "Identifier", name: id.image, span: this.tok(id) };
    const list = c.listLiteral?.[0];
    if (list) {
      const items = (list.children.expression ?? []).map((x) => this.expression(x, this.node(list, at)));
      return this.mk({ kind: "List", items, span: this.node(list, at) }, ...items);
    }
    if (c.objectLiteral?.[0]) return this.objectLiteral(c.objectLiteral[0]);
    if (c.LParen) return this.expression(c.expression?.[0], this.tok(c.LParen[0]!));
    return this.error(at);
  }

  objectLiteral(n: C.ObjectLiteralCstNode): A.ObjectLiteral {
    const entries: A.ObjectEntry[] = [];
    const values: A.Expr[] = [];
    for (const e of n.children.objectEntry ?? []) {
      const c = e.children;
      const quotedTok = c.StringLiteral?.[0];
      const keyTok = c.AnyName?.[0] ?? quotedTok;
      if (!keyTok || keyTok.isInsertedInRecovery) continue;
      const key: A.Name = quotedTok
        ? { kind: "Name", text: this.string(quotedTok).value, span: this.tok(quotedTok) }
        : this.name(keyTok);
      const value = this.expression(c.expression?.[0], this.node(e));
      values.push(value);
      entries.push({ kind: "ObjectEntry", key, quoted: quotedTok !== undefined, value, span: this.node(e) });
    }
    const obj: A.ObjectLiteral = { kind: "Object", entries, span: this.node(n) };
    const checked = this.mk(obj, ...values);
    // A too-deep object cannot stand where an ObjectLiteral is required; its entries are dropped.
    return checked.kind === "Object" ? checked : { kind: "Object", entries: [], span: obj.span };
  }

  /** A number token; a malformed one (reported by the lexer) becomes an ErrorExpr. */
  private number(t: IToken): A.NumberLiteral | A.ErrorExpr {
    if (!NUMBER_RE.test(t.image)) return this.error(this.tok(t));
    return { kind: "Number", value: Number(t.image), raw: t.image, span: this.tok(t) };
  }

  /** A duration token; a malformed one (reported by the lexer) gives undefined. */
  private duration(t: IToken): A.DurationLiteral | undefined {
    const m = DURATION_RE.exec(t.image);
    if (!m) return undefined;
    const amount = Number(m[1]);
    const unit = m[2] as A.DurationUnit;
    return { kind: "Duration", amount, unit, ms: amount * UNIT_MS[unit], span: this.tok(t) };
  }
}

/** A token the parser really read (recovery may insert empty ones). */
function real(t: IToken | undefined): IToken | undefined {
  return t && !t.isInsertedInRecovery ? t : undefined;
}
