/**
 * Shell words and the programs behind them: quote removal, wrapper commands (`sudo`, `env`,
 * `nice` …) seen through, and which programs run code given as a string or on standard input.
 * Pure functions over decoded words; shell.ts walks the syntax tree and calls them.
 */

/** `/usr/bin/rm` → `rm`; a name without a slash, or one made by an expansion (`$(x)/y`), as is. */
export function basename(word: string): string {
  if (word.includes("$") || word.includes("`")) return word;
  const i = word.lastIndexOf("/");
  return i < 0 || i === word.length - 1 ? word : word.slice(i + 1);
}

/** Quote removal in an unquoted word: `a\ b` → `a b`, a backslash-newline disappears. */
export function unescapeBare(text: string): string {
  return text.includes("\\") ? text.replace(/\\(\n|[\s\S])/g, (_, c: string) => (c === "\n" ? "" : c)) : text;
}

/** Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and newline. */
export function unescapeDouble(text: string): string {
  return text.includes("\\") ? text.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === "\n" ? "" : c)) : text;
}

const C_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/** The body of `$'…'` with its C escapes decoded. */
export function unescapeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c[\s\S]|[\s\S])/g,
    (whole, e: string) => {
      const head = e[0]!;
      if (head === "x" || head === "u" || head === "U") {
        const cp = Number.parseInt(e.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      if (/[0-7]/.test(head)) return String.fromCharCode(Number.parseInt(e, 8) & 0xff);
      if (head === "c" && e.length === 2) return String.fromCharCode(e.charCodeAt(1) & 0x1f);
      return C_ESCAPES[e] ?? whole;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Wrappers: commands that run the rest of their arguments as a command.

interface WrapperSpec {
  /** Options that take the next word as their value (also accepted as `--opt=value`). */
  readonly valued: readonly string[];
  /** Positional arguments before the command (`timeout DURATION cmd`, `chroot DIR cmd`). */
  readonly positional?: number;
  /** Options after which the wrapper runs nothing (`command -v rm` only looks `rm` up). */
  readonly noRun?: readonly string[];
  /** `VAR=value` words are allowed before the command. */
  readonly assignments?: boolean;
  /** Option whose value is itself a command line (`env -S "…"`). */
  readonly commandString?: readonly string[];
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    valued: [
      "-u",
      "-g",
      "-h",
      "-p",
      "-C",
      "-D",
      "-r",
      "-t",
      "-T",
      "-U",
      "--user",
      "--group",
      "--host",
      "--prompt",
    ],
    noRun: ["-l", "-v", "-k", "-K", "-V", "--list", "--validate", "--version"],
    assignments: true,
  },
  doas: { valued: ["-u", "-C"] },
  env: {
    valued: ["-u", "-C", "--unset", "--chdir"],
    assignments: true,
    commandString: ["-S", "--split-string"],
  },
  nice: { valued: ["-n", "--adjustment"] },
  ionice: { valued: ["-c", "-n", "--class", "--classdata"], noRun: ["-p", "-P", "-u", "--pid"] },
  nohup: { valued: [] },
  time: { valued: ["-f", "-o", "--format", "--output"] },
  command: { valued: [], noRun: ["-v", "-V"] },
  builtin: { valued: [] },
  exec: { valued: ["-a"] },
  timeout: { valued: ["-s", "-k", "--signal", "--kill-after"], positional: 1 },
  stdbuf: { valued: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  setsid: { valued: [] },
  chroot: { valued: ["--userspec", "--groups"], positional: 1 },
  busybox: { valued: [] },
  xargs: {
    valued: ["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter", "--max-args"],
  },
};

/** Shells: `-c STRING` runs a string; with no script they read commands from standard input. */
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "rbash"]);
/** Interpreters that run code from standard input when given no script (or `-`). */
const INTERPRETER =
  /^(?:python[\d.]*|perl[\d.]*|ruby[\d.]*|node(?:js)?|php[\d.]*|lua[\d.]*|pwsh|powershell|osascript|tclsh[\d.]*|deno|bun)$/;
/** Options of interpreters that run the next word as code. */
const INLINE_CODE = new Set(["-c", "-e", "-E", "-r", "--eval", "--command", "-Command", "-command"]);

export function isShell(program: string): boolean {
  return SHELLS.has(program);
}

export function isInterpreter(program: string): boolean {
  return SHELLS.has(program) || INTERPRETER.test(program);
}

/** The result of looking through wrappers. */
export interface Unwrapped {
  /** Basenames of every program that runs, wrappers first (`sudo`, `env`, `rm`). */
  readonly chain: readonly string[];
  /** Index in `words` where the effective command starts (words.length when there is none). */
  readonly start: number;
  /** Command lines given as strings to wrappers (`env -S "…"`). */
  readonly strings: readonly string[];
}

/**
 * Whether option word `w` consumes the next word as its value, getopt style: `-u root` and
 * `--user root` do; `--user=root`, `-uroot` and `-iu root`'s cluster (`u` last, so it does) are
 * read letter by letter.
 */
function takesNextWord(w: string, valued: readonly string[]): boolean {
  if (w.startsWith("--")) return valued.includes(w);
  for (let k = 1; k < w.length; k++) {
    if (valued.includes(`-${w[k]}`)) return k === w.length - 1; // the rest of the cluster is its value
  }
  return false;
}

/** See through wrappers: `sudo -u x env A=1 nice -n 5 rm -rf /` runs `rm` at index 7. */
export function unwrap(words: readonly string[]): Unwrapped {
  const chain: string[] = [];
  const strings: string[] = [];
  let i = 0;
  while (i < words.length) {
    const name = basename(words[i]!);
    chain.push(name);
    const spec = WRAPPERS[name];
    if (spec === undefined) return { chain, start: i, strings };
    i++;
    let positional = spec.positional ?? 0;
    let optionsDone = false;
    let stop = false;
    while (i < words.length && !stop) {
      const w = words[i]!;
      const isOption = !optionsDone && w.startsWith("-") && w.length > 1;
      if (isOption && w === "--") {
        optionsDone = true;
        i++;
        continue;
      }
      const flag = w.includes("=") && w.startsWith("--") ? w.slice(0, w.indexOf("=")) : w;
      if (isOption && spec.noRun?.includes(flag)) return { chain, start: words.length, strings };
      if (isOption && spec.commandString?.includes(flag)) {
        const value = flag === w ? words[i + 1] : w.slice(flag.length + 1);
        if (value !== undefined) strings.push(value);
        return { chain, start: words.length, strings };
      }
      if (isOption) {
        i += takesNextWord(w, spec.valued) ? 2 : 1;
      } else if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
        i++;
      } else if (positional > 0) {
        positional--;
        i++;
      } else stop = true;
    }
    if (!stop) return { chain, start: words.length, strings };
  }
  return { chain, start: words.length, strings };
}

