/**
 * The state of one type-checking run: the side tables it fills, the diagnostics it reports, and
 * what it knows about the policy set's declarations (let types, def signatures).
 */
import type { CodeName } from "../diagnostics/codes.js";
import { type Diagnostic, diag, type Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { CallExpr, DefDecl, Expr, Identifier, LetDecl } from "../syntax/ast.js";
import type { CallTarget, SymbolRef } from "./program.js";
import type { ResolvedSet } from "./resolved.js";
import { formatType, type Type } from "./types.js";

export interface DefSignature {
  readonly params: readonly Type[];
  readonly result: Type;
}

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new WeakMap<Expr, Type>();
  readonly refs = new WeakMap<Identifier, SymbolRef>();
  readonly calls = new WeakMap<CallExpr, CallTarget>();
  readonly optionalReads = new WeakSet<Expr>();
  /** Types of global lets (once checked, in dependency order) and of `on` block lets. */
  readonly letTypes = new Map<LetDecl, Type>();
  readonly defSignatures = new Map<DefDecl, DefSignature>();
  readonly defsByName = new Map<string, DefDecl>();

  constructor(readonly set: ResolvedSet) {
    for (const [name, g] of set.globals) if (g.kind === "def") this.defsByName.set(name, g.decl);
  }

  report(
    code: CodeName,
    span: Span | undefined,
    args: readonly string[] = [],
    extra: { help?: string | undefined; related?: readonly Related[] } = {},
  ): void {
    const e: { help?: string; related?: readonly Related[] } = {};
    if (extra.help !== undefined) e.help = extra.help;
    if (extra.related !== undefined) e.related = extra.related;
    this.diagnostics.push(diag(code, span, args, e));
  }

  record(e: Expr, t: Type): Type {
    this.types.set(e, t);
    return t;
  }
}

/** A type in backticks-free user form, for message arguments (the templates add the backticks). */
export function show(t: Type): string {
  return formatType(t);
}
