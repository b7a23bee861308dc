/**
 * What includes say about the files they load: `with { … }` sets the included file's params
 * (compile-time constants of the param's type) and `except [NAME, …]` leaves out rules and risks
 * it declares. Each file is loaded once, so every include of one file must say the same thing.
 * Files given to the compiler directly count as no include: a pack under a given directory may
 * still be included with `with` values.
 */
import { type Diagnostic, diag, type Related } from "../diagnostics/diagnostic.js";
import type { Expr, Include, ParamDecl } from "../syntax/ast.js";
import { checkConstant, constantValue } from "./constant.js";
import type { ParamInfo } from "./declarations.js";
import { compareText } from "./files.js";
import type { IncludeEdge, LoadedFile } from "./load.js";
import { didYouMean } from "./suggest.js";

export interface IncludeEffects {
  /** The `with` value of each param an include sets. */
  readonly paramValues: Map<ParamDecl, Expr>;
  /** Rule and risk names left out, per file. */
  readonly excluded: Map<LoadedFile, Set<string>>;
}

export function applyIncludes(
  edges: readonly IncludeEdge[],
  params: readonly ParamInfo[],
  ruleNamesByFile: ReadonlyMap<LoadedFile, readonly string[]>,
  diagnostics: Diagnostic[],
): IncludeEffects {
  const paramValues = new Map<ParamDecl, Expr>();
  const excluded = new Map<LoadedFile, Set<string>>();
  const paramsByFile = new Map<LoadedFile, Map<string, ParamInfo>>();
  for (const p of params) {
    const m = paramsByFile.get(p.file) ?? new Map<string, ParamInfo>();
    paramsByFile.set(p.file, m);
    m.set(p.decl.name.text, p);
  }

  // Policy-set order: the including file's path, then the include's position.
  const ordered = [...edges].sort(
    (a, b) => compareText(a.from.display, b.from.display) || a.node.span.start - b.node.span.start,
  );
  const firstByTarget = new Map<LoadedFile, IncludeEdge>();
  for (const edge of ordered) {
    const first = firstByTarget.get(edge.target);
    if (first !== undefined) {
      if (canonical(first.node) !== canonical(edge.node)) {
        const related: Related[] = [{ span: first.node.path.span, message: "first included here" }];
        diagnostics.push(
          diag("RPL2005", edge.node.path.span, [edge.target.display], {
            related,
            help: "each file is loaded once: give every include of it the same `with` and `except`",
          }),
        );
      }
      continue;
    }
    firstByTarget.set(edge.target, edge);
    applyWith(edge, paramsByFile.get(edge.target) ?? new Map(), paramValues, diagnostics);
    const names = ruleNamesByFile.get(edge.target) ?? [];
    const set = new Set<string>();
    for (const name of edge.node.except) {
      if (names.includes(name.text)) set.add(name.text);
      else {
        const help = didYouMean(name.text, names);
        diagnostics.push(diag("RPL2008", name.span, [name.text, edge.target.display], help ? { help } : {}));
      }
    }
    if (set.size > 0) excluded.set(edge.target, set);
  }
  return { paramValues, excluded };
}

function applyWith(
  edge: IncludeEdge,
  params: ReadonlyMap<string, ParamInfo>,
  paramValues: Map<ParamDecl, Expr>,
  diagnostics: Diagnostic[],
): void {
  const seen = new Map<string, Include["path"]["span"]>();
  for (const entry of edge.node.with?.entries ?? []) {
    const name = entry.key.text;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      diagnostics.push(
        diag("RPL2007", entry.key.span, [name], {
          related: [{ span: earlier, message: "first given here" }],
        }),
      );
      continue;
    }
    seen.set(name, entry.key.span);
    const param = params.get(name);
    if (param === undefined) {
      const known = [...params.keys()];
      const help =
        didYouMean(name, known) ??
        (known.length === 0
          ? `\`${edge.target.display}\` declares no params`
          : `its params are ${known.map((k) => `\`${k}\``).join(", ")}`);
      diagnostics.push(diag("RPL2006", entry.key.span, [name, edge.target.display], { help }));
      continue;
    }
    if (checkConstant(entry.value, param.type, "`with` value", name, diagnostics)) {
      paramValues.set(param.decl, entry.value);
    }
  }
}

/** What an include says about its file, comparable across includes. */
function canonical(inc: Include): string {
  const withValues = (inc.with?.entries ?? [])
    .map((e) => [e.key.text, constantValue(e.value)] as const)
    .sort((a, b) => compareText(a[0], b[0]));
  const except = inc.except.map((n) => n.text).sort(compareText);
  return JSON.stringify([withValues, [...new Set(except)]]);
}
