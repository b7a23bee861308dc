/**
 * The token vocabulary of `.rplc` (LANGUAGE.md §4). Order matters: Chevrotain's lexer takes the
 * first pattern that matches, so longer operators come before their prefixes and keywords come
 * before `Identifier` (each keyword has `longer_alt: Identifier`, so `whenever` is one identifier).
 *
 * Categories (Chevrotain token categories) group families the grammar treats alike:
 * - `AnyName`: an identifier or any keyword; used where keywords may serve as names
 *   (after `.`, object keys, object-type field names, dotted action names).
 * - `CompareOp`, `AddOp`, `MulOp`: operator families of one precedence level; `PrefixOp`: `not`, `-`.
 * - `StringLiteral`: a string, terminated or not (the lexer reports the unterminated one).
 * - Contextual words (`label`, `redact`, `request`, `rule`, `score`) are not keywords of §4: they
 *   are tokens in the `Identifier` category, so they still work as plain names everywhere.
 */
import { createToken, type IToken, Lexer, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------------------------
// Categories (no pattern of their own)

export const AnyName = createToken({ name: "AnyName", pattern: Lexer.NA });
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, categories: [AnyName] });
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
/** `not` and `-` where they start an operand. */
export const PrefixOp = createToken({ name: "PrefixOp", pattern: Lexer.NA });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });

/**
 * Numbers and durations are lexed as one `Numeric` run (`[0-9][0-9A-Za-z_.]*`) and then
 * classified by `lex()`, which retags each token as one of these two (and reports malformed
 * ones: `1e5`, `1.`, `5min`, `3.5s`). The parser only ever sees these two.
 */
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: Lexer.NA });
export const DurationLiteral = createToken({ name: "DurationLiteral", pattern: Lexer.NA });

// ---------------------------------------------------------------------------------------------
// Trivia

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  // Space, tab, line breaks, and a byte order mark (editors on Windows write one).
  pattern: /[ \t\r\n\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

// ---------------------------------------------------------------------------------------------
// Literals and names

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName],
});
export const StringTok = createToken({
  name: "String",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLiteral],
});
/** A string that reaches the end of the line: reported by `lex()`, parsed as if it were closed. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral],
});
export const Numeric = createToken({ name: "Numeric", pattern: /[0-9][0-9A-Za-z_.]*/ });

// ---------------------------------------------------------------------------------------------
// Keywords (§4) and contextual words

function keyword(word: string, extra: TokenType[] = []): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Keyword, AnyName, ...extra],
    label: `\`${word}\``,
  });
}
/** A word with a meaning in one place only; elsewhere an ordinary identifier. */
function contextual(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Identifier, AnyName],
    label: `\`${word}\``,
  });
}

export const Policy = keyword("policy");
export const Version = keyword("version");
export const Include = keyword("include");
export const With = keyword("with");
export const Except = keyword("except");
export const Action = keyword("action");
export const Context = keyword("context");
export const Let = keyword("let");
export const Def = keyword("def");
export const Param = keyword("param");
export const Settings = keyword("settings");
export const On = keyword("on");
export const Allow = keyword("allow");
export const Block = keyword("block");
export const Require = keyword("require");
export const Approval = keyword("approval");
export const Risk = keyword("risk");
export const When = keyword("when");
export const Unless = keyword("unless");
export const Reason = keyword("reason");
export const Approvers = keyword("approvers");
export const Timeout = keyword("timeout");
export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not", [PrefixOp]);
export const In = keyword("in");
export const True = keyword("true");
export const False = keyword("false");
export const Test = keyword("test");
export const Expect = keyword("expect");
export const Property = keyword("property");
export const For = keyword("for");
export const Where = keyword("where");
export const Runs = keyword("runs");

export const Label = contextual("label");
export const Redact = contextual("redact");
export const Request = contextual("request");
export const RuleWord = contextual("rule");
export const Score = contextual("score");
export const From = contextual("from");

