/**
 * The walk behind `shell.*`: one parse (plus one per nested command string) gives every answer.
 * The tree-sitter tree is copied into plain objects with one cursor pass and freed at once, so
 * nothing below touches WebAssembly memory. See shell.ts for the decisions this implements.
 */
import type { Tree, TreeCursor } from "web-tree-sitter";
import {
  basename,
  codeSource,
  isShell,
  unescapeAnsiC,
  unescapeBare,
  unescapeDouble,
  unwrap,
} from "./shell-words.js";
import { NativeError } from "./spec.js";

export interface ShellFacts {
  readonly program: string;
  readonly programs: readonly string[];
  readonly argv: readonly string[];
  readonly commands: readonly (readonly string[])[];
  readonly redirects: readonly string[];
  readonly pipesToShell: boolean;
}

interface SNode {
  readonly type: string;
  readonly field: string | null;
  readonly missing: boolean;
  readonly start: number;
  readonly end: number;
  readonly children: SNode[];
}

type ParseInto = (source: string) => { tree: Tree | null; release(): void };

interface Acc {
  readonly programs: string[];
  readonly commands: string[][];
  readonly redirects: string[];
  pipesToShell: boolean;
  first: { program: string; argv: string[] } | undefined;
}

export function analyzeTree(source: string, parseInto: ParseInto, maxDepth: number): ShellFacts {
  const acc: Acc = { programs: [], commands: [], redirects: [], pipesToShell: false, first: undefined };
  new Walker(source, 0, acc, parseInto, maxDepth).run();
  // A command string re-parsed (`sh -c "$(curl …)"`) meets the same substitution twice: dedupe.
  const seen = new Set<string>();
  const commands: (readonly string[])[] = [];
  for (const c of acc.commands) {
    const key = c.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    commands.push(Object.freeze(c));
  }
  return Object.freeze({
    program: acc.first?.program ?? "",
    programs: Object.freeze([...new Set(acc.programs)]),
    argv: Object.freeze(acc.first?.argv ?? []),
    commands: Object.freeze(commands),
    redirects: Object.freeze(acc.redirects),
    pipesToShell: acc.pipesToShell,
  });
}

function build(c: TreeCursor): SNode {
  const node: SNode = {
    type: c.nodeType,
    field: c.currentFieldName,
    missing: c.nodeIsMissing,
    start: c.startIndex,
    end: c.endIndex,
    children: [],
  };
  if (c.gotoFirstChild()) {
    do node.children.push(build(c));
    while (c.gotoNextSibling());
    c.gotoParent();
  }
  return node;
}

