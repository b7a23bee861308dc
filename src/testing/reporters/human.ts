/**
 * The human report of `rplc test`: one line per test and property (`✓ name (file:line)`), the
 * details of each failure under its line, the replayed requests whose decision changed, the
 * coverage, and last, alone on its line, `N passed, N failed`.
 *
 *   ✗ bulk delete is blocked (policies/db.rplc:40)
 *       expect block: the decision was ALLOW
 *       decision: ALLOW, score 15
 *       matched: reads (allow) "reads" at policies/db.rplc:31:3
 *       risks: production 15
 *
 * A failed property shows its smallest counterexample's decision and a `test` block that
 * reproduces it, ready to paste into a policy file. Nothing in the report depends on the clock
 * or the machine: the same seed gives the same text.
 */
import { createColors } from "picocolors";
import { escapeControls } from "../../diagnostics/render.js";
import type { Decision } from "../../engine/decision.js";
import { formatNumber } from "../../syntax/print-expr.js";
import { formatLocation } from "../locate.js";
import type { CaseResult, CoverageReport, RunReport } from "../model.js";

type Colors = ReturnType<typeof createColors>;

const INDENT = "    ";

export interface HumanReportOptions {
  readonly color: boolean;
  /** The replayed file, for the "replayed N requests" line. */
  readonly requestsFile?: string;
}

export function renderHumanReport(report: RunReport, options: HumanReportOptions): string {
  const c = createColors(options.color);
  const out: string[] = [];
  let replayed = 0;
  let changed = 0;
  for (const r of report.results) {
    if (r.kind === "request") {
      replayed++;
      if (r.status === "passed") continue;
      changed++;
    }
    out.push(caseLine(r, c));
    for (const w of r.warnings) out.push(`${INDENT}${c.yellow("⚠")} ${escapeControls(w)}`);
    if (r.status === "failed") out.push(...details(r, c));
  }
  if (options.requestsFile !== undefined) {
    out.push(
      `replayed ${replayed} request${replayed === 1 ? "" : "s"} from ${options.requestsFile}: ${changed} changed`,
    );
  }
  for (const n of report.notes) out.push(c.yellow(n));
  const gap = () => {
    if (out.length > 0 && out[out.length - 1] !== "") out.push("");
  };
  if (report.coverage) {
    gap();
    out.push(...coverageLines(report.coverage, c));
  }
  if (report.seed !== null) {
    gap();
    out.push(`properties ran with --seed ${report.seed}`);
  }
  out.push(`${report.passed} passed, ${report.failed} failed`);
  return `${out.join("\n")}\n`;
}

function caseLine(r: CaseResult, c: Colors): string {
  const mark = r.status === "passed" ? c.green("✓") : c.red("✗");
  const where = c.dim(`(${formatLocation(r.location)}${runs(r)})`);
  if (r.kind === "request") {
    return `${mark} ${escapeControls(r.name)} ${where}: ${r.expected} → ${r.decision?.decision ?? "?"}`;
  }
  const kind = r.kind === "property" ? "property " : "";
  return `${mark} ${kind}${escapeControls(r.name)} ${where}`;
}

function runs(r: CaseResult): string {
  if (r.property === undefined || r.counterexample !== undefined) return "";
  const n = r.property.runs;
  return `, ${n} run${n === 1 ? "" : "s"}`;
}

function details(r: CaseResult, c: Colors): string[] {
  const out: string[] = [];
  for (const f of r.failures) out.push(`${INDENT}${c.red(escapeControls(f))}`);
  const ce = r.counterexample;
  if (ce !== undefined && r.property !== undefined) {
    out.push(
      `${INDENT}counterexample found after ${ce.run} run${ce.run === 1 ? "" : "s"}, shrunk ${ce.shrinks} time${ce.shrinks === 1 ? "" : "s"}:`,
    );
  }
  if (r.decision !== undefined) out.push(...decisionLines(r.decision).map((l) => INDENT + escapeControls(l)));
  if (ce !== undefined) {
    out.push(`${INDENT}paste this test into a policy file to reproduce it:`, "", ce.test.trimEnd(), "");
  }
  return out;
}

/** The decision, the matched rules with their reasons, the risks and the errors. */
export function decisionLines(d: Decision): string[] {
  const out = [`decision: ${d.decision}, score ${formatNumber(d.score)}`];
  for (const m of d.matched) {
    out.push(`matched: ${m.rule} (${m.effect}) ${JSON.stringify(m.reason)} at ${m.location}`);
  }
  if (d.risks.length > 0)
    out.push(`risks: ${d.risks.map((k) => `${k.name} ${formatNumber(k.weight)}`).join(", ")}`);
  for (const e of d.errors) out.push(`error: ${e.rule === undefined ? "" : `${e.rule}: `}${e.message}`);
  return out;
}

function coverageLines(cov: CoverageReport, c: Colors): string[] {
  const out = [`coverage: ${cov.matched} of ${cov.total} rules and risks matched (${percent(cov.percent)})`];
  if (cov.unmatched.length > 0) {
    out.push(`${INDENT.slice(2)}never matched:`);
    for (const u of cov.unmatched) out.push(`${INDENT}${u.kind} ${u.name} (${formatLocation(u.location)})`);
  }
  if (cov.minimum !== undefined && !cov.ok) {
    out.push(c.red(`coverage ${percent(cov.percent)} is below --min-coverage ${formatNumber(cov.minimum)}%`));
  }
  return out;
}

/** One decimal, never rounded up to a threshold it misses: 89.96 % prints as 89.9 %. */
export function percent(p: number): string {
  return `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
}
