/**
 * Node's `fs` and `crypto` for the runtime entry, taken with `process.getBuiltinModule` rather than
 * an ES import.
 *
 * `import { statSync } from "node:fs"` makes Node build the ES module facade of fs, which reads every
 * export, `fs.promises` included: that loads fs/promises, readline and the streams, about 8 ms of a
 * fresh process's start-up before any of it is used. `crypto` (about 6 ms more) is taken on first
 * use: a process that only loads a policy and decides never hashes. bench/results/engine.md has the
 * numbers.
 */
import type * as Crypto from "node:crypto";
import type * as Fs from "node:fs";

export const fs: typeof Fs = process.getBuiltinModule("node:fs");

let cryptoModule: typeof Crypto | undefined;
/** `node:crypto`, loaded on the first call. */
export function crypto(): typeof Crypto {
  cryptoModule ??= process.getBuiltinModule("node:crypto");
  return cryptoModule;
}
