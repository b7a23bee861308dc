/**
 * IR expressions → JavaScript source, with parentheses only where precedence needs them.
 *
 * Safety: no user text becomes code. Strings (values, field names, keys, native names) go
 * through `jsString` (JSON.stringify with U+2028/U+2029 escaped); identifiers are generated from
 * slot numbers (`l3`, `v0`, `d1`) or are fixed runtime names; field names are only printed after
 * `.` when they are plain ASCII identifiers other than `__proto__`.
 *
 * Module-scope things an expression needs (natives, constant lists, Sets, matchers) are
 * registered in a `Hoist`, which the emitter prints above the functions.
 */
import { type ArithOp, children, type IrExpr, type Json } from "./ir.js";

/** A JavaScript string literal for any string: safe anywhere in a module, also in comments. */
export function jsString(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Text safe inside a `//` comment: no line terminators survive. */
export function commentText(s: string): string {
  return jsString(s).slice(1, -1);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name after `.` or in an object literal, when it can be written bare. */
function bareKey(key: string): boolean {
  return IDENT.test(key) && key !== "__proto__";
}

/** Module-scope declarations, deduplicated by what they hold. */
export class Hoist {
  readonly lines: string[] = [];
  private readonly byKey = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  private add(prefix: string, key: string, init: (id: string) => string): string {
    const k = `${prefix}\u0000${key}`;
    let id = this.byKey.get(k);
    if (id === undefined) {
      const n = this.counters.get(prefix) ?? 0;
      this.counters.set(prefix, n + 1);
      id = `${prefix}${n}`;
      this.byKey.set(k, id);
      this.lines.push(init(id));
    }
    return id;
  }

  /** The natives hoisted so far, by qualified name. */
  readonly natives = new Set<string>();

  native(name: string): string {
    this.natives.add(name);
    return this.add("N", name, (id) => `const ${id} = rt.native(${jsString(name)});`);
  }

  /** A compiled regular expression (`matches`) or glob (`glob`) matcher. */
  matcher(kind: "regex" | "glob", pattern: string): string {
    return this.add(
      kind === "regex" ? "M" : "G",
      pattern,
      (id) => `const ${id} = rt.${kind}(${jsString(pattern)});`,
    );
  }

  /** A lambda that captures nothing of a decision, made once at load instead of per decision. */
  lambda(code: string): string {
    return this.add("F", code, (id) => `const ${id} = ${code};`);
  }

  /** A value made once at load by `code`, which the compiler wrote (it holds no policy text). */
  derived(code: string): string {
    return this.add("D", code, (id) => `const ${id} = ${code};`);
  }

  set(values: readonly Json[]): string {
    const key = JSON.stringify(values);
    return this.add("S", key, (id) => `const ${id} = new Set(${constText(values)});`);
  }

  constant(value: Json): string {
    return this.add("C", JSON.stringify(value), (id) => `const ${id} = rt.constant(${constText(value)});`);
  }
}

/** A JSON value as a JavaScript expression; objects go through JSON.parse (`__proto__` keys stay keys). */
function constText(v: Json): string {
  if (typeof v === "string") return jsString(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "boolean" || v === null) return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== "object")) {
    return `[${v.map((x) => constText(x as Json)).join(", ")}]`;
  }
  return `JSON.parse(${jsString(JSON.stringify(v))})`;
}

// Precedence (MDN), higher binds tighter.
const P = {
  arrow: 2,
  or: 3,
  nullish: 3,
  and: 4,
  equality: 8,
  relational: 9,
  additive: 11,
  multiplicative: 12,
  unary: 14,
  call: 17,
  primary: 18,
} as const;

interface Printed {
  readonly code: string;
  readonly prec: number;
  /** `??` cannot be mixed with `&&`/`||` without parentheses. */
  readonly nullish?: boolean;
  readonly logical?: boolean;
}

