/**
 * The editor grammar (grammar/rplc.tmLanguage.json), run through the same TextMate engine VS Code
 * uses. Every example policy is tokenized and cross-checked against a tiny independent scanner for
 * comments, strings, keywords and durations; small snippets pin down the context-sensitive cases.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import oniguruma from "vscode-oniguruma";
import vsctm from "vscode-textmate";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const GRAMMAR_PATH = path.join(ROOT, "grammar/rplc.tmLanguage.json");
const EXAMPLES = path.join(ROOT, "examples");

interface Token {
  readonly text: string;
  readonly start: number;
  readonly scopes: readonly string[];
}

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(path.join(ROOT, "node_modules/vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM({ data: wasm });
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === "source.rplc"
        ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH)
        : null,
  });
  const loaded = await registry.loadGrammar("source.rplc");
  if (loaded === null) throw new Error("INVARIANT: the rplc grammar must load");
  grammar = loaded;
});

function tokenize(text: string): Token[][] {
  let state = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      scopes: t.scopes,
    }));
  });
}

/** The scopes of the token `text` on the line (the `nth` occurrence), failing when it is absent. */
function scopesOf(line: string, text: string, nth = 0): readonly string[] {
  const tokens = tokenize(line)[0] ?? [];
  const found = tokens.filter((t) => t.text === text)[nth];
  if (found === undefined) {
    throw new Error(`no token \`${text}\` in ${JSON.stringify(tokens.map((t) => t.text))}`);
  }
  return found.scopes;
}

const has = (scopes: readonly string[], prefix: string) => scopes.some((s) => s.startsWith(prefix));

/** Files to highlight: every policy and every spec fragment under examples/. */
function exampleFiles(dir = EXAMPLES): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...exampleFiles(full));
    else if (entry.name.endsWith(".rplc") || entry.name.endsWith(".rplc.txt")) out.push(full);
  }
  return out.sort();
}

type Region = "code" | "string" | "comment";

/** An independent scanner: which characters of a line are in a string, a comment, or code. */
function regions(line: string): Region[] {
  const out: Region[] = [];
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      out.push("string");
      if (ch === "\\" && i + 1 < line.length) {
        out.push("string");
        i++;
      } else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out.push("string");
    } else if (ch === "#") {
      while (out.length < line.length) out.push("comment");
      break;
    } else out.push("code");
  }
  return out;
}

function scopesAt(tokens: readonly Token[], index: number): readonly string[] {
  const t = tokens.find((tok) => tok.start <= index && index < tok.start + tok.text.length);
  return t?.scopes ?? [];
}

const KEYWORDS =
  "policy version include with except action context let def param settings on allow block require approval risk when unless reason approvers timeout and or not in true false test expect property for where runs".split(
    " ",
  );

const files = exampleFiles();

