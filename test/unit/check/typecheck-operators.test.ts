import { describe, expect, it } from "vitest";
import { checkTop, checkWhen, checkWith, helpOf } from "./typecheck-helpers.js";

describe("conditions are bool", () => {
  it("accepts bool conditions", () => {
    expect(checkWhen('args.amount > 10 and not (args.currency == "EUR") or true').found).toEqual([]);
  });
  it("reports a `when` that is not bool at the condition", () => {
    expect(checkWhen("args.amount").found).toEqual(["RPL3101@args.amount"]);
  });
  it("reports `unless` and `where` too", () => {
    const c = checkWith(`on pay.create { allow a when true unless args.to }
property "p" { for pay.create where args.currency expect not block }`);
    expect(c.found).toEqual(["RPL3101@args.to", "RPL3101@args.currency"]);
  });
  it("reports operands of and/or/not", () => {
    expect(checkWhen("1 and true").found).toEqual(["RPL3101@1"]);
    expect(checkWhen('true or "x"').found).toEqual(['RPL3101@"x"']);
    expect(checkWhen("not args.amount").found).toEqual(["RPL3101@args.amount"]);
  });
});

describe("== and !=", () => {
  it("compares values of one type, and unions with strings", () => {
    expect(
      checkWhen('args.currency == "EUR" and args.amount != 3 and context.agent == context.env').found,
    ).toEqual([]);
  });
  it("reports values of different types at the whole comparison", () => {
    expect(checkWhen('args.amount == "3"').found).toEqual(['RPL3103@args.amount == "3"']);
  });
  it("does not compare lists", () => {
    const c = checkWhen("args.to == args.to");
    expect(c.found).toEqual(["RPL3103@args.to == args.to"]);
    expect(helpOf(c, "RPL3103")).toContain("contains");
  });
  it("reports two unions that share no value", () => {
    const c = checkWhen("args.currency == context.env");
    expect(c.found).toEqual(["RPL3103@args.currency == context.env"]);
    expect(helpOf(c, "RPL3103")).toContain("share no value");
  });
});

describe("string-literal unions", () => {
  it("reports a literal outside the union with a did-you-mean, on either side", () => {
    const c = checkTop('context.env == "prodution"');
    expect(c.found).toEqual(['RPL3105@"prodution"']);
    expect(helpOf(c, "RPL3105")).toBe("did you mean `production`?");
    expect(checkTop('"stagin" != context.env').found).toEqual(['RPL3105@"stagin"']);
  });
  it('suggests the value a literal abbreviates (LANGUAGE.md §6: `context.env == "prod"`)', () => {
    const c = checkTop('context.env == "prod"');
    expect(c.found).toEqual(['RPL3105@"prod"']);
    expect(c.errors[0]?.message).toBe('`"prod"` is not one of `"dev" | "production" | "staging"`');
    expect(helpOf(c, "RPL3105")).toBe("did you mean `production`?");
  });
  it("checks each literal of an `in` list, and a literal against a list of a union", () => {
    expect(checkTop('context.env in ["dev", "prod", "staging", "tst"]').found).toEqual([
      'RPL3105@"prod"',
      'RPL3105@"tst"',
    ]);
    expect(checkWhen('"GBP" in [args.currency]').found).toEqual(['RPL3105@"GBP"']);
  });
  it("types `action` inside an `on` block as the union of its action names", () => {
    const c = checkWith('on db.query, db.exec { block r when action == "db.qurey" }');
    expect(c.found).toEqual(['RPL3105@"db.qurey"']);
    expect(helpOf(c, "RPL3105")).toBe("did you mean `db.query`?");
    expect(checkTop('action == "anything.at.all"').found).toEqual([]);
  });
});

describe("ordering", () => {
  it("takes two numbers, two durations or two timestamps", () => {
    expect(checkWhen("args.amount < 3 and args.wait >= 5m and args.at > now").found).toEqual([]);
  });
  it("reports anything else", () => {
    expect(checkWhen('args.currency < "b"').found).toEqual(['RPL3103@args.currency < "b"']);
    expect(checkWhen("args.wait < 5").found).toEqual(["RPL3103@args.wait < 5"]);
  });
});

describe("arithmetic", () => {
  it("adds numbers and strings, moves timestamps by durations", () => {
    expect(
      checkWhen(
        'args.amount + 1 > 2 and args.currency + "x" == "EURx" and now - 1h < args.at and args.at - now > 2h and args.wait * 2 > 1m and args.wait / 2 < 1h and -args.wait < 0s and args.amount % 2 == 0',
      ).found,
    ).toEqual([]);
  });
  it("reports mismatched operands at the expression", () => {
    expect(checkWhen('args.amount + "x" == 1').found).toEqual(['RPL3103@args.amount + "x"']);
    expect(checkWhen("now + 1 > now").found).toEqual(["RPL3103@now + 1"]);
    expect(checkWhen("args.wait % 2 == 1m").found).toEqual(["RPL3103@args.wait % 2"]);
  });
  it("reports unary minus on a string", () => {
    expect(checkWhen('-args.currency == "x"').found).toEqual(["RPL3104@-args.currency"]);
  });
});

describe("in", () => {
  it("takes T and list<T>", () => {
    expect(checkWhen('"a" in args.to and args.amount not in [1, 2]').found).toEqual([]);
  });
  it("reports a right side that is not a list, and an element of another type", () => {
    const c = checkWhen('"a" in args.currency');
    expect(c.found).toEqual(['RPL3103@"a" in args.currency']);
    expect(helpOf(c, "RPL3103")).toContain("contains");
    expect(checkWhen("args.amount in args.to").found).toEqual(["RPL3103@args.amount in args.to"]);
  });
});

describe("one mistake, one error", () => {
  it("does not report again on an expression built on an error", () => {
    expect(checkWhen("args.amout + 1 > 2 and lower(args.amout) == 3").found).toEqual([
      "RPL3109@amout",
      "RPL3109@amout",
    ]);
    expect(checkWhen('-(args.amount + "x") > 1 or not (args.x == 1)').found).toEqual([
      'RPL3103@args.amount + "x"',
      "RPL3109@x",
    ]);
  });
});
