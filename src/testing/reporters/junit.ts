/**
 * `rplc test --reporter junit`: JUnit XML, as CI systems (GitHub Actions reporters, GitLab,
 * Jenkins) read it:
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <testsuites name="rplc test" tests="29" failures="1" errors="0">
 *     <testsuite name="policies/db.rplc" tests="5" failures="1" errors="0" skipped="0">
 *       <testcase name="bulk delete is blocked" classname="policies/db.rplc" file="policies/db.rplc" line="40">
 *         <failure message="expect block: the decision was ALLOW" type="expectation">…details…</failure>
 *       </testcase>
 *       <testcase name="property: nothing outside /tmp …" …>
 *         <system-out>2000 runs, seed …</system-out>
 *       </testcase>
 *     </testsuite>
 *     <testsuite name="coverage" …>   (only with --min-coverage: one testcase, failed below the minimum)
 *   </testsuites>
 *
 * One suite per policy file (and one for the replayed requests file), in run order. Properties'
 * names are prefixed `property: `. No timing attributes: the same seed gives the same bytes.
 * Text is escaped for XML 1.0; characters XML cannot hold at all are written as `\u{…}`.
 */
import { formatNumber } from "../../syntax/print-expr.js";
import type { CaseResult, CoverageReport, RunReport } from "../model.js";
import { decisionLines, percent } from "./human.js";

export function renderJunitReport(report: RunReport): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const list = suites.get(r.location.file) ?? [];
    list.push(r);
    suites.set(r.location.file, list);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const cov = report.coverage;
  const covCase = cov?.minimum !== undefined ? 1 : 0;
  const covFailed = cov?.minimum !== undefined && !cov.ok ? 1 : 0;
  out.push(
    `<testsuites name="rplc test" tests="${report.results.length + covCase}" failures="${report.failed + covFailed}" errors="0">`,
  );
  for (const [file, cases] of suites) {
    const failures = cases.filter((c) => c.status === "failed").length;
    out.push(
      `  <testsuite name="${attr(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    );
    for (const c of cases) out.push(...testcase(c));
    out.push("  </testsuite>");
  }
  if (cov?.minimum !== undefined) out.push(...coverageSuite(cov));
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function testcase(r: CaseResult): string[] {
  const name = r.kind === "property" ? `property: ${r.name}` : r.name;
  const head = `    <testcase name="${attr(name)}" classname="${attr(r.location.file)}" file="${attr(r.location.file)}" line="${r.location.line}"`;
  const out: string[] = [];
  const system: string[] = [];
  if (r.property !== undefined) {
    system.push(
      `${r.property.runs} runs (${r.property.generated} requests generated), property seed ${r.property.seed}`,
    );
  }
  system.push(...r.warnings.map((w) => `warning: ${w}`));
  if (r.status === "passed" && system.length === 0) return [`${head} />`];
  out.push(`${head}>`);
  if (r.status === "failed") {
    const body: string[] = [...r.failures];
    if (r.decision !== undefined) body.push(...decisionLines(r.decision));
    if (r.counterexample !== undefined)
      body.push("", "reproduce it with this test:", "", r.counterexample.test);
    out.push(
      `      <failure message="${attr(r.failures[0] ?? "failed")}" type="${r.kind === "request" ? "changed" : "expectation"}">${text(body.join("\n"))}</failure>`,
    );
  }
  if (system.length > 0) out.push(`      <system-out>${text(system.join("\n"))}</system-out>`);
  out.push("    </testcase>");
  return out;
}

function coverageSuite(cov: CoverageReport): string[] {
  const failed = !cov.ok;
  const min = formatNumber(cov.minimum ?? 0);
  const out = [
    `  <testsuite name="coverage" tests="1" failures="${failed ? 1 : 0}" errors="0" skipped="0">`,
    `    <testcase name="${attr(`coverage >= ${min}%`)}" classname="coverage">`,
  ];
  const summary = `${cov.matched} of ${cov.total} rules and risks matched (${percent(cov.percent)})`;
  const unmatched = cov.unmatched.map(
    (u) => `never matched: ${u.kind} ${u.name} (${u.location.file}:${u.location.line})`,
  );
  if (failed) {
    out.push(
      `      <failure message="${attr(`coverage ${percent(cov.percent)} is below ${min}%`)}" type="coverage">${text([summary, ...unmatched].join("\n"))}</failure>`,
    );
  } else out.push(`      <system-out>${text([summary, ...unmatched].join("\n"))}</system-out>`);
  out.push("    </testcase>", "  </testsuite>");
  return out;
}

// XML 1.0 allows tab, LF, CR and U+0020 and above, except surrogates (paired ones are fine as
// characters) and U+FFFE/U+FFFF.
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(s: string): string {
  return s.replace(NOT_XML, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
}

function text(s: string): string {
  return clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s)
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}