describe("the example policies", () => {
  it("are found, including the seed scenario and the language specification's examples", () => {
    const names = files.map((f) => path.relative(EXAMPLES, f).split(path.sep).join("/"));
    expect(names).toContain("policies/db.rplc");
    expect(names).toContain("policies/common.rplc");
    expect(names).toContain("policies/fragments/language-spec.rplc.txt");
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(files.map((f) => [path.relative(ROOT, f), f] as const))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const lines = text.split(/\r?\n/);

    it("has no token of an `invalid` scope", () => {
      const bad = tokenize(text).flatMap((tokens, i) =>
        tokens
          .filter((t) => has(t.scopes, "invalid"))
          .map((t) => `${i + 1}:${t.start + 1} ${JSON.stringify(t.text)} ${t.scopes.join(" ")}`),
      );
      expect(bad).toEqual([]);
    });

    it("scopes comments and strings exactly where an independent scanner finds them", () => {
      const tokenized = tokenize(text);
      const wrong: string[] = [];
      lines.forEach((line, i) => {
        const tokens = tokenized[i] ?? [];
        regions(line).forEach((region, col) => {
          const scopes = scopesAt(tokens, col);
          const isComment = has(scopes, "comment");
          const isString = has(scopes, "string");
          const ok =
            region === "comment"
              ? isComment
              : region === "string"
                ? isString && !isComment
                : !isString && !isComment;
          if (!ok) wrong.push(`${i + 1}:${col + 1} ${region} got ${scopes.join(" ")}`);
        });
      });
      expect(wrong).toEqual([]);
    });

    it("gives every keyword in code a keyword scope, except after `.` and as a key", () => {
      const tokenized = tokenize(text);
      const wrong: string[] = [];
      lines.forEach((line, i) => {
        const tokens = tokenized[i] ?? [];
        const region = regions(line);
        for (const m of line.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)) {
          const word = m[0];
          const at = m.index;
          if (!KEYWORDS.includes(word) || region[at] !== "code") continue;
          const scopes = scopesAt(tokens, at);
          const afterDot = /\.\s*$/.test(line.slice(0, at));
          const asKey = /^\s*\??\s*:/.test(line.slice(at + word.length));
          let ok: boolean;
          if (afterDot || asKey) ok = !has(scopes, "keyword") && has(scopes, "variable.other.property");
          else if (word === "true" || word === "false") ok = has(scopes, "constant.language.boolean");
          else if (word === "action" || word === "context")
            ok = has(scopes, "keyword") || has(scopes, "variable.language");
          else ok = has(scopes, "keyword");
          if (!ok) wrong.push(`${i + 1}:${at + 1} ${word} got ${scopes.join(" ")}`);
        }
      });
      expect(wrong).toEqual([]);
    });

    it("gives every duration a numeric scope", () => {
      const tokenized = tokenize(text);
      const wrong: string[] = [];
      lines.forEach((line, i) => {
        const region = regions(line);
        for (const m of line.matchAll(/\b[0-9]+(ms|s|m|h|d)\b/g)) {
          if (region[m.index] !== "code") continue;
          for (let col = m.index; col < m.index + m[0].length; col++) {
            const scopes = scopesAt(tokenized[i] ?? [], col);
            if (!has(scopes, "constant.numeric.duration")) wrong.push(`${i + 1}:${col + 1} ${m[0]}`);
          }
        }
      });
      expect(wrong).toEqual([]);
    });
  });
});

