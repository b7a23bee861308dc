/**
 * The `settings` block (at most one per policy set) → ResolvedSettings, defaults for absent keys.
 *   default, unknown_action, on_error: `allow`, `block` or `require_approval` (written bare)
 *   approval_at, block_at: a number from 0 to 100; approval_at may not exceed block_at
 *   approval_timeout: a duration
 */
import { type Diagnostic, diag, type Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Effect } from "../engine/decision.js";
import type { Expr, SettingEntry, Settings } from "../syntax/ast.js";
import { DEFAULT_SETTINGS, type ResolvedSettings } from "./program.js";
import { didYouMean } from "./suggest.js";

type Key = keyof ResolvedSettings;
const EFFECTS: readonly Effect[] = ["allow", "block", "require_approval"];
const KEYS: readonly Key[] = [
  "default",
  "unknown_action",
  "approval_at",
  "block_at",
  "on_error",
  "approval_timeout",
];
const EFFECT_KEYS = new Set<Key>(["default", "unknown_action", "on_error"]);

export function resolveSettings(block: Settings | undefined, diagnostics: Diagnostic[]): ResolvedSettings {
  if (block === undefined) return DEFAULT_SETTINGS;
  const out: { -readonly [K in Key]: ResolvedSettings[K] } = { ...DEFAULT_SETTINGS };
  const seen = new Map<string, SettingEntry>();
  const at = new Map<Key, Span>();
  for (const entry of block.entries) {
    const name = entry.key.text;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      const related: Related[] = [{ span: earlier.key.span, message: "first given here" }];
      diagnostics.push(diag("RPL2007", entry.key.span, [name], { related }));
      continue;
    }
    seen.set(name, entry);
    if (!(KEYS as readonly string[]).includes(name)) {
      const help = didYouMean(name, KEYS) ?? `the settings are ${KEYS.map((k) => `\`${k}\``).join(", ")}`;
      diagnostics.push(diag("RPL2011", entry.key.span, [name], { help }));
      continue;
    }
    const key = name as Key;
    const v = entry.value;
    if (v.kind === "ErrorExpr") continue; // the parser reported it
    if (EFFECT_KEYS.has(key)) {
      const effect = effectOf(v);
      if (effect === undefined) {
        diagnostics.push(
          diag("RPL2012", v.span, [key, "`allow`, `block` or `require_approval`"], { help: effectHelp(v) }),
        );
      } else {
        (out as Record<Key, unknown>)[key] = effect;
      }
    } else if (key === "approval_at" || key === "block_at") {
      const n = numberOf(v);
      if (n === undefined || n < 0 || n > 100) {
        diagnostics.push(diag("RPL2012", v.span, [key, "a number from 0 to 100"]));
      } else {
        out[key] = n;
        at.set(key, v.span);
      }
    } else {
      if (v.kind !== "Duration") {
        diagnostics.push(
          diag("RPL2012", v.span, [key, "a duration"], { help: "write it with a unit: `30m`, `2h`, `1d`" }),
        );
      } else {
        out.approval_timeout = v.ms;
      }
    }
  }
  if (out.approval_at > out.block_at) {
    const approvalSpan = at.get("approval_at");
    const blockSpan = at.get("block_at");
    const where = approvalSpan ?? blockSpan ?? block.span;
    const other = approvalSpan !== undefined ? blockSpan : undefined;
    const related: Related[] = other ? [{ span: other, message: "`block_at` is set here" }] : [];
    diagnostics.push(
      diag("RPL2013", where, [String(out.approval_at), String(out.block_at)], {
        related,
        help: "a score at or above `block_at` blocks, so no score could ever ask for an approval",
      }),
    );
  }
  return out;
}

function effectOf(v: Expr): Effect | undefined {
  if (v.kind !== "Identifier") return undefined;
  return (EFFECTS as readonly string[]).includes(v.name) ? (v.name as Effect) : undefined;
}

function effectHelp(v: Expr): string | undefined {
  if (v.kind === "String" && (EFFECTS as readonly string[]).includes(v.value)) {
    return `write it without quotes: \`${v.value}\``;
  }
  if (v.kind === "Identifier") {
    if (v.name === "deny") return "did you mean `block`?";
    return didYouMean(v.name, EFFECTS);
  }
  return undefined;
}

function numberOf(v: Expr): number | undefined {
  if (v.kind === "Number") return v.value;
  if (v.kind === "Unary" && v.op === "-" && v.operand.kind === "Number") return -v.operand.value;
  return undefined;
}
