/**
 * The type checker: walks a ResolvedSet, checks every expression against LANGUAGE.md §6, and
 * returns the CheckedPolicySet with its side tables (types, refs, calls, optionalReads).
 *
 * Order: def signatures; top-level lets in dependency order; def bodies; each `on` block's lets in
 * order; rules and risks; tests and properties. An expression whose operand already produced a
 * diagnostic gets the `error` type, which every rule accepts silently: one mistake, one error.
 */
import type { Diagnostic, Result } from "../diagnostics/diagnostic.js";
import type { Expr, LetDecl } from "../syntax/ast.js";
import { factsWhenFalse, factsWhenTrue } from "./narrowing.js";
import type { CheckedPolicySet } from "./program.js";
import type { OnBlockInfo, ResolvedSet } from "./resolved.js";
import { type Env, type LocalLets, requestEnv, withFacts } from "./scope.js";
import { commonArgs } from "./typecheck-access.js";
import { Checker } from "./typecheck-context.js";
import { checkGlobals } from "./typecheck-decls.js";
import { checkExpr, expectBool, expectType } from "./typecheck-expr.js";
import { checkProperty, checkTest } from "./typecheck-tests.js";
import { T, type Type } from "./types.js";

export interface TypecheckOptions {
  /** Warning codes to leave out (errors cannot be switched off). */
  readonly disabledWarnings?: ReadonlySet<string>;
}

export function typecheck(set: ResolvedSet, options: TypecheckOptions = {}): Result<CheckedPolicySet> {
  const c = new Checker(set);
  const { lets, defs } = checkGlobals(c);
  for (const g of set.globals.values()) {
    if (g.kind === "param") {
      typeConstant(c, g.value);
      c.record(g.value, g.type);
    }
  }

  const blockEnvs = new Map<OnBlockInfo["node"], Env>();
  for (const block of set.onBlocks) blockEnvs.set(block.node, checkBlock(c, block));
  const envFor = (node: Parameters<ResolvedSet["owners"]["get"]>[0]): Env => {
    const owner = set.owners.get(node);
    return (owner && blockEnvs.get(owner.node)) ?? requestEnv("rule", undefined, []);
  };

  for (const r of set.rules) {
    const env = envFor(r.node);
    const { when, unless, reason, approvers, timeout } = r.node;
    if (when) expectBool(c, when, env, "the `when` condition");
    const held = when ? withFacts(env, factsWhenTrue(when)) : env;
    if (unless) expectBool(c, unless, held, "the `unless` condition");
    const holds = unless ? withFacts(held, factsWhenFalse(unless)) : held;
    if (reason) expectType(c, reason, holds, T.string, "the `reason`");
    if (approvers) expectType(c, approvers, holds, T.list(T.string), "`approvers`");
    if (timeout) checkExpr(c, timeout, holds);
  }
  for (const r of set.risks) {
    const env = envFor(r.node);
    const { when, weight } = r.node;
    if (when) expectBool(c, when, env, "the `when` condition");
    const held = when ? withFacts(env, factsWhenTrue(when)) : env;
    expectType(c, weight, held, T.number, `the weight of risk \`${r.name}\``);
  }
  for (const t of set.tests) checkTest(c, t);
  for (const p of set.properties) checkProperty(c, p);

  const value: CheckedPolicySet = {
    files: set.files,
    sources: set.sources,
    settings: set.settings,
    context: set.context,
    actions: set.actions,
    lets,
    defs,
    rules: set.rules,
    risks: set.risks,
    tests: set.tests,
    properties: set.properties,
    types: c.types,
    refs: c.refs,
    calls: c.calls,
    optionalReads: c.optionalReads,
  };
  const diagnostics: Diagnostic[] = c.diagnostics.filter(
    (d) => d.severity === "error" || !options.disabledWarnings?.has(d.code),
  );
  return { value, diagnostics };
}

/** An `on` block: its `args` and `action` types, and its lets checked in order. */
function checkBlock(c: Checker, block: OnBlockInfo): Env {
  const args = block.actions.length > 0 ? commonArgs(c, block.actions) : T.error;
  const byName = new Map<string, { decl: LetDecl; index: number }>();
  const lets = block.node.items.filter((i): i is LetDecl => i.kind === "Let");
  lets.forEach((decl, index) => {
    if (!byName.has(decl.name.text)) byName.set(decl.name.text, { decl, index });
  });
  lets.forEach((decl, index) => {
    const locals: LocalLets = { byName, visible: index };
    const t = checkExpr(c, decl.value, requestEnv("local-let", args, block.actions, locals));
    c.letTypes.set(decl, t);
  });
  return requestEnv("rule", args, block.actions, { byName, visible: Number.POSITIVE_INFINITY });
}

/** Record the types of a constant (a param's value; the resolver checked it against the param's type). */
function typeConstant(c: Checker, e: Expr): Type {
  switch (e.kind) {
    case "String":
      return c.record(e, T.string);
    case "Number":
      return c.record(e, T.number);
    case "Duration":
      return c.record(e, T.duration);
    case "Bool":
      return c.record(e, T.bool);
    case "List": {
      const items = e.items.map((i) => typeConstant(c, i));
      const first = items[0];
      return c.record(
        e,
        T.list(first === undefined ? T.any : items.every((i) => i.kind === first.kind) ? first : T.any),
      );
    }
    case "Object": {
      const fields: Record<string, { type: Type; optional: boolean }> = {};
      for (const entry of e.entries)
        fields[entry.key.text] = { type: typeConstant(c, entry.value), optional: false };
      return c.record(e, T.object(fields));
    }
    default:
      return c.record(e, T.error);
  }
}
