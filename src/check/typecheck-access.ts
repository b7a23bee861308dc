/**
 * Reads: `x.f`, `x["k"]`, `xs[i]`, `m["k"]`.
 *
 * A read "may be absent" when it is an optional field, a map entry or a field of an `any` value.
 * Such reads are allowed where absence is handled: in the argument of `has` and on the left of
 * `??` (`absentOk`), where they are recorded in `optionalReads` and absence propagates outward
 * along the access chain to the `has`/`??`. Elsewhere an optional field needs a presence fact
 * (see narrowing.ts), and a missing map entry is a runtime error.
 */
import type { Span } from "../diagnostics/span.js";
import type { Expr, IndexExpr, MemberExpr } from "../syntax/ast.js";
import { accessPath } from "./narrowing.js";
import type { Env } from "./scope.js";
import { didYouMean } from "./suggest.js";
import type { Checker } from "./typecheck-context.js";
import { checkExpr } from "./typecheck-expr.js";
import { isStringish, sameType } from "./typecheck-relations.js";
import { formatType, T, type Type } from "./types.js";

export interface Access {
  readonly type: Type;
  /** True when the value may be absent (only ever in `absentOk` mode). */
  readonly absent: boolean;
}

export function checkAccess(c: Checker, e: MemberExpr | IndexExpr, env: Env, absentOk: boolean): Access {
  const r = e.kind === "Member" ? member(c, e, env, absentOk) : index(c, e, env, absentOk);
  c.record(e, r.type);
  return r;
}

function objectPart(c: Checker, o: Expr, env: Env, absentOk: boolean): Access {
  if (o.kind === "Member" || o.kind === "Index") return checkAccess(c, o, env, absentOk);
  return { type: checkExpr(c, o, env), absent: false };
}

function member(c: Checker, e: MemberExpr, env: Env, absentOk: boolean): Access {
  const obj = objectPart(c, e.object, env, absentOk);
  const t = obj.type;
  switch (t.kind) {
    case "error":
      return { type: T.error, absent: obj.absent };
    case "object":
      return field(c, e, t, e.property.text, e.property.span, env, absentOk, obj.absent);
    case "map":
      return maybeAbsent(c, e, t.value, absentOk, obj.absent);
    case "any":
      return maybeAbsent(c, e, T.any, absentOk, obj.absent);
    default:
      c.report("RPL3111", e.property.span, [formatType(t)], {
        help: t.kind === "list" ? "read an element with `[index]`" : undefined,
      });
      return { type: T.error, absent: obj.absent };
  }
}

function index(c: Checker, e: IndexExpr, env: Env, absentOk: boolean): Access {
  const obj = objectPart(c, e.object, env, absentOk);
  const it = checkExpr(c, e.index, env);
  const t = obj.type;
  if (t.kind === "error" || it.kind === "error") return { type: T.error, absent: obj.absent };
  switch (t.kind) {
    case "list":
      if (it.kind !== "number" && it.kind !== "any") {
        c.report("RPL3102", e.index.span, ["a list index", "number", formatType(it)]);
        return { type: T.error, absent: obj.absent };
      }
      return { type: t.element, absent: obj.absent };
    case "map":
      if (!isStringish(it) && it.kind !== "any") {
        c.report("RPL3102", e.index.span, ["a map key", "string", formatType(it)]);
        return { type: T.error, absent: obj.absent };
      }
      return maybeAbsent(c, e, t.value, absentOk, obj.absent);
    case "object":
      if (e.index.kind === "String") {
        return field(c, e, t, e.index.value, e.index.span, env, absentOk, obj.absent);
      }
      break;
    case "any":
      return maybeAbsent(c, e, T.any, absentOk, obj.absent);
  }
  c.report("RPL3112", e.span, [formatType(t), formatType(it)], {
    help: t.kind === "object" ? 'read a field with a string literal key, like `x["name"]`' : undefined,
  });
  return { type: T.error, absent: obj.absent };
}

function maybeAbsent(c: Checker, e: Expr, t: Type, absentOk: boolean, objAbsent: boolean): Access {
  if (!absentOk) return { type: t, absent: objAbsent };
  c.optionalReads.add(e);
  return { type: t, absent: true };
}

function field(
  c: Checker,
  e: MemberExpr | IndexExpr,
  objT: Type & { kind: "object" },
  name: string,
  nameSpan: Span,
  env: Env,
  absentOk: boolean,
  objAbsent: boolean,
): Access {
  const f = Object.hasOwn(objT.fields, name) ? objT.fields[name] : undefined;
  if (f === undefined) {
    unknownField(c, e, objT, name, nameSpan, env);
    return { type: T.error, absent: objAbsent };
  }
  if (!f.optional) return { type: f.type, absent: objAbsent };
  if (absentOk) {
    c.optionalReads.add(e);
    return { type: f.type, absent: true };
  }
  const path = accessPath(e);
  if (path === undefined || !env.facts.has(path)) {
    const shown = path ?? name;
    c.report("RPL3106", e.span, [shown], {
      help: `test it first, \`has(${shown}) and …\`, or give a default: \`${shown} ?? …\``,
    });
  }
  return { type: f.type, absent: objAbsent };
}

function unknownField(
  c: Checker,
  e: MemberExpr | IndexExpr,
  objT: Type & { kind: "object" },
  name: string,
  span: Span,
  env: Env,
): void {
  const root = e.object.kind === "Identifier" ? c.refs.get(e.object) : undefined;
  if (
    root?.kind === "root" &&
    root.name === "args" &&
    env.actions.length > 1 &&
    someHas(c, env.actions, name)
  ) {
    const lacking = env.actions.find((a) => !someHas(c, [a], name));
    c.report("RPL3110", span, [name], {
      help:
        lacking === undefined
          ? `the actions give \`${name}\` different types`
          : `\`${lacking}\` has no field \`${name}\``,
    });
    return;
  }
  const owner = accessPath(e.object) ?? formatType(objT);
  const help =
    root?.kind === "root" && root.name === "context" && c.set.context === undefined
      ? "no context is declared: declare its fields in a `context { … }` block"
      : didYouMean(name, Object.keys(objT.fields));
  c.report("RPL3109", span, [name, owner], { help });
}

function someHas(c: Checker, actions: readonly string[], name: string): boolean {
  return actions.some((a) => {
    const at = c.set.actions.get(a)?.type;
    return at?.kind === "object" && Object.hasOwn(at.fields, name);
  });
}

/**
 * The `args` type inside `on A, B { … }`: the fields every matched action has with the same type
 * (optional when optional in any of them).
 */
export function commonArgs(c: Checker, actions: readonly string[]): Type {
  const types = actions.map((a) => c.set.actions.get(a)?.type ?? T.error);
  const first = types[0];
  if (first === undefined || types.some((t) => t.kind === "error")) return T.error;
  if (types.length === 1) return first;
  if (types.some((t) => t.kind !== "object")) return T.error;
  const objs = types as (Type & { kind: "object" })[];
  const fields: Record<string, { type: Type; optional: boolean }> = {};
  for (const [k, f] of Object.entries((first as Type & { kind: "object" }).fields)) {
    const all = objs.map((o) => (Object.hasOwn(o.fields, k) ? o.fields[k] : undefined));
    if (all.every((g) => g !== undefined && sameType(g.type, f.type))) {
      fields[k] = { type: f.type, optional: all.some((g) => g?.optional === true) };
    }
  }
  return T.object(fields);
}
