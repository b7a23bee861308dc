/**
 * The built runtime entry (dist/index.js, what `import "runplane"` loads) never loads the
 * compiler or Chevrotain for a module built by `rplc build`, and loads better-sqlite3 only for
 * an SQLite store. A child process records every module it resolves through a module hook
 * (`module.register`); the same child given `.rplc` sources is the control that shows the hook
 * does see Chevrotain when it is loaded.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleCode, POLICY, removeTempDirs, tempDir, writeModule } from "../../unit/runtime/helpers.js";
import { ROOT } from "./procs.js";

afterAll(removeTempDirs);

let dir: string;
let builtModule: string;
beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist/index.js"))) {
    throw new Error("dist/index.js is missing: run `npx tsup` (or `npm test`, which builds first)");
  }
  dir = tempDir("rp-entry-");
  builtModule = await writeModule(dir);
  writeFileSync(path.join(dir, "policy.rplc"), POLICY);
  writeFileSync(
    path.join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.RP_RESOLVE_LOG, r.url + "\\n");
  return r;
}
`,
  );
  writeFileSync(
    path.join(dir, "register.mjs"),
    `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`,
  );
  writeFileSync(
    path.join(dir, "child.mjs"),
    `const { createRunplane } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/index.js")).href)});
const [policy, store] = process.argv.slice(2);
const rp = await createRunplane({ policy, store, audit: process.env.RP_AUDIT, context: { env: "dev", agent: "x" } });
const out = await rp.guard({ action: "db.query", args: { sql: "SELECT 1 FROM t" } }, () => "ran");
await rp.close();
console.log(out);
`,
  );
});

function loaded(policy: string, store: string, name: string): string[] {
  const log = path.join(dir, `${name}.log`);
  writeFileSync(log, "");
  const r = spawnSync(process.execPath, ["--import", "./register.mjs", "child.mjs", policy, store], {
    cwd: dir,
    env: { ...process.env, RP_RESOLVE_LOG: log, RP_AUDIT: path.join(dir, `${name}.jsonl`) },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe("ran");
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const has = (urls: string[], pkg: string) => urls.some((u) => u.includes(`/node_modules/${pkg}/`));
const FRAMEWORKS = [
  "langchain",
  "@langchain/core",
  "openai",
  "ai",
  "@openai/agents",
  "@modelcontextprotocol/sdk",
];

describe("the runtime entry (dist/index.js)", () => {
  it("a built module with the memory store: no Chevrotain, no compiler chunk, no better-sqlite3", () => {
    const urls = loaded(builtModule, "memory", "built");
    expect(urls.some((u) => u.endsWith("/dist/index.js"))).toBe(true);
    expect(has(urls, "chevrotain")).toBe(false);
    expect(urls.some((u) => /compile-policy/.test(u))).toBe(false);
    expect(has(urls, "better-sqlite3")).toBe(false);
    // No agent framework either: each loads only through its own entry (runplane/langchain, …).
    for (const framework of FRAMEWORKS) expect(has(urls, framework), framework).toBe(false);
  });

  it("is two files: the entry and one chunk holding all of the runtime (tsup.config.ts)", () => {
    const urls = loaded(builtModule, "memory", "files");
    const files = new Set(urls.filter((u) => u.includes("/dist/")).map((u) => u.slice(u.indexOf("/dist/"))));
    expect([...files].sort()).toEqual([
      expect.stringMatching(/^\/dist\/chunk-[A-Z0-9]+\.js$/),
      "/dist/index.js",
    ]);
  });

  it("control: an integration entry loads its framework, and only that one", () => {
    const script = `await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/integrations/langchain.js")).href)});`;
    writeFileSync(path.join(dir, "child-langchain.mjs"), script);
    const log = path.join(dir, "langchain.log");
    writeFileSync(log, "");
    const r = spawnSync(process.execPath, ["--import", "./register.mjs", "child-langchain.mjs"], {
      cwd: dir,
      env: { ...process.env, RP_RESOLVE_LOG: log },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(has(urls, "langchain")).toBe(true);
    expect(has(urls, "@langchain/core")).toBe(true);
    for (const other of ["openai", "ai", "@openai/agents", "@modelcontextprotocol/sdk"]) {
      expect(has(urls, other), other).toBe(false);
    }
  });

  it("the SQLite store loads better-sqlite3, still without Chevrotain", () => {
    const urls = loaded(builtModule, `sqlite:${path.join(dir, "rp.db")}`, "sqlite");
    expect(has(urls, "better-sqlite3")).toBe(true);
    expect(has(urls, "chevrotain")).toBe(false);
  });

  it("control: .rplc sources are compiled in memory, and the hook sees Chevrotain load", () => {
    const urls = loaded(path.join(dir, "policy.rplc"), "memory", "source");
    expect(has(urls, "chevrotain")).toBe(true);
    expect(urls.some((u) => /compile-policy/.test(u))).toBe(true);
  });

  it("importing it loads neither recheck nor sql-parser-cst; the checker loads recheck when it needs it", () => {
    const href = (f: string) => JSON.stringify(pathToFileURL(path.join(ROOT, f)).href);
    const script = `import { createRequire } from "node:module";
const cached = () => Object.keys(createRequire(import.meta.url).cache);
await import(${href("dist/index.js")});
const before = cached();
const { checkPolicySet } = await import(${href("dist/compiler.js")});
const text = 'action a.b {\\n  s: string\\n}\\non a.b {\\n  block x when matches(args.s, "^(ab)+$")\\n}\\n';
const checked = checkPolicySet({ sources: [{ path: "p.rplc", text }] });
console.log(JSON.stringify({ before, after: cached(), errors: checked.diagnostics.length }));
`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    const { before, after, errors } = JSON.parse(r.stdout) as {
      before: string[];
      after: string[];
      errors: number;
    };
    expect(errors).toBe(0);
    expect(has(before, "recheck")).toBe(false);
    expect(has(before, "sql-parser-cst")).toBe(false);
    // The control: the same probe sees recheck once the checker vets a regular expression.
    expect(has(after, "recheck")).toBe(true);
  });

  // What loads lazily: a policy that calls no `shell.*`, `matches`/`glob` or `url.*` never loads
  // web-tree-sitter (and its WebAssembly), re2js or node:net; the control policy calls them and
  // the same probe sees each one load, and decides with them.
  it("web-tree-sitter, re2js and node:net load only for a policy that calls shell.*, matches, url.*", async () => {
    const plain = path.join(dir, "plain.mjs");
    writeFileSync(
      plain,
      await moduleCode(`action db.query {
  sql: string
}
on db.query {
  block long when len(args.sql) > 10
}
`),
    );
    const heavy = path.join(dir, "heavy.mjs");
    writeFileSync(
      heavy,
      await moduleCode(`action run {
  cmd: string
  url: string
}
on run {
  block rm when shell.program(args.cmd) == "rm"
  block digits when matches(args.cmd, "[0-9]{3}")
  block internal when url.is_private(args.url)
}
`),
    );
    const log = path.join(dir, "lazy.log");
    writeFileSync(log, "");
    const script = `import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
const cjs = () => Object.keys(createRequire(import.meta.url).cache);
const builtins = () => process.moduleLoadList.filter((m) => /^NativeModule (net|stream)$/.test(m));
const { loadPolicy } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/index.js")).href)});
const plain = await loadPolicy(${JSON.stringify(plain)});
const a = plain.decide({ action: "db.query", args: { sql: "SELECT 1 FROM users" } }).decision;
const before = { cjs: cjs(), builtins: builtins() };
appendFileSync(process.env.RP_RESOLVE_LOG, "--- heavy\\n");
const heavy = await loadPolicy(${JSON.stringify(heavy)});
const b = heavy.decide({ action: "run", args: { cmd: "sudo rm -rf /", url: "https://example.com" } });
const c = heavy.decide({ action: "run", args: { cmd: "ls 123", url: "https://example.com" } });
const d = heavy.decide({ action: "run", args: { cmd: "ls", url: "http://10.0.0.1/" } });
const e = heavy.decide({ action: "run", args: { cmd: "ls", url: "https://example.com" } });
console.log(JSON.stringify({ before, after: { cjs: cjs(), builtins: builtins() },
  decisions: [a, ...[b, c, d, e].map((x) => x.matched.map((m) => m.rule).join(",") || x.decision)] }));
`;
    type Probe = {
      before: { cjs: string[]; builtins: string[] };
      after: { cjs: string[]; builtins: string[] };
      decisions: string[];
    };
    // Twice: with the module hook (it sees ESM imports such as web-tree-sitter, but its worker
    // thread loads node:net itself) and without it (for node:net; require.cache for re2js).
    const probe = (hook: boolean): Probe => {
      const r = spawnSync(
        process.execPath,
        [...(hook ? ["--import", "./register.mjs"] : []), "--input-type=module", "-e", script],
        { cwd: dir, env: { ...process.env, RP_RESOLVE_LOG: log }, encoding: "utf8", timeout: 120_000 },
      );
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as Probe;
    };
    const out = probe(false);
    writeFileSync(log, "");
    const hooked = probe(true);
    expect(hooked.decisions).toEqual(out.decisions);
    const [plainUrls = [], heavyUrls = []] = readFileSync(log, "utf8")
      .split("--- heavy\n")
      .map((part) => part.split("\n").filter(Boolean));
    // The plain policy decided without any of them.
    expect(out.decisions[0]).toBe("BLOCK");
    expect(has(plainUrls, "web-tree-sitter")).toBe(false);
    expect(has(out.before.cjs, "re2js")).toBe(false);
    expect(out.before.builtins).not.toContain("NativeModule net");
    // The control: the heavy policy loads each of them and decides with them.
    expect(out.decisions.slice(1)).toEqual(["rm", "digits", "internal", "ALLOW"]);
    expect(has(heavyUrls, "web-tree-sitter")).toBe(true);
    expect(has(out.after.cjs, "re2js")).toBe(true);
    expect(out.after.builtins).toContain("NativeModule net");
  });
});
