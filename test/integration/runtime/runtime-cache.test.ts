/**
 * The built runtime's code cache (src/engine/boot.ts, scripts/runtime-script.ts), on a copy of
 * dist/ so that each case controls the cache: the build leaves one that V8 takes, a missing one is
 * written, one made from other bytes (the script edited in place, to the same length), truncated
 * or not a cache is not used and is rewritten, and one that cannot be written is no error. In every case the
 * runtime decides as the one in src/ does, and says nothing on stderr.
 */
import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runtimeChunk } from "../../../scripts/runtime-script.js";
import { DEV, removeTempDirs, tempDir, testPolicy, writeModule } from "../../unit/runtime/helpers.js";
import { ROOT } from "./procs.js";

let policyFile: string;
const REQUEST = { action: "db.query", args: { sql: "DELETE FROM users" }, context: DEV };
let expected: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist/index.js")))
    throw new Error("dist/index.js is missing: run `npx tsup` (or `npm test`, which builds first)");
  policyFile = await writeModule(tempDir("rp-rtcache-"));
  expected = JSON.stringify((await testPolicy()).decide(REQUEST));
  return removeTempDirs;
});

/** A copy of dist/ in a package of its own (node_modules linked); returns its dist/ and chunk. */
function copyDist(): { dist: string; chunk: string; script: string } {
  const pkg = tempDir("rp-rtcache-pkg-");
  const dist = path.join(pkg, "dist");
  cpSync(path.join(ROOT, "dist"), dist, { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(pkg, "node_modules"));
  const chunk = runtimeChunk(dist);
  return { dist, chunk, script: path.join(dist, chunk.replace(/\.js$/, ".script.js")) };
}

interface Start {
  cache: string;
  decision: string;
  store: string;
  one: boolean;
}

/** Start the copied runtime in a fresh process, load the policy module and decide with it. */
function start(dist: string, chunk: string): Start {
  const index = pathToFileURL(path.join(dist, "index.js")).href;
  const loader = pathToFileURL(path.join(dist, chunk)).href;
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(index)});
const c = await import(${JSON.stringify(loader)});
const policy = await m.loadPolicy(${JSON.stringify(policyFile)}, { codeCache: false });
console.log(JSON.stringify({ cache: c.__runtimeCodeCache, decision: JSON.stringify(policy.decide(${JSON.stringify(REQUEST)})),
  store: c.DEFAULT_STORE, one: m.loadPolicy === c.loadPolicy && m.BlockedError === c.BlockedError }));`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as Start;
}

describe("the built runtime's code cache", () => {
  it("the build leaves one in dist/ made from the script's exact bytes", () => {
    const dist = path.join(ROOT, "dist");
    const script = path.join(dist, runtimeChunk(dist).replace(/\.js$/, ".script.js"));
    const cache = readFileSync(`${script}.v8cache`);
    const nl = cache.indexOf(10);
    expect(JSON.parse(cache.toString("utf8", 0, nl))).toMatchObject({
      format: 2,
      v8: process.versions.v8,
      bytes: readFileSync(script).length,
      data: cache.length - nl - 1 - readFileSync(script).length,
    });
    expect(cache.subarray(nl + 1).indexOf(readFileSync(script))).toBe(0);
    // In ASCII, which the loader takes without decoding (scripts/runtime-script.ts `asciiOnly`).
    expect(isAscii(readFileSync(script))).toBe(true);
  });

  it("is used, and the runtime decides as the one in src/ does, one runtime for every import", () => {
    const { dist, chunk } = copyDist();
    const s = start(dist, chunk);
    expect(s).toEqual({
      cache: "used",
      decision: expected,
      store: "sqlite:.runplane/runplane.db",
      one: true,
    });
  });

  it("a missing one is written (atomically: no temporary file left), then used", () => {
    const { dist, chunk, script } = copyDist();
    const built = readFileSync(`${script}.v8cache`);
    rmSync(`${script}.v8cache`);
    expect(start(dist, chunk)).toMatchObject({ cache: "written", decision: expected });
    // Written at import, it holds less compiled code than the build's, made after loading a policy.
    expect(readFileSync(`${script}.v8cache`).length).toBeLessThan(built.length);
    expect(readdirSync(dist).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(start(dist, chunk)).toMatchObject({ cache: "used", decision: expected });
  });

  it("is not used for a script edited in place, even to the same length", () => {
    const { dist, chunk, script } = copyDist();
    const text = readFileSync(script, "utf8");
    const edited = text.replace('"sqlite:.runplane/runplane.db"', '"sqlite:.runplane/runplane.xy"');
    expect(edited).not.toBe(text);
    expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
    writeFileSync(script, edited);
    // The edit shows: the old bytecode, which the cache holds for the script's top level, did not run.
    expect(start(dist, chunk)).toMatchObject({ cache: "written", store: "sqlite:.runplane/runplane.xy" });
    expect(start(dist, chunk)).toMatchObject({ cache: "used", store: "sqlite:.runplane/runplane.xy" });
  });

  // V8 checks the data's version, flags and length, not its content (no checksum in release
  // builds): a cache damaged in place can crash the process, like a damaged script (docs/cli.md).
  it("a truncated one, or one that is not a cache, is not used and is rewritten", () => {
    const { dist, chunk, script } = copyDist();
    const cache = readFileSync(`${script}.v8cache`);
    const truncated = cache.subarray(0, cache.length - 500);
    writeFileSync(`${script}.v8cache`, truncated);
    expect(start(dist, chunk)).toMatchObject({ cache: "written", decision: expected });
    expect(readFileSync(`${script}.v8cache`).equals(truncated)).toBe(false);
    writeFileSync(`${script}.v8cache`, "not a cache");
    expect(start(dist, chunk)).toMatchObject({ cache: "written", decision: expected });
    expect(start(dist, chunk)).toMatchObject({ cache: "used", decision: expected });
  });

  it("one that cannot be written is no error", () => {
    const { dist, chunk, script } = copyDist();
    rmSync(`${script}.v8cache`);
    mkdirSync(`${script}.v8cache`); // a directory where the cache would go: the rename fails
    expect(start(dist, chunk)).toMatchObject({ cache: "not written", decision: expected });
    expect(readdirSync(dist).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
