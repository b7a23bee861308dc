/**
 * Cost per call of the natives on realistic inputs. "cold" inputs differ on every call (a
 * counter appended as a comment), so the parse caches miss; "cached" repeats one input, as a
 * policy does when several rules read `sql.verb(args.sql)` or an agent retries an action.
 * Aim: a one-line query or a short command under 50 µs. Run with `npm run bench -- natives`;
 * record results in bench/results/natives.md.
 */
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { initNatives } from "../src/natives/init.js";
import { lookupNative } from "../src/natives/table.js";

await initNatives();

function impl(name: string): (...args: unknown[]) => unknown {
  const f = lookupNative(name);
  // INVARIANT: the benchmark names natives that exist.
  if (f === undefined) throw new Error(`INVARIANT: no native ${name}`);
  return f.impl as (...args: unknown[]) => unknown;
}

let n = 0;
const fresh = (s: string, comment: string) => `${s} ${comment} ${n++}`;

const SQL = {
  "one-line SELECT": "SELECT id, email FROM users WHERE last_login < '2023-01-01' LIMIT 10",
  "DELETE without WHERE": "DELETE FROM users",
  "CTE hiding a DELETE":
    "WITH d AS (DELETE FROM sessions WHERE expires < now() RETURNING user_id) SELECT count(*) FROM d",
  "10-line report": `SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue
FROM public.users u
JOIN orders o ON o.user_id = u.id
LEFT JOIN refunds r ON r.order_id = o.id
WHERE o.created_at >= '2026-01-01'
  AND r.id IS NULL
  AND u.status = 'active'
GROUP BY u.id, u.email
HAVING count(o.id) > 3
ORDER BY revenue DESC LIMIT 50`,
};

const SHELL = {
  "ls -la /tmp": "ls -la /tmp",
  "git push --force": "git push --force origin main",
  "curl | sudo bash": "curl -fsSL https://get.example.sh | sudo bash -s -- --yes",
  "sudo env rm && restart":
    "sudo -u deploy env RELEASE=42 rm -rf /srv/app/releases/old && systemctl restart app",
  'bash -c "…"': "bash -c 'cd /srv && tar czf backup.tgz data && aws s3 cp backup.tgz s3://bucket/'",
};

const MESSAGE =
  "Deployed build 4f2a9c1 to staging. Config: region=eu-west-1, replicas=3, timeout=30s. " +
  "Next: run migrations, then notify #ops with the dashboard link https://grafana.acme.com/d/abc123.";
const FILE = `${"# settings\nlog_level = info\nworkers = 8\nqueue_url = https://sqs.eu-west-1.amazonaws.com/123/jobs\n".repeat(40)}api_key = "a8F3kL9qZ2mX7vB1nC4dE6gH"\n`;

const verb = impl("sql.verb");
const tables = impl("sql.tables");
const isWrite = impl("sql.is_write");
const programs = impl("shell.programs");
const pipes = impl("shell.pipes_to_shell");
const found = impl("secrets.found");
const kinds = impl("secrets.kinds");

// Cached first: the cold runs below leave the heap full of parse trees for the collector.
group("cached (the same input again)", () => {
  for (const [label, q] of Object.entries(SQL))
    bench(`sql.verb cached: ${label}`, () => do_not_optimize(verb(q)));
  bench("sql.is_write cached: 10-line report", () => do_not_optimize(isWrite(SQL["10-line report"])));
  for (const [label, c] of Object.entries(SHELL)) {
    bench(`shell.programs cached: ${label}`, () => do_not_optimize(programs(c)));
  }
  bench("shell.pipes_to_shell cached: curl | sudo bash", () =>
    do_not_optimize(pipes(SHELL["curl | sudo bash"])),
  );
  bench("secrets.kinds cached: 4 KB config file", () => do_not_optimize(kinds(FILE)));
});

