/**
 * The checked policy set: what `resolve` + `typecheck` hand to the back end (lowering and the
 * interpreter). The AST is shared and never mutated; everything the checker learned lives here,
 * in side tables keyed by AST nodes.
 */
import type { Span } from "../diagnostics/span.js";
import type { Effect } from "../engine/decision.js";
import type { NativeFunction } from "../natives/spec.js";
import type {
  CallExpr,
  DefDecl,
  Expr,
  FileNode,
  Identifier,
  LambdaExpr,
  LetDecl,
  ParamDecl,
  PropertyDecl,
  RiskDecl,
  RuleDecl,
  TestDecl,
} from "../syntax/ast.js";
import type { Type } from "./types.js";

/** A JSON Schema object (draft 2020-12 or draft-07). */
export type JsonSchema = Record<string, unknown>;

export interface ResolvedSettings {
  readonly default: Effect;
  readonly unknown_action: Effect;
  readonly approval_at: number;
  readonly block_at: number;
  readonly on_error: Effect;
  /** Milliseconds. */
  readonly approval_timeout: number;
}

export const DEFAULT_SETTINGS: ResolvedSettings = {
  default: "allow",
  unknown_action: "block",
  approval_at: 50,
  block_at: 90,
  on_error: "block",
  approval_timeout: 3_600_000,
};

export interface ActionInfo {
  /** `db.query` */
  readonly name: string;
  /** The args type (an object type). */
  readonly type: Type;
  /** The JSON Schema the runtime validates `args` with (inline types are converted). */
  readonly schema: JsonSchema;
  readonly span: Span;
}

export interface ContextInfo {
  readonly type: Type;
  readonly schema: JsonSchema;
  readonly span: Span;
}

/**
 * A rule or risk as it takes part in decisions, in policy-set order (file path, then position).
 * `actions` is null for top-level rules (they apply to every request) and otherwise the sorted
 * names of the declared action types the `on` block's patterns matched.
 */
export interface RuleInfo {
  readonly node: RuleDecl;
  readonly name: string;
  readonly effect: Effect;
  readonly actions: readonly string[] | null;
  /** The `let`s of the enclosing `on` block, in order: the rule may read them. */
  readonly locals: readonly LetDecl[];
  readonly file: string;
}

export interface RiskInfo {
  readonly node: RiskDecl;
  readonly name: string;
  readonly actions: readonly string[] | null;
  readonly locals: readonly LetDecl[];
  readonly file: string;
}

/** What an identifier refers to. */
export type SymbolRef =
  | { readonly kind: "root"; readonly name: "args" | "context" | "action" | "now" }
  /** A top-level `let` (global) or an `on` block's `let` (local). */
  | { readonly kind: "let"; readonly decl: LetDecl; readonly scope: "global" | "local" }
  /** A pack parameter; `value` is the `with` value if given, else the default. */
  | { readonly kind: "param"; readonly decl: ParamDecl; readonly value: Expr }
  | { readonly kind: "def-param"; readonly def: DefDecl; readonly index: number }
  | { readonly kind: "lambda-param"; readonly lambda: LambdaExpr; readonly index: number }
  /** `sql`, `shell`, `path`, `url`, `secrets`: only valid as a callee prefix. */
  | { readonly kind: "namespace"; readonly name: string };

export type CallTarget =
  | { readonly kind: "native"; readonly fn: NativeFunction }
  | { readonly kind: "def"; readonly decl: DefDecl };

export interface SourceText {
  readonly path: string;
  readonly text: string;
}

export interface CheckedPolicySet {
  /** Every file of the set, sorted by path (includes too). */
  readonly files: readonly FileNode[];
  /** The source texts, sorted by path: the policy hash is computed over them. */
  readonly sources: readonly SourceText[];
  readonly settings: ResolvedSettings;
  readonly context: ContextInfo | undefined;
  /** Declared action types by name, in sorted order of name. */
  readonly actions: ReadonlyMap<string, ActionInfo>;
  /** Global lets, in dependency order (each only reads earlier ones). */
  readonly lets: readonly LetDecl[];
  readonly defs: readonly DefDecl[];
  /** Rules and risks that take part (those left out by `except` are not here), in policy-set order. */
  readonly rules: readonly RuleInfo[];
  readonly risks: readonly RiskInfo[];
  readonly tests: readonly TestDecl[];
  readonly properties: readonly PropertyDecl[];
  /** The type of every checked expression. */
  readonly types: WeakMap<Expr, Type>;
  /** What each identifier refers to. */
  readonly refs: WeakMap<Identifier, SymbolRef>;
  /** What each call invokes. For `sql.verb(x)` the callee Member is not in `refs`. */
  readonly calls: WeakMap<CallExpr, CallTarget>;
  /**
   * Expressions whose values are optional-field reads guarded by `has` or `??`: the checker marks
   * member reads of optional fields here so lowering knows where "absent" is expected.
   */
  readonly optionalReads: WeakSet<Expr>;
}
