/**
 * IR → one self-contained ES module (ARCHITECTURE.md "Emitted code"):
 *
 *   header comment (compiler version, sources, policy hash)
 *   import of the runtime
 *   `const policy = await (async function (rt) {`, the policy set as one function of the runtime
 *   (so that `loadPolicy` can compile it from a slice of the text, engine/load.ts):
 *     constants (natives, Sets, matchers, validators), `rules` and `risks` tables, `hash`
 *     `function decide(request)`: the top of the shape check, one `switch` on the action,
 *     then one function per action type that checks `args` and `context` and evaluates only the
 *     rules and risks that apply to it, in policy-set order, each under a
 *     `// rule NAME (file:line:col)` comment
 *   `})(rt);` and the exports: `hash`, `rules`, `risks`, `export function decide(request)`.
 *
 * Request validation uses ajv standalone code generated here, so loading compiles no schema; a
 * fast check generated from the same schema (fast-check.ts) runs first and the full checks only
 * when it cannot vouch for the request.
 */
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import { MODULE_ABI, MODULE_MARKER, POLICY_CLOSE, POLICY_OPEN, RUNTIME_IMPORT } from "../engine/load.js";
import { needsInit } from "../natives/init.js";
import { fastCheck } from "./fast-check.js";
import {
  children,
  type IrAction,
  type IrExpr,
  type IrItem,
  type IrProgram,
  type IrSchema,
  itemExprs,
} from "./ir.js";
import { commentText, Hoist, JsPrinter, jsString } from "./js-printer.js";
import { standaloneValidator } from "./validators.js";

const HELPERS = [
  "U",
  "get",
  "need",
  "needIn",
  "entry",
  "entryIn",
  "index",
  "eq",
  "isIn",
  "div",
  "mod",
  "hold",
  "holdRisk",
  "fail",
  "finalize",
  "shape",
  "wellFormed",
  "walk",
  "clean",
  "argsOf",
  "contextOf",
  "requestTime",
  "validate",
  "convertTimes",
];

/** Whether an expression reads the request root `name` (`now`, `args`, …). */
function readsRoot(name: string): (e: IrExpr) => boolean {
  const reads = (e: IrExpr): boolean => (e.k === "root" && e.name === name) || children(e).some(reads);
  return reads;
}

class Emitter {
  private readonly hoist = new Hoist();
  private readonly printer: JsPrinter;
  private readonly validators = new Map<string, string>();
  /** The fast check of each validator (by its id), or null when its schema has none. */
  private readonly fast = new Map<string, string | null>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly localValues: ReadonlyMap<number, IrExpr>;

  constructor(private readonly p: IrProgram) {
    this.localValues = new Map(p.locals.map((l) => [l.id, l.value]));
    this.printer = new JsPrinter(this.hoist, this.localValues);
  }

  private validator(s: IrSchema, what: string): string {
    const key = JSON.stringify(s.schema);
    let id = this.validators.get(key);
    if (id === undefined) {
      id = `V${this.validators.size}`;
      this.validators.set(key, id);
      const r = standaloneValidator(s.schema, "rt.ajvRequire");
      // Its own options object, passed on every call: ajv's `{ … } = {}` parameter defaults would
      // allocate two objects per call. ajv writes `$dynamicAnchor` validators into `dynamicAnchors`,
      // always the same ones for one validator, so sharing it between calls of one validator is safe.
      if (r.ok) {
        this.hoist.lines.push(
          `// validates ${commentText(what)}`,
          `const ${id} = ${r.code};`,
          `const ${id}o = { instancePath: "", dynamicAnchors: {} };`,
        );
        const check = fastCheck(s.schema, `T${id.slice(1)}`, this.hoist);
        this.fast.set(id, check === null ? null : `T${id.slice(1)}`);
        if (check !== null) {
          this.hoist.lines.push(
            `// a fast check of ${commentText(what)}: true only if ${id} and the walk accept`,
          );
          this.hoist.lines.push(...check.slice(0, -1));
        }
      } else this.diagnostics.push(diag("RPL9100", s.span, [what, r.message]));
    }
    return id;
  }

