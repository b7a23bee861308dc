import { describe, expect, it } from "vitest";
import type { CallExpr, Expr, Identifier, LetDecl, OnBlock, RuleDecl } from "../../../src/syntax/ast.js";
import { checkText, checkWhen, checkWith, helpOf } from "./typecheck-helpers.js";

describe("lets", () => {
  it("orders top-level lets by dependency", () => {
    const c = checkWith(`let c = b + 1
let a = 1
let b = a + double(a)
def double(n: number): number = n * 2
block r when c > 1`);
    expect(c.found).toEqual([]);
    expect(c.value?.lets.map((l) => l.name.text)).toEqual(["a", "b", "c"]);
  });
  it("reports a let that depends on itself, once, with the cycle", () => {
    const c = checkWith(`let a = b + 1
let b = f(a)
def f(n: number): number = n
block r when a > 1`);
    expect(c.found).toEqual(["RPL3126@a"]);
    expect(c.errors[0]?.message).toBe("`a` depends on itself: `a` → `b` → `a`");
  });
  it("reports a local used before its `let`", () => {
    const c = checkWith(`on pay.create {
  let a = b + 1
  let b = args.amount
  let c = c
  block r when a > b and c > 1
}`);
    expect(c.found).toEqual(["RPL3127@b", "RPL3127@c"]);
  });
  it("types local lets and lets rules read them", () => {
    const c = checkWith(`on pay.create {
  let big = args.amount > 1000
  block r when big and args.currency == "EUR"
  block s when big + 1
}`);
    expect(c.found).toEqual(["RPL3103@big + 1"]);
  });
});

describe("literals", () => {
  it("reports list items of different types at the item", () => {
    expect(checkWhen('args.amount in [1, "two", 3]').found).toEqual(['RPL3128@"two"']);
  });
  it("reports object literals outside tests", () => {
    expect(checkWhen("{ a: 1 } == 1").found).toEqual(["RPL3129@{ a: 1 }"]);
  });
});

describe("rule parts", () => {
  it("checks reason, approvers and risk weights", () => {
    const c = checkWith(`on pay.create {
  require approval r when true reason args.amount approvers ["a", args.amount]
  risk big args.currency when true
  risk ok args.amount / 10
}`);
    expect(c.found).toEqual(["RPL3102@args.amount", "RPL3128@args.amount", "RPL3102@args.currency"]);
    expect(c.errors[2]?.message).toBe('the weight of risk `big` must be `number`, found `"EUR" | "USD"`');
  });
});

describe("tests and properties", () => {
  it("accepts a well-formed test", () => {
    const c = checkWith(`block r when true
test "t" {
  request { action: "pay.create", args: { amount: 3, to: ["a"] }, context: { env: "dev" }, time: "2026-11-24T10:00:00Z" }
  expect block
}`);
    expect(c.found).toEqual([]);
  });
  it("reports a malformed request", () => {
    const c = checkWith(`block r when true
test "t" {
  request { action: pay, argz: {}, context: 1, time: "yesterday" }
  expect block
}
test "u" {
  request { args: {} }
  expect block
}`);
    expect(c.found).toEqual([
      "RPL3113@pay",
      "RPL3130@argz",
      "RPL3130@1",
      'RPL3130@"yesterday"',
      "RPL3130@{ args: {} }",
    ]);
    expect(helpOf(c, "RPL3130")).toBe("did you mean `args`?");
  });
  it("checks a property's `where` with the `for` action's args, and its `runs`", () => {
    const c = checkWith(`block r when true
property "p" { for fs.* where args.path == "/tmp" and args.size > 1 expect not allow runs 0 }`);
    expect(c.found).toEqual(["RPL3110@size", "RPL3131@0"]);
  });
});

describe("side tables", () => {
  const c = checkWith(`let limit = 10
def over(n: number): bool = n > limit
on pay.create {
  let amount = args.amount
  block r when over(amount) and any(args.to, t => t == "x") and has(args.amount) and (context.user.id ?? "") == ""
}`);
  const set = c.value;
  it("checks without errors", () => {
    expect(c.found).toEqual([]);
    expect(set).toBeDefined();
  });
  const on = set?.files[0]?.items.find((i): i is OnBlock => i.kind === "On");
  const rule = on?.items.find((i): i is RuleDecl => i.kind === "Rule");
  const conj: Expr[] = [];
  const flat = (e: Expr): void => {
    if (e.kind === "Binary" && e.op === "and") {
      flat(e.left);
      flat(e.right);
    } else conj.push(e);
  };
  if (rule?.when) flat(rule.when);
  it("types every expression", () => {
    expect(set?.types.get(rule?.when as Expr)).toEqual({ kind: "bool" });
    const eq = conj[3];
    expect(eq?.kind === "Binary" && set?.types.get(eq.left)).toEqual({ kind: "string" });
  });
  it("records what identifiers and calls refer to", () => {
    const over = conj[0] as CallExpr;
    expect(set?.calls.get(over)).toMatchObject({ kind: "def", decl: { name: { text: "over" } } });
    const amount = over.args[0] as Identifier;
    const local = on?.items.find((i): i is LetDecl => i.kind === "Let");
    expect(set?.refs.get(amount)).toEqual({ kind: "let", decl: local, scope: "local" });
    const any = conj[1] as CallExpr;
    expect(set?.calls.get(any)).toMatchObject({ kind: "native", fn: { name: "any" } });
    const lambda = any.args[1];
    const body = lambda?.kind === "Lambda" ? lambda.body : undefined;
    const t = body?.kind === "Binary" ? (body.left as Identifier) : undefined;
    expect(t && set?.refs.get(t)).toEqual({ kind: "lambda-param", lambda, index: 0 });
    expect(set?.types.get(lambda as Expr)).toEqual({
      kind: "function",
      params: [{ kind: "string" }],
      result: { kind: "bool" },
    });
    const has = conj[2] as CallExpr;
    expect(set?.calls.get(has)).toMatchObject({ kind: "native", fn: { name: "has" } });
  });
  it("marks reads that may be absent under `??` and `has`", () => {
    const eq = conj[3];
    const coalesce = eq?.kind === "Binary" ? eq.left : undefined;
    const left = coalesce?.kind === "Binary" ? coalesce.left : undefined; // context.user.id
    const user = left?.kind === "Member" ? left.object : undefined; // context.user
    expect(user && set?.optionalReads.has(user)).toBe(true);
    expect(left && set?.optionalReads.has(left)).toBe(false);
  });
});

describe("check result", () => {
  it("has no value when there is an error, and keeps warnings from stopping it", () => {
    expect(checkText("block r when 1").value).toBeUndefined();
    const w = checkText("let unused_thing = 1\nblock r when true");
    expect(w.warned).toEqual(["RPL4003@unused_thing"]);
    expect(w.value).toBeDefined();
  });
  it("runs the lints only once there are no errors", () => {
    const c = checkText("let limit = 10\nblock r when 1 > limt");
    expect(c.found).toEqual(["RPL3113@limt"]);
    expect(c.warned).toEqual([]);
  });
});
