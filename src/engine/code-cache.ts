/**
 * A V8 code cache for scripts read from a file: compiled policy modules (`policy.mjs.v8cache` beside
 * `policy.mjs`, load.ts) and the built runtime itself (`dist/chunk-….script.js.v8cache`, boot.ts).
 * Without it V8 parses a 1,000-rule module (370 KiB) on every load, most of the load's time
 * (bench/results/engine.md). The first load writes the cache (atomically, best effort: a read-only
 * directory just means no cache); later loads in any process use it.
 *
 * The cache is used only for the exact module it was made from: it holds a copy of the module's
 * bytes, compared with the file's a chunk at a time (a memcmp, cheaper than hashing 370 KiB in
 * JavaScript), and the versions of V8 and of this loader. V8 also refuses a cache from another
 * version or other flags; the module is then compiled as if there were none and the cache rewritten.
 * A cache is bytecode: whoever can write it can change what the policy does, exactly as whoever can
 * write the module beside it. Keep both with the same permissions.
 */
import type * as Fs from "node:fs";
import type * as Vm from "node:vm";

/**
 * Bump when the cache's layout, or the text load.ts compiles from a module's bytes, changes.
 * 2: the header also gives the length of V8's data, so a truncated cache is not used.
 */
const FORMAT = 2;

/** Where a compiled text starts in its file: lines before it, and columns before it on its line. */
export interface Position {
  readonly lineOffset: number;
  readonly columnOffset: number;
}

const NO_OFFSET: Position = { lineOffset: 0, columnOffset: 0 };

/** A script compiled with a code cache: its completion value and what became of the cache. */
export interface CachedScript {
  /** What running the script's top level gave (for `(function …)`, the function). */
  readonly value: unknown;
  /** The cache was there, made from these bytes by this V8, and V8 took it. */
  readonly used: boolean;
  /**
   * Write the cache if it was not used, or `always` (best effort; false when it could not be
   * written). It holds what V8 has compiled of the script by then.
   */
  readonly save: (always?: boolean) => boolean;
}

/**
 * The UTF-8 text of a script's bytes. ASCII bytes (the runtime script always, most policy modules)
 * are taken as latin1, which copies them instead of decoding: 0.3 ms instead of 0.6–0.9 for the
 * runtime's 190 KiB, and V8 keeps the text in one byte per character.
 */
export function textOf(bytes: Buffer): string {
  return process.getBuiltinModule("node:buffer").isAscii(bytes)
    ? bytes.toString("latin1")
    : bytes.toString("utf8");
}

interface Header {
  readonly format: number;
  readonly v8: string;
  /** The source's bytes, which follow the header line. */
  readonly bytes: number;
  /** The length of the compiled text (the source, or the function made of it). */
  readonly body: number;
  /** The length of V8's data, which follows the source. */
  readonly data: number;
}

function headerFor(source: Buffer, text: string, data: number): Header {
  return { format: FORMAT, v8: process.versions.v8, bytes: source.length, body: text.length, data };
}

/**
 * The cached data in `file` when it was made from `source` (as `text`) by this V8, else undefined.
 * V8 itself checks its version, its flags and the source's length, but neither the data's length
 * nor its content (it has no checksum in release builds): the length is checked here. A cache
 * damaged in place, to the same length, is not detected, like a damaged module.
 */
function read(fs: typeof Fs, file: string, source: Buffer, text: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    return readOpen(fs, fd, source, text);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The longest header line read; a header is about 100 bytes. */
const HEADER_MAX = 1024;
/**
 * The copy of the source is compared this much at a time, in one buffer: reading it whole would
 * put another copy of the module (370 KiB for 1,000 rules) in fresh memory, whose first touch is
 * most of what reading costs in a starting process (~1 ms of a cold load).
 */
const CHUNK = 64 * 1024;

function readOpen(fs: typeof Fs, fd: number, source: Buffer, text: string): Buffer | undefined {
  const size = fs.fstatSync(fd).size;
  const head = Buffer.alloc(Math.min(size, HEADER_MAX));
  const nl = head.subarray(0, readAt(fs, fd, head, 0)).indexOf(10);
  if (nl < 0) return undefined;
  const found = JSON.parse(head.toString("utf8", 0, nl)) as Partial<Header>;
  const end = nl + 1 + source.length;
  const want = headerFor(source, text, size - end);
  if (
    found.format !== want.format ||
    found.v8 !== want.v8 ||
    found.bytes !== want.bytes ||
    found.body !== want.body ||
    found.data !== want.data ||
    want.data <= 0
  )
    return undefined;
  const chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK, source.length));
  for (let at = 0; at < source.length; at += chunk.length) {
    const n = Math.min(chunk.length, source.length - at);
    if (readAt(fs, fd, chunk.subarray(0, n), nl + 1 + at) !== n) return undefined;
    if (source.compare(chunk, 0, n, at, at + n) !== 0) return undefined;
  }
  const data = Buffer.allocUnsafeSlow(want.data);
  return readAt(fs, fd, data, end) === data.length ? data : undefined;
}

/** Fill `into` from the file at `position`; the number of bytes read (less at the end of the file). */
function readAt(fs: typeof Fs, fd: number, into: Buffer, position: number): number {
  let got = 0;
  while (got < into.length) {
    const n = fs.readSync(fd, into, got, into.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Compile and run the script `text`, made from the file `filename` whose bytes are `source`, with
 * the code cache `cacheFile` when there is a usable one. `at` is where `text` starts in the file
 * (load.ts compiles a slice of a module), so that stack traces give the file's lines.
 */
export function compileCached(
  text: string,
  filename: string,
  cacheFile: string,
  source: Buffer,
  at: Position = NO_OFFSET,
): CachedScript {
  const fs = process.getBuiltinModule("node:fs");
  const vm: typeof Vm = process.getBuiltinModule("node:vm");
  const cachedData = read(fs, cacheFile, source, text);
  const script = new vm.Script(text, { filename, cachedData, ...at });
  const value: unknown = script.runInThisContext();
  const used = cachedData !== undefined && !script.cachedDataRejected;
  return {
    value,
    used,
    save: (always = false) => {
      if (used && !always) return true;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        const data = script.createCachedData();
        const header = JSON.stringify(headerFor(source, text, data.length));
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${header}\n`), source, data]));
        fs.renameSync(tmp, cacheFile);
        return true;
      } catch {
        try {
          fs.unlinkSync(tmp);
        } catch {
          // Nothing was written.
        }
        return false;
      }
    },
  };
}