const ARITH: Readonly<Record<ArithOp, number>> = {
  "+": P.additive,
  "-": P.additive,
  "*": P.multiplicative,
  "/": P.multiplicative,
  "%": P.multiplicative,
  "<": P.relational,
  "<=": P.relational,
  ">": P.relational,
  ">=": P.relational,
};

/**
 * Whether `e` reads nothing of a decision: no request root, no decision local, no variable but
 * the parameters of lambdas inside it. Such a lambda can be made once, at module scope.
 */
function closed(e: IrExpr, bound: ReadonlySet<number>): boolean {
  switch (e.k) {
    case "root":
    case "local":
      return false;
    case "var":
      return bound.has(e.id);
    case "lambda": {
      const inner = new Set([...bound, ...e.params]);
      return closed(e.body, inner);
    }
    default:
      return children(e).every((c) => closed(c, bound));
  }
}

export class JsPrinter {
  /** `locals`: the value of each decision local by id (printed at its reads, memoized in `l<id>`). */
  constructor(
    private readonly hoist: Hoist,
    private readonly locals: ReadonlyMap<number, IrExpr>,
  ) {}

  /** An expression as source. */
  print(e: IrExpr): string {
    return this.p(e).code;
  }

  private wrap(x: Printed, min: number): string {
    return x.prec < min ? `(${x.code})` : x.code;
  }

  private args(list: readonly IrExpr[]): string {
    return list.map((a) => this.wrap(this.p(a), P.arrow)).join(", ");
  }

  private p(e: IrExpr): Printed {
    switch (e.k) {
      case "const":
        return this.constant(e.v);
      case "list":
        return { code: `[${this.args(e.items)}]`, prec: P.primary };
      case "object": {
        const parts = e.entries.map((x) => {
          const key = bareKey(x.key)
            ? x.key
            : x.key === "__proto__"
              ? `[${jsString(x.key)}]`
              : jsString(x.key);
          return `${key}: ${this.wrap(this.p(x.value), P.arrow)}`;
        });
        return { code: `{ ${parts.join(", ")} }`, prec: P.primary };
      }
      case "root":
        return { code: e.name, prec: P.primary };
      case "global":
        return { code: `g${e.id}()`, prec: P.call };
      case "local": {
        // Computed when first read, then remembered for the rest of the decision.
        const value = this.locals.get(e.id);
        if (value === undefined) throw new Error(`INVARIANT: local ${e.id} has no value`);
        const l = `l${e.id}`;
        return { code: `${l} === U ? (${l} = ${this.wrap(this.p(value), P.arrow)}) : ${l}`, prec: P.arrow };
      }
      case "var":
        return { code: `v${e.id}`, prec: P.primary };
      case "member":
        return this.member(e);
      case "index": {
        const flags = `${e.optional}, ${e.field}, ${e.absentIn}`;
        return { code: `index(${this.args([e.object, e.index])}, ${flags})`, prec: P.call };
      }
      case "native":
        return this.native(e);
      case "has":
        return { code: `${this.wrap(this.p(e.arg), P.relational)} != null`, prec: P.equality };
      case "call":
        return { code: `d${e.def}(${this.args(e.args)})`, prec: P.call };
      case "lambda": {
        const params = e.params.map((v) => `v${v}`).join(", ");
        const body = this.wrap(this.p(e.body), P.arrow);
        const code = `(${params}) => ${body.startsWith("{") ? `(${body})` : body}`;
        return closed(e, new Set())
          ? { code: this.hoist.lambda(code), prec: P.primary }
          : { code, prec: P.arrow };
      }
      case "not":
        if (e.arg.k === "eq") return this.p({ ...e.arg, negate: !e.arg.negate });
        if (e.arg.k === "in") return this.p({ ...e.arg, negate: !e.arg.negate });
        return { code: `!${this.wrap(this.p(e.arg), P.unary)}`, prec: P.unary };
      case "truthy":
        return { code: `${this.wrap(this.p(e.arg), P.equality)} === true`, prec: P.equality };
      case "neg": {
        const inner = this.wrap(this.p(e.arg), P.unary);
        return { code: inner.startsWith("-") ? `-(${inner})` : `-${inner}`, prec: P.unary };
      }
      case "and":
      case "or":
        return this.logical(e.k === "and" ? "&&" : "||", e.k === "and" ? P.and : P.or, e.left, e.right);
      case "??": {
        const l = this.p(e.left);
        const r = this.p(e.right);
        const side = (x: Printed, min: number) => (x.logical ? `(${x.code})` : this.wrap(x, min));
        return { code: `${side(l, P.nullish)} ?? ${side(r, P.nullish + 1)}`, prec: P.nullish, nullish: true };
      }
      case "arith": {
        if (e.op === "/" || e.op === "%") {
          return { code: `${e.op === "/" ? "div" : "mod"}(${this.args([e.left, e.right])})`, prec: P.call };
        }
        const prec = ARITH[e.op];
        return {
          code: `${this.wrap(this.p(e.left), prec)} ${e.op} ${this.wrap(this.p(e.right), prec + 1)}`,
          prec,
        };
      }
      case "eq": {
        if (!e.prim)
          return {
            code: `${e.negate ? "!" : ""}eq(${this.args([e.left, e.right])})`,
            prec: e.negate ? P.unary : P.call,
          };
        const op = e.negate ? "!==" : "===";
        return {
          code: `${this.wrap(this.p(e.left), P.equality)} ${op} ${this.wrap(this.p(e.right), P.equality + 1)}`,
          prec: P.equality,
        };
      }
      case "in": {
        const l = e.list;
        if (l.k === "const" && Array.isArray(l.v) && l.v.every((x) => x === null || typeof x !== "object")) {
          const set = this.hoist.set(l.v);
          const code = `${set}.has(${this.args([e.item])})`;
          return e.negate ? { code: `!${code}`, prec: P.unary } : { code, prec: P.call };
        }
        const code = `isIn(${this.args([e.item, e.list])})`;
        return e.negate ? { code: `!${code}`, prec: P.unary } : { code, prec: P.call };
      }
    }
  }

