/**
 * The decision engine: cost per decision and load time. Run with `npm run bench -- engine`;
 * record results in bench/results/engine.md (as ratios, with `nproc` and the Node version).
 *
 * 1. A 10-rule policy: the compiled module vs the same rules written by hand in JavaScript (once
 *    with no request checks, once with the checks a careful guard makes) vs the same conditions in
 *    CEL (@marcbachmann/cel-js, parsed once), all assembling the same Decision.
 * 2. 1,000 rules over 50 actions (bench/large-policy.ts): median per decision, compiled and
 *    interpreted.
 * 3. Loading a 1,000-rule module: `loadPolicy(source)` and a real `import()` of the file, in this
 *    process, and `import "runplane"` (dist/) plus `loadPolicy(file)` in fresh processes, with the
 *    module's code cache (written by the first of them) and without it.
 * 4. Bytes allocated per decision (10 rules), when nothing matches and when a rule and a risk do:
 *    a child process (`--alloc`, with `--expose-gc`, `--allow-natives-syntax` and a young generation large enough that no
 *    collection runs while measuring) reads the young generation's size before and after 10,000
 *    decisions.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getHeapSpaceStatistics } from "node:v8";
import { parse as celParse } from "@marcbachmann/cel-js";
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { runtimeChunk } from "../scripts/runtime-script.js";
import { DEFAULT_SETTINGS } from "../src/check/program.js";
import { runPipeline } from "../src/compile/pipeline.js";
import type { Decision, MatchedRisk } from "../src/engine/decision.js";
import { finalize, type Held, hold, holdRisk, type RuleEntry } from "../src/engine/finalize.js";
import { createInterpreter } from "../src/engine/interpret.js";
import { loadPolicy } from "../src/engine/load.js";
import { deepFreeze } from "../src/engine/values.js";
import { largePolicySet, largeRequests } from "./large-policy.js";

async function build(sources: { path: string; text: string }[]) {
  const r = await runPipeline({ sources }, { cwd: "/bench" });
  const { checked, code } = r.artifacts;
  // INVARIANT: the benchmark policies compile.
  if (!r.ok || checked === undefined || code === undefined)
    throw new Error("INVARIANT: the policy must compile");
  return { checked, code, policy: await loadPolicy(code) };
}

// ---------------------------------------------------------------------------------------------
// 1. Ten rules

const TEN = `context {
  env: "dev" | "staging" | "production"
  agent: string
}

action pay.send {
  amount: number
  currency: string
  to: list<string>
  note?: string
  path: string
}

on pay.send {
  block big when args.amount > 10000
  require approval mid when args.amount > 1000 and context.env == "production" approvers ["finance"]
  allow small when args.amount < 100
  block bad_currency when args.currency not in ["EUR", "USD", "GBP"]
  block sanctioned when "XX-1" in args.to
  allow internal when all(args.to, t => starts_with(t, "DE"))
  require approval urgent when (args.note ?? "") == "urgent"
  block tmp when starts_with(args.path, "/tmp/")
  risk many 20 when len(args.to) > 3
  risk prod 15 when context.env == "production"
}
`;

const ten = await build([{ path: "ten.rplc", text: TEN }]);
const request = {
  action: "pay.send",
  args: { amount: 250, currency: "EUR", to: ["DE1", "FR2"], path: "/srv/x" },
  context: { env: "production", agent: "a" },
  time: "2026-11-24T10:00:00Z",
};

// The policy information the hand-written functions pass to finalize, made as the compiled module
// makes its own (`rt.constant({ hash, settings: { … } })`: the same keys in the same order, deep-frozen),
// so that V8 sees one shape in the finalize they share. An object of another shape (DEFAULT_SETTINGS
// itself is not frozen) made finalize polymorphic, and whichever ran second paid for it: the
// compiled module measured after the hand-written functions took 270 ns instead of 140.
const info = deepFreeze({ hash: ten.policy.hash, settings: { ...DEFAULT_SETTINGS } });
const R = Object.fromEntries(ten.policy.rules.map((r) => [r.id, r])) as Record<string, RuleEntry>;
const K = Object.fromEntries(ten.policy.risks.map((r) => [r.id, r]));

/** The ten rules as a person would write them by hand, sharing finalize for the Decision. */
function handWritten(q: typeof request): Decision {
  const a = q.args as typeof request.args & { note?: string };
  const c = q.context;
  let m: Held[] | null = null;
  let k: MatchedRisk[] | null = null;
  if (a.amount > 10000) m = hold(m, R.big as RuleEntry, null);
  if (a.amount > 1000 && c.env === "production") m = hold(m, R.mid as RuleEntry, null);
  if (a.amount < 100) m = hold(m, R.small as RuleEntry, null);
  if (a.currency !== "EUR" && a.currency !== "USD" && a.currency !== "GBP")
    m = hold(m, R.bad_currency as RuleEntry, null);
  if (a.to.includes("XX-1")) m = hold(m, R.sanctioned as RuleEntry, null);
  if (a.to.every((t) => t.startsWith("DE"))) m = hold(m, R.internal as RuleEntry, null);
  if ((a.note ?? "") === "urgent") m = hold(m, R.urgent as RuleEntry, null);
  if (a.path.startsWith("/tmp/")) m = hold(m, R.tmp as RuleEntry, null);
  if (a.to.length > 3) k = holdRisk(k, K.many as never, 20);
  if (c.env === "production") k = holdRisk(k, K.prod as never, 15);
  return finalize(info, false, m, k, null);
}

