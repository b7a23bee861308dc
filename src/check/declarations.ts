/**
 * The declarations of a policy set, in policy-set order: `settings` and `context` (at most one
 * each), actions (inline types or schema files), lets, defs and params, and every rule and risk
 * name (top-level and in `on` blocks), all in one namespace.
 */
import path from "node:path";
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import type { ActionDecl, ContextDecl, LetDecl, Name, ParamDecl, Settings } from "../syntax/ast.js";
import { checkConstant } from "./constant.js";
import type { LoadedFile } from "./load.js";
import { keywordSpan, Namespace, RESERVED_NAMES } from "./namespace.js";
import type { ActionInfo, ContextInfo, ResolvedSettings } from "./program.js";
import type { GlobalSymbol } from "./resolved.js";
import { declarationSchema, loadObjectSchema } from "./schema.js";
import { resolveSettings } from "./settings.js";
import { objectTypeFromNode, typeFromNode } from "./type-node.js";
import { T, type Type } from "./types.js";

export interface ParamInfo {
  readonly decl: ParamDecl;
  readonly file: LoadedFile;
  readonly type: Type;
}

export interface Declarations {
  readonly settings: ResolvedSettings;
  readonly context: ContextInfo | undefined;
  /** In declaration order; sorted by the caller. */
  readonly actions: Map<string, ActionInfo>;
  /** Lets and defs; params are added once their values are known. */
  readonly globals: Map<string, GlobalSymbol>;
  readonly params: ParamInfo[];
  /** Rule and risk names each file declares (for `except`). */
  readonly ruleNamesByFile: Map<LoadedFile, string[]>;
  readonly namespace: Namespace;
}

export interface DeclarationOptions {
  readonly readFile: (absPath: string) => string;
  /** How a path is shown to users (relative to cwd, or `stdlib/…`). */
  readonly show: (absPath: string) => string;
}

export function collectDeclarations(
  files: readonly LoadedFile[],
  options: DeclarationOptions,
  diagnostics: Diagnostic[],
): Declarations {
  const namespace = new Namespace(diagnostics);
  const actions = new Map<string, ActionInfo>();
  const globals = new Map<string, GlobalSymbol>();
  const params: ParamInfo[] = [];
  const ruleNamesByFile = new Map<LoadedFile, string[]>();
  let settings: Settings | undefined;
  let context: ContextDecl | undefined;
  let contextInfo: ContextInfo | undefined;

  const declareValue = (kind: "let" | "def" | "param", name: Name): boolean => {
    if (RESERVED_NAMES.has(name.text)) {
      diagnostics.push(diag("RPL2016", name.span, [name.text], { help: "choose another name" }));
      return false;
    }
    return namespace.declare(kind, name.text, name.span);
  };

  for (const file of files) {
    const ruleNames: string[] = [];
    ruleNamesByFile.set(file, ruleNames);
    for (const item of file.node.items) {
      switch (item.kind) {
        case "Settings":
          if (settings === undefined) settings = item;
          else diagnostics.push(once("RPL2009", item, settings, "settings"));
          break;
        case "Context":
          if (context === undefined) {
            context = item;
            const type = objectTypeFromNode(item.type, diagnostics);
            contextInfo = { type, schema: declarationSchema(type), span: item.span };
          } else {
            diagnostics.push(once("RPL2010", item, context, "context"));
          }
          break;
        case "Action": {
          if (!namespace.declare("action", item.name.text, item.name.span)) break;
          actions.set(item.name.text, actionInfo(item, file, options, diagnostics));
          break;
        }
        case "Let":
          if (declareValue("let", item.name))
            globals.set(item.name.text, { kind: "let", decl: item, file: file.display });
          break;
        case "Def":
          if (declareValue("def", item.name))
            globals.set(item.name.text, { kind: "def", decl: item, file: file.display });
          break;
        case "Param": {
          const type = typeFromNode(item.type, diagnostics);
          checkConstant(item.default, type, "param", item.name.text, diagnostics);
          if (declareValue("param", item.name)) params.push({ decl: item, file, type });
          break;
        }
        case "Rule":
        case "Risk":
          ruleNames.push(item.name.text);
          namespace.declare(item.kind === "Rule" ? "rule" : "risk", item.name.text, item.name.span);
          break;
        case "On":
          for (const inner of item.items) {
            if (inner.kind !== "Rule" && inner.kind !== "Risk") continue;
            ruleNames.push(inner.name.text);
            namespace.declare(inner.kind === "Rule" ? "rule" : "risk", inner.name.text, inner.name.span);
          }
          break;
        default:
          break;
      }
    }
  }
  return {
    settings: resolveSettings(settings, diagnostics),
    context: contextInfo,
    actions,
    globals,
    params,
    ruleNamesByFile,
    namespace,
  };
}

function once(
  code: "RPL2009" | "RPL2010",
  item: Settings | ContextDecl,
  first: Settings | ContextDecl,
  kw: string,
) {
  return diag(code, keywordSpan(item, kw), [], {
    related: [{ span: keywordSpan(first, kw), message: "first declared here" }],
    help: "a policy set has one; merge them",
  });
}

function actionInfo(
  decl: ActionDecl,
  file: LoadedFile,
  options: DeclarationOptions,
  diagnostics: Diagnostic[],
): ActionInfo {
  const base = { name: decl.name.text, span: decl.name.span };
  if (decl.type !== undefined) {
    const type = objectTypeFromNode(decl.type, diagnostics);
    return { ...base, type, schema: declarationSchema(type) };
  }
  if (decl.from !== undefined) {
    const abs = path.resolve(path.dirname(file.abs), decl.from.value);
    const loaded = loadObjectSchema(abs, options.show(abs), decl.from.span, options.readFile);
    diagnostics.push(...loaded.diagnostics);
    return { ...base, type: loaded.type, schema: loaded.schema };
  }
  // The parser already reported the missing body.
  return { ...base, type: T.error, schema: {} };
}

/** The lets of an `on` block, in order. */
export function blockLets(items: readonly { kind: string }[]): LetDecl[] {
  return items.filter((i): i is LetDecl => i.kind === "Let");
}
