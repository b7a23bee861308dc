/**
 * The emitter's safety on hand-built IR (names and strings the parser would never let through),
 * its parenthesization, and the module it writes being a real ES module.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../../src/check/program.js";
import { emit } from "../../../src/compile/emit.js";
import type { IrExpr, IrProgram } from "../../../src/compile/ir.js";
import { commentText, Hoist, JsPrinter, jsString } from "../../../src/compile/js-printer.js";
import type { Decision } from "../../../src/engine/decision.js";
import { loadPolicy, RUNTIME_IMPORT } from "../../../src/engine/load.js";

const span = { file: "p.rplc", start: 0, end: 0 };
const c = (v: string | number | boolean): IrExpr => ({ k: "const", v, span });
const root = (name: "args" | "context" | "action" | "now"): IrExpr => ({ k: "root", name, span });
const field = (key: string, mode: "field" | "opt" = "field"): IrExpr => ({
  k: "member",
  object: root("args"),
  key,
  mode,
  absentIn: false,
  span,
});

const HOSTILE = [
  "x\n}); globalThis.pwned = 1; (() => {\n//",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
  "a\"b'c`d${globalThis.pwned = 2}e\\",
  "</script><script>globalThis.pwned = 3</script>",
  "line\u2028separator\u2029paragraph",
  "*/ globalThis.pwned = 4; /*",
  "__proto__",
  "constructor",
];

function program(): IrProgram {
  const fields = Object.fromEntries(HOSTILE.map((h) => [h, { type: "string" }]));
  return {
    compiler: "0.0.0\n globalThis.pwned = 5;",
    hash: "sha256:\u2028x",
    files: ["a\nb.rplc", "c*/d.rplc"],
    settings: DEFAULT_SETTINGS,
    context: null,
    actions: [
      {
        name: 'x"); globalThis.pwned = 6; //',
        schema: { type: "object", properties: fields, required: HOSTILE },
        time: null,
        span,
      },
    ],
    globals: [],
    defs: [],
    locals: [],
    items: HOSTILE.map((h, i) => ({
      kind: "rule" as const,
      name: h,
      effect: "block" as const,
      location: `${h}:1:${i}`,
      actions: null,
      when: { k: "eq", negate: false, prim: true, left: field(h, "opt"), right: c(h), span },
      unless: null,
      reason: c(`${h}!`),
      approvers: { k: "const", v: [h], span },
      timeout: null,
      span,
    })),
  };
}

describe("emitted code never executes policy text", () => {
  it("hostile rule names, field names, strings, file names and action names stay data", async () => {
    const out = emit(program());
    expect(out.diagnostics).toEqual([]);
    const g = globalThis as { pwned?: unknown };
    const policy = await loadPolicy(out.code);
    expect(policy.rules.map((r) => r.id)).toEqual(HOSTILE);
    const args = Object.fromEntries(HOSTILE.map((h) => [h, h]));
    const d: Decision = policy.decide({
      action: 'x"); globalThis.pwned = 6; //',
      args,
      time: "2026-01-01T00:00:00Z",
    });
    expect(g.pwned).toBeUndefined();
    expect(d.errors).toEqual([]);
    expect(d.matched.map((m) => [m.rule, m.reason])).toEqual(HOSTILE.map((h) => [h, `${h}!`]));
    // Unknown action: top-level rules apply (all of these are top-level).
    const u = policy.decide({
      action: "other",
      args: JSON.parse('{"__proto__": "__proto__"}'),
      time: "2026-01-01T00:00:00Z",
    });
    expect(u.matched.map((m) => m.rule)).toEqual(["__proto__"]);
    expect(g.pwned).toBeUndefined();
  });

  it("no raw line terminator inside a string or comment can start a line", () => {
    const code = emit(program()).code;
    for (const line of code.split("\n")) {
      expect(line.includes("\u2028") || line.includes("\u2029") || line.includes("\r")).toBe(false);
      expect(line.startsWith("export ") ? /^export (function|const) [A-Za-z]+/.test(line) : true).toBe(true);
    }
  });

  it("strings and comments escape what JavaScript treats as line ends", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
    expect(jsString("a\u2028b\u2029c\n`${x}`")).toBe('"a\\u2028b\\u2029c\\n`${x}`"');
    expect(commentText("x\ny\u2028")).toBe("x\\ny\\u2028");
  });
});

