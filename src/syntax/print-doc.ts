/**
 * A small Wadler/Prettier-style document printer: the formatter builds a `Doc` tree of text,
 * groups, indentation and line breaks, and `render` lays it out within a width. A group is
 * printed flat (its lines become spaces or nothing) when it fits on the current line, else
 * broken (its lines become newlines). A hard line or a comment inside a group always breaks it.
 */

export type Doc =
  | string
  | readonly Doc[]
  | DocGroup
  | DocIndent
  | DocLine
  | DocComment
  | DocIfBreak
  | DocBreakParent;

export interface DocGroup {
  readonly t: "group";
  readonly body: Doc;
}
export interface DocIndent {
  readonly t: "indent";
  readonly body: Doc;
}
/** `soft`: nothing when flat; `space`: a space when flat; `hard`: always a newline. */
export interface DocLine {
  readonly t: "line";
  readonly mode: "soft" | "space" | "hard";
  /** When the line breaks, leave one empty line before the next one. */
  readonly blank: boolean;
}
/** A `#` comment: it runs to the end of the line, so a line break must follow it. */
export interface DocComment {
  readonly t: "comment";
  readonly text: string;
}
export interface DocIfBreak {
  readonly t: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}

/** Prints nothing, but breaks every group around it. */
export interface DocBreakParent {
  readonly t: "breakParent";
}

export const breakParent: DocBreakParent = { t: "breakParent" };
export const group = (body: Doc): DocGroup => ({ t: "group", body });
export const indent = (body: Doc): DocIndent => ({ t: "indent", body });
export const softline: DocLine = { t: "line", mode: "soft", blank: false };
export const line: DocLine = { t: "line", mode: "space", blank: false };
export const hardline: DocLine = { t: "line", mode: "hard", blank: false };
export const blankline: DocLine = { t: "line", mode: "hard", blank: true };
export const lineWith = (mode: DocLine["mode"], blank: boolean): DocLine => ({ t: "line", mode, blank });
export const comment = (text: string): DocComment => ({ t: "comment", text: `#${text.trimEnd()}` });
export const ifBreak = (broken: Doc, flat: Doc = ""): DocIfBreak => ({ t: "ifBreak", broken, flat });

/** `parts` joined by `sep`. */
export function join(sep: Doc, parts: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(p);
  });
  return out;
}

export const WIDTH = 100;
const INDENT = 2;

type Mode = "flat" | "break";
interface Cmd {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

const breaksCache = new WeakMap<object, boolean>();

/** True when the doc holds a hard line or a comment, so every group around it must break. */
export function mustBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  const cached = breaksCache.get(doc);
  if (cached !== undefined) return cached;
  let result: boolean;
  if (Array.isArray(doc)) result = (doc as readonly Doc[]).some(mustBreak);
  else {
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (d.t) {
      case "line":
        result = d.mode === "hard";
        break;
      case "comment":
      case "breakParent":
        result = true;
        break;
      case "group":
      case "indent":
        result = mustBreak(d.body);
        break;
      case "ifBreak":
        result = mustBreak(d.broken) || mustBreak(d.flat);
        break;
    }
  }
  breaksCache.set(doc, result);
  return result;
}

/** Does `next` (then the rest of the line) fit in `width` columns? */
function fits(next: Cmd, rest: readonly Cmd[], width: number): boolean {
  let remaining = width;
  const stack: Cmd[] = [next];
  let restIndex = rest.length;
  for (;;) {
    let cmd = stack.pop();
    if (cmd === undefined) {
      if (restIndex === 0) return true;
      restIndex--;
      cmd = rest[restIndex];
      if (cmd === undefined) return true;
    }
    const { doc, mode } = cmd;
    if (typeof doc === "string") {
      remaining -= doc.length;
      if (remaining < 0) return false;
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--)
        stack.push({ indent: cmd.indent, mode, doc: parts[i] as Doc });
      continue;
    }
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (d.t) {
      case "group":
        stack.push({ indent: cmd.indent, mode: mustBreak(d) ? "break" : mode, doc: d.body });
        break;
      case "indent":
        stack.push({ indent: cmd.indent, mode, doc: d.body });
        break;
      case "line":
        if (mode === "break" || d.mode === "hard") return true;
        if (d.mode === "space") remaining -= 1;
        if (remaining < 0) return false;
        break;
      case "comment":
        // A trailing comment never decides a layout: it is measured as zero wide.
        break;
      case "breakParent":
        break;
      case "ifBreak":
        stack.push({ indent: cmd.indent, mode, doc: mode === "break" ? d.broken : d.flat });
        break;
    }
  }
}

/** Lay the doc out at the given starting indentation; lines never end in spaces. */
export function render(doc: Doc, options: { width?: number; indent?: number } = {}): string {
  const width = options.width ?? WIDTH;
  const start = options.indent ?? 0;
  const out: string[] = [" ".repeat(start)];
  let column = start;
  let needNewline = false;
  const cmds: Cmd[] = [{ indent: start, mode: "break", doc }];
  const newline = (ind: number, blank: boolean) => {
    // Trim trailing spaces of the line just finished.
    let last = out.length - 1;
    while (last >= 0) {
      const piece = out[last] as string;
      if (piece !== "" && !piece.endsWith(" ")) break;
      const trimmed = piece.replace(/ +$/, "");
      out[last] = trimmed;
      if (trimmed !== "") break;
      last--;
    }
    out.push(blank ? "\n\n" : "\n", " ".repeat(ind));
    column = ind;
    needNewline = false;
  };
  for (;;) {
    const cmd = cmds.pop();
    if (cmd === undefined) break;
    const { doc: d0, mode } = cmd;
    if (typeof d0 === "string") {
      if (d0 === "") continue;
      // INVARIANT: the builder puts a line break after every comment.
      if (needNewline) throw new Error(`INVARIANT: text ${JSON.stringify(d0)} after a comment on one line`);
      out.push(d0);
      column += d0.length;
      continue;
    }
    if (Array.isArray(d0)) {
      const parts = d0 as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--)
        cmds.push({ indent: cmd.indent, mode, doc: parts[i] as Doc });
      continue;
    }
    const d = d0 as Exclude<Doc, string | readonly Doc[]>;
    switch (d.t) {
      case "group": {
        if (mode === "flat" && !mustBreak(d)) {
          cmds.push({ indent: cmd.indent, mode: "flat", doc: d.body });
          break;
        }
        const flat: Cmd = { indent: cmd.indent, mode: "flat", doc: d.body };
        const broken = mustBreak(d) || !fits(flat, cmds, width - column);
        cmds.push(broken ? { indent: cmd.indent, mode: "break", doc: d.body } : flat);
        break;
      }
      case "indent":
        cmds.push({ indent: cmd.indent + INDENT, mode, doc: d.body });
        break;
      case "line":
        if (mode === "break" || d.mode === "hard") newline(cmd.indent, d.blank);
        else if (d.mode === "space") {
          if (needNewline) throw new Error("INVARIANT: a flat line after a comment");
          out.push(" ");
          column += 1;
        }
        break;
      case "comment":
        if (needNewline) throw new Error("INVARIANT: two comments on one line");
        out.push(d.text);
        column += d.text.length;
        needNewline = true;
        break;
      case "ifBreak":
        cmds.push({ indent: cmd.indent, mode, doc: mode === "break" ? d.broken : d.flat });
        break;
      case "breakParent":
        break;
    }
  }
  const text = out.join("");
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}
