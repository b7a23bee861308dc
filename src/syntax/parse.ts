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
import type { Expr, FileNode, OnItem, RuleDecl, TopItem } from "./ast.js";
import type { ExpressionCstNode, TopItemCstNode } from "./cst.generated.js";
import { AstBuilder } from "./cst-to-ast.js";
import { lex, showChars, tokenSpan } from "./lexer.js";
import { RplcParser } from "./parser.js";
import * as T from "./tokens.js";

/** Brackets, prefix-operator runs and type arguments nest at most this deep. */
export const MAX_NESTING = 256;

// ---------------------------------------------------------------------------------------------
// Error messages: the provider returns a JSON Payload that parserDiagnostics() unpacks.

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

/** Names of the expected tokens, with the starts of an expression summarised. */
function names(types: readonly TokenType[]): string[] {
  const uniq = [...new Set(types)];
  const isExpr = uniq.filter((t) => EXPRESSION_START.includes(t)).length >= 4;
  const out: string[] = [];
  for (const t of uniq) {
    const n = isExpr && EXPRESSION_START.includes(t) ? "an expression" : tokenName(t);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** "x", "x or y", "x, y or z"; more than nine become "…". */
function list(items: readonly string[]): string {
  const shown = items.length > 9 ? [...items.slice(0, 8), "…"] : items;
  if (shown.length <= 1) return shown[0] ?? "something else";
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

function found(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  return showChars(tok.image);
}

/**
 * What the provider hands to parserDiagnostics() through the exception's message. `loop` marks
 * an error at the end of a loop over items (the file, an `on` block): the item before it may
 * also have continued (a rule with a clause), which only the finished AST can tell.
 */
interface Payload {
  readonly expected: string[];
  readonly found: string;
  readonly loop?: "file" | "on";
}

/** Parser errors stop being collected after this many: the rest of the input is skipped. */
export const MAX_PARSE_ERRORS = 200;
let errorCount = 0;

function payload(expected: string[], actual: IToken, loop?: Payload["loop"]): string {
  errorCount++;
  const p: Payload = { expected, found: found(actual), ...(loop ? { loop } : {}) };
  return JSON.stringify(p);
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // In-repetition recovery reports the token after the loop; name what the loop accepts.
    if (expected === EOF) return payload(["a declaration"], actual, "file");
    if (expected === T.RBrace && ruleName === "onBlock") {
      return payload(actual.tokenType === EOF ? ["`}`"] : ON_ITEMS, actual, "on");
    }
    return payload(names([expected]), actual);
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    if (ruleName === "expression") return payload(["an operator", "end of file"], firstRedundant);
    return payload(["a declaration"], firstRedundant, "file");
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const firsts = expectedPathsPerAlt.flatMap((paths) =>
      paths.map((p) => p[0]).filter((t) => t !== undefined),
    );
    return payload(names(firsts), actual[0] ?? EOF_TOKEN);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t) => t !== undefined);
    return payload(names(firsts), actual[0] ?? EOF_TOKEN);
  },
};

const ON_ITEMS = ["a rule", "a risk", "`let`", "`}`"];
const LAMBDA_HELP = { help: "a lambda may only be a call argument, as in `any(xs, x => x > 1)`" };
const EOF_TOKEN = { tokenType: EOF, image: "" } as IToken;

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
    const value = builder.file(lexed.comments, file);
    const syntax = parserDiagnostics(parser.errors, lexed.tokens, source, value);
    return { value, diagnostics: onePerPlace(lexed.diagnostics, syntax, astDiagnostics) };
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
    const astDiagnostics: Diagnostic[] = [];
    const value = new AstBuilder(file, source.text.length, astDiagnostics).expression(cst, whole);
    const syntax = parserDiagnostics(parser.errors, lexed.tokens, source);
    return { value, diagnostics: onePerPlace(lexed.diagnostics, syntax, astDiagnostics) };
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

/**
 * One error per place, the most specific first: a lexical error (a bad number, an unterminated
 * string) explains a parse error at the same token, and a parse error explains whatever the
 * AST builder then finds there.
 */
function onePerPlace(...stages: (readonly Diagnostic[])[]): Diagnostic[] {
  const taken = new Set<number>();
  const kept: Diagnostic[] = [];
  for (const stage of stages) {
    const here = stage.filter((d) => d.span === undefined || !taken.has(d.span.start));
    for (const d of here) if (d.span) taken.add(d.span.start);
    kept.push(...here);
  }
  return normalize(kept);
}

// ---------------------------------------------------------------------------------------------

const OPENERS = new Set([T.LParen, T.LBracket, T.LBrace]);
const CLOSERS = new Set([T.RParen, T.RBracket, T.RBrace]);

/**
 * The first token that nests too deep: brackets (a lambda body `=>` counts as one more level,
 * up to the `,` or closing bracket that ends it), a run of prefix operators, or type arguments.
 */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  const open: boolean[] = []; // true for a bracket, false for a lambda body
  let prefixRun = 0;
  let typeArgs = 0;
  let prev: IToken | undefined;
  for (const tok of tokens) {
    const t = tok.tokenType;
    if (OPENERS.has(t) || t === T.Arrow) {
      open.push(t !== T.Arrow);
      if (open.length > MAX_NESTING) return tok;
    } else if (CLOSERS.has(t) || t === T.Comma) {
      while (open.length > 0 && open[open.length - 1] === false) open.pop();
      if (t !== T.Comma) open.pop();
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
  file?: FileNode,
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
    let p: Payload = { expected: [], found: found(tok) };
    try {
      p = JSON.parse(err.message) as Payload;
    } catch {
      // A message not built by our provider: keep the defaults.
    }
    let expected = p.expected;
    if (p.loop && file) {
      const more = continuations(file, endOfTokenBefore(tokens, at.start));
      expected = [...more.map((c) => `\`${c}\``), ...expected];
    }
    const help = tok.tokenType === T.Arrow ? LAMBDA_HELP : {};
    out.push(diag("RPL1003", at, [list(expected), p.found], help));
  }
  return out;
}

/** Where the last token before `offset` ends (-1 when there is none). */
function endOfTokenBefore(tokens: readonly IToken[], offset: number): number {
  const tok = lastStartingBefore(tokens, offset, (t) => t.startOffset);
  return tok ? tok.startOffset + tok.image.length : -1;
}

/** The clauses that the item ending at `end` (a rule or a risk) could still have taken. */
function continuations(file: FileNode, end: number): string[] {
  const start = (n: TopItem | OnItem) => n.span.start;
  let item: TopItem | OnItem | undefined = lastStartingBefore(file.items, end, start);
  if (item?.kind === "On" && item.span.end > end) item = lastStartingBefore(item.items, end, start);
  if (!item || item.span.end !== end) return [];
  if (item.kind === "Risk") return item.when ? [] : ["when"];
  if (item.kind !== "Rule") return [];
  const clauses: (keyof RuleDecl)[] = ["when", "unless", "reason"];
  if (item.effect === "require_approval") clauses.push("approvers", "timeout");
  return clauses.filter((c) => item[c] === undefined);
}

/** Binary search over nodes sorted by start: the last one starting before `offset`. */
function lastStartingBefore<N>(
  nodes: readonly N[],
  offset: number,
  startOf: (n: N) => number,
): N | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  let found: N | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid]!;
    if (startOf(n) < offset) {
      found = n;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
