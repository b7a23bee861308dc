/**
 * Coverage (`rplc test --coverage`): which rules and risks no decision of the run ever matched.
 * Every decision counts: tests, every request a property decided (shrinking included) and the
 * lines of `--requests`. A rule counts when it held (it is in `matched`), a risk when it held
 * (in `risks`), whatever the final decision was. Rules and risks left out by `except` take no
 * part in decisions and are not counted.
 *
 * The percentage is matched / (rules + risks) × 100; a set without rules or risks is 100 %.
 * `--min-coverage P` fails the run when the percentage is below P.
 */
import type { CheckedPolicySet } from "../check/program.js";
import type { Decision } from "../engine/decision.js";
import type { Locate } from "./locate.js";
import type { CoverageItem, CoverageReport } from "./model.js";

export class CoverageTracker {
  private readonly seen = new Set<string>();

  record(d: Decision): void {
    for (const m of d.matched) this.seen.add(m.rule);
    for (const r of d.risks) this.seen.add(r.name);
  }

  report(set: CheckedPolicySet, locate: Locate, minimum?: number): CoverageReport {
    const items: (CoverageItem & { order: [number, number] })[] = [];
    const fileIndex = new Map(set.files.map((f, i) => [f.path, i]));
    for (const r of set.rules) {
      items.push({
        kind: "rule",
        name: r.name,
        location: locate(r.node.span),
        order: [fileIndex.get(r.file) ?? 0, r.node.span.start],
      });
    }
    for (const r of set.risks) {
      items.push({
        kind: "risk",
        name: r.name,
        location: locate(r.node.span),
        order: [fileIndex.get(r.file) ?? 0, r.node.span.start],
      });
    }
    items.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    const unmatched = items.filter((i) => !this.seen.has(i.name)).map(({ order: _o, ...item }) => item);
    const total = items.length;
    const matched = total - unmatched.length;
    const percent = total === 0 ? 100 : (100 * matched) / total;
    return {
      total,
      matched,
      percent,
      unmatched,
      ...(minimum !== undefined ? { minimum } : {}),
      ok: minimum === undefined || percent >= minimum,
    };
  }
}
