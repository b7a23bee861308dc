import { describe, expect, it } from "vitest";
import { only, project } from "./resolve-helpers.js";

describe("resolve: names", () => {
  it("reports a duplicate at the second declaration, with the first as related", () => {
    const p = project({ "a.rplc": "let x = 1\nblock y", "b.rplc": "\nallow x" });
    const d = only(p, "RPL2001");
    expect(p.where(d.span)).toBe("b.rplc:2:7");
    expect(d.message).toBe("rule `x` is already declared");
    expect(d.related?.map((r) => [p.where(r.span), r.message])).toEqual([
      ["a.rplc:1:5", "first declared here as a let"],
    ]);
  });

  it("reports duplicate actions and duplicate rules inside on blocks", () => {
    const p = project({
      "a.rplc": "action db.q { s: string }\naction db.q { s: string }\non db.q {\n  block r\n  block r\n}",
    });
    expect(p.codes()).toEqual([
      ["RPL2001", "a.rplc:2:8"],
      ["RPL2001", "a.rplc:5:9"],
    ]);
  });

  it("reports duplicate, shadowing and reserved locals", () => {
    const p = project({
      "a.rplc":
        "action a.b { }\nlet g = 1\non a.b {\n  let v = 1\n  let v = 2\n  let g = 3\n  let sql = 4\n}",
    });
    expect(p.codes()).toEqual([
      ["RPL2001", "a.rplc:5:7"],
      ["RPL2015", "a.rplc:6:7"],
      ["RPL2016", "a.rplc:7:7"],
    ]);
    expect(only(p, "RPL2015").related?.map((r) => p.where(r.span))).toEqual(["a.rplc:2:5"]);
  });

  it("reserves the roots and namespaces for top-level names", () => {
    const p = project({ "a.rplc": "let args = 1\ndef now(): number = 1" });
    expect(p.codes()).toEqual([
      ["RPL2016", "a.rplc:1:5"],
      ["RPL2016", "a.rplc:2:5"],
    ]);
  });
});