  private constant(v: Json): Printed {
    if (v !== null && typeof v === "object") return { code: this.hoist.constant(v), prec: P.primary };
    const code = constText(v);
    return { code, prec: code.startsWith("-") ? P.unary : P.primary };
  }

  private member(e: IrExpr & { k: "member" }): Printed {
    const obj = this.p(e.object);
    const key = jsString(e.key);
    if (e.mode === "field" && !e.absentIn) {
      const o = this.wrap(obj, P.call);
      return { code: bareKey(e.key) ? `${o}.${e.key}` : `${o}[${key}]`, prec: P.call };
    }
    const fn =
      e.mode === "field" || e.mode === "opt"
        ? "get"
        : e.mode === "need"
          ? e.absentIn
            ? "needIn"
            : "need"
          : e.absentIn
            ? "entryIn"
            : "entry";
    return { code: `${fn}(${this.wrap(obj, P.arrow)}, ${key})`, prec: P.call };
  }

  private native(e: IrExpr & { k: "native" }): Printed {
    const pattern = e.args[1];
    if ((e.name === "matches" || e.name === "glob") && e.args.length === 2 && pattern?.k === "const") {
      if (typeof pattern.v === "string") {
        const m = this.hoist.matcher(e.name === "matches" ? "regex" : "glob", pattern.v);
        return { code: `${m}(${this.args(e.args.slice(0, 1))})`, prec: P.call };
      }
    }
    return { code: `${this.hoist.native(e.name)}(${this.args(e.args)})`, prec: P.call };
  }

  private logical(op: string, prec: number, left: IrExpr, right: IrExpr): Printed {
    const side = (x: Printed, min: number) => (x.nullish ? `(${x.code})` : this.wrap(x, min));
    const code = `${side(this.p(left), prec)} ${op} ${side(this.p(right), prec + 1)}`;
    return { code, prec, logical: true };
  }
}
