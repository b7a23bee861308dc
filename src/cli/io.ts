/**
 * The command line's view of the outside world. Commands write through a `CliIo` instead of
 * `process.stdout`, so tests run them in memory and `run()` never exits the process itself.
 */
import { readFileSync } from "node:fs";

export interface CliIo {
  /** Write to standard output (the text is written as given: end lines yourself). */
  stdout(text: string): void;
  /** Write to standard error (the text is written as given: end lines yourself). */
  stderr(text: string): void;
  /** The directory relative paths are resolved against and displayed relative to. */
  readonly cwd: string;
  /** Standard output is a terminal. */
  readonly isTTY: boolean;
  /** Colour is wanted: standard output is a terminal and `NO_COLOR` is not set. */
  readonly color: boolean;
  /** All of standard input as text (for `-` arguments). */
  readStdin(): Promise<string>;
}

/** Colour only for a terminal, and never when `NO_COLOR` is set to anything but the empty string. */
export function wantsColor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env.NO_COLOR;
  return isTTY && (noColor === undefined || noColor === "");
}

/** The real process: stdout, stderr, cwd and stdin of this Node process. */
export function processIo(): CliIo {
  const isTTY = process.stdout.isTTY === true;
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    cwd: process.cwd(),
    isTTY,
    color: wantsColor(isTTY),
    readStdin: async () => readFileSync(0, "utf8"),
  };
}

/** An in-memory `CliIo` for tests: what the command wrote is in `out` and `err`. */
export interface MemoryIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

export function memoryIo(options: { cwd?: string; color?: boolean; stdin?: string } = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const color = options.color ?? false;
  return {
    out,
    err,
    stdout: (text) => {
      out.push(text);
    },
    stderr: (text) => {
      err.push(text);
    },
    cwd: options.cwd ?? process.cwd(),
    isTTY: color,
    color,
    readStdin: async () => options.stdin ?? "",
  };
}
