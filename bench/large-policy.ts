/**
 * A large policy set for benchmarks: 1,000 rules and risks (20 per action) over 50 action types,
 * in one file of declarations and ten files of rules, with assorted expression shapes.
 */
export const ACTIONS = 50;
const RULES_PER_ACTION = 20;
const FILES = 10;

function actionFile(): string {
  const lines = [
    `context {
  env: "dev" | "staging" | "production"
  agent: string
  user?: { id: string, roles: list<string>, email?: string }
}
let protected = ["users", "payments", "audit"]
let limit = 1000
def internal(addr: string): bool = ends_with(lower(addr), "@acme.com")
def big(n: number): bool = n > limit`,
  ];
  for (let a = 0; a < ACTIONS; a++) {
    lines.push(
      `action svc${a}.call { sql: string, path: string, amount: number, to: list<string>, note?: string, wait: duration, tier: "free" | "pro" | "team" }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Twenty rules and risks of assorted shapes for one action. */
function rulesFor(a: number): string {
  const r: string[] = [`on svc${a}.call {`, "  let verb = sql.verb(args.sql)"];
  for (let i = 0; i < RULES_PER_ACTION; i++) {
    const n = `r${a}_${i}`;
    switch (i % 10) {
      case 0:
        r.push(`  block ${n} when verb == "DELETE" and not sql.has_where(args.sql)`);
        break;
      case 1:
        r.push(
          `  require approval ${n} when context.env == "production" and sql.is_write(args.sql)\n    reason "writes: " + join(sql.tables(args.sql), ", ")\n    approvers ["dba"]\n    timeout 30m`,
        );
        break;
      case 2:
        r.push(`  allow ${n} when verb == "SELECT" and args.amount < ${i * 10}`);
        break;
      case 3:
        r.push(`  risk ${n} ${i} when verb in ["DELETE", "DROP", "TRUNCATE"]`);
        break;
      case 4:
        r.push(`  block ${n} when any(args.to, t => not internal(t)) and big(args.amount)`);
        break;
      case 5:
        r.push(
          `  block ${n} when not path.within(args.path, "/tmp") unless has(context.user) and "admin" in context.user.roles`,
        );
        break;
      case 6:
        r.push(`  risk ${n} args.amount / 100 when (args.note ?? "") != "" and args.tier == "free"`);
        break;
      case 7:
        r.push(`  block ${n} when intersects(sql.tables(args.sql), protected) and args.wait > 5m`);
        break;
      case 8:
        r.push(
          `  allow ${n} when count(args.to, t => ends_with(t, ".org")) > ${i} or starts_with(lower(args.path), "/srv")`,
        );
        break;
      default:
        r.push(`  block ${n} when hour(now, "Europe/Berlin") < 6 and (context.user.email ?? "none") != "x"`);
    }
  }
  r.push("}");
  return `${r.join("\n")}\n`;
}

/** The policy set's sources: one file of declarations, ten of rules. */
export function largePolicySet(): { path: string; text: string }[] {
  const sources = [{ path: "actions.rplc", text: actionFile() }];
  const per = ACTIONS / FILES;
  for (let f = 0; f < FILES; f++) {
    let text = "";
    for (let a = f * per; a < (f + 1) * per; a++) text += rulesFor(a);
    sources.push({ path: `rules${f}.rplc`, text });
  }
  return sources;
}

/** 64 requests over the actions (three SQL statements, both environments, assorted arguments). */
export function largeRequests() {
  return Array.from({ length: 64 }, (_, i) => ({
    action: `svc${(i * 7) % ACTIONS}.call`,
    args: {
      sql:
        i % 3 === 0
          ? "DELETE FROM users"
          : i % 3 === 1
            ? "SELECT * FROM payments WHERE id = 1"
            : "UPDATE t SET a = 1",
      path: i % 2 === 0 ? "/tmp/x" : "/srv/data/file",
      amount: i * 40,
      to: ["a@acme.com", `x${i}@example.org`],
      wait: 600_000,
      tier: i % 2 === 0 ? "free" : "pro",
    },
    context: { env: i % 2 === 0 ? "production" : "dev", agent: "bot" },
    time: "2026-11-24T10:00:00Z",
  }));
}
