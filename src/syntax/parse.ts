/**
 * The syntax front end's public API: `parse` (a whole file) and `parseExpression` (one
 * expression, for tests and the REPL). Neither throws for any input: every problem is a
 * diagnostic, and an AST is always produced (with ErrorExpr where an expression was lost).
 *
 * Steps: lex → refuse too-deep nesting (before the recursive parser sees it) → parse with
 * Chevrotain recovery → map parser errors to RPL1003 → build the AST.
 */
import {
  EOF,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import { type Diagnostic, diag, normalize, type Result } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { type Span, span } from "../diagnostics/span.js";
import type { Expr, FileNode } from "./ast.js";
import type { ExpressionCstNode, TopItemCstNode } from "./cst.generated.js";
import { AstBuilder } from "./cst-to-ast.js";
import { lex, showChars, tokenSpan } from "./lexer.js";
import { RplcParser } from "./parser.js";
import * as T from "./tokens.js";

/** Brackets, prefix-operator runs and type arguments nest at most this deep. */
export const MAX_NESTING = 256;

// ---------------------------------------------------------------------------------------------
// Error messages: the provider returns JSON `{ expected, found }` that toDiagnostic() unpacks.

const EXPRESSION_START: readonly TokenType[] = [
  T.StringLiteral,
  T.NumberLiteral,
  T.DurationLiteral,
  T.True,
  T.False,
  T.Identifier,
  T.Context,
  T.Action,
  T.LBracket,
  T.LBrace,
  T.LParen,
  T.Minus,
  T.Not,
];
const ITEM_START: readonly TokenType[] = [
  T.Policy,
  T.Include,
  T.Settings,
  T.Context,
  T.Action,
  T.Let,
  T.Def,
  T.Param,
  T.On,
  T.Allow,
  T.Block,
  T.Require,
  T.Risk,
  T.Test,
  T.Property,
];
const ON_ITEM_START: readonly TokenType[] = [T.Let, T.Allow, T.Block, T.Require, T.Risk, T.Label, T.Redact];

const NAMES = new Map<TokenType, string>([
  [EOF, "end of file"],
  [T.Identifier, "a name"],
  [T.AnyName, "a name"],
  [T.StringLiteral, "a string"],
  [T.NumberLiteral, "a number"],
  [T.DurationLiteral, "a duration"],
  [T.CompareOp, "a comparison operator"],
  [T.AddOp, "`+` or `-`"],
  [T.MulOp, "`*`, `/` or `%`"],
]);

function tokenName(t: TokenType): string {
  return NAMES.get(t) ?? t.LABEL ?? t.name;
}

/** "`a`", "`a` or `b`", "`a`, `b` or `c`", summarising expression starts and long lists. */
function describe(types: readonly TokenType[]): string {
  const uniq = [...new Set(types)];
  let names: string[] = [];
  const exprStarts = uniq.filter((t) => EXPRESSION_START.includes(t));
  const isExpr = exprStarts.length >= 4;
  const isItem = uniq.filter((t) => ITEM_START.includes(t)).length >= ITEM_START.length - 1;
  for (const t of uniq) {
    if (isExpr && EXPRESSION_START.includes(t)) {
      if (!names.includes("an expression")) names.push("an expression");
    } else if (isItem && ITEM_START.includes(t)) {
      if (!names.includes("a declaration")) names.push("a declaration");
    } else {
      const n = tokenName(t);
      if (!names.includes(n)) names.push(n);
    }
  }
  if (names.length > 6) names = [...names.slice(0, 5), "…"];
  if (names.length <= 1) return names[0] ?? "something else";
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

function found(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  return showChars(tok.image);
}

function payload(expected: readonly TokenType[], actual: IToken): string {
  errorCount++;
  return JSON.stringify({ expected: describe(expected), found: found(actual) });
}

/** Parser errors stop being collected after this many: the rest of the input is skipped. */
export const MAX_PARSE_ERRORS = 200;
let errorCount = 0;

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // In-repetition recovery reports the token after the loop; name what the loop accepts too.
    if (expected === EOF) return payload(ITEM_START, actual);
    if (expected === T.RBrace && ruleName === "onBlock") return payload([...ON_ITEM_START, T.RBrace], actual);
    return payload([expected], actual);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return payload([EOF], firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const firsts = expectedPathsPerAlt.flatMap((paths) =>
      paths.map((p) => p[0]).filter((t) => t !== undefined),
    );
    return payload(firsts, actual[0] ?? ({ tokenType: EOF, image: "" } as IToken));
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t) => t !== undefined);
    return payload(firsts, actual[0] ?? ({ tokenType: EOF, image: "" } as IToken));
  },
};

/** The one parser of this process. */
const parser = new RplcParser(messages, () => errorCount >= MAX_PARSE_ERRORS);

// ---------------------------------------------------------------------------------------------

