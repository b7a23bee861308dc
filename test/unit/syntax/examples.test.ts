/** Every example policy of LANGUAGE.md §5–§7 parses with no diagnostic and the expected shape. */
import { describe, expect, it } from "vitest";
import type { FileNode, OnBlock, RuleDecl, TopItem } from "../../../src/syntax/ast.js";
import { LET_DEF, RULES, SETTINGS_CONTEXT_QUERY, TESTS } from "../../fixtures/language-examples.js";
import { parseText, sexpr, strip, textOf, typeText } from "./helpers.js";

const FILES = `policy "acme/prod-db" version "1.4.0"      # optional, at most once per file

include "stdlib/sql" with { protected_tables: ["users", "payments"] } except [select_star]
include "./common.rplc"                     # relative to this file; each file is loaded once
`;

const DECLARATIONS = `${SETTINGS_CONTEXT_QUERY}action fs.write from "./schemas/fs.write.json"   # a JSON Schema file (draft 2020-12 or draft-07)

${LET_DEF}`;

const PHASE2 = `on web.fetch, email.read { label untrusted_input }          # after an ALLOW, the session carries the label
on email.send {
  require approval exfiltration
    when session.has("untrusted_input") and any(args.to, t => not internal(t))
}
on http.request { redact args.headers }                                  # never written to the audit log
`;

function clean(text: string): FileNode {
  const r = parseText(text);
  expect(r.where).toEqual([]);
  return r.value;
}

function item<K extends TopItem["kind"]>(file: FileNode, i: number, kind: K): Extract<TopItem, { kind: K }> {
  const it = file.items[i];
  expect(it?.kind).toBe(kind);
  return it as Extract<TopItem, { kind: K }>;
}

describe("§5 files", () => {
  it("policy header and includes", () => {
    const f = clean(FILES);
    expect(f.header?.name.value).toBe("acme/prod-db");
    expect(f.header?.version?.value).toBe("1.4.0");
    const inc = item(f, 0, "Include");
    expect(inc.path.value).toBe("stdlib/sql");
    expect(inc.with && sexpr(inc.with)).toBe('{protected_tables: ["users" "payments"]}');
    expect(inc.except.map((n) => n.text)).toEqual(["select_star"]);
    const inc2 = item(f, 1, "Include");
    expect(inc2.path.value).toBe("./common.rplc");
    expect(inc2.with).toBeUndefined();
    expect(inc2.except).toEqual([]);
    expect(f.comments.map((c) => c.text)).toEqual([
      " optional, at most once per file",
      " relative to this file; each file is loaded once",
    ]);
  });

  it("declarations", () => {
    const f = clean(DECLARATIONS);
    const settings = item(f, 0, "Settings");
    expect(settings.entries.map((e) => `${e.key.text}=${sexpr(e.value)}`)).toEqual([
      "default=allow",
      "unknown_action=block",
      "approval_at=50",
      "block_at=90",
      "on_error=block",
      "approval_timeout=1h",
    ]);
    const ctx = item(f, 1, "Context");
    expect(typeText(ctx.type)).toBe(
      '{ env: "dev" | "staging" | "production", agent: string, user?: { id: string, roles: list<string> } }',
    );
    const query = item(f, 2, "Action");
    expect(query.name.text).toBe("db.query");
    expect(query.type && typeText(query.type)).toBe("{ sql: string, database?: string }");
    expect(query.from).toBeUndefined();
    const write = item(f, 3, "Action");
    expect(write.name.parts.map((p) => p.text)).toEqual(["fs", "write"]);
    expect(write.from?.value).toBe("./schemas/fs.write.json");
    expect(write.type).toBeUndefined();
    const let_ = item(f, 4, "Let");
    expect(`${let_.name.text}=${sexpr(let_.value)}`).toBe('protected=["users" "payments"]');
    const def = item(f, 5, "Def");
    expect(def.name.text).toBe("internal");
    expect(def.params.map((p) => `${p.name.text}: ${typeText(p.type)}`)).toEqual(["addr: string"]);
    expect(typeText(def.returnType)).toBe("bool");
    expect(sexpr(def.body)).toBe('(call ends_with (call lower addr) "@acme.com")');
  });

  it("rules and risks", () => {
    const r = parseText(RULES);
    expect(r.where).toEqual([]);
    const f = r.value;
    const on = item(f, 0, "On") as OnBlock;
    expect(on.patterns.map((p) => [p.text, p.wildcard])).toEqual([["db.query", false]]);
    expect(on.items.map((i) => i.kind)).toEqual(["Let", "Rule", "Rule", "Rule", "Risk"]);
    const del = on.items[1] as RuleDecl;
    expect(del.effect).toBe("block");
    expect(del.name.text).toBe("unbounded_delete");
    expect(del.when && sexpr(del.when)).toBe(
      '(and (== verb "DELETE") (not (call (. sql has_where) (. args sql))))',
    );
    expect(del.reason && sexpr(del.reason)).toBe('"DELETE without WHERE removes every row"');
    const prod = on.items[2] as RuleDecl;
    expect(prod.effect).toBe("require_approval");
    expect(prod.approvers && sexpr(prod.approvers)).toBe('["dba"]');
    expect(prod.timeout).toMatchObject({ kind: "Duration", amount: 30, unit: "m", ms: 1_800_000 });
    expect(textOf(r.source, prod.span).startsWith("require approval prod_write")).toBe(true);
    expect(textOf(r.source, prod.span).endsWith("timeout 30m")).toBe(true);
    const reads = on.items[3] as RuleDecl;
    expect([reads.effect, reads.name.text, reads.unless]).toEqual(["allow", "reads", undefined]);
    const risk = on.items[4];
    expect(
      risk?.kind === "Risk" && [risk.name.text, sexpr(risk.weight), risk.when && sexpr(risk.when)],
    ).toEqual(["destructive", "40", '(in verb ["DELETE" "DROP" "TRUNCATE"])']);
    const production = item(f, 1, "Risk");
    expect(sexpr(production.weight)).toBe("15");
    const after = item(f, 2, "Rule");
    expect(after.when && sexpr(after.when)).toBe('(< (call hour now "Europe/Berlin") 6)');
    expect(after.unless && sexpr(after.unless)).toBe(
      '(and (call has (. context user)) (in "oncall" (. (. context user) roles)))',
    );
  });
});