  /** A call of `validate` for the validator `id` (with its options object) on `what`. */
  private validation(id: string, what: "args" | "context", errors: string): string {
    return `validate(${id}, ${what}, "/${what}", ${errors}, ${id}o)`;
  }

  /** The locals an expression reads, transitively through local values. */
  private localsOf(e: IrExpr, out: Set<number>): void {
    if (e.k === "local" && !out.has(e.id)) {
      out.add(e.id);
      const v = this.localValues.get(e.id);
      if (v !== undefined) this.localsOf(v, out);
    }
    for (const c of children(e)) this.localsOf(c, out);
  }

  /** Statements that validate and convert the request, then evaluate `items`. */
  private body(items: readonly IrItem[], action: IrAction | null, unknown: boolean): string[] {
    const out: string[] = [];
    const ctx = this.p.context;
    const args = action === null ? null : this.validator(action, `\`${action.name}\``);
    const context = ctx === null ? null : this.validator(ctx, "the context");
    // The fast checks first (fast-check.ts): when they hold, the walk of step 1 and the
    // validators of step 3 would find nothing. Else the full checks, which make the messages.
    const fast = [
      args === null ? "clean(args, 1)" : this.fast.get(args) ? `${this.fast.get(args)}(args)` : null,
      context === null
        ? "clean(context, 1)"
        : this.fast.get(context)
          ? `${this.fast.get(context)}(context)`
          : null,
    ];
    const full = ["x = walk(args, context);"];
    const validations = [
      ...(args === null ? [] : [`x = ${this.validation(args, "args", "x")};`]),
      ...(context === null ? [] : [`x = ${this.validation(context, "context", "x")};`]),
    ];
    if (validations.length > 0) full.push("if (x === null) {", ...validations.map((v) => `  ${v}`), "}");
    full.push("if (x !== null) return finalize(P, false, null, null, x);");
    out.push("let x = null;");
    if (fast.includes(null)) out.push(...full);
    else out.push(`if (!(${fast.join(" && ")})) {`, ...full.map((l) => `  ${l}`), "}");
    const conversions: string[] = [];
    if (action?.time)
      conversions.push(`args = convertTimes(args, ${this.hoist.constant(action.time)}, "/args");`);
    if (ctx?.time)
      conversions.push(`context = convertTimes(context, ${this.hoist.constant(ctx.time)}, "/context");`);
    if (conversions.length > 0) {
      out.push("try {", ...conversions.map((c) => `  ${c}`), "} catch (e) {");
      out.push("  return finalize(P, false, null, null, fail(null, undefined, e));", "}");
    }
    const used = new Set<number>();
    for (const it of items) for (const e of itemExprs(it)) this.localsOf(e, used);
    if (items.some((it) => it.kind === "rule")) out.push("let m = null;");
    if (items.some((it) => it.kind === "risk")) out.push("let k = null;");
    for (const id of [...used].sort((a, b) => a - b)) {
      const l = this.p.locals.find((x) => x.id === id);
      out.push(`let l${id} = U; // ${commentText(l?.name ?? "")}`);
    }
    const lines = items.flatMap((it) => this.item(it));
    if (lines.includes("h = false;")) out.push("let h = false;");
    out.push(...lines);
    out.push(
      `return finalize(P, ${unknown}, ${items.some((i) => i.kind === "rule") ? "m" : "null"}, ${items.some((i) => i.kind === "risk") ? "k" : "null"}, x);`,
    );
    return out;
  }