/** How a shell or interpreter gets its program, from its arguments (after the program name). */
export type CodeSource =
  | { readonly kind: "string"; readonly index: number } // `bash -c STRING` (index into args)
  | { readonly kind: "script"; readonly index: number } // `bash script.sh`, `python x.py`
  | { readonly kind: "stdin" } // `bash`, `bash -s`, `python -`
  | { readonly kind: "none" }; // not an interpreter

export function codeSource(program: string, args: readonly string[]): CodeSource {
  if (!isInterpreter(program)) return { kind: "none" };
  const shell = SHELLS.has(program);
  let inline = false;
  let fromStdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      const next = args[i + 1];
      if (inline) return next === undefined ? { kind: "none" } : { kind: "string", index: i + 1 };
      return next === undefined || fromStdin ? { kind: "stdin" } : { kind: "script", index: i + 1 };
    }
    if (a === "-" || a === "/dev/stdin") return { kind: "stdin" };
    if (shell && /^[-+][A-Za-z]+$/.test(a)) {
      if (a.startsWith("-") && a.includes("c")) inline = true;
      if (a.startsWith("-") && a.includes("s")) fromStdin = true;
      if (a === "-o" || a === "+o" || a === "-O" || a === "+O") i++;
      continue;
    }
    if (!shell && INLINE_CODE.has(a))
      return args[i + 1] === undefined ? { kind: "none" } : { kind: "string", index: i + 1 };
    if (!shell && a.startsWith("-")) continue;
    if (inline) return { kind: "string", index: i };
    return fromStdin ? { kind: "stdin" } : { kind: "script", index: i };
  }
  return inline ? { kind: "none" } : { kind: "stdin" };
}
