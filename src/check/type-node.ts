/**
 * Written types (TypeNode) → checker types (Type). Unknown names get a "did you mean" hint; a
 * type that produced a diagnostic becomes the error type so nothing cascades from it.
 */
import { type Diagnostic, diag, type Related } from "../diagnostics/diagnostic.js";
import type { FieldTypeNode, ObjectTypeNode, TypeNode } from "../syntax/ast.js";
import { didYouMean } from "./suggest.js";
import { type FieldInfo, T, type Type } from "./types.js";

const PRIMITIVES: Readonly<Record<string, Type>> = {
  string: T.string,
  number: T.number,
  bool: T.bool,
  duration: T.duration,
  timestamp: T.timestamp,
  any: T.any,
};

/** Names users bring from other languages, and what they mean here. */
const ALIASES: Readonly<Record<string, string>> = {
  boolean: "bool",
  int: "number",
  integer: "number",
  float: "number",
  double: "number",
  str: "string",
  text: "string",
  date: "timestamp",
  datetime: "timestamp",
  time: "timestamp",
  array: "list<T>",
  object: "{ name: T, … }",
  dict: "map<T>",
  record: "map<T>",
};

/** The written type as a Type; problems are pushed to `diagnostics`. */
export function typeFromNode(node: TypeNode, diagnostics: Diagnostic[]): Type {
  switch (node.kind) {
    case "NamedType": {
      const primitive = PRIMITIVES[node.name];
      if (primitive !== undefined) return primitive;
      // `list` or `map` without a type argument: the parser already reported it (RPL1013).
      if (node.name === "list" || node.name === "map") return T.error;
      const alias = ALIASES[node.name.toLowerCase()];
      const help =
        alias !== undefined
          ? `did you mean \`${alias}\`?`
          : (didYouMean(node.name, [...Object.keys(PRIMITIVES), "list", "map"]) ??
            "types are `string number bool duration timestamp any`, `list<T>`, `map<T>`, objects and string unions");
      diagnostics.push(diag("RPL3001", node.span, [node.name], { help }));
      return T.error;
    }
    case "ListType":
      return T.list(typeFromNode(node.element, diagnostics));
    case "MapType":
      return T.map(typeFromNode(node.value, diagnostics));
    case "UnionType":
      return T.union(node.members.map((m) => m.value));
    case "ObjectType":
      return objectTypeFromNode(node, diagnostics);
  }
}

export function objectTypeFromNode(node: ObjectTypeNode, diagnostics: Diagnostic[]): Type {
  const fields: Record<string, FieldInfo> = Object.create(null);
  const first = new Map<string, FieldTypeNode>();
  for (const field of node.fields) {
    const name = field.name.text;
    const earlier = first.get(name);
    if (earlier !== undefined) {
      const related: Related[] = [{ span: earlier.name.span, message: "first declared here" }];
      diagnostics.push(diag("RPL3003", field.name.span, [name], { related }));
      continue;
    }
    first.set(name, field);
    fields[name] = { type: typeFromNode(field.type, diagnostics), optional: field.optional };
  }
  return T.object(fields);
}

/** True when `t` contains the error type anywhere (a declaration that already failed). */
export function containsError(t: Type): boolean {
  switch (t.kind) {
    case "error":
      return true;
    case "list":
      return containsError(t.element);
    case "map":
      return containsError(t.value);
    case "object":
      return Object.values(t.fields).some((f) => containsError(f.type));
    case "function":
      return t.params.some(containsError) || containsError(t.result);
    default:
      return false;
  }
}
