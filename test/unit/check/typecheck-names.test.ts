import { describe, expect, it } from "vitest";
import { checkText, checkTop, checkWhen, checkWith, helpOf } from "./typecheck-helpers.js";

describe("fields", () => {
  it("reports an unknown field at its name, with a did-you-mean over the object's fields", () => {
    const c = checkWhen("args.amonut > 1");
    expect(c.found).toEqual(["RPL3109@amonut"]);
    expect(helpOf(c, "RPL3109")).toBe("did you mean `amount`?");
    expect(c.errors[0]?.message).toBe("`args` has no field `amonut`");
  });
  it("reports unknown nested fields with the path", () => {
    const c = checkTop('has(context.user) and context.user.ids == "x"');
    expect(c.found).toEqual(["RPL3109@ids"]);
    expect(c.errors[0]?.message).toBe("`context.user` has no field `ids`");
  });
  it("suggests declaring a context when there is none", () => {
    const c = checkText('block r when context.env == "x"');
    expect(c.found).toEqual(["RPL3109@env"]);
    expect(helpOf(c, "RPL3109")).toContain("context {");
  });
  it("in an `on` block over several actions, reads only the fields all of them share", () => {
    expect(checkWith('on db.query, db.exec { block r when args.sql == "x" }').found).toEqual([]);
    const c = checkWith('on db.query, db.exec { block r when has(args.database) and args.database == "x" }');
    expect(c.found).toEqual(["RPL3110@database", "RPL3110@database"]);
    expect(helpOf(c, "RPL3110")).toContain("different types");
    const d = checkWith("on db.query, fs.write { block r when args.size > 1 }");
    expect(d.found).toEqual(["RPL3110@size"]);
    expect(helpOf(d, "RPL3110")).toBe("`db.query` has no field `size`");
  });
  it("reports fields read from a value that has none", () => {
    expect(checkWhen("args.amount.value > 1").found).toEqual(["RPL3111@value"]);
  });
});

describe("names", () => {
  it("reports an unknown name with a did-you-mean over the names in scope", () => {
    const c = checkWith(
      "let limit = 10\non pay.create { let total = args.amount\n block r when totl > limt }",
    );
    expect(c.found).toEqual(["RPL3113@totl", "RPL3113@limt"]);
    expect(c.errors.map((d) => d.help)).toEqual(["did you mean `total`?", "did you mean `limit`?"]);
  });
  it("reports `args` outside `on` blocks", () => {
    const c = checkTop("args.amount > 1");
    expect(c.found).toEqual(["RPL3114@args"]);
    expect(c.errors[0]?.message).toBe("`args` is not available outside `on` blocks");
  });
  it("reports request roots in defs and top-level lets", () => {
    const c = checkWith(
      'def prod(): bool = context.env == "production"\nlet t = now\nblock r when prod() and t > now',
    );
    expect(c.found).toEqual(["RPL3114@context", "RPL3114@now"]);
  });
  it("reports a namespace or a def used as a value", () => {
    expect(checkTop("sql == 1").found).toEqual(["RPL3115@sql"]);
    expect(checkWith("def f(x: number): bool = x > 1\nblock r when f == 1").found).toEqual(["RPL3132@f"]);
  });
});

describe("functions", () => {
  it("reports an unknown function with a did-you-mean", () => {
    const c = checkWhen('lowr(args.currency) == "eur"');
    expect(c.found).toEqual(["RPL3116@lowr"]);
    expect(helpOf(c, "RPL3116")).toBe("did you mean `lower`?");
    const d = checkWhen('url.hots(args.currency) == "x"');
    expect(d.found).toEqual(["RPL3116@url.hots"]);
    expect(helpOf(d, "RPL3116")).toBe("did you mean `url.host`?");
  });
  it("reports the wrong number of arguments", () => {
    expect(checkWhen('lower(args.currency, "x") == "x"').found).toEqual(['RPL3117@"x"']);
    expect(checkWhen('lower() == "x"').found).toEqual(["RPL3117@lower"]);
  });
  it("reports an argument of the wrong type at the argument", () => {
    expect(checkWhen('lower(args.amount) == "x"').found).toEqual(["RPL3118@args.amount"]);
  });
  it("wants string literals for patterns, and rejects catastrophic regular expressions", () => {
    expect(checkWhen('matches(args.currency, "^[A-Z]{3}$")').found).toEqual([]);
    expect(checkWhen("matches(args.currency, args.currency)").found).toEqual(["RPL3119@args.currency"]);
    expect(checkWhen('matches(args.currency, "^(a+)+$")').found).toEqual(['RPL3120@"^(a+)+$"']);
  });
  it("checks lambdas: their place, their parameters, their bodies", () => {
    expect(checkWhen('any(args.to, t => ends_with(t, "@acme.com"))').found).toEqual([]);
    expect(checkWhen("count(args.to, t => len(t) > 3) > 1").found).toEqual([]);
    expect(checkWhen('lower(x => x) == "a"').found).toEqual(["RPL3121@x => x"]);
    expect(checkWhen("any(args.to, true)").found).toEqual(["RPL3122@true"]);
    expect(checkWhen("any(args.to, (a, b) => true)").found).toEqual(["RPL3123@(a, b) => true"]);
    expect(checkWhen("any(args.to, t => t.x)").found).toEqual(["RPL3111@x"]);
  });
  it("reports a call of something that is not a function", () => {
    expect(checkWhen('args.currency.lower() == "x"').found).toEqual(["RPL3124@args.currency.lower"]);
  });
});

describe("defs", () => {
  it("checks calls against the parameter types and gives the return type", () => {
    const c = checkWith(`def internal(addr: string): bool = ends_with(lower(addr), "@acme.com")
on mail.send { block r when not all(args.to, t => internal(t.addr)) }`);
    expect(c.found).toEqual([]);
  });
  it("reports arguments of the wrong type, a wrong count, and a body of the wrong type", () => {
    const c = checkWith(`def big(n: number, env: "dev" | "prod"): bool = len(env) + n
on pay.create { block r when big(args.currency, "dev") or big(1, "prd") or big(1) }`);
    expect(c.found).toEqual([
      "RPL3102@len(env) + n",
      "RPL3102@args.currency",
      'RPL3105@"prd"',
      "RPL3117@big",
    ]);
  });
  it("reports recursion with the cycle", () => {
    const c = checkWith(`def f(n: number): bool = g(n)
def g(n: number): bool = f(n - 1)
def h(n: number): bool = h(n)
block r when f(1) and h(1)`);
    expect(c.found).toEqual(["RPL3125@f", "RPL3125@h"]);
    expect(c.errors.map((d) => d.message)).toEqual([
      "`f` calls itself: `f` → `g` → `f`",
      "`h` calls itself: `h` → `h`",
    ]);
  });
  it("reports a parameter declared twice", () => {
    expect(checkWith("def f(a: number, a: number): bool = a > 1\nblock r when f(1, 2)").found).toEqual([
      "RPL2001@a",
    ]);
  });
  it("reports unknown parameter types", () => {
    expect(checkWith("def f(n: strng): bool = true\nblock r when f(1)").found).toEqual(["RPL3001@strng"]);
  });
});