const ENVS = new Set(["dev", "staging", "production"]);
const TOP = new Set(["action", "args", "context", "time"]);
const HOP = Object.prototype.hasOwnProperty; // optimized inside for…in on Node 20, Object.hasOwn is not
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:[Zz]|[+-]\d\d:\d\d)$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The same ten rules with the request checks a careful hand-written guard would make, so that it
 * decides every request as the policy does (a request of the wrong shape gets an error decision):
 * the top-level fields, each declared field's type (finite numbers, strings, a list of strings, the
 * enum), and the form of an RFC 3339 `time` (a regular expression: no calendar check, which the
 * compiled module makes).
 */
// A top-level function, not a closure per call: tsx (which runs the benchmarks) names every closure
// it creates with a defineProperty, ~500 ns each.
function bad(message: string): Decision {
  return finalize(info, false, null, null, [{ message }]);
}

function handWrittenChecked(q: unknown): Decision {
  if (!isRecord(q)) return bad("request: must be a JSON object");
  for (const key in q) if (HOP.call(q, key) && !TOP.has(key)) return bad(`/${key}: unknown`);
  if (typeof q.action !== "string") return bad("/action: must be a string");
  const a = q.args;
  const c = q.context;
  if (!isRecord(a) || !isRecord(c)) return bad("/args, /context: must be objects");
  const t = q.time;
  if (t !== undefined && (typeof t !== "string" || !RFC3339.test(t)))
    return bad("/time: must be an RFC 3339 date-time");
  if (q.action !== "pay.send") return finalize(info, true, null, null, null);
  const { amount, currency, to, note, path } = a;
  if (typeof amount !== "number" || !Number.isFinite(amount)) return bad("/args/amount: must be number");
  if (typeof currency !== "string") return bad("/args/currency: must be string");
  if (!Array.isArray(to)) return bad("/args/to: must be array");
  for (const x of to) if (typeof x !== "string") return bad("/args/to: must be strings");
  if (note !== undefined && typeof note !== "string") return bad("/args/note: must be string");
  if (typeof path !== "string") return bad("/args/path: must be string");
  if (typeof c.env !== "string" || !ENVS.has(c.env)) return bad("/context/env: must be one of …");
  if (typeof c.agent !== "string") return bad("/context/agent: must be string");
  return handWritten(q as typeof request);
}

const CEL: [string, string][] = [
  ["big", "args.amount > 10000.0"],
  ["mid", 'args.amount > 1000.0 && context.env == "production"'],
  ["small", "args.amount < 100.0"],
  ["bad_currency", '!(args.currency in ["EUR", "USD", "GBP"])'],
  ["sanctioned", '"XX-1" in args.to'],
  ["internal", 'args.to.all(t, t.startsWith("DE"))'],
  ["urgent", 'has(args.note) && args.note == "urgent"'],
  ["tmp", 'args.path.startsWith("/tmp/")'],
];
const celRules = CEL.map(([id, src]) => [R[id] as RuleEntry, celParse(src)] as const);
const celMany = celParse("size(args.to) > 3");
const celProd = celParse('context.env == "production"');

