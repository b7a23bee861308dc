/**
 * The abstract syntax tree of one `.rplc` file. Nodes are discriminated unions on `kind`,
 * every node carries a span, and later stages never mutate them: types, symbols and resolved
 * targets live in side tables (WeakMap<Node, …>), so fmt, explain and an editor server share one tree.
 * Parentheses are not nodes: the printer adds them where precedence needs them.
 */
import type { Span } from "../diagnostics/span.js";

interface NodeBase {
  readonly span: Span;
}

/** A name as written, with its own span (rule names, field names, parameters). */
export interface Name extends NodeBase {
  readonly kind: "Name";
  readonly text: string;
}

/** `db.query` or `fs.*` in an `on` pattern; `db.query` in an action declaration. */
export interface QualifiedName extends NodeBase {
  readonly kind: "QualifiedName";
  readonly parts: readonly Name[];
  /** True for a prefix wildcard pattern `fs.*` (only in `on` patterns and `for`). */
  readonly wildcard: boolean;
  /** The dotted text: `db.query`, or `fs` for `fs.*`. */
  readonly text: string;
}

export interface Comment extends NodeBase {
  readonly kind: "Comment";
  /** The text after `#`, without the line break. */
  readonly text: string;
}

// ---------------------------------------------------------------------------------------------
// Types

export type PrimitiveTypeName = "string" | "number" | "bool" | "duration" | "timestamp" | "any";

export interface NamedTypeNode extends NodeBase {
  readonly kind: "NamedType";
  /** One of the primitive names, or anything else the checker will reject with a hint. */
  readonly name: string;
}
export interface ListTypeNode extends NodeBase {
  readonly kind: "ListType";
  readonly element: TypeNode;
}
export interface MapTypeNode extends NodeBase {
  readonly kind: "MapType";
  readonly value: TypeNode;
}
export interface FieldTypeNode extends NodeBase {
  readonly kind: "FieldType";
  readonly name: Name;
  readonly optional: boolean;
  readonly type: TypeNode;
}
export interface ObjectTypeNode extends NodeBase {
  readonly kind: "ObjectType";
  readonly fields: readonly FieldTypeNode[];
}
/** `"a" | "b"`: a union of string literals. */
export interface UnionTypeNode extends NodeBase {
  readonly kind: "UnionType";
  readonly members: readonly StringLiteral[];
}
export type TypeNode = NamedTypeNode | ListTypeNode | MapTypeNode | ObjectTypeNode | UnionTypeNode;

// ---------------------------------------------------------------------------------------------
// Expressions

export interface StringLiteral extends NodeBase {
  readonly kind: "String";
  /** The decoded value (escapes applied). */
  readonly value: string;
}
export interface NumberLiteral extends NodeBase {
  readonly kind: "Number";
  readonly value: number;
  /** The text as written, kept so the formatter prints `3.50` as written. */
  readonly raw: string;
}
export type DurationUnit = "ms" | "s" | "m" | "h" | "d";
export interface DurationLiteral extends NodeBase {
  readonly kind: "Duration";
  readonly amount: number;
  readonly unit: DurationUnit;
  /** The duration in milliseconds. */
  readonly ms: number;
}
export interface BoolLiteral extends NodeBase {
  readonly kind: "Bool";
  readonly value: boolean;
}
export interface ListLiteral extends NodeBase {
  readonly kind: "List";
  readonly items: readonly Expr[];
}
export interface ObjectEntry extends NodeBase {
  readonly kind: "ObjectEntry";
  /** An identifier, a keyword or a string literal's value. */
  readonly key: Name;
  /** True when the key was written as a string literal (`{ "x-y": 1 }`). */
  readonly quoted: boolean;
  readonly value: Expr;
}
export interface ObjectLiteral extends NodeBase {
  readonly kind: "Object";
  readonly entries: readonly ObjectEntry[];
}
/** A root or a name: `args`, `context`, `action`, `now`, a let/def/param, a lambda parameter, a namespace. */
export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}
export interface MemberExpr extends NodeBase {
  readonly kind: "Member";
  readonly object: Expr;
  readonly property: Name;
}
export interface IndexExpr extends NodeBase {
  readonly kind: "Index";
  readonly object: Expr;
  readonly index: Expr;
}
/** `f(x)`, `sql.verb(x)`, `session.has("x")`: the callee is an Identifier or a Member chain. */
export interface CallExpr extends NodeBase {
  readonly kind: "Call";
  readonly callee: Expr;
  readonly args: readonly Expr[];
}
/** `x => p` (one parameter) or `(a, b) => p`. Only valid as a call argument. */
export interface LambdaExpr extends NodeBase {
  readonly kind: "Lambda";
  readonly params: readonly Name[];
  readonly body: Expr;
}
export type UnaryOp = "not" | "-";
export interface UnaryExpr extends NodeBase {
  readonly kind: "Unary";
  readonly op: UnaryOp;
  readonly operand: Expr;
}
export type BinaryOp =
  | "or"
  | "and"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "not in"
  | "??"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";
export interface BinaryExpr extends NodeBase {
  readonly kind: "Binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  /** The span of the operator token, for diagnostics. */
  readonly opSpan: Span;
}
/** Placeholder the parser leaves where recovery dropped an expression; the checker ignores it silently. */
export interface ErrorExpr extends NodeBase {
  readonly kind: "ErrorExpr";
}

export type Literal = StringLiteral | NumberLiteral | DurationLiteral | BoolLiteral;
export type Expr =
  | Literal
  | ListLiteral
  | ObjectLiteral
  | Identifier
  | MemberExpr
  | IndexExpr
  | CallExpr
  | LambdaExpr
  | UnaryExpr
  | BinaryExpr
  | ErrorExpr;

