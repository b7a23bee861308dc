/**
 * Rules, risks and what they apply to: `on` patterns expanded against the declared actions
 * (`db.query` names one, `fs.*` matches every action whose name starts with `fs.`), the blocks'
 * local lets, property `for` patterns, and the rule names tests expect.
 */
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import type {
  Expectation,
  LetDecl,
  OnBlock,
  PropertyDecl,
  QualifiedName,
  RiskDecl,
  RuleDecl,
  TestDecl,
} from "../syntax/ast.js";
import { blockLets } from "./declarations.js";
import type { LoadedFile } from "./load.js";
import { RESERVED_NAMES } from "./namespace.js";
import type { RiskInfo, RuleInfo } from "./program.js";
import type { GlobalSymbol, OnBlockInfo } from "./resolved.js";
import { didYouMean } from "./suggest.js";

export interface RuleSet {
  readonly onBlocks: OnBlockInfo[];
  readonly rules: RuleInfo[];
  readonly risks: RiskInfo[];
  readonly ruleNames: Set<string>;
  readonly tests: TestDecl[];
  readonly properties: PropertyDecl[];
  readonly owners: WeakMap<RuleDecl | RiskDecl, OnBlockInfo | null>;
}

export function collectRules(
  files: readonly LoadedFile[],
  actionNames: readonly string[],
  globals: ReadonlyMap<string, GlobalSymbol>,
  excluded: ReadonlyMap<LoadedFile, ReadonlySet<string>>,
  diagnostics: Diagnostic[],
): RuleSet {
  const out: RuleSet = {
    onBlocks: [],
    rules: [],
    risks: [],
    ruleNames: new Set(),
    tests: [],
    properties: [],
    owners: new WeakMap(),
  };
  const add = (
    item: RuleDecl | RiskDecl,
    file: LoadedFile,
    owner: OnBlockInfo | null,
    locals: readonly LetDecl[],
  ): void => {
    out.ruleNames.add(item.name.text);
    out.owners.set(item, owner);
    if (excluded.get(file)?.has(item.name.text)) return;
    const common = {
      node: item,
      name: item.name.text,
      actions: owner?.actions ?? null,
      locals,
      file: file.display,
    };
    if (item.kind === "Rule") out.rules.push({ ...common, node: item, effect: item.effect });
    else out.risks.push({ ...common, node: item });
  };

  for (const file of files) {
    for (const item of file.node.items) {
      switch (item.kind) {
        case "Rule":
        case "Risk":
          add(item, file, null, []);
          break;
        case "On": {
          const info: OnBlockInfo = {
            node: item,
            actions: expand(item.patterns, actionNames, diagnostics),
            file: file.display,
          };
          out.onBlocks.push(info);
          const locals = blockLets(item.items);
          checkLocals(item, globals, diagnostics);
          for (const inner of item.items) {
            if (inner.kind === "Rule" || inner.kind === "Risk") add(inner, file, info, locals);
          }
          break;
        }
        case "Test":
          out.tests.push(item);
          break;
        case "Property":
          out.properties.push(item);
          expand([item.action], actionNames, diagnostics);
          break;
        default:
          break;
      }
    }
  }
  for (const t of [...out.tests, ...out.properties]) checkExpectations(t.expects, out.ruleNames, diagnostics);
  return out;
}

/** The sorted names of the declared actions the patterns match; each pattern matching none is an error. */
export function expand(
  patterns: readonly QualifiedName[],
  actionNames: readonly string[],
  diagnostics: Diagnostic[],
): string[] {
  const matched = new Set<string>();
  for (const p of patterns) {
    const hits = actionNames.filter((a) => (p.wildcard ? a.startsWith(`${p.text}.`) : a === p.text));
    if (hits.length === 0) {
      diagnostics.push(
        diag("RPL2014", p.span, [p.wildcard ? `${p.text}.*` : p.text], patternHelp(p, actionNames)),
      );
    }
    for (const h of hits) matched.add(h);
  }
  return [...matched].sort();
}

function patternHelp(p: QualifiedName, actionNames: readonly string[]): { help?: string } {
  if (actionNames.length === 0) return { help: "declare the action type first: `action NAME { … }`" };
  if (p.wildcard) {
    const prefixes = new Set<string>();
    for (const a of actionNames) {
      const parts = a.split(".");
      for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join("."));
    }
    const s = didYouMean(p.text, prefixes);
    return s ? { help: s.replace(/`([^`]*)`/, "`$1.*`") } : {};
  }
  const s = didYouMean(p.text, actionNames);
  return s ? { help: s } : {};
}

/** Local lets: unique within their block, and never hiding a top-level let, def or param. */
function checkLocals(
  block: OnBlock,
  globals: ReadonlyMap<string, GlobalSymbol>,
  diagnostics: Diagnostic[],
): void {
  const seen = new Map<string, LetDecl>();
  for (const item of block.items) {
    if (item.kind !== "Let") continue;
    const name = item.name.text;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      diagnostics.push(
        diag("RPL2001", item.name.span, ["let", name], {
          related: [{ span: earlier.name.span, message: "first declared here" }],
        }),
      );
      continue;
    }
    seen.set(name, item);
    if (RESERVED_NAMES.has(name)) {
      diagnostics.push(diag("RPL2016", item.name.span, [name], { help: "choose another name" }));
      continue;
    }
    const global = globals.get(name);
    if (global !== undefined) {
      diagnostics.push(
        diag("RPL2015", item.name.span, [name], {
          related: [
            { span: global.decl.name.span, message: `the top-level ${global.kind} is declared here` },
          ],
          help: "choose another name for the local",
        }),
      );
    }
  }
}

function checkExpectations(
  expects: readonly Expectation[],
  ruleNames: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): void {
  for (const e of expects) {
    if (e.kind !== "ExpectRule" || ruleNames.has(e.rule.text)) continue;
    const help = didYouMean(e.rule.text, ruleNames);
    diagnostics.push(diag("RPL2017", e.rule.span, [e.rule.text], help ? { help } : {}));
  }
}
