/**
 * The compiler as a table of named stages, in order (ARCHITECTURE.md "Data between stages"):
 *
 *   parse → resolve → typecheck → lint   (check/check.ts runs these four as `checkPolicySet`)
 *   → lower → optimize → emit
 *
 * Any error stops the pipeline before `lower`; warnings never do. `--dump=ast|ir|js` prints
 * what a stage produced: `ast` the checked files' syntax trees, `ir` the optimized IR, `js` the
 * module.
 */
import pkg from "../../package.json" with { type: "json" };
import { type CheckEntry, type CheckOptions, checkPolicySet } from "../check/check.js";
import type { CheckedPolicySet } from "../check/program.js";
import { type Diagnostic, hasErrors, normalize } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { prepare } from "../engine/interpret.js";
import { initNatives } from "../natives/init.js";
import { lookupNative } from "../natives/table.js";
import { emit } from "./emit.js";
import type { IrProgram } from "./ir.js";
import { lower } from "./lower.js";
import { optimize } from "./optimize/index.js";

export const COMPILER_VERSION: string = pkg.version;

export const DUMPS = ["ast", "ir", "js"] as const;
export type DumpKind = (typeof DUMPS)[number];

/** What the stages have produced so far. */
export interface Artifacts {
  checked?: CheckedPolicySet;
  ir?: IrProgram;
  code?: string;
  hash?: string;
}

export interface Stage {
  readonly name: string;
  /** The stages of LANGUAGE/ARCHITECTURE this step runs. */
  readonly covers: readonly string[];
  run(a: Artifacts, entry: CheckEntry, options: CheckOptions): readonly Diagnostic[];
}

export const STAGES: readonly Stage[] = [
  {
    name: "check",
    covers: ["parse", "resolve", "typecheck", "lint"],
    run(a, entry, options) {
      const r = checkPolicySet(entry, options);
      if (r.value !== undefined) a.checked = r.value;
      return r.diagnostics;
    },
  },
  {
    name: "lower",
    covers: ["lower"],
    run(a) {
      // INVARIANT: the pipeline stops before `lower` when `check` reported errors.
      if (a.checked === undefined) throw new Error("INVARIANT: lower without a checked policy set");
      a.ir = lower(prepare(a.checked), COMPILER_VERSION);
      a.hash = a.ir.hash;
      return [];
    },
  },
  {
    name: "optimize",
    covers: ["optimize"],
    run(a) {
      if (a.ir === undefined) throw new Error("INVARIANT: optimize without IR");
      a.ir = optimize(a.ir, { native: lookupNative });
      return [];
    },
  },
  {
    name: "emit",
    covers: ["emit"],
    run(a) {
      if (a.ir === undefined) throw new Error("INVARIANT: emit without IR");
      const out = emit(a.ir);
      if (!hasErrors(out.diagnostics)) a.code = out.code;
      return out.diagnostics;
    },
  },
];

export interface PipelineResult {
  readonly artifacts: Artifacts;
  readonly diagnostics: readonly Diagnostic[];
  /** True when every stage ran without errors. */
  readonly ok: boolean;
}

/** Run the stages in order, up to and including `until`; stop at the first error. */
export async function runPipeline(
  entry: CheckEntry,
  options: CheckOptions = {},
  until: "check" | "lower" | "optimize" | "emit" = "emit",
): Promise<PipelineResult> {
  // Folding may call natives, and the shell natives need their WebAssembly parser.
  await initNatives();
  const artifacts: Artifacts = {};
  const diagnostics: Diagnostic[] = [];
  for (const stage of STAGES) {
    diagnostics.push(...stage.run(artifacts, entry, options));
    if (hasErrors(diagnostics)) return { artifacts, diagnostics: normalize(diagnostics), ok: false };
    if (stage.name === until) break;
  }
  return { artifacts, diagnostics: normalize(diagnostics), ok: true };
}

/** Spans as `file@start-end`: dumps stay readable and diffable. */
function jsonWithSpans(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v: unknown) => {
      if (key === "span" && typeof v === "object" && v !== null) {
        const s = v as Span;
        return `${s.file}@${s.start}-${s.end}`;
      }
      if (key === "opSpan") return undefined;
      return v;
    },
    2,
  );
}

/** The text `--dump=KIND` prints for a finished pipeline. */
export function dumpText(kind: DumpKind, a: Artifacts): string {
  switch (kind) {
    case "ast":
      return `${jsonWithSpans(a.checked?.files ?? [])}\n`;
    case "ir":
      return `${jsonWithSpans(a.ir ?? null)}\n`;
    case "js":
      return a.code ?? "";
  }
}

/** The last stage a dump needs. */
export function dumpStage(kind: DumpKind): "check" | "optimize" | "emit" {
  return kind === "ast" ? "check" : kind === "ir" ? "optimize" : "emit";
}