  private item(it: IrItem): string[] {
    const index = this.p.items.filter((x) => x.kind === it.kind).indexOf(it);
    const ref = `${it.kind === "rule" ? "rules" : "risks"}[${index}]`;
    const head = [`// ${it.kind} ${commentText(it.name)} (${commentText(it.location)})`];
    let cond: IrExpr | null = it.when;
    if (it.kind === "rule" && it.unless !== null) {
      const not: IrExpr = { k: "not", arg: it.unless, span: it.unless.span };
      cond = cond === null ? not : { k: "and", left: cond, right: not, span: it.span };
    }
    if (cond?.k === "const" && cond.v !== true) return [...head, "// (never holds)"];
    const test = cond === null || (cond.k === "const" && cond.v === true) ? null : this.printer.print(cond);
    const guarded = (stmt: string): string[] => {
      const inner = test === null ? [stmt] : [`if (${test}) ${stmt}`];
      return ["try {", ...inner.map((s) => `  ${s}`), "} catch (e) {", `  x = fail(x, ${ref}.id, e);`, "}"];
    };
    if (it.kind === "risk") {
      const weight = this.printer.print(it.weight);
      if (test === null && it.weight.k === "const") return [...head, `k = holdRisk(k, ${ref}, ${weight});`];
      return [...head, ...guarded(`k = holdRisk(k, ${ref}, ${weight});`)];
    }
    const staticApprovers = it.approvers === null || it.approvers.k === "const";
    const staticReason = it.reason === null || it.reason.k === "const";
    if (staticApprovers && staticReason) {
      const reason = it.reason === null ? "null" : this.printer.print(it.reason);
      const stmt = `m = hold(m, ${ref}, ${reason});`;
      return test === null ? [...head, stmt] : [...head, ...guarded(stmt)];
    }
    const out = [...head];
    let holds = "true";
    if (test !== null) {
      out.push("h = false;", "try {", `  h = ${test};`, "} catch (e) {", `  x = fail(x, ${ref}.id, e);`, "}");
      holds = "h";
    }
    out.push(`if (${holds}) {`);
    const part = (name: string, init: string, e: IrExpr | null) => {
      if (e === null) return init;
      out.push(
        `  let ${name} = ${init};`,
        "  try {",
        `    ${name} = ${this.printer.print(e)};`,
        "  } catch (e) {",
      );
      out.push(`    x = fail(x, ${ref}.id, e);`, "  }");
      return name;
    };
    const reason = staticReason
      ? it.reason === null
        ? "null"
        : this.printer.print(it.reason)
      : part("r", "null", it.reason);
    const approvers = staticApprovers ? "undefined" : part("a", "[]", it.approvers);
    out.push(`  m = hold(m, ${ref}, ${reason}${approvers === "undefined" ? "" : `, ${approvers}`});`, "}");
    return out;
  }

  private table(): string[] {
    const rules = this.p.items.flatMap((it) => {
      if (it.kind !== "rule") return [];
      const parts = [
        `id: ${jsString(it.name)}`,
        `effect: ${jsString(it.effect)}`,
        `location: ${jsString(it.location)}`,
      ];
      if (it.approvers?.k === "const")
        parts.push(`approvers: [${(it.approvers.v as string[]).map(jsString).join(", ")}]`);
      if (it.timeout !== null) parts.push(`timeout_ms: ${it.timeout}`);
      return [`  { ${parts.join(", ")} },`];
    });
    const risks = this.p.items.flatMap((it) =>
      it.kind === "risk" ? [`  { id: ${jsString(it.name)}, location: ${jsString(it.location)} },`] : [],
    );
    return [
      "/** The rules, in policy-set order. */",
      `const rules = rt.table([${rules.length ? `\n${rules.join("\n")}\n` : ""}]);`,
      "/** The risks, in policy-set order. */",
      `const risks = rt.table([${risks.length ? `\n${risks.join("\n")}\n` : ""}]);`,
    ];
  }