describe("resolve: includes", () => {
  it("reports a missing include at its path string", () => {
    const p = project({ "a.rplc": '\ninclude "./common"', "common.rplc": "block c" }, ["a.rplc"]);
    const d = only(p, "RPL2002");
    expect(p.where(d.span)).toBe("a.rplc:2:9");
    expect(d.message).toBe("cannot read `./common`: no such file or directory");
    expect(d.help).toBe("did you mean `./common.rplc`?");
  });

  it("reports an unknown standard pack", () => {
    const p = project({ "a.rplc": 'include "stdlib/nope"' });
    expect(p.codes()).toEqual([["RPL2004", "a.rplc:1:9"]]);
  });

  it("reports an include cycle once, with the chain", () => {
    const p = project({
      "a.rplc": 'include "./b.rplc"',
      "b.rplc": 'include "./c.rplc"',
      "c.rplc": '\ninclude "./a.rplc"',
    });
    const d = only(p, "RPL2003");
    expect(p.where(d.span)).toBe("c.rplc:2:9");
    expect(d.message).toBe("include cycle: a.rplc → b.rplc → c.rplc → a.rplc");
  });

  it("reports a file including itself", () => {
    const p = project({ "a.rplc": 'include "a.rplc"' });
    expect(only(p, "RPL2003").message).toBe("include cycle: a.rplc → a.rplc");
  });

  it("reports an unknown with knob, with a hint", () => {
    const p = project({
      "a.rplc": 'include "./pack.rplc" with { tabels: ["x"] }',
      "pack.rplc": "param tables: list<string> = []",
    });
    const d = only(p, "RPL2006");
    expect(p.where(d.span)).toBe("a.rplc:1:30");
    expect(d.message).toBe("`pack.rplc` has no param `tabels`");
    expect(d.help).toBe("did you mean `tables`?");
  });

  it("reports a with value of the wrong type at the offending item", () => {
    const p = project({
      "a.rplc":
        'include "./pack.rplc" with {\n  tables: ["x", 3],\n  mode: "fsat",\n  limit: -5,\n  wait: 2\n}',
      "pack.rplc":
        'param tables: list<string> = []\nparam mode: "fast" | "slow" = "slow"\nparam limit: number = 1\nparam wait: duration = 1m',
    });
    expect(p.codes()).toEqual([
      ["RPL3012", "a.rplc:2:17"],
      ["RPL3012", "a.rplc:3:9"],
      ["RPL3012", "a.rplc:5:9"],
    ]);
    const [list, union, duration] = p.diagnostics;
    expect(list?.message).toBe("`with` value `tables[1]` must be `string`, found `number`");
    expect(union?.help).toBe("did you mean `fast`?");
    expect(duration?.message).toBe("`with` value `wait` must be `duration`, found `number`");
  });

  it("reports a with value that is not a constant", () => {
    const p = project({
      "a.rplc": 'include "./pack.rplc" with { n: 1 + 2 }',
      "pack.rplc": "param n: number = 1",
    });
    expect(p.codes()).toEqual([["RPL3013", "a.rplc:1:33"]]);
  });

  it("checks param defaults like with values", () => {
    const p = project({ "a.rplc": 'param n: number = "x"\nparam o: { a: string } = { a: "x", b: 1 }' });
    expect(p.codes()).toEqual([
      ["RPL3012", "a.rplc:1:19"],
      ["RPL3014", "a.rplc:2:36"],
    ]);
  });

  it("reports an except name the included file does not declare", () => {
    const p = project({
      "a.rplc": 'include "./pack.rplc" except [slect_star]',
      "pack.rplc": "action db.q { }\non db.q { block select_star }",
    });
    const d = only(p, "RPL2008");
    expect(p.where(d.span)).toBe("a.rplc:1:31");
    expect(d.help).toBe("did you mean `select_star`?");
  });

  it("reports includes of one file that disagree", () => {
    const p = project(
      {
        "a.rplc": 'include "./pack.rplc" with { n: 1 }',
        "b.rplc": 'include "./pack.rplc" with { n: 2 }',
        "c.rplc": 'include "./pack.rplc" with { n: 1 }',
        "pack.rplc": "param n: number = 0",
      },
      ["a.rplc", "b.rplc", "c.rplc"],
    );
    const d = only(p, "RPL2005");
    expect(p.where(d.span)).toBe("b.rplc:1:9");
    expect(d.related?.map((r) => p.where(r.span))).toEqual(["a.rplc:1:9"]);
  });
});

describe("resolve: settings and context", () => {
  it("reports a second settings block and a second context", () => {
    const p = project({
      "a.rplc": "settings { default: allow }\ncontext { a: string }",
      "b.rplc": "\nsettings { default: block }\ncontext { b: string }",
    });
    expect(p.codes()).toEqual([
      ["RPL2009", "b.rplc:2:1"],
      ["RPL2010", "b.rplc:3:1"],
    ]);
    expect(only(p, "RPL2009").related?.map((r) => p.where(r.span))).toEqual(["a.rplc:1:1"]);
    expect(p.set.settings.default).toBe("allow");
  });

  it("reports unknown settings, bad values and repeated keys", () => {
    const p = project({
      "a.rplc":
        'settings {\n  defualt: allow\n  default: deny\n  on_error: "block"\n  approval_at: 120\n  approval_timeout: 30\n  default: block\n}',
    });
    expect(p.codes()).toEqual([
      ["RPL2011", "a.rplc:2:3"],
      ["RPL2012", "a.rplc:3:12"],
      ["RPL2012", "a.rplc:4:13"],
      ["RPL2012", "a.rplc:5:16"],
      ["RPL2012", "a.rplc:6:21"],
      ["RPL2007", "a.rplc:7:3"],
    ]);
    const [unknown, deny, quoted] = p.diagnostics;
    expect(unknown?.help).toBe("did you mean `default`?");
    expect(deny?.message).toBe("`default` must be `allow`, `block` or `require_approval`");
    expect(deny?.help).toBe("did you mean `block`?");
    expect(quoted?.help).toBe("write it without quotes: `block`");
  });

  it("requires approval_at not to exceed block_at", () => {
    const p = project({ "a.rplc": "settings {\n  approval_at: 95\n}" });
    expect(p.codes()).toEqual([["RPL2013", "a.rplc:2:16"]]);
  });
});

