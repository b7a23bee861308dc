/**
 * Tests and properties inside policies (LANGUAGE.md §7).
 *
 * A test's `request { … }` takes `action` (a string literal; any name, since tests may exercise
 * `unknown_action`), `args` and `context` (object literals) and `time` (an RFC 3339 string). The
 * values are not checked against the action's schema: a request that violates it is a valid test
 * of validation (the decision then falls to `on_error`). `expect rule` names are checked by the
 * resolver. A property's `where` is a condition over the `for` actions' `args`.
 */
import type { PropertyDecl, TestDecl } from "../syntax/ast.js";
import { constantEnv, requestEnv } from "./scope.js";
import { didYouMean } from "./suggest.js";
import { commonArgs } from "./typecheck-access.js";
import type { Checker } from "./typecheck-context.js";
import { checkExpr, expectBool } from "./typecheck-expr.js";

const REQUEST_KEYS = ["action", "args", "context", "time"];
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function checkTest(c: Checker, t: TestDecl): void {
  const env = constantEnv("test");
  let action = false;
  for (const entry of t.request.entries) {
    const key = entry.key.text;
    const v = entry.value;
    const vt = checkExpr(c, v, env);
    switch (key) {
      case "action":
        action = true;
        if (v.kind !== "String" && vt.kind !== "error") {
          c.report("RPL3130", v.span, ['`action` must be a string literal, like `"db.query"`']);
        }
        break;
      case "args":
      case "context":
        if (v.kind !== "Object" && vt.kind !== "error") {
          c.report("RPL3130", v.span, [`\`${key}\` must be an object, like \`{ name: "value" }\``]);
        }
        break;
      case "time":
        if (vt.kind === "error") break;
        if (v.kind !== "String" || !RFC3339.test(v.value) || Number.isNaN(Date.parse(v.value))) {
          c.report("RPL3130", v.span, ['`time` must be an RFC 3339 string, like `"2026-11-24T10:00:00Z"`']);
        }
        break;
      default:
        c.report("RPL3130", entry.key.span, [`unknown key \`${key}\``], {
          help: didYouMean(key, REQUEST_KEYS) ?? "a request has `action`, `args`, `context` and `time`",
        });
    }
  }
  c.record(t.request, checkRequestType(c, t));
  if (!action) c.report("RPL3130", t.request.span, ["`action` is missing"]);
}

function checkRequestType(c: Checker, t: TestDecl) {
  const fields: Record<string, { type: ReturnType<typeof checkExpr>; optional: boolean }> = {};
  for (const e of t.request.entries) {
    const et = c.types.get(e.value);
    if (et) fields[e.key.text] = { type: et, optional: false };
  }
  return { kind: "object", fields } as const;
}

/** The declared action types a `for` pattern matches (`fs.*` is a prefix wildcard), sorted. */
export function matchActions(c: Checker, p: PropertyDecl): string[] {
  const names = [...c.set.actions.keys()].sort();
  if (!p.action.wildcard) return names.filter((n) => n === p.action.text);
  return names.filter((n) => n.startsWith(`${p.action.text}.`));
}

export function checkProperty(c: Checker, p: PropertyDecl): void {
  const actions = matchActions(c, p);
  // A pattern that matches nothing is the resolver's error; `args` is then the error type.
  const env = requestEnv("rule", commonArgs(c, actions), actions);
  if (p.where) expectBool(c, p.where, env, "the `where` condition");
  if (p.runs) {
    checkExpr(c, p.runs, env);
    const n = p.runs.value;
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) c.report("RPL3131", p.runs.span, [p.runs.raw]);
  }
}