/**
 * Binding power of each binary operator, loosest first (LANGUAGE.md §6). `not` (prefix) sits
 * between `and` and the comparisons; unary minus binds tighter than `* / %`.
 */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  // 3 is prefix `not`
  "==": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  in: 4,
  "not in": 4,
  "??": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};
export const NOT_PRECEDENCE = 3;
export const NEGATE_PRECEDENCE = 8;

// ---------------------------------------------------------------------------------------------
// Declarations

export interface PolicyHeader extends NodeBase {
  readonly kind: "PolicyHeader";
  readonly name: StringLiteral;
  readonly version?: StringLiteral;
}
export interface Include extends NodeBase {
  readonly kind: "Include";
  /** `stdlib/sql` or a path relative to the including file. */
  readonly path: StringLiteral;
  readonly with?: ObjectLiteral;
  readonly except: readonly Name[];
}
export interface SettingEntry extends NodeBase {
  readonly kind: "SettingEntry";
  readonly key: Name;
  readonly value: Expr;
}
export interface Settings extends NodeBase {
  readonly kind: "Settings";
  readonly entries: readonly SettingEntry[];
}
export interface ContextDecl extends NodeBase {
  readonly kind: "Context";
  readonly type: ObjectTypeNode;
}
export interface ActionDecl extends NodeBase {
  readonly kind: "Action";
  readonly name: QualifiedName;
  /** Exactly one of `type` (inline) and `from` (a JSON Schema file, relative to this file). */
  readonly type?: ObjectTypeNode;
  readonly from?: StringLiteral;
}
export interface LetDecl extends NodeBase {
  readonly kind: "Let";
  readonly name: Name;
  readonly value: Expr;
}
export interface DefParam extends NodeBase {
  readonly kind: "DefParam";
  readonly name: Name;
  readonly type: TypeNode;
}
export interface DefDecl extends NodeBase {
  readonly kind: "Def";
  readonly name: Name;
  readonly params: readonly DefParam[];
  readonly returnType: TypeNode;
  readonly body: Expr;
}
export interface ParamDecl extends NodeBase {
  readonly kind: "Param";
  readonly name: Name;
  readonly type: TypeNode;
  readonly default: Expr;
}

export type Effect = "allow" | "block" | "require_approval";
export interface RuleDecl extends NodeBase {
  readonly kind: "Rule";
  readonly effect: Effect;
  readonly name: Name;
  readonly when?: Expr;
  readonly unless?: Expr;
  readonly reason?: Expr;
  /** Only on `require approval` rules: a list expression of strings. */
  readonly approvers?: Expr;
  /** Only on `require approval` rules. */
  readonly timeout?: DurationLiteral;
}
export interface RiskDecl extends NodeBase {
  readonly kind: "Risk";
  readonly name: Name;
  readonly weight: Expr;
  readonly when?: Expr;
}
export interface OnBlock extends NodeBase {
  readonly kind: "On";
  readonly patterns: readonly QualifiedName[];
  readonly items: readonly OnItem[];
}

/** Phase 2 (LANGUAGE.md §8), parsed but not yet given meaning by the checker. */
export interface LabelDecl extends NodeBase {
  readonly kind: "Label";
  readonly name: Name;
}
export interface RedactDecl extends NodeBase {
  readonly kind: "Redact";
  readonly target: Expr;
}

export type OnItem = LetDecl | RuleDecl | RiskDecl | LabelDecl | RedactDecl;

// ---------------------------------------------------------------------------------------------
// Tests inside policies (§7)

export type ExpectDecision = "allow" | "block" | "require_approval";
export type ScoreOp = "==" | "!=" | "<" | "<=" | ">" | ">=";
export interface ExpectDecisionForm extends NodeBase {
  readonly kind: "ExpectDecision";
  readonly negated: boolean;
  readonly decision: ExpectDecision;
}
export interface ExpectRuleForm extends NodeBase {
  readonly kind: "ExpectRule";
  readonly negated: boolean;
  readonly rule: Name;
}
export interface ExpectScoreForm extends NodeBase {
  readonly kind: "ExpectScore";
  readonly op: ScoreOp;
  readonly value: NumberLiteral;
}
export type Expectation = ExpectDecisionForm | ExpectRuleForm | ExpectScoreForm;

export interface TestDecl extends NodeBase {
  readonly kind: "Test";
  readonly name: StringLiteral;
  /** The `request { … }` object: its entries are action, args, context, time. */
  readonly request: ObjectLiteral;
  readonly expects: readonly Expectation[];
}
export interface PropertyDecl extends NodeBase {
  readonly kind: "Property";
  readonly name: StringLiteral;
  /** `for PATTERN`: an action type name or a prefix wildcard. */
  readonly action: QualifiedName;
  readonly where?: Expr;
  readonly expects: readonly Expectation[];
  readonly runs?: NumberLiteral;
}

export type TopItem =
  | Include
  | Settings
  | ContextDecl
  | ActionDecl
  | LetDecl
  | DefDecl
  | ParamDecl
  | OnBlock
  | RuleDecl
  | RiskDecl
  | TestDecl
  | PropertyDecl;

export interface FileNode extends NodeBase {
  readonly kind: "File";
  /** The path as given to the compiler (normalised, `/`-separated), equal to `span.file`. */
  readonly path: string;
  readonly header?: PolicyHeader;
  readonly items: readonly TopItem[];
  /** Every comment in source order, for the formatter. */
  readonly comments: readonly Comment[];
}

export type Node =
  | FileNode
  | TopItem
  | OnItem
  | Expr
  | TypeNode
  | FieldTypeNode
  | Name
  | QualifiedName
  | Comment
  | PolicyHeader
  | SettingEntry
  | ObjectEntry
  | DefParam
  | Expectation;
