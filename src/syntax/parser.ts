/**
 * The grammar of `.rplc` (LANGUAGE.md §4–§8) as a Chevrotain CST parser: grammar only, no
 * actions. `cst-to-ast.ts` turns the concrete tree into the AST. One instance per process,
 * reset with `parser.input = tokens`.
 *
 * Newlines carry no meaning: every item starts with a keyword, and no expression can continue
 * with a token that starts an item, so items need no separators. Entries of `{ … }` bodies
 * (settings, object types, object literals) are separated by commas and/or line breaks (the
 * comma is optional); list items and arguments need commas.
 *
 * One file for the whole grammar (over 500 lines, mostly Chevrotain's DSL boilerplate), so the
 * grammar reads top to bottom like grammar/rplc.ebnf.
 *
 * Expressions are flat (see below), so a long chain `a + b + … + z` costs no stack; only
 * brackets recurse, and `parse.ts` refuses input that nests them deeper than 256 levels before
 * the parser runs.
 */
import { type CstNode, CstParser, type IParserErrorMessageProvider, type IToken } from "chevrotain";
import * as T from "./tokens.js";

export class RplcParser extends CstParser {
  /**
   * @param stop answers true once the parser has reported enough errors: the loops over items
   *   then end, recovery skips the rest of the input, and a file of garbage costs linear time.
   */
  constructor(
    errorMessageProvider?: IParserErrorMessageProvider,
    private readonly stop: () => boolean = () => false,
  ) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      ...(errorMessageProvider ? { errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  /**
   * Called with each top-level item as soon as it is parsed, so the caller can build its AST
   * and release its CST: a 10 MB file never holds the whole concrete tree in memory.
   */
  onTopItem: ((item: CstNode) => void) | undefined;

  /**
   * Alternatives of each OR, built once: an array literal in a rule body would be rebuilt on
   * every call (the performance advice of Chevrotain's own guide).
   */
  private readonly alts = new Map<string, unknown>();

  private cached<A>(key: string, build: () => A): A {
    let alts = this.alts.get(key) as A | undefined;
    if (alts === undefined) {
      alts = build();
      this.alts.set(key, alts);
    }
    return alts;
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  file = this.RULE("file", () => {
    this.MANY({
      GATE: this.itemAhead,
      DEF: () => {
        const item = this.SUBRULE(this.topItem);
        if (!this.RECORDING_PHASE) this.onTopItem?.(item);
      },
    });
  });

  topItem = this.RULE("topItem", () => {
    this.OR(
      this.cached("topItem", () => [
        { ALT: () => this.SUBRULE(this.policyHeader) },
        { ALT: () => this.SUBRULE(this.includeDecl) },
        { ALT: () => this.SUBRULE(this.settingsDecl) },
        { ALT: () => this.SUBRULE(this.contextDecl) },
        { ALT: () => this.SUBRULE(this.actionDecl) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.defDecl) },
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.onBlock) },
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.riskDecl) },
        { ALT: () => this.SUBRULE(this.testDecl) },
        { ALT: () => this.SUBRULE(this.propertyDecl) },
      ]),
    );
  });

  policyHeader = this.RULE("policyHeader", () => {
    this.CONSUME(T.Policy);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Version);
      this.CONSUME2(T.StringLiteral);
    });
  });

  includeDecl = this.RULE("includeDecl", () => {
    this.CONSUME(T.Include);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.With);
      this.SUBRULE(this.objectLiteral);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Except);
      this.CONSUME(T.LBracket);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
      this.CONSUME(T.RBracket);
    });
  });

  settingsDecl = this.RULE("settingsDecl", () => {
    this.CONSUME(T.Settings);
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: this.more,
      DEF: () => {
        this.SUBRULE(this.settingEntry);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  settingEntry = this.RULE("settingEntry", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    // `default: allow` and `on_error: block`: the effect keywords are values here.
    this.OR(
      this.cached("settingEntry", () => [
        { ALT: () => this.CONSUME(T.Allow) },
        { ALT: () => this.CONSUME(T.Block) },
        { ALT: () => this.SUBRULE(this.expression) },
      ]),
    );
  });

  contextDecl = this.RULE("contextDecl", () => {
    this.CONSUME(T.Context);
    this.SUBRULE(this.objectType);
  });

  actionDecl = this.RULE("actionDecl", () => {
    this.CONSUME(T.Action);
    this.SUBRULE(this.qualifiedName);
    this.OR(
      this.cached("actionDecl", () => [
        { ALT: () => this.SUBRULE(this.objectType) },
        {
          ALT: () => {
            this.CONSUME(T.From);
            this.CONSUME(T.StringLiteral);
          },
        },
      ]),
    );
  });

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  defDecl = this.RULE("defDecl", () => {
    this.CONSUME(T.Def);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY(() => {
      this.SUBRULE(this.defParam);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  defParam = this.RULE("defParam", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  onBlock = this.RULE("onBlock", () => {
    this.CONSUME(T.On);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.qualifiedName) });
    this.CONSUME(T.LBrace);
    this.MANY({ GATE: this.itemAhead, DEF: () => this.SUBRULE(this.onItem) });
    this.CONSUME(T.RBrace);
  });

  onItem = this.RULE("onItem", () => {
    this.OR(
      this.cached("onItem", () => [
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.riskDecl) },
        { ALT: () => this.SUBRULE(this.labelDecl) },
        { ALT: () => this.SUBRULE(this.redactDecl) },
      ]),
    );
  });

  labelDecl = this.RULE("labelDecl", () => {
    this.CONSUME(T.Label);
    this.CONSUME(T.Identifier);
  });

  redactDecl = this.RULE("redactDecl", () => {
    this.CONSUME(T.Redact);
    this.SUBRULE(this.expression);
  });

  /** `db.query`, `fs.*`; parts after the first may be keywords (`email.send`, `jobs.test`). */
  qualifiedName = this.RULE("qualifiedName", () => {
    this.CONSUME(T.AnyName);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR(
        this.cached("qualifiedName", () => [
          { ALT: () => this.CONSUME2(T.AnyName) },
          { ALT: () => this.CONSUME(T.Star) },
        ]),
      );
    });
  });

  ruleDecl = this.RULE("ruleDecl", () => {
    this.OR(
      this.cached("ruleDecl", () => [
        { ALT: () => this.CONSUME(T.Allow) },
        { ALT: () => this.CONSUME(T.Block) },
        {
          ALT: () => {
            this.CONSUME(T.Require);
            this.CONSUME(T.Approval);
          },
        },
      ]),
    );
    this.CONSUME(T.Identifier);
    this.MANY({ GATE: this.more, DEF: () => this.SUBRULE(this.ruleClause) });
  });

  ruleClause = this.RULE("ruleClause", () => {
    this.OR(
      this.cached("ruleClause", () => [
        {
          ALT: () => {
            this.CONSUME(T.When);
            this.SUBRULE(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Unless);
            this.SUBRULE2(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Reason);
            this.SUBRULE3(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Approvers);
            this.SUBRULE4(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Timeout);
            this.CONSUME(T.DurationLiteral);
          },
        },
      ]),
    );
  });

  riskDecl = this.RULE("riskDecl", () => {
    this.CONSUME(T.Risk);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.expression, { LABEL: "weight" });
    this.OPTION(() => {
      this.CONSUME(T.When);
      this.SUBRULE2(this.expression, { LABEL: "when" });
    });
  });

  // -------------------------------------------------------------------------------------------
  // Tests and properties (§7)

  testDecl = this.RULE("testDecl", () => {
    this.CONSUME(T.Test);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LBrace);
    // Required; optional here so that a missing `request` is one clear error (RPL1015).
    this.OPTION(() => {
      this.CONSUME(T.Request);
      this.SUBRULE(this.objectLiteral);
    });
    this.MANY({ GATE: this.more, DEF: () => this.SUBRULE(this.expectation) });
    this.CONSUME(T.RBrace);
  });

  propertyDecl = this.RULE("propertyDecl", () => {
    this.CONSUME(T.Property);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LBrace);
    // Required; optional here so that a missing `for` is one clear error (RPL1015).
    this.OPTION(() => {
      this.CONSUME(T.For);
      this.SUBRULE(this.qualifiedName);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression);
    });
    this.MANY({ GATE: this.more, DEF: () => this.SUBRULE(this.expectation) });
    this.OPTION3(() => {
      this.CONSUME(T.Runs);
      this.CONSUME(T.NumberLiteral);
    });
    this.CONSUME(T.RBrace);
  });

  expectation = this.RULE("expectation", () => {
    this.CONSUME(T.Expect);
    this.OR(
      this.cached("expectation", () => [
        {
          ALT: () => {
            this.CONSUME(T.Score);
            this.CONSUME(T.CompareOp);
            this.CONSUME(T.NumberLiteral);
          },
        },
        {
          ALT: () => {
            this.OPTION(() => this.CONSUME(T.Not));
            this.OR2(
              this.cached("expectation2", () => [
                { ALT: () => this.CONSUME(T.Allow) },
                { ALT: () => this.CONSUME(T.Block) },
                {
                  ALT: () => {
                    this.CONSUME(T.Require);
                    this.CONSUME(T.Approval);
                  },
                },
                {
                  ALT: () => {
                    this.CONSUME(T.RuleWord);
                    this.CONSUME(T.Identifier);
                  },
                },
              ]),
            );
          },
        },
      ]),
    );
  });

  // -------------------------------------------------------------------------------------------
  // Types

  typeExpr = this.RULE("typeExpr", () => {
    this.OR(
      this.cached("typeExpr", () => [
        {
          ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.CONSUME(T.StringLiteral) }),
        },
        { ALT: () => this.SUBRULE(this.objectType) },
        {
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => {
              this.CONSUME(T.Less);
              this.SUBRULE(this.typeExpr);
              this.CONSUME(T.Greater);
            });
          },
        },
      ]),
    );
  });

  objectType = this.RULE("objectType", () => {
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: this.more,
      DEF: () => {
        this.SUBRULE(this.fieldType);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  fieldType = this.RULE("fieldType", () => {
    this.OR(
      this.cached("fieldType", () => [
        { ALT: () => this.CONSUME(T.AnyName) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
      ]),
    );
    this.OPTION(() => this.CONSUME(T.Question));
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  // -------------------------------------------------------------------------------------------
  // Expressions (§6)
  //
  // One flat rule per expression: operands (each with its prefix operators) separated by binary
  // operators; cst-to-ast applies the precedence of §6 with an operator stack. Flat on purpose:
  // the nesting of `(((…)))` costs three rule invocations per level instead of a dozen, so 256
  // levels fit in a cold stack, and a long chain costs no stack at all.

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.SUBRULE(this.binaryOp);
      this.SUBRULE2(this.operand);
    });
  });

  binaryOp = this.RULE("binaryOp", () => {
    this.OR(
      this.cached("binaryOp", () => [
        { ALT: () => this.CONSUME(T.Or) },
        { ALT: () => this.CONSUME(T.And) },
        { ALT: () => this.CONSUME(T.CompareOp) },
        { ALT: () => this.CONSUME(T.In) },
        {
          ALT: () => {
            this.CONSUME(T.Not);
            this.CONSUME2(T.In);
          },
        },
        { ALT: () => this.CONSUME(T.Coalesce) },
        { ALT: () => this.CONSUME(T.AddOp) },
        { ALT: () => this.CONSUME(T.MulOp) },
      ]),
    );
  });

  /**
   * Prefix operators (`not`, `-`) in source order, a primary expression, then `.field`,
   * `[index]` and `(args)` suffixes. One rule, not three, to keep each level of nesting cheap.
   */
  operand = this.RULE("operand", () => {
    this.MANY(() => this.CONSUME(T.PrefixOp));
    this.OR(
      this.cached("operand", () => [
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.DurationLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Identifier) },
        // `context` and `action` are keywords that are also expression roots.
        { ALT: () => this.CONSUME(T.Context) },
        { ALT: () => this.CONSUME(T.Action) },
        { ALT: () => this.SUBRULE(this.listLiteral) },
        { ALT: () => this.SUBRULE(this.objectLiteral) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RParen);
          },
        },
      ]),
    );
    this.MANY2(() => this.SUBRULE(this.suffix));
  });

  /** One postfix operation; a rule of its own so the CST keeps the suffixes in source order. */
  suffix = this.RULE("suffix", () => {
    this.OR(
      this.cached("suffix", () => [
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.AnyName);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
        {
          // Arguments: lambdas and expressions (cst-to-ast orders them by offset).
          ALT: () => {
            this.CONSUME(T.LParen);
            this.OPTION(() => {
              this.OR2(this.cached("argument", () => this.argumentAlternatives(1)));
              this.MANY(() => {
                this.CONSUME(T.Comma);
                this.OR3(this.cached("argument2", () => this.argumentAlternatives(2)));
              });
              this.OPTION2(() => this.CONSUME2(T.Comma));
            });
            this.CONSUME(T.RParen);
          },
        },
      ]),
    );
  });

  /**
   * A call argument: a lambda (`x => e`, `(a, b) => e`) or an expression. Inline in `suffix`
   * rather than a rule of its own, to keep each level of nested calls cheap.
   */
  private argumentAlternatives(occurrence: 1 | 2) {
    const lambda = () => (occurrence === 1 ? this.SUBRULE(this.lambda) : this.SUBRULE2(this.lambda));
    const expression = () =>
      occurrence === 1 ? this.SUBRULE2(this.expression) : this.SUBRULE3(this.expression);
    return {
      IGNORE_AMBIGUITIES: true,
      DEF: [{ GATE: () => this.lambdaAhead(), ALT: lambda }, { ALT: expression }],
    };
  }

  lambda = this.RULE("lambda", () => {
    this.OR(
      this.cached("lambda", () => [
        { ALT: () => this.CONSUME(T.Identifier) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier) });
            this.CONSUME(T.RParen);
          },
        },
      ]),
    );
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.expression);
  });

  /** `[a, b]`, trailing comma allowed; commas are required (`[a -b]` would be ambiguous). */
  listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  objectLiteral = this.RULE("objectLiteral", () => {
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: this.more,
      DEF: () => {
        this.SUBRULE(this.objectEntry);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  objectEntry = this.RULE("objectEntry", () => {
    this.OR(
      this.cached("objectEntry", () => [
        { ALT: () => this.CONSUME(T.AnyName) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
      ]),
    );
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  /** The gate of every loop over items: false once `stop` says enough errors were reported. */
  private more(): boolean {
    return !this.stop();
  }

  /**
   * The gate of the loops over items. Besides the error cap, it keeps recovery from restarting
   * at a keyword that is not starting an item: after `.` (`args.test`), `context` not followed
   * by `{`, `action` not followed by a name (`context.env`, `action == "x"`).
   */
  private itemAhead(): boolean {
    if (this.stop()) return false;
    if (isType(this.LA(0), T.Dot)) return false;
    const next = this.LA(1);
    if (isType(next, T.Context)) return isType(this.LA(2), T.LBrace);
    if (isType(next, T.Action)) return isType(this.LA(2), T.AnyName);
    return true;
  }

  /** Is the input at `x =>` or `(a, b) =>`? A plain scan, no backtracking. */
  private lambdaAhead(): boolean {
    const first = this.LA(1);
    if (isType(first, T.Identifier)) return isType(this.LA(2), T.Arrow);
    if (!isType(first, T.LParen)) return false;
    let k = 2;
    if (isType(this.LA(k), T.RParen)) return isType(this.LA(k + 1), T.Arrow);
    for (;;) {
      if (!isType(this.LA(k), T.Identifier)) return false;
      k++;
      const next = this.LA(k);
      if (isType(next, T.RParen)) return isType(this.LA(k + 1), T.Arrow);
      if (!isType(next, T.Comma)) return false;
      k++;
    }
  }
}

function isType(tok: IToken, type: typeof T.Identifier): boolean {
  return tok.tokenTypeIdx === type.tokenTypeIdx || type.categoryMatchesMap?.[tok.tokenTypeIdx] === true;
}