function cel(q: typeof request): Decision {
  const vars = { args: q.args, context: q.context };
  let m: Held[] | null = null;
  let k: MatchedRisk[] | null = null;
  for (const [rule, f] of celRules) if (f(vars) === true) m = hold(m, rule, null);
  if (celMany(vars) === true) k = holdRisk(k, K.many as never, 20);
  if (celProd(vars) === true) k = holdRisk(k, K.prod as never, 15);
  return finalize(info, false, m, k, null);
}

// The three agree before anything is timed.
const expected = JSON.stringify(ten.policy.decide(request));
for (const [name, f] of [
  ["hand-written", handWritten],
  ["hand-written with checks", handWrittenChecked],
  ["cel-js", cel],
] as const) {
  // INVARIANT: the comparison is between equal decisions.
  if (JSON.stringify(f(request)) !== expected) throw new Error(`INVARIANT: ${name} decides differently`);
}

// ---------------------------------------------------------------------------------------------
// 4. Allocation per decision (in a child process: `--alloc`)

/** A request that matches no rule and no risk (ALLOW by `default`). */
const nothing = {
  action: "pay.send",
  args: { amount: 250, currency: "EUR", to: ["FR1"], path: "/srv/x" },
  context: { env: "dev", agent: "a" },
  time: "2026-11-24T10:00:00Z",
};

if (process.argv.includes("--alloc")) {
  const gc = (globalThis as { gc?: () => void }).gc;
  // INVARIANT: the parent starts this mode with --expose-gc.
  if (gc === undefined) throw new Error("INVARIANT: --alloc needs --expose-gc");
  // The young generation only: code that V8 compiles meanwhile lives elsewhere.
  const young = () => {
    let used = 0;
    for (const s of getHeapSpaceStatistics())
      if (s.space_name === "new_space" || s.space_name === "new_large_object_space")
        used += s.space_used_size;
    return used;
  };
  // The loop itself is never optimized, so `decide` is not inlined into it: what is counted is
  // what a call allocates, the returned Decision included (escape analysis cannot remove it).
  const loop = (decide: (q: typeof request) => Decision, q: typeof request, n: number) => {
    for (let i = 0; i < n; i++) decide(q);
  };
  new Function("f", "%NeverOptimizeFunction(f)")(loop);
  const bytesPer = (decide: (q: typeof request) => Decision, q: typeof request, n: number) => {
    loop(decide, q, 200_000); // `decide` optimized before measuring
    for (;;) {
      gc();
      const before = young();
      loop(decide, q, n);
      const after = young();
      if (after >= before) return (after - before) / n; // else a collection ran: measure again
    }
  };
  if (ten.policy.decide(nothing).matched.length + ten.policy.decide(nothing).risks.length !== 0)
    throw new Error("INVARIANT: the no-match request matches nothing");
  for (const [what, q] of [
    ["nothing matches", nothing],
    ["a risk matches", request],
  ] as const) {
    const compiled = bytesPer(ten.policy.decide, q, 10_000);
    const hand = bytesPer(handWritten, q, 10_000);
    console.log(
      `bytes per decision, ${what}: compiled ${compiled.toFixed(0)}, hand-written ${hand.toFixed(0)} (10,000 decisions, no GC)`,
    );
  }
  process.exit(0);
}

// Each subject runs optimized before mitata first times it: mitata sizes its batches from a first
// estimate, and a subject first seen unoptimized was timed call by call (integer nanoseconds, a long
// tail) while the others were timed in batches.
for (const f of [ten.policy.decide, handWritten, handWrittenChecked, cel])
  for (let i = 0; i < 200_000; i++) f(request);

summary(() => {
  group("10 rules, one decision", () => {
    bench("compiled module (validates the request)", () =>
      do_not_optimize(ten.policy.decide(request)),
    ).baseline(true);
    bench("hand-written JavaScript (no validation)", () => do_not_optimize(handWritten(request)));
    bench("hand-written JavaScript (the same request checks)", () =>
      do_not_optimize(handWrittenChecked(request)),
    );
    bench("@marcbachmann/cel-js (parsed once)", () => do_not_optimize(cel(request)));
  });
});

// ---------------------------------------------------------------------------------------------
// 2. 1,000 rules over 50 actions

