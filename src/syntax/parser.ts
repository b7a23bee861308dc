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
 * Repetitions of one precedence level are loops (`MANY`), never recursion, so a long chain
 * `a + b + … + z` costs no stack; only brackets recurse, and `parse.ts` refuses input that
 * nests them deeper than 256 levels before the parser runs.
 */
import { CstParser, type IParserErrorMessageProvider, type IToken } from "chevrotain";
import * as T from "./tokens.js";

export class RplcParser extends CstParser {
  constructor(errorMessageProvider?: IParserErrorMessageProvider) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      ...(errorMessageProvider ? { errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.topItem));
  });

  topItem = this.RULE("topItem", () => {
    this.OR([
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
    ]);
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
    this.MANY(() => {
      this.SUBRULE(this.settingEntry);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  settingEntry = this.RULE("settingEntry", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    // `default: allow` and `on_error: block`: the effect keywords are values here.
    this.OR([
      { ALT: () => this.CONSUME(T.Allow) },
      { ALT: () => this.CONSUME(T.Block) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  contextDecl = this.RULE("contextDecl", () => {
    this.CONSUME(T.Context);
    this.SUBRULE(this.objectType);
  });

  actionDecl = this.RULE("actionDecl", () => {
    this.CONSUME(T.Action);
    this.SUBRULE(this.qualifiedName);
    this.OR([
      { ALT: () => this.SUBRULE(this.objectType) },
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.CONSUME(T.StringLiteral);
        },
      },
    ]);
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
    this.MANY(() => this.SUBRULE(this.onItem));
    this.CONSUME(T.RBrace);
  });

  onItem = this.RULE("onItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.ruleDecl) },
      { ALT: () => this.SUBRULE(this.riskDecl) },
      { ALT: () => this.SUBRULE(this.labelDecl) },
      { ALT: () => this.SUBRULE(this.redactDecl) },
    ]);
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
      this.OR([{ ALT: () => this.CONSUME2(T.AnyName) }, { ALT: () => this.CONSUME(T.Star) }]);
    });
  });

  ruleDecl = this.RULE("ruleDecl", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Allow) },
      { ALT: () => this.CONSUME(T.Block) },
      {
        ALT: () => {
          this.CONSUME(T.Require);
          this.CONSUME(T.Approval);
        },
      },
    ]);
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.ruleClause));
  });

  ruleClause = this.RULE("ruleClause", () => {
    this.OR([
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
    ]);
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
    this.CONSUME(T.Request);
    this.SUBRULE(this.objectLiteral);
    this.MANY(() => this.SUBRULE(this.expectation));
    this.CONSUME(T.RBrace);
  });

  propertyDecl = this.RULE("propertyDecl", () => {
    this.CONSUME(T.Property);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LBrace);
    this.CONSUME(T.For);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.expression);
    });
    this.MANY(() => this.SUBRULE(this.expectation));
    this.OPTION2(() => {
      this.CONSUME(T.Runs);
      this.CONSUME(T.NumberLiteral);
    });
    this.CONSUME(T.RBrace);
  });

  expectation = this.RULE("expectation", () => {
    this.CONSUME(T.Expect);
    this.OR([
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
          this.OR2([
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
          ]);
        },
      },
    ]);
  });

  // -------------------------------------------------------------------------------------------
  // Types

  typeExpr = this.RULE("typeExpr", () => {
    this.OR([
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
    ]);
  });

  objectType = this.RULE("objectType", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.fieldType);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  fieldType = this.RULE("fieldType", () => {
    this.OR([{ ALT: () => this.CONSUME(T.AnyName) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    this.OPTION(() => this.CONSUME(T.Question));
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  // -------------------------------------------------------------------------------------------
  // Expressions (§6), loosest first

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  /** Prefix `not`, as a loop: `not not x` costs no recursion. */
  notExpr = this.RULE("notExpr", () => {
    this.MANY(() => this.CONSUME(T.Not));
    this.SUBRULE(this.compareExpr);
  });

  /** Comparisons do not chain: `a < b < c` parses, and cst-to-ast reports it. */
  compareExpr = this.RULE("compareExpr", () => {
    this.SUBRULE(this.coalesceExpr);
    this.MANY(() => {
      this.SUBRULE(this.compareOperator);
      this.SUBRULE2(this.coalesceExpr);
    });
  });

  compareOperator = this.RULE("compareOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.CompareOp) },
      { ALT: () => this.CONSUME(T.In) },
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.CONSUME2(T.In);
        },
      },
    ]);
  });

  coalesceExpr = this.RULE("coalesceExpr", () => {
    this.SUBRULE(this.additiveExpr);
    this.MANY(() => {
      this.CONSUME(T.Coalesce);
      this.SUBRULE2(this.additiveExpr);
    });
  });

  additiveExpr = this.RULE("additiveExpr", () => {
    this.SUBRULE(this.multiplicativeExpr);
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.multiplicativeExpr);
    });
  });

  multiplicativeExpr = this.RULE("multiplicativeExpr", () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.CONSUME(T.MulOp);
      this.SUBRULE2(this.unaryExpr);
    });
  });

  /** Prefix `-`, as a loop. */
  unaryExpr = this.RULE("unaryExpr", () => {
    this.MANY(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.postfixExpr);
  });

  postfixExpr = this.RULE("postfixExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.suffix));
  });

  /** One postfix operation; a rule of its own so the CST keeps the suffixes in source order. */
  suffix = this.RULE("suffix", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.memberSuffix) },
      { ALT: () => this.SUBRULE(this.indexSuffix) },
      { ALT: () => this.SUBRULE(this.callSuffix) },
    ]);
  });

  memberSuffix = this.RULE("memberSuffix", () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.AnyName);
  });

  indexSuffix = this.RULE("indexSuffix", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RBracket);
  });

  callSuffix = this.RULE("callSuffix", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** A call argument: a lambda (`x => e`, `(a, b) => e`) or an expression. */
  argument = this.RULE("argument", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambda) },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  lambda = this.RULE("lambda", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.expression);
  });

  primary = this.RULE("primary", () => {
    this.OR([
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
      { ALT: () => this.SUBRULE(this.parenExpr) },
    ]);
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
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
    this.MANY(() => {
      this.SUBRULE(this.objectEntry);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  objectEntry = this.RULE("objectEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(T.AnyName) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

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
