/**
 * The one namespace of a policy set: actions, lets, defs, params, rules and risks. The first
 * declaration (in policy-set order) wins; a later one is an error pointing back at the first.
 */
import { type Diagnostic, diag } from "../diagnostics/diagnostic.js";
import { type Span, span } from "../diagnostics/span.js";

export type DeclKind = "action" | "let" | "def" | "param" | "rule" | "risk";

/** Names that expressions already give a meaning: roots and built-in namespaces. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "args",
  "context",
  "action",
  "now",
  "sql",
  "shell",
  "path",
  "url",
  "secrets",
  "session",
]);

export class Namespace {
  private readonly first = new Map<string, { kind: DeclKind; span: Span }>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  /** Record a declaration; false (and an error) when the name is taken. */
  declare(kind: DeclKind, name: string, at: Span): boolean {
    const earlier = this.first.get(name);
    if (earlier !== undefined) {
      const message = `first declared here${earlier.kind === kind ? "" : ` as ${article(earlier.kind)} ${earlier.kind}`}`;
      this.diagnostics.push(
        diag("RPL2001", at, [kind, name], { related: [{ span: earlier.span, message }] }),
      );
      return false;
    }
    this.first.set(name, { kind, span: at });
    return true;
  }

  lookup(name: string): { kind: DeclKind; span: Span } | undefined {
    return this.first.get(name);
  }
}

function article(kind: DeclKind): string {
  return kind === "action" ? "an" : "a";
}

/** The span of a declaration's leading keyword (`settings`, `context`): a short place to point at. */
export function keywordSpan(node: { readonly span: Span }, keyword: string): Span {
  return span(node.span.file, node.span.start, Math.min(node.span.end, node.span.start + keyword.length));
}
