import { describe, expect, it } from "vitest";
import {
  blankline,
  breakParent,
  comment,
  type Doc,
  group,
  hardline,
  ifBreak,
  indent,
  join,
  line,
  render,
  softline,
} from "../../../src/syntax/print-doc.js";

const list = (items: string[]): Doc =>
  group(["[", indent([softline, join([",", line], items), ifBreak(",")]), softline, "]"]);

describe("render", () => {
  it("prints a group flat when it fits in the width", () => {
    expect(render(list(["a", "b", "c"]), { width: 9 })).toBe("[a, b, c]");
  });

  it("breaks a group that does not fit, one item per line, indented by two", () => {
    expect(render(list(["a", "b", "c"]), { width: 8 })).toBe("[\n  a,\n  b,\n  c,\n]");
  });

  it("counts the text after a group up to the next line break", () => {
    const doc = [list(["a", "b"]), " tail"];
    expect(render(doc, { width: 11 })).toBe("[a, b] tail");
    expect(render(doc, { width: 10 })).toBe("[\n  a,\n  b,\n] tail");
  });

  it("breaks outer groups first and keeps inner ones flat when they fit", () => {
    const doc = group([
      "f(",
      indent([softline, join([",", line], [list(["1", "2"]), "xyz"])]),
      softline,
      ")",
    ]);
    expect(render(doc, { width: 12 })).toBe("f(\n  [1, 2],\n  xyz\n)");
  });

  it("always breaks a group that holds a hard line, a comment or a break marker", () => {
    expect(render(group(["a", line, "b", hardline, "c"]))).toBe("a\nb\nc");
    expect(render(group(["a", line, "b", breakParent]))).toBe("a\nb");
    expect(render(group(["x", " ", comment(" note"), line, "y"]))).toBe("x # note\ny");
  });

  it("keeps one empty line for a blank line and never leaves trailing spaces", () => {
    expect(render(indent(["a", blankline, "b"]), { indent: 2 })).toBe("  a\n\n    b");
    expect(render(["a  ", hardline, "b"])).toBe("a\nb");
  });

  it("does not count a trailing comment against the width", () => {
    const doc = [
      list(["a", "b"]),
      " ",
      comment(" a long comment that is far wider than the limit"),
      hardline,
    ];
    expect(render(doc, { width: 10 })).toBe("[a, b] # a long comment that is far wider than the limit\n");
  });

  it("refuses to put text after a comment on the same line", () => {
    expect(() => render([comment("x"), "y"])).toThrow(/INVARIANT/);
  });
});
