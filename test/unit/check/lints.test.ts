import { describe, expect, it } from "vitest";
import { checkText, checkWith } from "./typecheck-helpers.js";

describe("RPL4001 condition can never hold", () => {
  it("finds contradicting conjuncts on the same path", () => {
    const c = checkWith(`on db.query {
  let verb = lower(args.sql)
  block a when verb == "delete" and args.sql != "" and verb == "drop"
  block b when args.sql == "x" and args.sql != "x"
  block c when args.sql in ["a", "b"] and not args.sql != "c"
  risk d 10 when false
  block ok when verb == "a" or verb == "b"
  block ok2 when verb in ["a", "b"] and verb != "a"
}`);
    expect(c.found).toEqual([]);
    expect(c.warned).toEqual([
      'RPL4001@verb == "drop"',
      'RPL4001@args.sql != "x"',
      'RPL4001@not args.sql != "c"',
      "RPL4001@false",
    ]);
    expect(c.warnings[0]?.related?.map((r) => c.text.slice(r.span.start, r.span.end))).toEqual([
      'verb == "delete"',
    ]);
  });
});

describe("RPL4002 rule shadowed by an unconditional rule", () => {
  it("warns about a later rule of the same effect in the same block", () => {
    const c = checkWith(`on db.query {
  block always
  allow reads when args.sql == "SELECT 1"
  block never when args.sql == "x"
}
block top when true
on db.exec { block other when args.sql == "x" }`);
    expect(c.warned).toEqual(["RPL4002@never"]);
    expect(c.warnings[0]?.message).toBe(
      "`never` never changes the decision: `always` above always holds with the same effect",
    );
  });
});

describe("RPL4003 unused declaration", () => {
  it("warns about unused lets, defs, params, def parameters and locals", () => {
    const c = checkWith(`let used = 1
let unused = 2
let _quiet = 3
param knob: number = 4
def f(a: number, b: number): bool = a > used
def g(): bool = true
on pay.create {
  let l = 1
  let m = 2
  block r when f(args.amount, l) and any(args.to, used => used == "x")
}`);
    expect(c.found).toEqual([]);
    expect(c.warned).toEqual(["RPL4003@unused", "RPL4003@knob", "RPL4003@b", "RPL4003@g", "RPL4003@m"]);
  });
});

describe("RPL4004 risk weight always zero", () => {
  it("warns about a literal zero weight", () => {
    const c = checkWith(
      "risk a 0 when true\nrisk b 5 when true\non pay.create { risk c -0 risk d args.amount * 0 }",
    );
    expect(c.warned).toEqual(["RPL4004@0", "RPL4004@-0"]);
  });
});

describe("RPL4005 empty approvers", () => {
  it("warns about `approvers []`", () => {
    const c = checkWith('require approval a when true approvers []\nrequire approval b approvers ["dba"]');
    expect(c.warned).toEqual(["RPL4005@[]"]);
  });
});

describe("RPL4006 presence test of a required field", () => {
  it("warns about has() on a field that is always there", () => {
    const c = checkWith(`block a when has(context.agent) and has(context.user) and has(context.user.id)
on pay.create { block b when has(args["amount"]) }`);
    expect(c.warned).toEqual(["RPL4006@has(context.agent)", 'RPL4006@has(args["amount"])']);
  });
});

describe("switching warnings off", () => {
  it("leaves out disabled codes and keeps the others", () => {
    const text = "let unused = 1\nrisk a 0 when true";
    expect(checkText(text).warned).toEqual(["RPL4003@unused", "RPL4004@0"]);
    expect(checkText(text, { disabledWarnings: new Set(["RPL4003"]) }).warned).toEqual(["RPL4004@0"]);
  });
  it("never leaves out errors", () => {
    expect(checkText("block r when 1", { disabledWarnings: new Set(["RPL3101"]) }).found).toEqual([
      "RPL3101@1",
    ]);
  });
});