describe("the rplc TextMate grammar", () => {
  it("scopes rule effects, clauses and rule names", () => {
    const line = 'block unbounded_delete when verb == "DELETE" unless x reason "r"';
    expect(scopesOf(line, "block")).toContain("keyword.control.effect.rplc");
    expect(scopesOf(line, "unbounded_delete")).toContain("entity.name.function.rule.rplc");
    expect(scopesOf(line, "when")).toContain("keyword.control.clause.rplc");
    expect(scopesOf(line, "unless")).toContain("keyword.control.clause.rplc");
    expect(scopesOf(line, "reason")).toContain("keyword.control.clause.rplc");
    expect(scopesOf(line, "==")).toContain("keyword.operator.comparison.rplc");
  });

  it("scopes `require approval NAME` and its clauses", () => {
    const line = 'require approval prod_write approvers ["dba"] timeout 30m';
    expect(scopesOf(line, "require")).toContain("keyword.control.effect.rplc");
    expect(scopesOf(line, "approval")).toContain("keyword.control.effect.rplc");
    expect(scopesOf(line, "prod_write")).toContain("entity.name.function.rule.rplc");
    expect(scopesOf(line, "approvers")).toContain("keyword.control.clause.rplc");
    expect(scopesOf(line, "timeout")).toContain("keyword.control.clause.rplc");
  });

  it("does not take a clause keyword for a rule name", () => {
    expect(scopesOf("allow when x", "when")).toContain("keyword.control.clause.rplc");
    expect(scopesOf("risk when 5", "when")).toContain("keyword.control.clause.rplc");
  });

  it("scopes strings and their escapes, and `#` inside a string is not a comment", () => {
    const line = 'reason "issue #42: \\"quoted\\" \\u00e9" # a real comment';
    const tokens = tokenize(line)[0] ?? [];
    const hash = line.indexOf("#42");
    expect(has(scopesAt(tokens, hash), "string.quoted.double")).toBe(true);
    expect(has(scopesAt(tokens, hash), "comment")).toBe(false);
    expect(scopesOf(line, '\\"')).toContain("constant.character.escape.rplc");
    expect(scopesOf(line, "\\u00e9")).toContain("constant.character.escape.rplc");
    expect(has(scopesAt(tokens, line.indexOf("# a real")), "comment.line.number-sign")).toBe(true);
  });

  it("marks bad escapes and unterminated strings invalid", () => {
    expect(has(scopesOf('let x = "a\\qb"', "\\q"), "invalid")).toBe(true);
    const open = tokenize('let x = "no end\nlet y = 1');
    expect(open[0]?.some((t) => has(t.scopes, "invalid"))).toBe(true);
    // The next line is not swallowed by the unterminated string.
    expect(scopesOf('let x = "no end\nlet y = 1'.split("\n")[1] ?? "", "let")).toContain(
      "keyword.other.declaration.rplc",
    );
    expect(tokenize('let x = "no end\nlet y = 1')[1]?.some((t) => has(t.scopes, "string"))).toBe(false);
  });

  it("keeps keywords after `.` as field names", () => {
    const line = "when args.action == context.version and args.sql";
    expect(has(scopesOf(line, "action"), "keyword")).toBe(false);
    expect(scopesOf(line, "action")).toContain("variable.other.property.rplc");
    expect(has(scopesOf(line, "version"), "keyword")).toBe(false);
    expect(scopesOf(line, "args")).toContain("variable.language.rplc");
    expect(scopesOf(line, "context")).toContain("variable.language.rplc");
    expect(scopesOf(line, "and")).toContain("keyword.operator.logical.rplc");
  });

  it("keeps keywords used as object keys as keys", () => {
    const line = 'request { action: "db.query", context: { env: "dev" } }';
    expect(scopesOf(line, "request")).toContain("keyword.other.test.rplc");
    expect(scopesOf(line, "action")).toContain("variable.other.property.key.rplc");
    expect(scopesOf(line, "context")).toContain("variable.other.property.key.rplc");
    expect(has(scopesOf("  action?: string", "action"), "keyword")).toBe(false);
  });

  it("tells `action` and `context` declarations from the roots of the same name", () => {
    expect(scopesOf("action db.query {", "action")).toContain("keyword.other.declaration.rplc");
    expect(scopesOf("action db.query {", "query")).toContain("entity.name.type.action.rplc");
    expect(scopesOf("context {", "context")).toContain("keyword.other.declaration.rplc");
    expect(scopesOf('when action in ["a"]', "action")).toContain("variable.language.rplc");
    expect(scopesOf('when action in ["a"]', "in")).toContain("keyword.operator.word.rplc");
    expect(scopesOf('action fs.write from "./s.json"', "from")).toContain("keyword.other.declaration.rplc");
  });

  it("scopes durations and numbers as numeric, and rejects what the lexer rejects", () => {
    for (const d of ["500ms", "30s", "15m", "2h", "7d"]) {
      const tokens = tokenize(`timeout ${d}`)[0] ?? [];
      const at = "timeout ".length;
      expect(has(scopesAt(tokens, at), "constant.numeric.duration")).toBe(true);
      expect(has(scopesAt(tokens, at + d.length - 1), "constant.numeric.duration")).toBe(true);
    }
    expect(scopesOf("risk r 3.5", "3.5")).toContain("constant.numeric.decimal.rplc");
    expect(scopesOf("risk r 42", "42")).toContain("constant.numeric.decimal.rplc");
    for (const bad of ["1e5", "1.5h", "10min", "3.", "5m.", "2.0.1"]) {
      expect(has(scopesOf(`let x = ${bad}`, bad), "invalid")).toBe(true);
    }
  });

  it("scopes comments", () => {
    const line = "  # what this file shows";
    expect(scopesOf(line, "#")).toContain("punctuation.definition.comment.rplc");
    expect(scopesOf(line, " what this file shows")).toContain("comment.line.number-sign.rplc");
  });

  it("scopes `on` patterns, including several and wildcards", () => {
    const line = "on fs.*, db.query {";
    expect(scopesOf(line, "on")).toContain("keyword.other.declaration.rplc");
    expect(scopesOf(line, "fs")).toContain("entity.name.type.action.rplc");
    expect(scopesOf(line, "*")).toContain("keyword.operator.wildcard.rplc");
    expect(scopesOf(line, "query")).toContain("entity.name.type.action.rplc");
    expect(scopesOf("for fs.delete where x", "delete")).toContain("entity.name.type.action.rplc");
  });

  it("scopes namespaces, built-in and user function calls, and lambda parameters", () => {
    const line = "when sql.has_where(args.sql) and any(args.to, t => not internal(t))";
    expect(scopesOf(line, "sql")).toContain("support.class.namespace.rplc");
    expect(scopesOf(line, "has_where")).toContain("support.function.rplc");
    expect(scopesOf(line, "any")).toContain("support.function.builtin.rplc");
    expect(scopesOf(line, "internal")).toContain("entity.name.function.call.rplc");
    expect(scopesOf(line, "t")).toContain("variable.parameter.rplc");
    expect(scopesOf(line, "=>")).toContain("storage.type.function.arrow.rplc");
    for (const ns of ["shell", "path", "url", "secrets"]) {
      expect(scopesOf(`when ${ns}.f(x)`, ns)).toContain("support.class.namespace.rplc");
    }
    expect(scopesOf("let h = now", "now")).toContain("variable.language.rplc");
  });

  it("scopes types: primitives, list<…>, map<…> and unions", () => {
    const line = 'user?: { id: string, roles: list<map<number>>, env: "a" | "b" }';
    expect(scopesOf(line, "string")).toContain("support.type.primitive.rplc");
    expect(scopesOf(line, "list")).toContain("support.type.rplc");
    expect(scopesOf(line, "map")).toContain("support.type.rplc");
    expect(scopesOf(line, "number")).toContain("support.type.primitive.rplc");
    expect(scopesOf(line, "|")).toContain("keyword.operator.type.union.rplc");
    expect(scopesOf(line, "user")).toContain("variable.other.property.key.rplc");
    expect(scopesOf(line, "?")).toContain("keyword.operator.optional.rplc");
    expect(scopesOf("def f(a: string): bool = true", "f")).toContain("entity.name.function.rplc");
  });

  it("scopes the forms of `expect`", () => {
    expect(scopesOf("expect not rule prod_write", "rule")).toContain("keyword.other.test.rplc");
    expect(scopesOf("expect not rule prod_write", "prod_write")).toContain("entity.name.function.rule.rplc");
    expect(scopesOf("expect score >= 50", "score")).toContain("keyword.other.test.rplc");
    expect(scopesOf("expect require approval", "approval")).toContain("keyword.control.effect.rplc");
  });

  it("marks characters that start no token invalid", () => {
    for (const ch of ["@", "$", ";", "'", "!"]) {
      expect(has(scopesOf(`when x ${ch} y`, ch), "invalid")).toBe(true);
    }
    expect(has(scopesOf("when x != y", "!="), "invalid")).toBe(false);
    // The lexer's whitespace includes no-break space and the byte-order mark.
    expect(tokenize("\uFEFFlet x =\u00A0 1")[0]?.some((t) => has(t.scopes, "invalid"))).toBe(false);
  });
});
