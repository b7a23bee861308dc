/**
 * The request (LANGUAGE.md §1) as untrusted input: its shape (§3 step 1), its time, and the
 * messages of schema violations (§3 step 3). Shared by the interpreter and the compiled module.
 *
 * Every problem is a `DecisionError` whose message starts with the JSON pointer (RFC 6901) of
 * the offending value, from the request's root: `/args/sql: must be string`,
 * `/context/env: must be one of "dev", "staging", "production"`, `/time: must be an RFC 3339
 * date-time`. Only the whole request has no pointer: `request: must be a JSON object`.
 *
 * Hostile input (library callers may pass anything) never crashes a decision: values are walked
 * to a bounded depth without allocating, so a cyclic object or a 10,000-deep nesting is an error
 * found in bounded time, and functions, symbols, bigints and non-finite numbers are rejected.
 */
import type { DecisionError } from "./decision.js";
import { isTime, parseTime } from "./time.js";
import { isObject, pointerSegment } from "./values.js";

// A constant of this module, not an import of values.ts's: through an imported binding (src/ run
// unbundled, as tsx runs it) V8 no longer optimizes `HOP.call` and the 10-rule decision took twice as long.
const HOP = Object.prototype.hasOwnProperty;

/** Deepest nesting of objects and lists a request may have (counted from the request itself). */
export const MAX_DEPTH = 128;

/**
 * Why `value` is not a JSON value within the depth limit, as `/rel/pointer: message` relative to
 * `value`, or null. Recursion is bounded by MAX_DEPTH, so a cycle ends as a depth error. The
 * pointer is built on the way out, for the one failing path only: a valid value costs no strings.
 */
function jsonProblem(value: unknown, depth: number): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return null;
    case "number":
      return Number.isFinite(value) ? null : ": must be a finite number";
    case "object": {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return `: nested deeper than ${MAX_DEPTH} levels (or cyclic)`;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (typeof v === "string" || typeof v === "boolean") continue; // the usual leaves, without a call
          const p = jsonProblem(v, depth + 1);
          if (p !== null) return `/${i}${p}`;
        }
        return null;
      }
      // for…in with an own-property test walks without allocating a key array.
      for (const key in value) {
        if (!HOP.call(value, key)) continue;
        const v = (value as Record<string, unknown>)[key];
        if (typeof v === "string" || typeof v === "boolean") continue;
        const p = jsonProblem(v, depth + 1);
        if (p !== null) return `/${pointerSegment(key)}${p}`;
      }
      return null;
    }
    default:
      return `: must be a JSON value, not a ${typeof value}`;
  }
}

function push(errors: DecisionError[] | null, message: string): DecisionError[] {
  const out = errors ?? [];
  out.push({ message });
  return out;
}

/**
 * Step 1: the request's shape. Null when it is a request; else the errors (nothing is evaluated
 * for a request of the wrong shape). `now` is what `requestTime` returned (NaN: a bad `time`).
 */
export function shapeErrors(request: unknown, now: number): DecisionError[] | null {
  if (!isObject(request)) return [{ message: "request: must be a JSON object" }];
  let errors: DecisionError[] | null = null;
  for (const key in request) {
    if (!HOP.call(request, key)) continue;
    if (key !== "action" && key !== "args" && key !== "context" && key !== "time") {
      errors = push(
        errors,
        `/${pointerSegment(key)}: unknown request field (expected action, args, context, time)`,
      );
    }
  }
  if (!HOP.call(request, "action")) errors = push(errors, "/action: is required");
  else if (typeof request.action !== "string") errors = push(errors, "/action: must be a string");
  errors = objectField(request, "args", errors);
  errors = objectField(request, "context", errors);
  if (Number.isNaN(now)) errors = push(errors, "/time: must be an RFC 3339 date-time");
  return errors;
}

/**
 * Whether the top of step 1 holds: `request` is an object with no unknown field, a string
 * `action`, `args` and `context` absent or objects, a good `time` (`now` not NaN). Exactly the
 * checks of `shapeErrors` but the walk of `args` and `context` (`walkErrors`), which a compiled
 * module makes with its fast checks; when this is false, `shapeErrors` has the messages.
 */
export function wellFormed(request: unknown, now: number): boolean {
  // Written out, without isObject and a helper per field: this is on every decision's path, and
  // the calls made it half again as slow (measured under tsx, where src/ runs unbundled).
  if (typeof request !== "object" || request === null || Array.isArray(request) || Number.isNaN(now))
    return false;
  for (const key in request) {
    if (!HOP.call(request, key)) continue;
    if (key !== "action" && key !== "args" && key !== "context" && key !== "time") return false;
  }
  const r = request as Record<string, unknown>;
  if (!HOP.call(r, "action") || typeof r.action !== "string") return false;
  let v = HOP.call(r, "args") ? r.args : undefined;
  if (v !== undefined && (typeof v !== "object" || v === null || Array.isArray(v))) return false;
  v = HOP.call(r, "context") ? r.context : undefined;
  return v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v));
}

