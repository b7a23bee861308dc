import { describe, expect, it } from "vitest";
import { checkTop, checkWhen, checkWith, helpOf } from "./typecheck-helpers.js";

describe("optional fields need a guard", () => {
  it("reports an unguarded read at the optional read, once", () => {
    const c = checkTop('context.user.id == "x"');
    expect(c.found).toEqual(["RPL3106@context.user"]);
    expect(helpOf(c, "RPL3106")).toContain("has(context.user)");
  });
  it("accepts a read guarded by an earlier conjunct", () => {
    expect(checkTop('has(context.user) and context.user.id == "x"').found).toEqual([]);
    expect(checkTop('true and has(context.user) and "admin" in context.user.roles').found).toEqual([]);
  });
  it("accepts a read after `not has(…) or`", () => {
    expect(checkTop('not has(context.user) or context.user.id == "x"').found).toEqual([]);
  });
  it("does not guard through `or`, or a later conjunct", () => {
    expect(checkTop('has(context.user) or context.user.id == "x"').found).toEqual(["RPL3106@context.user"]);
    expect(checkTop('context.user.id == "x" and has(context.user)').found).toEqual(["RPL3106@context.user"]);
  });
  it("guards `unless` by `when`, and `reason` by the whole rule", () => {
    expect(
      checkWith(`require approval r when has(context.user) unless "ops" in context.user.roles
  reason "for " + context.user.id approvers [context.user.id]`).found,
    ).toEqual([]);
    expect(checkWith(`block r when true unless not has(context.user) reason context.user.id`).found).toEqual(
      [],
    );
  });
  it("knows a deeper presence test implies the outer one", () => {
    expect(checkTop("has(context.user.email) and context.user.email == context.user.id").found).toEqual([]);
  });
  it("guards inside lambdas by their parameters, and forgets facts about rebound names", () => {
    expect(checkWhen('any(args.to, t => has(t.name) and t.name == "x")', "mail.send").found).toEqual([]);
    expect(checkWhen('any(args.to, t => t.name == "x")', "mail.send").found).toEqual(["RPL3106@t.name"]);
    expect(
      checkWhen('any(args.to, t => has(t.name) and any(args.to, t => t.name == "x"))', "mail.send").found,
    ).toEqual(["RPL3106@t.name"]);
    expect(
      checkTop("has(context.user) and any(context.user.roles, r => r == context.user.id)").found,
    ).toEqual([]);
  });
  it("guards optional fields of args in the same way", () => {
    expect(checkWhen("has(args.limit) and args.limit > 10", "db.query").found).toEqual([]);
    expect(checkWhen("args.limit > 10", "db.query").found).toEqual(["RPL3106@args.limit"]);
  });
});

describe("??", () => {
  it("gives a default to an optional read, through the access chain", () => {
    expect(checkTop('context.user.id ?? "anon" == "x"').found).toEqual([]);
    expect(checkWhen("(args.limit ?? 100) > 10", "db.query").found).toEqual([]);
    expect(checkTop('(context.labels["team"] ?? "none") == "x"').found).toEqual([]);
    expect(checkTop("(context.meta.level ?? 0) == 1").found).toEqual([]);
  });
  it("reports a left side that is never absent", () => {
    expect(checkTop('(context.agent ?? "x") == "y"').found).toEqual(["RPL3107@context.agent"]);
  });
  it("reports a default of another type", () => {
    expect(checkWhen('(args.limit ?? "none") == 1', "db.query").found).toEqual([
      'RPL3103@args.limit ?? "none"',
    ]);
  });
  it("chains: a ?? b ?? c", () => {
    expect(checkWhen('(args.database ?? context.user.id ?? "main") == "x"', "db.query").found).toEqual([]);
  });
});

describe("has", () => {
  it("takes a field read or map entry", () => {
    expect(checkTop('has(context.labels["x"]) and has(context.meta.x)').found).toEqual([]);
  });
  it("reports anything else", () => {
    expect(checkTop('has("x")').found).toEqual(['RPL3108@"x"']);
    expect(checkWhen("has(args.to[0])").found).toEqual(["RPL3108@args.to[0]"]);
  });
  it("reports the wrong number of arguments", () => {
    expect(checkTop("has(context.user, context.user)").found).toEqual(["RPL3117@context.user"]);
  });
});

describe("maps and indexes", () => {
  it("reads map entries and list elements", () => {
    expect(checkTop('context.labels["team"] == "x" and context.labels.team == "y"').found).toEqual([]);
    expect(checkWhen('args.to[0] == "x"').found).toEqual([]);
  });
  it("reports indexes of the wrong type", () => {
    expect(checkWhen('args.to["x"] == "y"').found).toEqual(['RPL3102@"x"']);
    expect(checkTop('context.labels[1] == "y"').found).toEqual(["RPL3102@1"]);
    expect(checkWhen("args.amount[0] == 1").found).toEqual(["RPL3112@args.amount[0]"]);
  });
});
