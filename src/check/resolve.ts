/**
 * `resolve`: files, includes, params, declarations, schemas and settings → the ResolvedSet the
 * expression checker (typecheck) consumes. Steps, each in its own file:
 *   load.ts          read the given files and everything they include, parse each once
 *   declarations.ts  settings, context, actions, lets, defs, params; the one namespace
 *   includes.ts      `with` values for params, `except` lists
 *   rules.ts         `on` patterns, rules and risks in policy-set order, tests and properties
 */
import { readFileSync } from "node:fs";
import { type Diagnostic, normalize, type Result } from "../diagnostics/diagnostic.js";
import { collectDeclarations } from "./declarations.js";
import { compareText, displayPath } from "./files.js";
import { applyIncludes } from "./includes.js";
import { loadSet, type ResolveEntry } from "./load.js";
import type { ActionInfo } from "./program.js";
import type { GlobalSymbol, ResolvedSet } from "./resolved.js";
import { collectRules } from "./rules.js";
import { stdlibDisplayPath } from "./stdlib.js";

export type { ResolveEntry } from "./load.js";

export interface ResolveOptions {
  /** Relative paths are resolved against it and displayed relative to it (default: process.cwd()). */
  readonly cwd?: string;
  /** Reads a file (policies, includes, schema files); throws like fs.readFileSync when it cannot. */
  readonly readFile?: (absPath: string) => string;
}

export function resolve(entry: ResolveEntry, options: ResolveOptions = {}): Result<ResolvedSet> {
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const show = (abs: string): string => stdlibDisplayPath(abs) ?? displayPath(abs, cwd);
  const diagnostics: Diagnostic[] = [];

  const loaded = loadSet(entry, { cwd, readFile });
  diagnostics.push(...loaded.diagnostics);
  const files = loaded.files;

  const decls = collectDeclarations(files, { readFile, show }, diagnostics);
  const effects = applyIncludes(loaded.includes, decls.params, decls.ruleNamesByFile, diagnostics);

  const globals = new Map<string, GlobalSymbol>(decls.globals);
  for (const p of decls.params) {
    const value = effects.paramValues.get(p.decl) ?? p.decl.default;
    globals.set(p.decl.name.text, { kind: "param", decl: p.decl, file: p.file.display, type: p.type, value });
  }

  const actionNames = [...decls.actions.keys()].sort(compareText);
  const actions = new Map<string, ActionInfo>();
  for (const name of actionNames) {
    const info = decls.actions.get(name);
    if (info !== undefined) actions.set(name, info);
  }

  const ruleSet = collectRules(files, actionNames, globals, effects.excluded, diagnostics);

  const value: ResolvedSet = {
    files: files.map((f) => f.node),
    sources: files.map((f) => ({ path: f.display, text: f.source.text })),
    settings: decls.settings,
    context: decls.context,
    actions,
    globals,
    onBlocks: ruleSet.onBlocks,
    rules: ruleSet.rules,
    risks: ruleSet.risks,
    ruleNames: ruleSet.ruleNames,
    tests: ruleSet.tests,
    properties: ruleSet.properties,
    owners: ruleSet.owners,
  };
  return { value, diagnostics: normalize(diagnostics, { cap: Number.POSITIVE_INFINITY }) };
}