/**
 * The rest of step 1 for a request `wellFormed` accepted: the walk of `args` and `context` (as
 * `argsOf`/`contextOf` give them), with the messages `shapeErrors` gives.
 */
export function walkErrors(args: unknown, context: unknown): DecisionError[] | null {
  let errors: DecisionError[] | null = null;
  const a = jsonProblem(args, 1);
  if (a !== null) errors = push(errors, `/args${a}`);
  const c = jsonProblem(context, 1);
  if (c !== null) errors = push(errors, `/context${c}`);
  return errors;
}

/**
 * Whether the walk accepts `value` at `depth` (`args` itself is at 1): what the fast checks of a
 * compiled module call for values their schema leaves open (compile/fast-check.ts).
 */
export function clean(value: unknown, depth: number): boolean {
  return typeof value === "string" || typeof value === "boolean" || jsonProblem(value, depth) === null;
}

function objectField(
  request: Record<string, unknown>,
  key: "args" | "context",
  errors: DecisionError[] | null,
) {
  if (!HOP.call(request, key)) return errors;
  const v = request[key];
  if (v === undefined) return errors;
  if (!isObject(v)) return push(errors, `/${key}: must be an object`);
  const p = jsonProblem(v, 1);
  return p === null ? errors : push(errors, `/${key}${p}`);
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** `args` of a well-shaped request (default `{}`). */
export function argsOf(request: Record<string, unknown>): Record<string, unknown> {
  const v = HOP.call(request, "args") ? request.args : undefined;
  return (v ?? EMPTY) as Record<string, unknown>;
}

/** `context` of a well-shaped request (default `{}`). */
export function contextOf(request: Record<string, unknown>): Record<string, unknown> {
  const v = HOP.call(request, "context") ? request.context : undefined;
  return (v ?? EMPTY) as Record<string, unknown>;
}

/**
 * `now` of a request: its `time`, or the current time when it has none; NaN when `time` is there
 * but not an RFC 3339 date-time (shapeErrors reports it). With `clock` null (a policy that never
 * reads `now`) only the validity matters: 0 for a good or absent `time`, NaN for a bad one. Both
 * are numbers V8 returns without allocating, where an epoch in milliseconds is a new heap number.
 */
export function requestTime(request: unknown, clock: (() => number) | null = Date.now): number {
  if (!isObject(request) || !HOP.call(request, "time")) return clock === null ? 0 : clock();
  const t = request.time;
  if (t === undefined) return clock === null ? 0 : clock();
  if (typeof t !== "string") return Number.NaN;
  if (clock === null) return isTime(t) ? 0 : Number.NaN;
  return parseTime(t) ?? Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Schema violations (ajv errors, from the standalone validators of a compiled module or from
// validators compiled in memory by the interpreter: the same shape either way).

export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/**
 * The second parameter of an ajv validator. Compiled modules pass one object per validator on
 * every call (ajv's parameter defaults would allocate two objects per call otherwise).
 */
export interface ValidatorOptions {
  readonly instancePath: string;
  readonly dynamicAnchors: Record<string, unknown>;
}

/** A validator function as ajv makes them (compiled or standalone). */
export interface Validator {
  (data: unknown, options?: ValidatorOptions): boolean;
  errors?: readonly SchemaError[] | null;
}

function allowed(values: unknown): string {
  if (!Array.isArray(values)) return "one of the allowed values";
  const shown = values.slice(0, 10).map((v) => JSON.stringify(v));
  return `one of ${shown.join(", ")}${values.length > 10 ? ", …" : ""}`;
}

/** One schema violation as `pointer: message`; `base` is where the validated value sits (`/args`). */
export function schemaMessage(error: SchemaError, base: string): string {
  const at = base + error.instancePath;
  const p = error.params;
  switch (error.keyword) {
    case "required":
      return `${at}/${pointerSegment(String(p.missingProperty))}: is required`;
    case "additionalProperties":
      return `${at}/${pointerSegment(String(p.additionalProperty))}: is not allowed`;
    case "enum":
      return `${at}: must be ${allowed(p.allowedValues)}`;
    case "const":
      return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
    case "format":
      return p.format === "date-time" ? `${at}: must be an RFC 3339 date-time` : `${at}: ${error.message}`;
    default:
      return `${at}: ${error.message ?? `fails \`${error.keyword}\``}`;
  }
}

/**
 * Step 3: validate `data` and add the first violation (if any) to `errors`. The first one only:
 * a hostile request with a million bad elements must not produce a million errors.
 */
export function validate(
  validator: Validator,
  data: unknown,
  base: string,
  errors: DecisionError[] | null,
  options?: ValidatorOptions,
): DecisionError[] | null {
  if (options === undefined ? validator(data) : validator(data, options)) return errors;
  const first = validator.errors?.[0];
  const out = errors ?? [];
  out.push({ message: first === undefined ? `${base}: is invalid` : schemaMessage(first, base) });
  return out;
}
