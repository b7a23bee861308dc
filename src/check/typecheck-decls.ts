/**
 * Top-level lets and defs. Their dependency graph (a let or def reading a let, calling a def)
 * gives the order in which lets are evaluated (each only reads earlier ones) and finds cycles:
 * a def that calls itself, directly or through others, and a let that depends on itself.
 */
import type { Span } from "../diagnostics/span.js";
import type { DefDecl, LetDecl } from "../syntax/ast.js";
import { type Binding, constantEnv, reportDuplicateParams, withBindings } from "./scope.js";
import { typeFromNode } from "./type-node.js";
import type { Checker } from "./typecheck-context.js";
import { checkExpr, expectType } from "./typecheck-expr.js";
import { freeNames } from "./typecheck-walk.js";
import { T } from "./types.js";

type Decl = LetDecl | DefDecl;

function bySource(a: { file: string; decl: Decl }, b: { file: string; decl: Decl }): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.decl.span.start - b.decl.span.start;
}

/** The top-level lets and defs in policy-set order, with the names each one reads. */
function graph(c: Checker): { decls: Decl[]; edges: Map<Decl, Decl[]> } {
  const entries: { file: string; decl: Decl }[] = [];
  for (const g of c.set.globals.values())
    if (g.kind !== "param") entries.push({ file: g.file, decl: g.decl });
  entries.sort(bySource);
  const decls = entries.map((e) => e.decl);
  const edges = new Map<Decl, Decl[]>();
  for (const d of decls) {
    const bound = new Set(d.kind === "Def" ? d.params.map((p) => p.name.text) : []);
    const body = d.kind === "Def" ? d.body : d.value;
    const out: Decl[] = [];
    for (const { name } of freeNames(body, bound)) {
      const g = c.set.globals.get(name);
      if (g && g.kind !== "param" && !out.includes(g.decl)) out.push(g.decl);
    }
    edges.set(d, out);
  }
  return { decls, edges };
}

/** Strongly connected components (Tarjan), each in discovery order. */
function components(decls: readonly Decl[], edges: ReadonlyMap<Decl, readonly Decl[]>): Decl[][] {
  const index = new Map<Decl, number>();
  const low = new Map<Decl, number>();
  const onStack = new Set<Decl>();
  const stack: Decl[] = [];
  const out: Decl[][] = [];
  let counter = 0;
  const strong = (v: Decl): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const comp: Decl[] = [];
      let w: Decl | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  for (const d of decls) if (!index.has(d)) strong(d);
  return out;
}

/** A path around the cycle from `start` back to it, inside `members`: "`a` → `b` → `a`". */
function cyclePath(
  start: Decl,
  members: ReadonlySet<Decl>,
  edges: ReadonlyMap<Decl, readonly Decl[]>,
): string {
  const prev = new Map<Decl, Decl>();
  const queue: Decl[] = [start];
  let end: Decl | undefined;
  while (queue.length > 0 && end === undefined) {
    const v = queue.shift() as Decl;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        end = v;
        break;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  const names = [start.name.text];
  const back: string[] = [];
  for (let v = end; v !== undefined && v !== start; v = prev.get(v)) back.push(v.name.text);
  names.push(...back.reverse(), start.name.text);
  return names.map((n) => `\`${n}\``).join(" → ");
}

/**
 * Check the top-level declarations: def signatures, lets in dependency order (returned), def
 * bodies, and report cycles.
 */
export function checkGlobals(c: Checker): { lets: LetDecl[]; defs: DefDecl[]; cyclic: Set<Decl> } {
  const { decls, edges } = graph(c);
  const defs = decls.filter((d): d is DefDecl => d.kind === "Def");
  for (const d of defs) {
    c.defSignatures.set(d, {
      params: d.params.map((p) => typeFromNode(p.type, c.diagnostics)),
      result: typeFromNode(d.returnType, c.diagnostics),
    });
  }
  const cyclic = new Set<Decl>();
  for (const comp of components(decls, edges)) {
    const first = comp[0];
    if (first === undefined) continue;
    const selfLoop = comp.length === 1 && (edges.get(first) ?? []).includes(first);
    if (comp.length === 1 && !selfLoop) continue;
    for (const d of comp) cyclic.add(d);
    const members = new Set(comp);
    const ordered = decls.filter((d) => members.has(d));
    const firstLet = ordered.find((d) => d.kind === "Let");
    const at = firstLet ?? (ordered[0] as Decl);
    reportCycle(
      c,
      at.kind === "Let" ? "RPL3126" : "RPL3125",
      at.name.text,
      at.name.span,
      cyclePath(at, members, edges),
    );
  }
  // Lets in dependency order: a depth-first post-order over the graph (through defs too).
  const lets: LetDecl[] = [];
  const seen = new Set<Decl>();
  const visitDecl = (d: Decl): void => {
    if (seen.has(d)) return;
    seen.add(d);
    for (const w of edges.get(d) ?? []) visitDecl(w);
    if (d.kind === "Let") lets.push(d);
  };
  for (const d of decls) visitDecl(d);
  for (const l of lets) {
    const t = checkExpr(c, l.value, constantEnv("global-let"));
    c.letTypes.set(l, cyclic.has(l) ? T.error : t);
  }
  for (const d of defs) checkDefBody(c, d);
  return { lets, defs, cyclic };
}

function reportCycle(c: Checker, code: "RPL3125" | "RPL3126", name: string, span: Span, path: string): void {
  c.report(code, span, [name, path]);
}

function checkDefBody(c: Checker, d: DefDecl): void {
  const sig = c.defSignatures.get(d);
  if (!sig) return;
  reportDuplicateParams(
    c,
    d.params.map((p) => p.name),
  );
  const entries = d.params.map((p, index): readonly [string, Binding] => [
    p.name.text,
    { ref: { kind: "def-param", def: d, index }, type: sig.params[index] ?? T.error },
  ]);
  const env = withBindings(constantEnv("def"), entries);
  expectType(c, d.body, env, sig.result, `the body of \`${d.name.text}\``);
}