describe("resolve: actions and patterns", () => {
  it("reports an unknown type name with a hint", () => {
    const p = project({ "a.rplc": "action a.b {\n  name: strng\n  flag: boolean\n  xs: list<nmber>\n}" });
    expect(p.codes()).toEqual([
      ["RPL3001", "a.rplc:2:9"],
      ["RPL3001", "a.rplc:3:9"],
      ["RPL3001", "a.rplc:4:12"],
    ]);
    expect(p.diagnostics.map((d) => d.help)).toEqual([
      "did you mean `string`?",
      "did you mean `bool`?",
      "did you mean `number`?",
    ]);
  });

  it("reports a duplicate field in an object type", () => {
    const p = project({ "a.rplc": "context {\n  a: string\n  a: number\n}" });
    expect(p.codes()).toEqual([["RPL3003", "a.rplc:3:3"]]);
  });

  it("reports a pattern that matches no action, with a hint", () => {
    const p = project({
      "a.rplc":
        'action db.query { }\naction fs.write { }\non db.qeury, fs.write { block a }\non f.* { block b }\nproperty "p" { for x.y expect allow }',
    });
    expect(p.codes()).toEqual([
      ["RPL2014", "a.rplc:3:4"],
      ["RPL2014", "a.rplc:4:4"],
      ["RPL2014", "a.rplc:5:20"],
    ]);
    expect(p.diagnostics.map((d) => d.help)).toEqual([
      "did you mean `db.query`?",
      "did you mean `fs.*`?",
      undefined,
    ]);
    expect(p.set.rules.map((r) => r.actions)).toEqual([["fs.write"], []]);
  });

  it("reports a schema file it cannot read, at the from string", () => {
    const p = project({ "p/a.rplc": '\naction fs.write from "./schemas/w.json"' });
    const d = only(p, "RPL3004");
    expect(p.where(d.span)).toBe("p/a.rplc:2:22");
    expect(d.message).toBe("cannot read schema `p/schemas/w.json`: no such file or directory");
  });

  it("reports an invalid schema file", () => {
    const p = project({ "a.rplc": 'action fs.write from "w.json"', "w.json": '{ "type": "objekt" }' });
    expect(p.codes()).toEqual([["RPL3006", "a.rplc:1:22"]]);
  });

  it("warns about schema keywords it cannot type, and still uses the schema", () => {
    const p = project({
      "a.rplc": 'action fs.write from "w.json"',
      "w.json": JSON.stringify({
        type: "object",
        properties: { path: { type: "string", pattern: "^/", maxLength: 200 } },
        required: ["path"],
      }),
    });
    const d = only(p, "RPL3007");
    expect(d.severity).toBe("warning");
    expect(p.where(d.span)).toBe("a.rplc:1:22");
    expect(d.message).toBe("`w.json` uses keywords rplc types cannot express: `pattern`, `maxLength`");
    expect(p.set.actions.get("fs.write")?.schema).toMatchObject({ properties: { path: { pattern: "^/" } } });
  });

  it("reports an expectation naming no rule", () => {
    const p = project({
      "a.rplc": 'block alpha\ntest "t" {\n  request { action: "x" }\n  expect rule alpah\n}',
    });
    const d = only(p, "RPL2017");
    expect(p.where(d.span)).toBe("a.rplc:4:15");
    expect(d.help).toBe("did you mean `alpha`?");
  });

  it("reports a given file it cannot read, without a span", () => {
    const p = project({ "a.rplc": "block a" }, ["a.rplc", "missing.rplc"]);
    expect(p.codes()).toEqual([["RPL2002", "-"]]);
    expect(p.set.rules.map((r) => r.name)).toEqual(["a"]);
  });
});