describe("printing", () => {
  const print = (e: IrExpr) => new JsPrinter(new Hoist(), new Map()).print(e);
  const n = (v: number) => c(v);
  const bin = (op: "+" | "-" | "*", l: IrExpr, r: IrExpr): IrExpr => ({
    k: "arith",
    op,
    left: l,
    right: r,
    span,
  });

  it("parenthesizes only where precedence needs it", () => {
    expect(print(bin("-", n(1), bin("-", n(2), n(3))))).toBe("1 - (2 - 3)");
    expect(print(bin("-", bin("-", n(1), n(2)), n(3)))).toBe("1 - 2 - 3");
    expect(print(bin("*", bin("+", n(1), n(2)), n(3)))).toBe("(1 + 2) * 3");
    expect(print(bin("+", n(1), bin("*", n(2), n(3))))).toBe("1 + 2 * 3");
    expect(print({ k: "neg", arg: { k: "neg", arg: field("a"), span }, span })).toBe("-(-args.a)");
    expect(print({ k: "neg", arg: n(-0), span })).toBe("-(-0)");
    const and: IrExpr = { k: "and", left: field("a"), right: field("b"), span };
    expect(print({ k: "??", left: and, right: c(true), span })).toBe("(args.a && args.b) ?? true");
    expect(
      print({
        k: "or",
        left: { k: "??", left: field("a", "opt"), right: c(false), span },
        right: field("b"),
        span,
      }),
    ).toBe('(get(args, "a") ?? false) || args.b');
    expect(print({ k: "not", arg: and, span })).toBe("!(args.a && args.b)");
    expect(
      print({
        k: "not",
        arg: { k: "eq", negate: false, prim: true, left: field("a"), right: c("x"), span },
        span,
      }),
    ).toBe('args.a !== "x"');
  });

  it("field names are written bare only when they are plain identifiers", () => {
    expect(print(field("ok_1"))).toBe("args.ok_1");
    expect(print(field("x-y"))).toBe('args["x-y"]');
    expect(print(field("__proto__"))).toBe('args["__proto__"]');
    const obj: IrExpr = {
      k: "object",
      entries: [
        { key: "__proto__", value: n(1) },
        { key: "a b", value: n(2) },
      ],
      span,
    };
    expect(print(obj)).toBe('{ ["__proto__"]: 1, "a b": 2 }');
  });

  it("constant lists become hoisted Sets for `in`, other constants hoisted and frozen", () => {
    const hoist = new Hoist();
    const p = new JsPrinter(hoist, new Map());
    const list: IrExpr = { k: "const", v: ["a", "b"], span };
    expect(p.print({ k: "in", negate: true, item: field("x"), list, span })).toBe("!S0.has(args.x)");
    expect(p.print({ k: "in", negate: false, item: field("y"), list, span })).toBe("S0.has(args.y)");
    expect(p.print({ k: "const", v: JSON.parse('{"__proto__": [1]}'), span })).toBe("C0");
    expect(hoist.lines).toEqual([
      'const S0 = new Set(["a", "b"]);',
      'const C0 = rt.constant(JSON.parse("{\\"__proto__\\":[1]}"));',
    ]);
  });
});

describe("the module is an ES module", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rplc-emit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports its runtime and exports decide, hash, rules and risks", async () => {
    const code = emit(program()).code;
    expect(code).toContain(RUNTIME_IMPORT);
    const runtime = pathToFileURL(path.resolve("src/engine/runtime.ts")).href;
    const file = path.join(dir, "policy.mjs");
    writeFileSync(file, code.replace('from "runplane"', `from ${JSON.stringify(runtime)}`));
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      decide(r: unknown): Decision;
      hash: string;
      rules: readonly { id: string }[];
      risks: readonly unknown[];
    };
    expect(mod.hash).toBe("sha256:\u2028x");
    expect(mod.rules).toHaveLength(HOSTILE.length);
    expect(mod.risks).toEqual([]);
    expect(mod.decide({ action: "nope", time: "2026-01-01T00:00:00Z" }).decision).toBe("BLOCK");
  });
});
