/**
 * The lexer: source text to tokens, comments and lexical diagnostics. One Chevrotain lexer per
 * process. After Chevrotain has run, `lex()` classifies numeric runs as numbers or durations,
 * reports unterminated strings, bad escapes and malformed numbers, and turns the lexer's
 * "unexpected characters" errors into one RPL1001 per run of bad characters.
 */
import { type IToken, Lexer } from "chevrotain";
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { span } from "../diagnostics/span.js";
import type { Comment as CommentNode } from "./ast.js";
import {
  allTokens,
  DurationLiteral,
  NumberLiteral,
  Numeric,
  StringTok,
  UnterminatedString,
} from "./tokens.js";

const lexer = new Lexer(allTokens, {
  ensureOptimizations: true,
  // Start offsets only (the cheapest mode): lex() adds end offsets, and lines and columns
  // are derived from offsets on demand (SourceFile.position).
  positionTracking: "onlyOffset",
  // Errors are turned into diagnostics below; the default provider's text is never shown.
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: () => "",
    buildUnableToPopLexerModeMessage: () => "",
  },
});

/**
 * At most this many stray-character diagnostics, and as many about the insides of tokens: a
 * binary file would otherwise cost millions of diagnostics that normalize() cuts to 200 anyway.
 * (Beyond it, the "N more not shown" count of normalize() is a lower bound.)
 */
export const MAX_LEX_DIAGNOSTICS = 1000;

export interface LexResult {
  /** The tokens the parser reads (no whitespace, no comments). */
  readonly tokens: IToken[];
  /** Every `#` comment in source order, text after `#`. */
  readonly comments: CommentNode[];
  readonly diagnostics: Diagnostic[];
}

const NUMBER_RE = /^[0-9]+(?:\.[0-9]+)?$/;
const DURATION_RE = /^([0-9]+)(ms|s|m|h|d)$/;
const EXPONENT_OR_DOTS_RE = /^[0-9]+(?:\.[0-9]*)*(?:[eE][0-9]*)?$/;

export function lex(source: SourceFile): LexResult {
  const file = source.path;
  const text = source.text;
  const diagnostics: Diagnostic[] = [];
  const result = lexer.tokenize(text);

  // A NUL byte anywhere (also inside a string or a comment) means the file is not text: say so
  // once; runs of NUL between tokens are not also reported as unexpected characters.
  const nul = text.indexOf("\u0000");
  if (nul >= 0) diagnostics.push(diag("RPL1011", span(file, nul, nul + 1), ["it contains a NUL byte"]));
  let stray = 0;
  for (const err of result.errors) {
    const run = text.slice(err.offset, err.offset + err.length);
    if (/^\u0000+$/.test(run)) continue;
    if (++stray > MAX_LEX_DIAGNOSTICS) break;
    diagnostics.push(diag("RPL1001", span(file, err.offset, err.offset + err.length), [showChars(run)]));
  }

  // Problems inside tokens, in source order, kept apart from stray characters so that each
  // list keeps its earliest entries when capped.
  const inTokens: Diagnostic[] = [];
  for (const tok of result.tokens) {
    // "onlyOffset" tracking records start offsets only; the parser's node locations need ends.
    tok.endOffset = tok.startOffset + tok.image.length - 1;
    const sink = inTokens.length < MAX_LEX_DIAGNOSTICS ? inTokens : undefined;
    if (tok.tokenType === Numeric) classifyNumeric(tok, file, sink);
    else if (sink && (tok.tokenType === StringTok || tok.tokenType === UnterminatedString)) {
      if (tok.tokenType === UnterminatedString) sink.push(diag("RPL1002", tokenSpan(file, tok)));
      for (const bad of decodeString(tok.image).bad) {
        const at = tok.startOffset + bad.offset;
        sink.push(diag("RPL1004", span(file, at, at + bad.text.length), [bad.text]));
      }
    }
  }
  diagnostics.push(...inTokens);

  const comments: CommentNode[] = [];
  for (const c of result.groups.comments ?? []) {
    comments.push({ kind: "Comment", text: c.image.slice(1), span: tokenSpan(file, c) });
  }
  return { tokens: result.tokens, comments, diagnostics };
}

/** Retag a numeric run as a number or a duration; report it when it is neither. */
function classifyNumeric(tok: IToken, file: string, diagnostics: Diagnostic[] | undefined): void {
  const image = tok.image;
  if (NUMBER_RE.test(image)) {
    retag(tok, NumberLiteral);
  } else if (DURATION_RE.test(image)) {
    retag(tok, DurationLiteral);
  } else if (EXPONENT_OR_DOTS_RE.test(image)) {
    diagnostics?.push(diag("RPL1005", tokenSpan(file, tok), [image]));
    retag(tok, NumberLiteral);
  } else {
    diagnostics?.push(diag("RPL1006", tokenSpan(file, tok), [image]));
    retag(tok, DurationLiteral);
  }
}

function retag(tok: IToken, type: typeof NumberLiteral): void {
  // The parser matches on tokenTypeIdx; both fields must agree.
  tok.tokenType = type;
  tok.tokenTypeIdx = type.tokenTypeIdx!;
}

/** The span of a token; tokens inserted by parser recovery have no offsets (NaN) and no text. */
export function tokenSpan(file: string, tok: IToken) {
  const start = Number.isFinite(tok.startOffset) ? tok.startOffset : 0;
  return span(file, start, start + tok.image.length);
}

/** Bad characters for a message: in backticks, control characters escaped, long runs cut. */
export function showChars(run: string): string {
  const cut = run.length > 20 ? `${run.slice(0, 20)}…` : run;
  const shown = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029`]/g, (c) =>
    c === "`" ? "\\u0060" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `\`${shown}\``;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Decode a string token's image (with its quotes; the closing one may be missing) using JSON
 * escapes. Bad escapes are returned with their offset in the image and left out of the value.
 */
export function decodeString(image: string): { value: string; bad: { offset: number; text: string }[] } {
  const closed = image.length >= 2 && image.endsWith('"') && !isEscapedQuoteAtEnd(image);
  const end = closed ? image.length - 1 : image.length;
  const bad: { offset: number; text: string }[] = [];
  let value = "";
  let i = 1;
  while (i < end) {
    const c = image[i]!;
    if (c !== "\\") {
      const next = image.indexOf("\\", i);
      const stop = next === -1 || next > end ? end : next;
      value += image.slice(i, stop);
      i = stop;
      continue;
    }
    const e = image[i + 1];
    if (e === undefined || i + 1 >= end) {
      bad.push({ offset: i, text: "\\" });
      i += 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(image.slice(i + 2, i + 6)) && i + 6 <= end) {
      value += String.fromCharCode(Number.parseInt(image.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      let text = `\\${e}`;
      if (e === "u") {
        let h = i + 2;
        while (h < end && h < i + 6 && /[0-9A-Fa-f]/.test(image[h]!)) h++;
        text = image.slice(i, h);
      }
      bad.push({ offset: i, text });
      i += text.length;
    }
  }
  return { value, bad };
}

/** `"abc\\"` is closed; `"abc\"` (a backslash escaping the last quote) is not. */
function isEscapedQuoteAtEnd(image: string): boolean {
  let n = 0;
  for (let j = image.length - 2; j >= 1 && image[j] === "\\"; j--) n++;
  return n % 2 === 1;
}