describe("§7 tests inside policies", () => {
  it("test and property", () => {
    const f = clean(TESTS);
    const test = item(f, 0, "Test");
    expect(test.name.value).toBe("bulk delete is blocked");
    expect(test.request.entries.map((e) => e.key.text)).toEqual(["action", "args", "context"]);
    expect(strip(test.expects)).toEqual([
      { kind: "ExpectDecision", negated: false, decision: "block" },
      { kind: "ExpectRule", negated: false, rule: { kind: "Name", text: "unbounded_delete" } },
    ]);
    const prop = item(f, 1, "Property");
    expect(prop.action.text).toBe("fs.delete");
    expect(prop.where && sexpr(prop.where)).toBe('(not (call (. path within) (. args path) "/tmp"))');
    expect(strip(prop.expects)).toEqual([{ kind: "ExpectDecision", negated: true, decision: "allow" }]);
    expect(prop.runs).toMatchObject({ kind: "Number", value: 2000 });
  });
});

describe("§8 phase 2 forms inside `on` blocks", () => {
  it("label and redact", () => {
    const f = clean(PHASE2);
    const first = item(f, 0, "On");
    expect(first.patterns.map((p) => p.text)).toEqual(["web.fetch", "email.read"]);
    expect(strip(first.items)).toEqual([{ kind: "Label", name: { kind: "Name", text: "untrusted_input" } }]);
    const send = item(f, 1, "On");
    const rule = send.items[0] as RuleDecl;
    expect(rule.when && sexpr(rule.when)).toBe(
      '(and (call (. session has) "untrusted_input") (call any (. args to) (=> (t) (not (call internal t)))))',
    );
    const redact = item(f, 2, "On").items[0];
    expect(redact?.kind === "Redact" && sexpr(redact.target)).toBe("(. args headers)");
  });
});

describe("the whole spec at once", () => {
  it("concatenated examples keep every item and comment", () => {
    const f = clean([FILES, DECLARATIONS, RULES, TESTS, PHASE2].join("\n"));
    expect(f.items).toHaveLength(2 + 6 + 3 + 2 + 3);
    expect(f.comments.length).toBe(2 + 4 + 2 + 0 + 2);
    expect(f.span).toMatchObject({ file: "test.rplc", start: 0 });
    expect(f.path).toBe("test.rplc");
  });
});
