/**
 * The checker's types. Runtime representation of each (the contract between the checker,
 * the natives, the interpreter and the emitted code):
 *   string → JS string; number → JS number; bool → boolean;
 *   duration → number of milliseconds; timestamp → number of epoch milliseconds
 *     (request fields of type timestamp are RFC 3339 strings and are converted on read);
 *   list<T> → array; map<T> and objects → plain objects read through own properties only;
 *   literal unions → JS string; any → any JSON value.
 */
export type Type =
  | { readonly kind: "string" }
  | { readonly kind: "number" }
  | { readonly kind: "bool" }
  | { readonly kind: "duration" }
  | { readonly kind: "timestamp" }
  | { readonly kind: "any" }
  /** `"a" | "b"`: sorted, deduplicated. A string type whose values are known. */
  | { readonly kind: "union"; readonly values: readonly string[] }
  | { readonly kind: "list"; readonly element: Type }
  | { readonly kind: "map"; readonly value: Type }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, FieldInfo>> }
  /** A lambda's type, only as an argument of a higher-order native. */
  | { readonly kind: "function"; readonly params: readonly Type[]; readonly result: Type }
  /** The type of an expression that already produced a diagnostic: stops cascades. */
  | { readonly kind: "error" };

export interface FieldInfo {
  readonly type: Type;
  readonly optional: boolean;
}

export const T = {
  string: { kind: "string" } as Type,
  number: { kind: "number" } as Type,
  bool: { kind: "bool" } as Type,
  duration: { kind: "duration" } as Type,
  timestamp: { kind: "timestamp" } as Type,
  any: { kind: "any" } as Type,
  error: { kind: "error" } as Type,
  list: (element: Type): Type => ({ kind: "list", element }),
  map: (value: Type): Type => ({ kind: "map", value }),
  union: (values: readonly string[]): Type => ({ kind: "union", values: [...new Set(values)].sort() }),
  object: (fields: Record<string, FieldInfo>): Type => ({ kind: "object", fields }),
} as const;

/** `list<string>`, `{ a: number, b?: string }`, `"x" | "y"`: the form users write. */
export function formatType(t: Type): string {
  switch (t.kind) {
    case "union":
      return t.values.map((v) => JSON.stringify(v)).join(" | ");
    case "list":
      return `list<${formatType(t.element)}>`;
    case "map":
      return `map<${formatType(t.value)}>`;
    case "object":
      return `{ ${Object.entries(t.fields)
        .map(([k, f]) => `${k}${f.optional ? "?" : ""}: ${formatType(f.type)}`)
        .join(", ")} }`;
    case "function":
      return `(${t.params.map(formatType).join(", ")}) => ${formatType(t.result)}`;
    default:
      return t.kind;
  }
}
