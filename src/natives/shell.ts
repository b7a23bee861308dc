/**
 * `shell.*` over tree-sitter-bash (WebAssembly): a real parser for pipes, lists, subshells,
 * `$(…)`, backticks, heredocs and redirects. Loading the grammar is asynchronous: `initShell()`
 * (through `initNatives()` in init.ts) must have finished before a shell native runs.
 *
 * Decisions (the language reference is generated from the `doc` lines and these notes):
 *   - A command is a simple command (`rm -rf x`) or a declaration (`export A=1`, `unset B`); its
 *     words are quote-removed (`"a b"` → `a b`, `$'\n'` decoded); expansions stay as written
 *     (`$HOME`, `$(id)`), since a policy cannot know their values.
 *   - `program` is the basename of the first command's program with wrappers seen through:
 *     `sudo -u x env A=1 /usr/bin/rm` is `rm`; `""` when there is no command.
 *   - `programs` lists the basename of every program that runs, wrappers included, deduplicated, in
 *     source order with nested ones after their command (a name made by an expansion, `$CMD`, stays
 *     as written): `$(…)`, backticks, subshells, `bash -c "…"`, `sh -c`,
 *     `eval "…"`, `env -S "…"`, `su -c "…"`, `find -exec … \;`, `xargs CMD`, and a shell's heredoc or
 *     here-string when the shell reads its commands from it. Not seen: `ssh host "…"` (remote).
 *   - `argv` is the first command's words as written (wrappers included); `commands` is the words of
 *     every command (wrappers not split off), deduplicated, in source order like `programs`.
 *   - `redirects` lists every file redirect target, input and output (`> out`, `2>> log`, `< in`,
 *     `&> all`); duplications such as `2>&1` are not files.
 *   - `pipes_to_shell` is true when a shell or interpreter (sh, bash, zsh, python, perl, node, …)
 *     runs code made by another command: a pipe into one that reads its program from standard
 *     input (`curl … | sh`, `wget -O- … | sudo bash -s`), `bash <(curl …)`, `source <(…)`,
 *     `bash <<< "$(…)"`, `sh -c "$(curl …)"`, `eval "$(…)"`.
 *   - Text that does not parse (an unterminated quote, `ls &&`), or nests shells deeper than 8, is an
 *     evaluation error, except in `shell.valid`.
 */
import type { Parser } from "web-tree-sitter";
import { T, type Type } from "../check/types.js";
import { CACHE_ENTRIES, LruCache, memo } from "./cache.js";
import { str } from "./guard.js";
import { analyzeTree, type ShellFacts } from "./shell-analyze.js";
import { P, simple } from "./sig.js";
import { NativeError, type NativeFunction } from "./spec.js";

export type { ShellFacts } from "./shell-analyze.js";

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Load tree-sitter and the bash grammar once; later calls return the same promise. */
export function initShell(): Promise<void> {
  loading ??= (async () => {
    // Imported here, not at the top: web-tree-sitter costs ~15 ms, and only shell.* needs it.
    const { Language, Parser } = await import("web-tree-sitter");
    await Parser.init();
    const { createRequire } = await import("node:module");
    const wasm = createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm");
    const bash = await Language.load(wasm);
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })();
  return loading;
}

export function shellReady(): boolean {
  return parser !== undefined;
}

/** Longest command read; longer is an evaluation error. */
export const MAX_SHELL_LENGTH = 100_000;
/** `bash -c "bash -c '…'"`: nesting beyond this is an evaluation error. */
export const MAX_SHELL_DEPTH = 8;

type Analysis =
  | { readonly ok: true; readonly facts: ShellFacts }
  | { readonly ok: false; readonly message: string };

const cache = new LruCache<string, Analysis>(CACHE_ENTRIES);

function parseInto(source: string): { tree: ReturnType<Parser["parse"]>; release(): void } {
  // INVARIANT: the host awaits initNatives() before deciding (createRunplane and the CLI do).
  if (parser === undefined) throw new Error("INVARIANT: shell natives used before initNatives() finished");
  const tree = parser.parse(source);
  return { tree, release: () => tree?.delete() };
}

function analyze(cmd: string): Analysis {
  if (cmd.length > MAX_SHELL_LENGTH) {
    return { ok: false, message: `command of ${cmd.length} characters is longer than ${MAX_SHELL_LENGTH}` };
  }
  return memo(cache, cmd, () => {
    try {
      return { ok: true, facts: analyzeTree(cmd, parseInto, MAX_SHELL_DEPTH) };
    } catch (e) {
      if (e instanceof NativeError) return { ok: false, message: e.message };
      throw e;
    }
  });
}

export function shellFacts(cmd: string): ShellFacts {
  const a = analyze(cmd);
  if (!a.ok) throw new NativeError(a.message);
  return a.facts;
}

export function shellValid(cmd: string): boolean {
  return analyze(cmd).ok;
}

const native = (name: string, doc: string, result: Type, impl: (cmd: string) => unknown): NativeFunction => ({
  name: `shell.${name}`,
  doc: `shell.${name}(cmd: string): ${doc}`,
  arity: [1, 1],
  signature: simple([P.string], result),
  impl: (cmd: unknown) => impl(str(cmd, `shell.${name}`)),
});

export const SHELL_NATIVES: readonly NativeFunction[] = [
  {
    ...native(
      "valid",
      "bool — whether the command parses (false, never an error, for bad input)",
      T.bool,
      shellValid,
    ),
    impl: (cmd: unknown) => typeof cmd === "string" && shellValid(cmd),
  },
  native(
    "program",
    'string — the first command\'s program, basename, wrappers such as `sudo`/`env`/`nice` seen through (`""` when none)',
    T.string,
    (c) => shellFacts(c).program,
  ),
  native(
    "programs",
    'list<string> — every program that runs, wrappers included, also inside `$(…)`, pipes, `bash -c "…"`, `eval`',
    T.list(T.string),
    (c) => shellFacts(c).programs,
  ),
  native(
    "argv",
    'list<string> — the first command\'s words with quotes removed (`rm -rf "a b"` → `rm`, `-rf`, `a b`)',
    T.list(T.string),
    (c) => shellFacts(c).argv,
  ),
  native(
    "commands",
    "list<list<string>> — the words of every command, in the order of `shell.programs`",
    T.list(T.list(T.string)),
    (c) => shellFacts(c).commands,
  ),
  native(
    "redirects",
    "list<string> — every file redirect target, input and output (`> /etc/passwd`, `< in`)",
    T.list(T.string),
    (c) => shellFacts(c).redirects,
  ),
  native(
    "pipes_to_shell",
    "bool — whether a shell or interpreter runs code made by another command (`curl … | sh`, `bash <(curl …)`)",
    T.bool,
    (c) => shellFacts(c).pipesToShell,
  ),
];
