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

/**
 * Colour for a terminal, never when `NO_COLOR` is set (https://no-color.org), and always when
 * `FORCE_COLOR` is set to anything but `0` or `false`.
 */
export function wantsColor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  return isTTY;
}

/**
 * Report a usage error: one line on standard error that says what to do, and exit code 2.
 * `command` names the subcommand whose help to point at (`rplc check --help`).
 */
export function usageError(io: CliIo, message: string, command?: string): number {
  const help = command === undefined ? "rplc --help" : `rplc ${command} --help`;
  io.stderr(`rplc: ${message} (see '${help}')\n`);
  return 2;
}

/** The real process: stdout, stderr, cwd and stdin of this Node process. */
export function processIo(): CliIo {
  const isTTY = process.stdout.isTTY === true;
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
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

/**
 * `rplc check . | head -1`: once the reader has gone, further writes fail with EPIPE. That is not
 * an error of rplc: stop writing quietly instead of crashing with a stack trace.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount("error") > 0) return;
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") return;
    throw e;
  });
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
