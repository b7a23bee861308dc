/**
 * RPL4003: a let, def, param or def parameter that nothing reads. Usage is found in the syntax
 * of every file (rules left out by `except` count: the pack that declares a let uses it), with
 * lambda and def parameters shadowing outer names. Names starting with `_` are exempt.
 */
import { type Diagnostic, diag } from "../../diagnostics/diagnostic.js";
import type { Name, OnBlock } from "../../syntax/ast.js";
import { freeNames } from "../typecheck-walk.js";
import type { LintContext } from "./index.js";

function report(out: Diagnostic[], kind: string, name: Name): void {
  if (name.text.startsWith("_")) return;
  out.push(diag("RPL4003", name.span, [kind, name.text], { help: "remove it, or prefix its name with `_`" }));
}

export function unused({ checked, sites }: LintContext): Diagnostic[] {
  const global = new Set<string>();
  const inBlock = new Map<OnBlock, Set<string>>();
  const inDef = new Map<string, Set<string>>();
  for (const site of sites) {
    const names = freeNames(site.expr).map((n) => n.name);
    // Outside its own def, a def parameter's name means the global of that name.
    for (const n of names) if (!site.bound.has(n)) global.add(n);
    if (site.block) {
      const s = inBlock.get(site.block) ?? new Set<string>();
      for (const n of names) s.add(n);
      inBlock.set(site.block, s);
    }
    if (site.def !== undefined) {
      const s = inDef.get(site.def) ?? new Set<string>();
      for (const n of names) if (site.bound.has(n)) s.add(n);
      inDef.set(site.def, s);
    }
  }
  const out: Diagnostic[] = [];
  for (const file of checked.files) {
    for (const item of file.items) {
      if (item.kind === "Let" && !global.has(item.name.text)) report(out, "let", item.name);
      if (item.kind === "Param" && !global.has(item.name.text)) report(out, "param", item.name);
      if (item.kind === "Def") {
        if (!global.has(item.name.text)) report(out, "def", item.name);
        const used = inDef.get(item.name.text);
        for (const p of item.params) if (!used?.has(p.name.text)) report(out, "parameter", p.name);
      }
      if (item.kind === "On") {
        const used = inBlock.get(item);
        for (const i of item.items)
          if (i.kind === "Let" && !used?.has(i.name.text)) report(out, "let", i.name);
      }
    }
  }
  return out;
}
