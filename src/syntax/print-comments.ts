/**
 * Where each comment of a file goes when it is formatted. Every comment is taken from the pool
 * exactly once, by the innermost construct that has a place for it:
 * - a sequence (the file, a block's body, the items of a list, object or call) places a comment
 *   before an element ("leading", on its own line), after an element on the same line
 *   ("trailing"), right after the opening delimiter on its line ("open"), or before the closing
 *   delimiter ("dangling");
 * - a comment inside an element that has no place for it moves up to the element's leading
 *   comments ("hoisted"): the nearest line boundary before it.
 * The assignment only looks at which line a comment is on relative to the elements (an element
 * ends after the closing parentheses of its own text, see `endOf`), so the formatted output
 * assigns every comment to the same place again: formatting is idempotent.
 */
import type { SourceFile } from "../diagnostics/source.js";
import type { Comment } from "./ast.js";

/** A line break, a line of white space only, and another line break. */
const BLANK_LINE_RE = /(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)/;

/** The offset of the line break ending the line that holds `at` (or the end of the text). */
function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

export class CommentPool {
  private readonly pending: Comment[];
  constructor(
    comments: readonly Comment[],
    readonly source: SourceFile,
  ) {
    this.pending = [...comments].sort((a, b) => a.span.start - b.span.start);
  }

  /** Take every comment not yet placed that starts in `[from, to)`, in source order. */
  take(from: number, to: number): Comment[] {
    if (this.pending.length === 0 || to <= from) return [];
    const first = this.firstAtOrAfter(from);
    let last = first;
    while (last < this.pending.length && (this.pending[last] as Comment).span.start < to) last++;
    return last === first ? [] : this.pending.splice(first, last - first);
  }

  /** The index of the first pending comment starting at or after `offset` (binary search). */
  private firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pending[mid] as Comment).span.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get remaining(): readonly Comment[] {
    return this.pending;
  }

  /** No line break between the two offsets (in either order). */
  sameLine(a: number, b: number): boolean {
    return !/[\r\n]/.test(this.source.text.slice(Math.min(a, b), Math.max(a, b)));
  }

  /**
   * Where a node really ends. Parentheses are not nodes, so `a > (b or c)` ends at `c` while its
   * text runs on to the `)`: the end moves past every `)` (and the white space and comments
   * before it) whose `(` lies inside the node.
   */
  endOf(node: Extent): number {
    const text = this.source.text;
    const opener = this.parens();
    let end = node.end;
    let at = node.end;
    while (at < text.length) {
      const ch = text[at] as string;
      if (ch === "#") at = lineEnd(text, at);
      else if (/\s/.test(ch)) at++;
      else if (ch === ")" && (opener.get(at) ?? -1) >= node.start) end = ++at;
      else break;
    }
    return end;
  }

  /** The offset of the `(` that opens a call's arguments, at or after the callee's end. */
  callParen(calleeEnd: number): number {
    const text = this.source.text;
    let at = calleeEnd;
    while (at < text.length) {
      const ch = text[at] as string;
      if (ch === "(") return at;
      if (ch === "#") at = lineEnd(text, at);
      else if (ch === ")" || /\s/.test(ch)) at++;
      else break;
    }
    return calleeEnd;
  }

  private openers: Map<number, number> | undefined;

  /** For each `)` of the source, the offset of its `(` (strings and comments skipped). */
  private parens(): Map<number, number> {
    if (this.openers) return this.openers;
    const text = this.source.text;
    const map = new Map<number, number>();
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') {
        for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n" && text[i] !== "\r"; i++) {
          if (text[i] === "\\") i++;
        }
      } else if (ch === "#") i = lineEnd(text, i) - 1;
      else if (ch === "(") stack.push(i);
      else if (ch === ")") {
        const open = stack.pop();
        if (open !== undefined) map.set(i, open);
      }
    }
    this.openers = map;
    return map;
  }

  /** At least one empty line (only white space) between the two offsets. */
  blankBetween(from: number, to: number): boolean {
    if (to <= from) return false;
    return BLANK_LINE_RE.test(this.source.text.slice(from, to));
  }
}

export interface Placed {
  /** A comment on the line of the opening delimiter, before the first element. */
  readonly open: Comment | undefined;
  /** Per element: comments on their own lines before it (including hoisted ones). */
  readonly leading: Comment[][];
  /** Per element: the comment after it on its last line. */
  readonly trailing: (Comment | undefined)[];
  /** Comments after the last element, on their own lines before the closing delimiter. */
  readonly dangling: Comment[];
}

export interface Extent {
  readonly start: number;
  readonly end: number;
}

/**
 * Place `comments` (all inside one sequence, in source order) among `elements` (in source order).
 * `openAt` is the offset from which a comment on the same line counts as following the opening
 * delimiter; undefined when the sequence has no opening delimiter (the file).
 */
export function place(
  pool: CommentPool,
  elements: readonly Extent[],
  comments: readonly Comment[],
  openAt: number | undefined,
): Placed {
  const leading: Comment[][] = elements.map(() => []);
  const trailing: (Comment | undefined)[] = elements.map(() => undefined);
  const dangling: Comment[] = [];
  let open: Comment | undefined;
  const ends = elements.map((e) => pool.endOf(e));
  // Comments and elements are both in source order: one pass with a moving index.
  let next = 0;
  for (const c of comments) {
    const at = c.span.start;
    while (next < elements.length && (ends[next] as number) <= at) next++;
    // `before`: the last element that ends at or before the comment.
    const before = next - 1;
    const candidate = elements[next];
    if (candidate && candidate.start <= at && at < (ends[next] as number)) {
      (leading[next] as Comment[]).push(c);
      continue;
    }
    if (before < 0) {
      if (openAt !== undefined && open === undefined && pool.sameLine(openAt, at)) open = c;
      else if (elements.length > 0) (leading[0] as Comment[]).push(c);
      else dangling.push(c);
      continue;
    }
    if (trailing[before] === undefined && pool.sameLine(ends[before] as number, at)) trailing[before] = c;
    else if (before + 1 < elements.length) (leading[before + 1] as Comment[]).push(c);
    else dangling.push(c);
  }
  for (const l of leading) l.sort((a, b) => a.span.start - b.span.start);
  return { open, leading, trailing, dangling };
}