/** Keywords in an order where no keyword is a prefix of a later one that it would shadow. */
const keywords: TokenType[] = [
  Policy,
  Version,
  Include,
  With,
  Except,
  Action,
  Context,
  Let,
  Def,
  Param,
  Settings,
  On,
  Allow,
  Block,
  Require,
  Approvers,
  Approval,
  Risk,
  When,
  Unless,
  Reason,
  Timeout,
  And,
  Or,
  Not,
  In,
  True,
  False,
  Test,
  Expect,
  Property,
  For,
  Where,
  Runs,
  Label,
  Redact,
  Request,
  RuleWord,
  Score,
  From,
];

// ---------------------------------------------------------------------------------------------
// Punctuation and operators (longest first where one is a prefix of another)

function punct(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), categories, label: `\`${text}\`` });
}

export const EqEq = punct("EqEq", "==", [CompareOp]);
export const NotEq = punct("NotEq", "!=", [CompareOp]);
export const LessEq = punct("LessEq", "<=", [CompareOp]);
/**
 * `>=`, except where a `>` closes a type argument and `=` follows: `def f(): list<string>= …` and
 * `list<list<int>>= …` lex as `>` `=` (the lexer cannot see context, so it looks back at the
 * tokens already made: an unclosed `list<`/`map<` with nothing between that a type cannot hold).
 */
export const GreaterEq = createToken({
  name: "GreaterEq",
  pattern: {
    exec: (text: string, offset: number, tokens: IToken[]) =>
      text.startsWith(">=", offset) && !closesTypeArgument(tokens) ? [">="] : null,
  },
  line_breaks: false,
  start_chars_hint: [">"],
  categories: [CompareOp],
  label: "`>=`",
});

/** Words and signs a type never holds: meeting one while looking back means "in an expression". */
const NOT_IN_TYPES = new Set(["=", "==", "!=", "(", ")", "and", "or", "not", "when", "unless", "in", "let"]);

/** Whether the tokens so far end inside an unclosed `list<…`/`map<…` type argument. */
function closesTypeArgument(tokens: readonly IToken[]): boolean {
  let depth = 0;
  for (let i = tokens.length - 1, seen = 0; i >= 0 && seen < 64; i--, seen++) {
    const image = (tokens[i] as IToken).image;
    if (NOT_IN_TYPES.has(image) || /^[0-9]/.test(image)) return false;
    if (image === ">") depth++;
    else if (image === "<") {
      if (depth > 0) depth--;
      else {
        const before = tokens[i - 1]?.image;
        return before === "list" || before === "map";
      }
    }
  }
  return false;
}
export const Less = punct("Less", "<", [CompareOp]);
export const Greater = punct("Greater", ">", [CompareOp]);
export const Arrow = punct("Arrow", "=>");
export const Equals = punct("Equals", "=");
export const Coalesce = punct("Coalesce", "??");
export const Question = punct("Question", "?");
export const Plus = punct("Plus", "+", [AddOp]);
export const Minus = punct("Minus", "-", [AddOp, PrefixOp]);
export const Star = punct("Star", "*", [MulOp]);
export const Slash = punct("Slash", "/", [MulOp]);
export const Percent = punct("Percent", "%", [MulOp]);
export const Dot = punct("Dot", ".");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Pipe = punct("Pipe", "|");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const LBrace = punct("LBrace", "{");
export const RBrace = punct("RBrace", "}");

const punctuation: TokenType[] = [
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Arrow,
  Equals,
  Coalesce,
  Question,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Dot,
  Comma,
  Colon,
  Pipe,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];

/** Every token type in lexer order; the parser gets the same list. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringTok,
  UnterminatedString,
  Numeric,
  ...keywords,
  Identifier,
  ...punctuation,
  // categories and retagged types last (no patterns)
  AnyName,
  Keyword,
  CompareOp,
  AddOp,
  MulOp,
  PrefixOp,
  StringLiteral,
  NumberLiteral,
  DurationLiteral,
];
