/**
 * The boundary between `resolve` (files, includes, params, declarations, schemas, settings)
 * and `typecheck` (expressions). `resolve` produces a ResolvedSet; `typecheck` walks it,
 * fills the side tables and returns the CheckedPolicySet of program.ts.
 */
import type {
  DefDecl,
  Expr,
  FileNode,
  LetDecl,
  OnBlock,
  ParamDecl,
  PropertyDecl,
  RiskDecl,
  RuleDecl,
  TestDecl,
} from "../syntax/ast.js";
import type { ActionInfo, ContextInfo, ResolvedSettings, RiskInfo, RuleInfo, SourceText } from "./program.js";
import type { Type } from "./types.js";

/** A top-level name of the one namespace (actions live in `actions`; rules/risks in `rules`/`risks`). */
export type GlobalSymbol =
  | { readonly kind: "let"; readonly decl: LetDecl; readonly file: string }
  | { readonly kind: "def"; readonly decl: DefDecl; readonly file: string }
  /** A pack parameter: `value` is the `with` value if the includer set it, else the default. */
  | {
      readonly kind: "param";
      readonly decl: ParamDecl;
      readonly file: string;
      readonly type: Type;
      readonly value: Expr;
    };

export interface OnBlockInfo {
  readonly node: OnBlock;
  /** Sorted names of the declared action types its patterns match (empty when none matched: already an error). */
  readonly actions: readonly string[];
  readonly file: string;
}

export interface ResolvedSet {
  /** Every file of the set (given files and includes), sorted by path. */
  readonly files: readonly FileNode[];
  readonly sources: readonly SourceText[];
  readonly settings: ResolvedSettings;
  readonly context: ContextInfo | undefined;
  readonly actions: ReadonlyMap<string, ActionInfo>;
  /** Top-level lets, defs and params by name. */
  readonly globals: ReadonlyMap<string, GlobalSymbol>;
  readonly onBlocks: readonly OnBlockInfo[];
  /** Rules and risks that take part (not left out by `except`), in policy-set order. */
  readonly rules: readonly RuleInfo[];
  readonly risks: readonly RiskInfo[];
  /** Every rule/risk name declared in the set, including those left out by `except` (tests may name them). */
  readonly ruleNames: ReadonlySet<string>;
  readonly tests: readonly TestDecl[];
  readonly properties: readonly PropertyDecl[];
  /** Where each rule/risk node sits, for lints (same block order). */
  readonly owners: WeakMap<RuleDecl | RiskDecl, OnBlockInfo | null>;
}