export function parse(source: SourceFile): Result<FileNode> {
  const file = source.path;
  const empty: FileNode = {
    kind: "File",
    path: file,
    items: [],
    comments: [],
    span: span(file, 0, source.text.length),
  };
  try {
    const lexed = lex(source);
    const deep = tooDeep(lexed.tokens);
    if (deep) {
      const d = diag("RPL1007", tokenSpan(file, deep), [String(MAX_NESTING)]);
      return {
        value: { ...empty, comments: lexed.comments },
        diagnostics: normalize([...lexed.diagnostics, d]),
      };
    }
    errorCount = 0;
    parser.input = lexed.tokens;
    const astDiagnostics: Diagnostic[] = [];
    const builder = new AstBuilder(file, source.text.length, astDiagnostics);
    parser.onTopItem = (item) => {
      builder.addTopItem(item as TopItemCstNode);
      // The item's AST is built: drop its concrete tree now rather than at the end of the file.
      for (const key of Object.keys(item.children)) delete item.children[key];
    };
    parser.file();
    const diagnostics = [
      ...lexed.diagnostics,
      ...parserDiagnostics(parser.errors, lexed.tokens, source),
      ...astDiagnostics,
    ];
    return { value: builder.file(lexed.comments, file), diagnostics: normalize(diagnostics) };
  } catch (e) {
    // INVARIANT: the depth pre-scan keeps recursion bounded; a stack overflow here is a bug,
    // but it must still not escape as an exception from parse().
    if (e instanceof RangeError) {
      return { value: empty, diagnostics: [diag("RPL1007", span(file, 0, 0), [String(MAX_NESTING)])] };
    }
    throw e;
  } finally {
    parser.input = [];
    parser.onTopItem = undefined;
  }
}

export function parseExpression(source: SourceFile): Result<Expr> {
  const file = source.path;
  const whole = span(file, 0, source.text.length);
  try {
    const lexed = lex(source);
    const deep = tooDeep(lexed.tokens);
    if (deep) {
      const d = diag("RPL1007", tokenSpan(file, deep), [String(MAX_NESTING)]);
      return { value: { kind: "ErrorExpr", span: whole }, diagnostics: normalize([...lexed.diagnostics, d]) };
    }
    errorCount = 0;
    parser.input = lexed.tokens;
    const cst = parser.expression() as ExpressionCstNode | undefined;
    const diagnostics: Diagnostic[] = [
      ...lexed.diagnostics,
      ...parserDiagnostics(parser.errors, lexed.tokens, source),
    ];
    const value = new AstBuilder(file, source.text.length, diagnostics).expression(cst, whole);
    return { value, diagnostics: normalize(diagnostics) };
  } catch (e) {
    if (e instanceof RangeError) {
      return {
        value: { kind: "ErrorExpr", span: whole },
        diagnostics: [diag("RPL1007", whole, [String(MAX_NESTING)])],
      };
    }
    throw e;
  } finally {
    parser.input = [];
  }
}

// ---------------------------------------------------------------------------------------------

const OPENERS = new Set([T.LParen, T.LBracket, T.LBrace]);
const CLOSERS = new Set([T.RParen, T.RBracket, T.RBrace]);

/** The first token that nests brackets, a prefix-operator run or type arguments too deep. */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let prefixRun = 0;
  let typeArgs = 0;
  let prev: IToken | undefined;
  for (const tok of tokens) {
    const t = tok.tokenType;
    if (OPENERS.has(t)) {
      if (++depth > MAX_NESTING) return tok;
    } else if (CLOSERS.has(t)) {
      depth = Math.max(0, depth - 1);
    }
    if (t === T.Not || t === T.Minus) {
      if (++prefixRun > MAX_NESTING) return tok;
    } else prefixRun = 0;
    if (t === T.Less && prev && isIdentifier(prev)) {
      if (++typeArgs > MAX_NESTING) return tok;
    } else if (t === T.Greater) typeArgs = Math.max(0, typeArgs - 1);
    else if (!isIdentifier(tok)) typeArgs = 0;
    prev = tok;
  }
  return undefined;
}

function isIdentifier(tok: IToken): boolean {
  return tok.tokenType === T.Identifier || T.Identifier.categoryMatchesMap?.[tok.tokenTypeIdx] === true;
}

function parserDiagnostics(
  errors: readonly IRecognitionException[],
  tokens: readonly IToken[],
  source: SourceFile,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const last = tokens[tokens.length - 1];
  const eofAt = last ? tokenSpan(source.path, last).end : 0;
  const seen = new Set<number>();
  for (const err of errors) {
    const tok = err.token;
    const at: Span =
      tok.tokenType === EOF || !Number.isFinite(tok.startOffset)
        ? span(source.path, eofAt, eofAt)
        : tokenSpan(source.path, tok);
    if (seen.has(at.start)) continue; // one error per place: recovery may report a token twice
    seen.add(at.start);
    let expected = "something else";
    let foundText = found(tok);
    try {
      const p = JSON.parse(err.message) as { expected: string; found: string };
      expected = p.expected;
      foundText = p.found;
    } catch {
      // A message not built by our provider: keep the defaults.
    }
    out.push(diag("RPL1003", at, [expected, foundText]));
  }
  return out;
}