const large = await build(largePolicySet());
const interpreter = createInterpreter(large.checked);
const requests = largeRequests();
let next = 0;
for (const q of requests) {
  // INVARIANT: both engines agree on the benchmark's requests.
  if (JSON.stringify(large.policy.decide(q)) !== JSON.stringify(interpreter.decide(q))) {
    throw new Error("INVARIANT: the engines differ");
  }
}

// Warmed up likewise, over all 64 requests: each of the 50 action functions is optimized on its own,
// and without this mitata timed the compiled module while many of them were not yet (3.5–3.9 µs
// median instead of ~1.5).
for (let i = 0; i < 200_000; i++) large.policy.decide(requests[i & 63]);
for (let i = 0; i < 20_000; i++) interpreter.decide(requests[i & 63]);

group("1,000 rules over 50 actions, one decision", () => {
  bench("compiled module", () => do_not_optimize(large.policy.decide(requests[next++ & 63])));
  bench("interpreter", () => do_not_optimize(interpreter.decide(requests[next++ & 63])));
});

const results = await run();

/**
 * The 10-rule subjects again, in interleaved rounds of plain loops, best round each: a second
 * measure of the ratios, less sensitive than mitata's averages to a burst of noise on this host
 * landing on one subject (best rounds of subjects timed in the same minutes).
 */
function bestOf(
  subjects: readonly (readonly [string, (q: typeof request) => unknown])[],
): Map<string, number> {
  const best = new Map<string, number>();
  for (let round = 0; round < 20; round++) {
    for (const [name, f] of subjects) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 100_000; i++) do_not_optimize(f(request));
      const ns = Number(process.hrtime.bigint() - t) / 100_000;
      best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, ns));
    }
  }
  return best;
}
const rounds = bestOf([
  ["compiled", ten.policy.decide],
  ["hand-written", handWritten],
  ["hand-written with the checks", handWrittenChecked],
  ["cel-js", cel],
]);

