/**
 * A test's `request { … }` object literal → the request JSON value (LANGUAGE.md §1).
 *
 * The literal is evaluated with the reference evaluator, so anything the checker accepts in a
 * test (constants, `let`s, `param`s, `def` calls, `+` on strings, durations as milliseconds)
 * means what it means in a rule. A request without `time` is decided at the current time, as the
 * runtime does (LANGUAGE.md §1); tests that depend on the clock should give one.
 */
import { Evaluation } from "../engine/evaluate.js";
import type { Prepared } from "../engine/interpret.js";
import type { ObjectLiteral } from "../syntax/ast.js";

export type BuiltRequest =
  | { readonly ok: true; readonly request: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export function requestFromLiteral(p: Prepared, literal: ObjectLiteral): BuiltRequest {
  // Test requests are constant expressions: the roots are never read (the checker forbids it).
  const ev = new Evaluation(p.constants, { action: "", args: {}, context: {}, now: Date.now() });
  try {
    const value = ev.eval(literal, null);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, message: "the request is not an object" };
    }
    return { ok: true, request: value as Record<string, unknown> };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `the request could not be built: ${why}` };
  }
}