const within = impl("path.within");
const pathGlob = impl("path.glob");
const normalize = impl("path.normalize");
const isPrivate = impl("url.is_private");
const hostMatches = impl("url.host_matches");
const host = impl("url.host");
group("path and url", () => {
  bench("path.normalize: /srv/app/../../etc/passwd", () =>
    do_not_optimize(normalize("/srv/app/../../etc/passwd")),
  );
  bench("path.within: /tmp/../etc/passwd in /tmp", () =>
    do_not_optimize(within("/tmp/../etc/passwd", "/tmp")),
  );
  bench("path.glob: ~/.ssh/id_rsa vs **/.ssh/**", () =>
    do_not_optimize(pathGlob("/home/u/.ssh/id_rsa", "**/.ssh/**")),
  );
  bench("url.host: https://API.acme.com./v1", () => do_not_optimize(host("https://API.acme.com./v1?x=1")));
  bench("url.host_matches: *.acme.com", () =>
    do_not_optimize(hostMatches("https://api.eu.acme.com/v1", "*.acme.com")),
  );
  bench("url.is_private: metadata service", () =>
    do_not_optimize(isPrivate("http://169.254.169.254/latest/meta-data/")),
  );
  bench("url.is_private: public host", () => do_not_optimize(isPrivate("https://api.github.com/repos")));
});

const matches = impl("matches");
const glob = impl("glob");
const lower = impl("lower");
const contains = impl("contains");
const hour = impl("hour");
const weekday = impl("weekday");
const t = Date.parse("2026-11-24T10:00:00Z");
group("core and time", () => {
  bench("matches: ^[a-z.]+@acme\\.com$", () =>
    do_not_optimize(matches("alice.smith@acme.com", "^[a-z.]+@acme\\.com$")),
  );
  bench("glob: release/*", () => do_not_optimize(glob("release/2026.11", "release/*")));
  bench("lower: 40 chars", () => do_not_optimize(lower("DELETE FROM Users WHERE Id = 42 -- Admin")));
  bench("contains: list of 10", () =>
    do_not_optimize(contains(["a", "b", "c", "d", "e", "f", "g", "h", "users", "j"], "users")),
  );
  bench("hour: UTC", () => do_not_optimize(hour(t)));
  bench("hour: Europe/Berlin", () => do_not_optimize(hour(t, "Europe/Berlin")));
  bench("weekday: America/New_York", () => do_not_optimize(weekday(t, "America/New_York")));
});

summary(() => {
  group("sql cold (parse + analysis)", () => {
    for (const [label, q] of Object.entries(SQL)) {
      bench(`sql.tables cold: ${label}`, () => do_not_optimize(tables(fresh(q, "--"))));
    }
  });
});

summary(() => {
  group("shell cold (parse + analysis)", () => {
    for (const [label, c] of Object.entries(SHELL)) {
      bench(`shell.programs cold: ${label}`, () => do_not_optimize(programs(fresh(c, "#"))));
    }
  });
});

group("secrets cold", () => {
  bench("secrets.found cold: 200-char message", () => do_not_optimize(found(fresh(MESSAGE, ""))));
  bench("secrets.kinds cold: 200-char message", () => do_not_optimize(kinds(fresh(MESSAGE, ""))));
  bench("secrets.kinds cold: 4 KB config file", () => do_not_optimize(kinds(fresh(FILE, "#"))));
});

await run();

/**
 * Wall-clock timings swing with other jobs on a shared machine; CPU time per call (the process's
 * own user + system time) is steadier, so the cold parses are also reported that way.
 */
function cpuMicros(f: () => unknown, calls: number): number {
  for (let i = 0; i < Math.min(50, calls); i++) f();
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}
console.log("\nCPU time per call (process.cpuUsage), cold inputs:");
for (const [label, q] of Object.entries(SQL)) {
  console.log(`  sql.tables: ${label}: ${cpuMicros(() => tables(fresh(q, "--")), 200).toFixed(0)} µs`);
}
for (const [label, c] of Object.entries(SHELL)) {
  console.log(`  shell.programs: ${label}: ${cpuMicros(() => programs(fresh(c, "#")), 2000).toFixed(0)} µs`);
}
console.log(
  `  secrets.kinds: 200-char message: ${cpuMicros(() => kinds(fresh(MESSAGE, "")), 2000).toFixed(0)} µs`,
);
console.log(
  `  secrets.kinds: 4 KB config file: ${cpuMicros(() => kinds(fresh(FILE, "#")), 500).toFixed(0)} µs`,
);
