/**
 * Robustness: for any text, parse() and parseExpression() return (never throw, never overflow
 * the stack), and every diagnostic and every AST span lies inside the file.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { parse, parseExpression } from "../../src/syntax/parse.js";

const VALID = `policy "acme/prod-db" version "1.4.0"
include "stdlib/sql" with { protected_tables: ["users", "payments"] } except [select_star]
settings { default: allow, approval_at: 50, approval_timeout: 1h }
context { env: "dev" | "staging" | "production", user?: { id: string, roles: list<string> } }
action db.query { sql: string, database?: string }
action fs.write from "./schemas/fs.write.json"
let protected = ["users", "payments"]
def internal(addr: string): bool = ends_with(lower(addr), "@acme.com")
param limit: number = 10
on db.query, fs.* {
  let verb = sql.verb(args.sql)   # local
  block unbounded_delete when verb == "DELETE" and not sql.has_where(args.sql) reason "no \\"where\\""
  require approval prod_write when context.env == "production" approvers ["dba"] timeout 30m
  risk destructive -40 * 2 when verb in ["DELETE", "DROP"] and args.n ?? 0 > 1
  label untrusted
  redact args.headers
}
block after_hours when hour(now, "Europe/Berlin") < 6 unless any(context.user.roles, r => r == "oncall")
test "t" { request { action: "db.query", args: { sql: "DELETE FROM users" } } expect block expect not rule x expect score >= 50 }
property "p" { for fs.* where not path.within(args.path, "/tmp") expect not allow runs 100 }
`;

const FRAGMENTS = [
  ...VALID.split(/(\s+)/),
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  '"',
  "\\",
  "\\u12",
  "=>",
  "not",
  "-",
  "1e5",
  "5min",
  "\u0000",
  "@",
  "\n",
  "#",
];

function spansInside(text: string, path: string, diagnostics: readonly Diagnostic[], value: unknown): void {
  for (const d of diagnostics) {
    expect(d.span, d.code).toBeDefined();
    expect(d.span!.file).toBe(path);
    expect(d.span!.start).toBeGreaterThanOrEqual(0);
    expect(d.span!.start).toBeLessThanOrEqual(d.span!.end);
    expect(d.span!.end).toBeLessThanOrEqual(text.length);
    expect(d.message).not.toMatch(/\n/);
  }
  // Every span in the AST too (iteratively: the tree may be deep).
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "span" || k === "opSpan") {
          const s = v as { file: string; start: number; end: number };
          expect(s.file).toBe(path);
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.start).toBeLessThanOrEqual(s.end);
          expect(s.end).toBeLessThanOrEqual(text.length);
        } else stack.push(v);
      }
    }
  }
}

function check(text: string): void {
  const source = new SourceFile("fuzz.rplc", text);
  const file = parse(source);
  spansInside(text, "fuzz.rplc", file.diagnostics, file.value);
  expect(file.value.kind).toBe("File");
  const expr = parseExpression(source);
  spansInside(text, "fuzz.rplc", expr.diagnostics, expr.value);
}

/** A random edit of a text: delete, insert a fragment, duplicate or move a slice. */
const edit = fc.tuple(
  fc.constantFrom("delete", "insert", "duplicate", "swap"),
  fc.nat(),
  fc.nat({ max: 40 }),
  fc.constantFrom(...FRAGMENTS),
);

function mutate(text: string, edits: readonly (readonly [string, number, number, string])[]): string {
  let t = text;
  for (const [kind, at, len, fragment] of edits) {
    const i = t.length === 0 ? 0 : at % (t.length + 1);
    const j = Math.min(t.length, i + len);
    if (kind === "delete") t = t.slice(0, i) + t.slice(j);
    else if (kind === "insert") t = t.slice(0, i) + fragment + t.slice(i);
    else if (kind === "duplicate") t = t.slice(0, j) + t.slice(i, j) + t.slice(j);
    else t = t.slice(j) + t.slice(i, j) + t.slice(0, i);
  }
  return t;
}

describe("parse robustness", () => {
  it("the seed policy itself parses cleanly", () => {
    const r = parse(new SourceFile("seed.rplc", VALID));
    expect(r.diagnostics).toEqual([]);
    expect(r.value.items.length).toBe(12);
  });

  it("arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => check(text)),
      { numRuns: 400 },
    );
  });

  it("arbitrary sequences of language fragments", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }), (parts) =>
        check(parts.join(" ")),
      ),
      { numRuns: 400 },
    );
  });

  it("arbitrary mutations of a valid policy", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => check(mutate(VALID, edits))),
      { numRuns: 400 },
    );
  });
});
