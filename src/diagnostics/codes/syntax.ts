import { defineCodes } from "./entry.js";

/** RPL1xxx: lexical and syntax errors. */
export const syntaxCodes = defineCodes({
  RPL1001: {
    severity: "error",
    title: "unexpected character",
    explain: "The lexer met a character that starts no token of the language.",
    message: (ch = "") => `unexpected character ${ch}`,
  },
  RPL1002: {
    severity: "error",
    title: "unterminated string",
    explain: "A string literal has no closing double quote before the end of the line.",
    message: () => "unterminated string literal",
  },
  RPL1003: {
    severity: "error",
    title: "unexpected token",
    explain: "The parser expected something else at this place.",
    message: (expected = "", found = "") => `expected ${expected}, found ${found}`,
  },
  RPL1004: {
    severity: "error",
    title: "invalid escape",
    explain: 'Strings accept the JSON escapes only: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX.',
    message: (esc = "") => `invalid escape sequence \`${esc}\` in string`,
  },
  RPL1005: {
    severity: "error",
    title: "invalid number",
    explain: "Numbers are written `42` or `3.5`: no exponent, no leading `+`, no trailing dot.",
    message: (text = "") => `invalid number \`${text}\``,
  },
  RPL1006: {
    severity: "error",
    title: "invalid duration",
    explain: "A duration is an integer followed by one of the units ms, s, m, h, d.",
    message: (text = "") => `invalid duration \`${text}\``,
  },
  RPL1007: {
    severity: "error",
    title: "nesting too deep",
    explain:
      "Brackets, prefix operators (`not`, `-`) and type arguments may nest at most 256 levels deep, and one " +
      "expression may be at most 1024 operators deep (a chain `a or b or …` counts one level per operator). " +
      "Split the expression with `let` or `def`.",
    message: (limit = "") => `nesting deeper than ${limit} levels`,
  },
  RPL1008: {
    severity: "error",
    title: "duplicate clause",
    explain: "Each clause (when, unless, reason, approvers, timeout) appears at most once per rule.",
    message: (clause = "", rule = "") => `\`${clause}\` appears more than once in rule \`${rule}\``,
  },
  RPL1009: {
    severity: "error",
    title: "clause not allowed",
    explain: "`approvers` and `timeout` belong to `require approval` rules only.",
    message: (clause = "", effect = "") => `\`${clause}\` is not allowed on a \`${effect}\` rule`,
  },
  RPL1010: {
    severity: "error",
    title: "duplicate policy header",
    explain: "A file has at most one `policy` header.",
    message: () => "a file may have at most one `policy` header",
  },
  RPL1011: {
    severity: "error",
    title: "unreadable file",
    explain: "The source file is not valid UTF-8 text or contains a NUL byte.",
    message: (why = "") => `file cannot be read as text: ${why}`,
  },
  RPL1012: {
    severity: "error",
    title: "chained comparison",
    explain:
      "Comparison operators (`== != < <= > >= in not in`) do not chain: `a < b < c` is not `a < b and b < c`. " +
      "Combine comparisons with `and`, or add parentheses.",
    message: (op = "") => `comparison \`${op}\` cannot follow another comparison`,
  },
  RPL1013: {
    severity: "error",
    title: "missing type argument",
    explain: "`list` and `map` take one type argument: `list<string>`, `map<number>`.",
    message: (name = "") => `\`${name}\` needs a type argument, as in \`${name}<string>\``,
  },
  RPL1014: {
    severity: "error",
    title: "unexpected type argument",
    explain: "Only `list` and `map` take a type argument.",
    message: (name = "") => `type \`${name}\` takes no type argument`,
  },
  RPL1015: {
    severity: "error",
    title: "missing clause",
    explain:
      "A `test` needs a `request { … }` and a `property` needs a `for ACTION` before its expectations.",
    message: (clause = "", kind = "", name = "") => `${kind} \`${name}\` needs a \`${clause}\` clause`,
  },
});