// ---------------------------------------------------------------------------------------------
// 3. Loading a 1,000-rule module (each load is a fresh module: not a mitata loop)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const dir = mkdtempSync(path.join(tmpdir(), "rplc-bench-"));
const runtime = pathToFileURL(path.resolve("src/engine/runtime.ts")).href;
const viaLoad: number[] = [];
const viaImport: number[] = [];
for (let i = 0; i < 15; i++) {
  // A different text each time, inside the policy set's function (the text loadPolicy compiles): V8
  // caches the compilation of an identical script.
  const text = large.code.replace('\n"use strict";\n', `\n"use strict"; // load ${i}\n`);
  // INVARIANT: the module has the line that is replaced.
  if (text === large.code) throw new Error('INVARIANT: the module\'s function starts with "use strict"');
  let t = performance.now();
  await loadPolicy(text);
  viaLoad.push(performance.now() - t);
  const file = path.join(dir, `policy-${i}.mjs`);
  writeFileSync(file, large.code.replace('from "runplane"', `from ${JSON.stringify(runtime)}`));
  t = performance.now();
  await import(pathToFileURL(file).href);
  viaImport.push(performance.now() - t);
}
// Import of the built runtime entry (dist/, `npx tsup`) plus loadPolicy of the module file, each in a
// fresh process: what an agent pays at start-up.
// The first `import()` of a process also starts Node's ES module loader (~5 ms here), which an
// agent written as an ES module has already paid for its own code: it is timed apart (`loader`).
const cold: { loader: number; imp: number; load: number; first: number; cache: string }[] = [];
const entry = path.resolve("dist/index.js");
// The runtime's loader, which says whether V8 took the runtime's code cache (src/engine/boot.ts).
const runtimeLoader = existsSync(entry) ? path.resolve("dist", runtimeChunk("dist")) : entry;
const moduleFile = path.join(dir, "policy-0.mjs");
const emptyFile = path.join(dir, "empty.mjs");
writeFileSync(moduleFile, large.code);
// The same module under another name, loaded without the code cache: what the first load costs.
writeFileSync(`${moduleFile.slice(0, -4)}-copy.mjs`, `${large.code}// copy\n`);
writeFileSync(emptyFile, "export {};\n");
for (let i = 0; i < 15; i++) {
  const script = `const t = performance.now();
await import(${JSON.stringify(pathToFileURL(emptyFile).href)});
const t0 = performance.now();
const { loadPolicy } = await import(${JSON.stringify(pathToFileURL(entry).href)});
const t1 = performance.now();
await loadPolicy(${JSON.stringify(moduleFile)});
const t2 = performance.now();
await loadPolicy(${JSON.stringify(`${moduleFile.slice(0, -4)}-copy.mjs`)}, { codeCache: false });
const first = performance.now() - t2;
const { __runtimeCodeCache: cache } = await import(${JSON.stringify(pathToFileURL(runtimeLoader).href)});
console.log(JSON.stringify({ loader: t0 - t, imp: t1 - t0, load: t2 - t1, first, cache }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status === 0)
    cold.push(
      JSON.parse(r.stdout) as { loader: number; imp: number; load: number; first: number; cache: string },
    );
}
rmSync(dir, { recursive: true, force: true });

const p50 = (name: string) => {
  for (const b of results.benchmarks)
    for (const r of b.runs) if (r.name === name && r.stats) return r.stats.p50;
  return Number.NaN;
};
const ns = (x: number) => `${x.toFixed(0)} ns`;
console.log(
  `\nmodule size: ${(large.code.length / 1024).toFixed(0)} KiB for ${large.checked.rules.length} rules and ${large.checked.risks.length} risks`,
);
console.log(
  `load a 1,000-rule module, median of 15: loadPolicy(source) ${median(viaLoad).toFixed(1)} ms, import() of the file ${median(viaImport).toFixed(1)} ms`,
);
console.log(
  cold.length === 0
    ? "fresh process: dist/index.js missing or failing (run `npx tsup`)"
    : `fresh process, median of ${cold.length}: the ES module loader's start ${median(cold.map((c) => c.loader)).toFixed(1)} ms, then import "runplane" (dist; its code cache ${[...new Set(cold.map((c) => c.cache))].join("/")}) ${median(cold.map((c) => c.imp)).toFixed(1)} ms, loadPolicy(file) ${median(cold.map((c) => c.load)).toFixed(1)} ms (${median(cold.map((c) => c.first)).toFixed(1)} ms without the code cache), import and load together ${median(cold.map((c) => c.imp + c.load)).toFixed(1)} ms (${median(cold.map((c) => c.loader + c.imp + c.load)).toFixed(1)} ms with the loader's start)`,
);
const compiledBest = rounds.get("compiled") ?? Number.NaN;
console.log(
  `10 rules, best of 20 interleaved rounds of 100,000: ${[...rounds].map(([k, v]) => `${k} ${v.toFixed(0)} ns`).join(", ")}; compiled ÷ hand-written with the checks ${(compiledBest / (rounds.get("hand-written with the checks") ?? Number.NaN)).toFixed(2)}, cel-js ÷ compiled ${((rounds.get("cel-js") ?? Number.NaN) / compiledBest).toFixed(1)}`,
);
console.log(
  `medians per decision: 10 rules compiled ${ns(p50("compiled module (validates the request)"))}, hand-written ${ns(p50("hand-written JavaScript (no validation)"))}, hand-written with the checks ${ns(p50("hand-written JavaScript (the same request checks)"))}, cel-js ${ns(p50("@marcbachmann/cel-js (parsed once)"))}; 1,000 rules compiled ${ns(p50("compiled module"))}, interpreted ${ns(p50("interpreter"))}`,
);

// The 1,000-rule decision again, in a process of its own (bench/engine-alone.ts), as an agent runs one
// policy: here the same natives, `hold` and `finalize` also serve the 10-rule policy, the hand-written
// functions and the interpreter, and see more shapes than they would in an agent.
const alone = spawnSync(
  process.execPath,
  ["--import", "tsx", fileURLToPath(new URL("engine-alone.ts", import.meta.url))],
  {
    encoding: "utf8",
  },
);
console.log(alone.stdout.trim() || alone.stderr.trim());

const alloc = spawnSync(
  process.execPath,
  [
    "--expose-gc",
    "--allow-natives-syntax",
    "--min-semi-space-size=64",
    "--max-semi-space-size=64",
    "--import",
    "tsx",
    fileURLToPath(import.meta.url),
    "--alloc",
  ],
  { encoding: "utf8" },
);
console.log(alloc.stdout.trim() || alloc.stderr.trim());
