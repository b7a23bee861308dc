/**
 * Sequences: the elements of the file, of a `{ … }` body, of a list, an object or a call's
 * arguments, with the comments placed among them (print-comments.ts). A sequence between
 * delimiters is one group: flat (`[a, b]`, `{ a: 1 }`) when it fits and holds no comment, else
 * one element per line. Inside a broken sequence a single empty line is kept where the source
 * had one or more.
 */
import type { Comment } from "./ast.js";
import { type CommentPool, type Extent, place } from "./print-comments.js";
import {
  breakParent,
  comment,
  type Doc,
  group,
  hardline,
  ifBreak,
  indent,
  line,
  lineWith,
  render,
  softline,
} from "./print-doc.js";

/** What a construct's printer returns: its doc, and the comments inside it that it had no place for. */
export interface Printed {
  readonly doc: Doc;
  readonly hoisted: readonly Comment[];
}

export interface Element extends Extent {
  readonly doc: Doc;
  /** Comments from inside the element, printed on their own lines before it. */
  readonly hoisted?: readonly Comment[];
}

/** Where a sequence's comments come from; absent: the sequence takes no comments. */
export interface Region {
  readonly pool: CommentPool;
  /** Comments starting in `[from, to)` belong to the sequence. */
  readonly from: number;
  readonly to: number;
  /** A comment on the same line as this offset, before the first element, follows the opening delimiter. */
  readonly openAt: number | undefined;
}

export interface SeqOptions {
  /** `comma`: `a, b` and a trailing comma when broken; `flatComma`: commas only when flat; `none`. */
  readonly sep: "comma" | "flatComma" | "none";
  /** `{ a }` rather than `{a}` when flat. */
  readonly spaced?: boolean;
  /** Always one element per line. */
  readonly forceBreak?: boolean;
  /** Keep an empty line around every element printed on several lines, measured at this indentation. */
  readonly blankAroundMultiline?: number;
}

interface Entries {
  readonly open: Comment | undefined;
  readonly parts: Doc[];
}

/** The elements and their comments, separated by lines (a blank one where the source had one). */
function entries(elements: readonly Element[], region: Region | undefined, opts: SeqOptions): Entries {
  const pool = region?.pool;
  const comments = region ? region.pool.take(region.from, region.to) : [];
  const placed = pool
    ? place(pool, elements, comments, region?.openAt)
    : {
        open: undefined,
        leading: elements.map(() => []),
        trailing: elements.map(() => undefined),
        dangling: [],
      };
  const blank = (from: number, to: number) => pool?.blankBetween(from, to) ?? false;
  const lineFor = (isBlank: boolean): Doc =>
    opts.sep === "none" ? lineWith("hard", isBlank) : lineWith("space", isBlank);
  const multiline =
    opts.blankAroundMultiline === undefined
      ? undefined
      : elements.map((e) => render(e.doc, { indent: opts.blankAroundMultiline }).includes("\n"));

  const parts: Doc[] = [];
  let first = true;
  let forced = false;
  /** Emit a line; `from`–`to` is the source gap before it, where an empty line is kept. */
  const emit = (doc: Doc, from: number, to: number) => {
    if (!first) parts.push(lineFor(forced || blank(from, to)));
    forced = false;
    parts.push(doc);
    first = false;
  };
  let prevEnd = 0;
  elements.forEach((el, i) => {
    if (multiline && i > 0 && (multiline[i] || multiline[i - 1])) forced = true;
    const leading = [...(placed.leading[i] ?? []), ...(el.hoisted ?? [])].sort(
      (a, b) => a.span.start - b.span.start,
    );
    for (const c of leading) {
      emit(comment(c.text), prevEnd, c.span.start);
      prevEnd = c.span.end;
    }
    const trailing = placed.trailing[i];
    const last = i === elements.length - 1;
    const suffix: Doc =
      opts.sep === "comma"
        ? last
          ? ifBreak(",")
          : ","
        : opts.sep === "flatComma" && !last
          ? ifBreak("", ",")
          : "";
    emit([el.doc, suffix, trailing ? [" ", comment(trailing.text)] : ""], prevEnd, el.start);
    prevEnd = trailing ? trailing.span.end : (pool?.endOf(el) ?? el.end);
  });
  for (const c of placed.dangling) {
    emit(comment(c.text), prevEnd, c.span.start);
    prevEnd = c.span.end;
  }
  return { open: placed.open, parts };
}

/** `open elements close`: flat when it fits and has no comment, else one element per line. */
export function delimited(
  open: string,
  close: string,
  elements: readonly Element[],
  region: Region | undefined,
  opts: SeqOptions,
): Doc {
  const { open: openComment, parts } = entries(elements, region, opts);
  if (parts.length === 0 && openComment === undefined) return `${open}${close}`;
  const inner = opts.spaced ? line : softline;
  return group([
    open,
    openComment ? [" ", comment(openComment.text)] : "",
    opts.forceBreak ? breakParent : "",
    parts.length > 0 ? indent([inner, ...parts]) : "",
    inner,
    close,
  ]);
}

/** The file's top level: elements one per line, no delimiters. */
export function topLevel(elements: readonly Element[], region: Region | undefined): Doc {
  const { parts } = entries(elements, region, { sep: "none", blankAroundMultiline: 0 });
  return parts.length === 0 ? "" : [...parts, hardline];
}
