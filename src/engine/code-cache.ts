/**
 * A V8 code cache for compiled policy modules loaded from a file: `policy.mjs.v8cache` beside
 * `policy.mjs`. Parsing a 1,000-rule module (361 KiB) takes V8 8–13 ms, most of loading it; with
 * the cache, about 2 ms (bench/results/engine.md). The first load writes the cache (atomically,
 * best effort: a read-only directory just means no cache); later loads in any process use it.
 *
 * The cache is used only for the exact module it was made from: it holds a copy of the module's
 * bytes, compared with the file's (a memcmp, cheaper than hashing 361 KiB in JavaScript), and the
 * versions of V8 and of this loader. V8 also refuses a cache from another version or other flags;
 * the module is then compiled as if there were none and the cache rewritten. A cache is bytecode:
 * whoever can write it can change what the policy does, exactly as whoever can write the module
 * beside it. Keep both with the same permissions.
 */
import type * as Fs from "node:fs";
import type * as Vm from "node:vm";

/** Bump when the cache's layout or load.ts's rewriting of a module into a function body changes. */
const FORMAT = 1;

export type CompiledBody = (rt: unknown) => Promise<unknown>;

export interface CachedCompile {
  readonly run: CompiledBody;
  /** Write the cache if it was missing or stale; call once the module has run (more is compiled then). */
  readonly save: () => void;
}

function headerFor(source: Buffer, text: string): string {
  return JSON.stringify({ format: FORMAT, v8: process.versions.v8, bytes: source.length, body: text.length });
}

/** The cached data in `file` when it was made from `source` by this V8, else undefined. */
function read(fs: typeof Fs, file: string, header: string, source: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const nl = data.indexOf(10);
  if (nl < 0 || data.toString("utf8", 0, nl) !== header) return undefined;
  const end = nl + 1 + source.length;
  if (data.length < end || !source.equals(data.subarray(nl + 1, end))) return undefined;
  return data.subarray(end);
}

/**
 * Compile `(async function (rt) { body })` from the module at `file` (whose bytes are `source`),
 * with the code cache beside it when there is a usable one.
 */
export function compileWithCache(body: string, file: string, source: Buffer): CachedCompile {
  const fs = process.getBuiltinModule("node:fs");
  const vm: typeof Vm = process.getBuiltinModule("node:vm");
  const text = `(async function (rt) {\n${body}\n})`;
  const header = headerFor(source, text);
  const cacheFile = `${file}.v8cache`;
  const cachedData = read(fs, cacheFile, header, source);
  const script = new vm.Script(text, { filename: file, cachedData });
  const run = script.runInThisContext() as CompiledBody;
  const fresh = cachedData !== undefined && !script.cachedDataRejected;
  return {
    run,
    save: () => {
      if (fresh) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${header}\n`), source, script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
      } catch {
        try {
          fs.unlinkSync(tmp);
        } catch {
          // Nothing was written.
        }
      }
    },
  };
}