function firstProblem(n: SNode): SNode | undefined {
  if (n.type === "ERROR" || n.missing) return n;
  for (const child of n.children) {
    const found = firstProblem(child);
    if (found) return found;
  }
  return undefined;
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

function contains(n: SNode | undefined, type: string): boolean {
  return n !== undefined && (n.type === type || n.children.some((c) => contains(c, type)));
}

class Walker {
  /** Command nodes that receive a pipe (not the first stage of a pipeline). */
  private readonly piped = new Set<SNode>();

  constructor(
    private readonly src: string,
    private readonly depth: number,
    private readonly acc: Acc,
    private readonly parseInto: ParseInto,
    private readonly maxDepth: number,
  ) {}

  run(): void {
    if (this.depth > this.maxDepth) {
      throw new NativeError(`command strings are nested more than ${this.maxDepth} shells deep`);
    }
    const { tree, release } = this.parseInto(this.src);
    let root: SNode;
    try {
      if (tree === null) throw new NativeError("cannot parse shell command");
      const cursor = tree.walk();
      root = build(cursor);
      cursor.delete();
    } finally {
      release();
    }
    const problem = firstProblem(root);
    if (problem !== undefined) {
      const what = problem.missing
        ? `missing \`${problem.type}\``
        : problem.end > problem.start
          ? `unexpected \`${clip(this.src.slice(problem.start, problem.end).trim())}\``
          : "unexpected end of input";
      throw new NativeError(
        `cannot parse shell command \`${clip(this.src)}\`: ${what} at offset ${problem.start}`,
      );
    }
    this.walk(root, []);
  }

  private text(n: SNode): string {
    return this.src.slice(n.start, n.end);
  }

  private nested(source: string): void {
    new Walker(source, this.depth + 1, this.acc, this.parseInto, this.maxDepth).run();
  }

  /** `redirects` are those of an enclosing `redirected_statement`, for the command it wraps. */
  private walk(n: SNode, redirects: readonly SNode[]): void {
    switch (n.type) {
      case "command":
        this.command(n, redirects);
        break;
      case "declaration_command":
      case "unset_command":
        this.declaration(n);
        break;
      case "file_redirect":
        this.fileRedirect(n);
        break;
      case "pipeline": {
        const stages = n.children.filter((c) => c.type !== "|" && c.type !== "|&");
        for (const stage of stages.slice(1)) {
          const cmd =
            stage.type === "redirected_statement" ? stage.children.find((c) => c.field === "body") : stage;
          if (cmd?.type === "command") this.piped.add(cmd);
        }
        // tree-sitter-bash hangs `a | b > f` on the pipeline; bash applies it to the last stage.
        const last = stages[stages.length - 1];
        for (const c of n.children) this.walk(c, c === last ? redirects : []);
        return;
      }
      case "redirected_statement": {
        const own = n.children.filter((c) => c.field === "redirect");
        for (const c of n.children) this.walk(c, c.field === "body" ? own : []);
        return;
      }
      default:
        break;
    }
    for (const c of n.children) this.walk(c, []);
  }

  private fileRedirect(n: SNode): void {
    const op = n.children.find((c) => !c.field && /^[<>&|]+$/.test(c.type))?.type ?? ">";
    for (const dest of n.children.filter((c) => c.field === "destination")) {
      const target = this.word(dest);
      if ((op === ">&" || op === "<&") && /^(?:\d+|-)$/.test(target)) continue; // 2>&1, >&-
      if (dest.type === "process_substitution") continue; // a command, walked as such
      this.acc.redirects.push(target);
    }
  }

  private declaration(n: SNode): void {
    const keyword = n.children[0];
    if (keyword === undefined) return;
    const words = [
      this.text(keyword),
      ...n.children
        .slice(1)
        .filter((c) => c.type !== "comment")
        .map((c) => this.word(c)),
    ];
    this.acc.commands.push(words);
    this.acc.programs.push(words[0]!);
    if (this.depth === 0) this.acc.first ??= { program: words[0]!, argv: words };
  }

  private command(n: SNode, outer: readonly SNode[]): void {
    const name = n.children.find((c) => c.field === "name");
    if (name === undefined) return;
    const nodes = [name, ...n.children.filter((c) => c.field === "argument")];
    const redirects = [...outer, ...n.children.filter((c) => c.field === "redirect")];
    this.words(
      nodes.map((c) => this.word(c)),
      nodes,
      redirects,
      this.piped.has(n),
    );
  }

  /** One command given as words (and, when parsed from this source, their nodes). */
  private words(
    words: string[],
    nodes: readonly (SNode | undefined)[],
    redirects: readonly SNode[],
    piped: boolean,
  ): void {
    const { chain, start, strings } = unwrap(words);
    this.acc.commands.push(words);
    this.acc.programs.push(...chain);
    if (this.depth === 0) this.acc.first ??= { program: chain[chain.length - 1] ?? "", argv: words };
    for (const s of strings) this.nested(s);
    if (start >= words.length) return;

    const program = basename(words[start]!);
    const args = words.slice(start + 1);
    const argNode = (i: number) => nodes[start + 1 + i];
    const source = codeSource(program, args);
    switch (source.kind) {
      case "string":
        if (contains(argNode(source.index), "command_substitution")) this.acc.pipesToShell = true;
        if (isShell(program)) this.nested(args[source.index]!);
        break;
      case "script":
        if (argNode(source.index)?.type === "process_substitution") this.acc.pipesToShell = true;
        break;
      case "stdin":
        this.stdin(program, redirects, piped);
        break;
      case "none":
        break;
    }
    if (program === "eval" && args.length > 0) {
      if (args.some((_, i) => contains(argNode(i), "command_substitution"))) this.acc.pipesToShell = true;
      this.nested(args.join(" "));
    } else if ((program === "source" || program === ".") && argNode(0)?.type === "process_substitution") {
      this.acc.pipesToShell = true;
    } else if (program === "su") {
      const c = args.findIndex((a) => a === "-c" || a === "--command");
      const inner = c >= 0 ? args[c + 1] : args.find((a) => a.startsWith("--command="))?.slice(10);
      if (inner !== undefined) this.nested(inner);
    } else if (program === "find") {
      this.findExec(args, argNode);
    }
  }

  /** A shell or interpreter reading its program from standard input. */
  private stdin(program: string, redirects: readonly SNode[], piped: boolean): void {
    let fed = false;
    for (const r of redirects) {
      if (r.type === "herestring_redirect") {
        fed = true;
        const body = r.children.find((c) => c.type !== "<<<");
        if (contains(body, "command_substitution")) this.acc.pipesToShell = true;
        if (body !== undefined && isShell(program)) this.nested(this.word(body));
      } else if (r.type === "heredoc_redirect") {
        fed = true;
        const body = r.children.find((c) => c.type === "heredoc_body");
        if (body !== undefined && isShell(program)) this.nested(this.text(body));
      } else if (r.type === "file_redirect" && r.children.some((c) => c.type === "<")) {
        fed = true;
        if (r.children.some((c) => c.field === "destination" && c.type === "process_substitution")) {
          this.acc.pipesToShell = true;
        }
      }
    }
    if (piped && !fed) this.acc.pipesToShell = true;
  }

  /** `find … -exec CMD … \;` (also `-execdir`, `-ok`, `-okdir`, ended by `;` or `+`). */
  private findExec(args: readonly string[], node: (i: number) => SNode | undefined): void {
    for (let i = 0; i < args.length; i++) {
      if (!/^-(?:exec|execdir|ok|okdir)$/.test(args[i]!)) continue;
      let j = i + 1;
      while (j < args.length && args[j] !== ";" && args[j] !== "+") j++;
      if (j > i + 1) {
        const range = Array.from({ length: j - i - 1 }, (_, k) => i + 1 + k);
        this.words(
          range.map((k) => args[k]!),
          range.map(node),
          [],
          false,
        );
      }
      i = j;
    }
  }

  /** Quote removal of one word node; expansions and substitutions stay as written. */
  private word(n: SNode): string {
    switch (n.type) {
      case "word":
        return unescapeBare(this.text(n));
      case "raw_string":
        return this.text(n).slice(1, -1);
      case "ansi_c_string":
        return unescapeAnsiC(this.text(n).slice(2, -1));
      case "string":
        return this.joined(n, n.start + 1, n.end - 1, true);
      case "translated_string":
        return n.children[0] ? this.word(n.children[0]) : this.text(n).slice(1);
      case "concatenation":
      case "command_name":
        return this.joined(n, n.start, n.end, false);
      case "variable_assignment":
        return this.joined(n, n.start, n.end, false);
      default:
        return this.text(n);
    }
  }

  /** Children decoded, the text between them kept (unescaped as in double quotes when `quoted`). */
  private joined(n: SNode, from: number, to: number, quoted: boolean): string {
    let out = "";
    let pos = from;
    for (const c of n.children) {
      if (c.start < from || c.end > to || c.start === c.end) continue;
      const gap = this.src.slice(pos, c.start);
      out += quoted ? unescapeDouble(gap) : gap;
      out += c.type === "string_content" ? unescapeDouble(this.text(c)) : this.word(c);
      pos = c.end;
    }
    const tail = this.src.slice(pos, to);
    return out + (quoted ? unescapeDouble(tail) : tail);
  }
}
