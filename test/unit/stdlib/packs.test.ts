/**
 * Every standard pack checks clean on its own and together with all the others, follows the
 * naming convention (docs/stdlib.md), and passes its own `test` blocks through both engines.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, describe as group, it } from "vitest";
import { checkPolicySet } from "../../../src/check/check.js";
import { stdlibDir, stdlibPacks } from "../../../src/check/stdlib.js";
import type { FileNode } from "../../../src/syntax/ast.js";
import { describeFailure, PACKS, packPath, runTests, userPolicy } from "./pack-harness.js";

const ALL_PACKS = `
include "stdlib/actions"
include "stdlib/sql" with { protected_tables: ["users"], database_env: "staging" }
include "stdlib/shell" with { critical_paths: ["/srv/data"] }
include "stdlib/files" with { workspace: "/home/agent/app", protected_files: ["Makefile"] }
include "stdlib/network" with { allowed_hosts: ["api.github.com", "*.acme.com"] }
include "stdlib/email" with { internal_domains: ["acme.com"] }
include "stdlib/payments" with { known_payees: ["vendor-1"] }
include "stdlib/cloud"

context { env: "dev" | "production", agent: string }
risk production 15 when context.env == "production"
`;

/** The pack whose names a file must use: `sql` for stdlib/sql.rplc, `stdlib` for stdlib/lib/. */
function prefixOf(file: string): string | undefined {
  const m = /^stdlib\/(?:lib\/.*|([a-z]+)\.rplc)$/.exec(file);
  if (m === null) return undefined;
  return m[1] ?? "stdlib";
}

function declaredNames(file: FileNode): string[] {
  const names: string[] = [];
  for (const item of file.items) {
    switch (item.kind) {
      case "Let":
      case "Def":
      case "Rule":
      case "Risk":
        names.push(item.name.text);
        break;
      case "On":
        for (const inner of item.items) {
          if (inner.kind === "Let" || inner.kind === "Rule" || inner.kind === "Risk")
            names.push(inner.name.text);
        }
        break;
      default:
        break;
    }
  }
  return names;
}

group("the standard packs", () => {
  it("are the packs the resolver offers", () => {
    expect(stdlibPacks()).toEqual([...PACKS, "actions"].sort());
  });

  for (const pack of PACKS) {
    it(`${pack}: checks with no diagnostic at all on its own`, () => {
      const r = checkPolicySet({ files: [packPath(pack)] });
      expect(r.diagnostics).toEqual([]);
      expect(r.value).toBeDefined();
    });

    it(`${pack}: passes its own tests through the interpreter and the compiled module`, async () => {
      const { outcomes } = await runTests({ files: [packPath(pack)] });
      const own = outcomes.filter((o) => o.file === `stdlib/${pack}.rplc`);
      expect(own.length).toBeGreaterThanOrEqual(5);
      expect(own.filter((o) => o.failures.length > 0).map(describeFailure)).toEqual([]);
    });

    it(`${pack}: tests benign look-alikes too (some test expects allow, or not block)`, async () => {
      const { engines } = await runTests({ files: [packPath(pack)] });
      const tests = engines.set.tests.filter((t) => t.span.file === `stdlib/${pack}.rplc`);
      const benign = tests.filter((t) =>
        t.expects.some(
          (x) =>
            x.kind === "ExpectDecision" &&
            ((x.decision === "allow" && !x.negated) || (x.decision === "block" && x.negated)),
        ),
      );
      expect(benign.length).toBeGreaterThan(0);
    });
  }

  it("check clean all together in one user policy, next to the user's own context and risks", () => {
    const r = checkPolicySet(userPolicy(ALL_PACKS));
    expect(r.diagnostics).toEqual([]);
    const files = r.value?.files.map((f) => f.path) ?? [];
    for (const pack of PACKS) expect(files).toContain(`stdlib/${pack}.rplc`);
    // Shared files are loaded once, however many packs include them.
    expect(files.filter((f) => f === "stdlib/lib/paths.rplc")).toHaveLength(1);
    expect(files.filter((f) => f === "stdlib/actions/fs.rplc")).toHaveLength(1);
  });

  it("keep their tests passing when included together", async () => {
    // Default params, and no context declaration: the packs' tests send no context (see docs/stdlib.md).
    const plain = ["actions", ...PACKS].map((p) => `include "stdlib/${p}"`).join("\n");
    const { outcomes } = await runTests(userPolicy(plain));
    expect(outcomes.length).toBeGreaterThan(80);
    expect(outcomes.filter((o) => o.failures.length > 0).map(describeFailure)).toEqual([]);
  });

  it("prefix every rule, risk, let and def with their pack's name", () => {
    const r = checkPolicySet(userPolicy(ALL_PACKS));
    const offenders: string[] = [];
    for (const file of r.value?.files ?? []) {
      const prefix = prefixOf(file.path);
      if (prefix === undefined) continue;
      for (const name of declaredNames(file)) {
        if (!name.startsWith(`${prefix}_`)) offenders.push(`${file.path}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("declare every standard action once, in stdlib/actions", () => {
    const r = checkPolicySet({ files: [packPath("actions")] });
    expect(r.diagnostics).toEqual([]);
    expect([...(r.value?.actions.keys() ?? [])]).toEqual([
      "cloud.create",
      "cloud.delete",
      "cloud.iam",
      "cloud.update",
      "db.query",
      "email.send",
      "fs.delete",
      "fs.edit",
      "fs.list",
      "fs.mkdir",
      "fs.move",
      "fs.read",
      "fs.write",
      "http.request",
      "message.send",
      "payment.create",
      "shell.exec",
    ]);
    const schemas = readdirSync(`${stdlibDir()}/schemas`).map((f) => f.replace(/\.json$/, ""));
    expect(schemas.sort()).toEqual([...(r.value?.actions.keys() ?? [])]);
  });

  it("leave out what `except` names", async () => {
    const { engines } = await runTests(
      userPolicy('include "stdlib/sql" except [sql_production_write, sql_production]'),
    );
    const d = engines.interpret({
      action: "db.query",
      args: { sql: "DELETE FROM users WHERE last_login < '2023-01-01'" },
    });
    expect(d.decision).toBe("ALLOW");
    expect(d.risks).toEqual([{ name: "sql_destructive", weight: 30 }]);
  });

  it("make every rplc example of docs/stdlib.md check clean", () => {
    const doc = readFileSync(path.join(stdlibDir(), "..", "docs", "stdlib.md"), "utf8");
    const blocks = [...doc.matchAll(/```rplc\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const text of blocks) {
      const r = checkPolicySet(userPolicy(text));
      expect(
        r.diagnostics.map((d) => `${d.code} ${d.message}`),
        text,
      ).toEqual([]);
    }
  });
});