  emit(): string {
    const p = this.p;
    const s = p.settings;
    const fns: string[] = [];
    for (const g of p.globals) {
      fns.push(
        `// let ${commentText(g.name)}`,
        `function g${g.id}() {`,
        `  return ${this.printer.print(g.value)};`,
        "}",
        "",
      );
    }
    for (const d of p.defs) {
      const params = d.params.map((v) => `v${v}`).join(", ");
      fns.push(
        `// def ${commentText(d.name)}`,
        `function d${d.id}(${params}) {`,
        `  return ${this.printer.print(d.body)};`,
      );
      fns.push("}", "");
    }
    const cases: string[] = [];
    p.actions.forEach((a, i) => {
      const items = p.items.filter((it) => it.actions === null || it.actions.includes(a.name));
      cases.push(`      case ${jsString(a.name)}:`, `        return a${i}(action, args, context, now);`);
      fns.push(`// action ${commentText(a.name)}`, `function a${i}(action, args, context, now) {`);
      fns.push(...this.body(items, a, false).map((l) => `  ${l}`), "}", "");
    });
    fns.push(
      "// an action no declaration names: only top-level rules and risks apply",
      "function unknown(action, args, context, now) {",
    );
    fns.push(
      ...this.body(
        p.items.filter((it) => it.actions === null),
        null,
        true,
      ).map((l) => `  ${l}`),
      "}",
    );
    const readsNow = [
      ...p.items.flatMap(itemExprs),
      ...p.defs.map((d) => d.body),
      ...p.globals.map((g) => g.value),
      ...p.locals.map((l) => l.value),
    ].some(readsRoot("now"));
    const decide = [
      "function decide(request) {",
      "  try {",
      readsNow
        ? "    const now = requestTime(request);"
        : "    const now = requestTime(request, null); // `now` is never read: no clock, only a check of `time`",
      "    if (!wellFormed(request, now)) {",
      "      const bad = shape(request, now);",
      "      if (bad !== null) return finalize(P, false, null, null, bad);",
      "    }",
      "    const action = request.action;",
      "    const args = argsOf(request);",
      "    const context = contextOf(request);",
      "    switch (action) {",
      ...cases,
      "      default:",
      "        return unknown(action, args, context, now);",
      "    }",
      "  } catch (e) {",
      "    return finalize(P, false, null, null, fail(null, undefined, e));",
      "  }",
      "}",
    ];
    const settings = [
      `default: ${jsString(s.default)}`,
      `unknown_action: ${jsString(s.unknown_action)}`,
      `approval_at: ${s.approval_at}`,
      `block_at: ${s.block_at}`,
      `on_error: ${jsString(s.on_error)}`,
      `approval_timeout: ${s.approval_timeout}`,
    ];
    const table = this.table();
    return [
      `${MODULE_MARKER} Generated by rplc ${commentText(p.compiler)}: do not edit.`,
      `// Sources: ${p.files.map(commentText).join(", ")}`,
      `// Policy hash: ${commentText(p.hash)}`,
      RUNTIME_IMPORT,
      "",
      // `loadPolicy` compiles this function without the module system (engine/load.ts).
      POLICY_OPEN,
      '"use strict";',
      `rt.abi(${MODULE_ABI});`,
      `const { ${HELPERS.join(", ")} } = rt;`,
      ...([...this.fast.values()].some((f) => f !== null)
        ? ["const HOP = Object.prototype.hasOwnProperty, PIE = Object.prototype.propertyIsEnumerable;"]
        : []),
      ...([...this.hoist.natives].some(needsInit) ? ["await rt.ready;"] : []),
      "",
      `const hash = ${jsString(p.hash)};`,
      `const P = rt.constant({ hash, settings: { ${settings.join(", ")} } });`,
      ...table,
      "",
      ...this.hoist.lines,
      "",
      ...fns,
      "",
      ...decide,
      "",
      "return { hash, rules, risks, decide };",
      POLICY_CLOSE,
    ].join("\n");
  }
}

/** The module source, or diagnostics when a schema cannot be compiled to standalone code. */
export function emit(program: IrProgram): { code: string; diagnostics: readonly Diagnostic[] } {
  const e = new Emitter(program);
  const code = e.emit();
  return { code, diagnostics: e.diagnostics };
}
