/**
 * Types to docs: `string`, `list<T>`, `map<T>`, `"a" | "b"`, and object types. An object type is
 * `{ a: T, b?: T }` when it fits on a line, else one field per line without commas (the layout of
 * `context { … }` and `action x { … }` bodies, which always take one field per line).
 */
import type { FieldTypeNode, ObjectTypeNode, TypeNode } from "./ast.js";
import { type Doc, render } from "./print-doc.js";
import { type PrintCtx, printKey, printString, region } from "./print-expr.js";
import { delimited } from "./print-seq.js";

/** One type on one line (for diagnostics and explanations). */
export function printType(t: TypeNode): string {
  return render(typeDoc(t, { pool: undefined }), { width: Number.POSITIVE_INFINITY });
}

export function typeDoc(t: TypeNode, ctx: PrintCtx): Doc {
  switch (t.kind) {
    case "NamedType":
      return t.name;
    case "ListType":
      return ["list<", typeDoc(t.element, ctx), ">"];
    case "MapType":
      return ["map<", typeDoc(t.value, ctx), ">"];
    case "UnionType":
      return t.members.map((m) => printString(m.value)).join(" | ");
    case "ObjectType":
      return objectTypeDoc(t, ctx, false);
  }
}

/** `{ … }` of fields; `block` forces one field per line (declaration bodies). */
export function objectTypeDoc(t: ObjectTypeNode, ctx: PrintCtx, block: boolean): Doc {
  const elements = t.fields.map((f) => ({ start: f.span.start, end: f.span.end, doc: fieldDoc(f, ctx) }));
  return delimited("{", "}", elements, region(ctx, t.span.start, t.span.end, t.span.start), {
    sep: "flatComma",
    spaced: true,
    forceBreak: block,
  });
}

function fieldDoc(f: FieldTypeNode, ctx: PrintCtx): Doc {
  return [printKey(f.name.text), f.optional ? "?" : "", ": ", typeDoc(f.type, ctx)];
}
