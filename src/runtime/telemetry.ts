/**
 * OpenTelemetry, when the application has it:
 *
 *   span       `runplane.guard` per guarded call (guard, resume, decide), with the attributes
 *              `runplane.action`, `runplane.decision`, `runplane.outcome` and `runplane.score`;
 *              status ERROR (with the masked message) when the action threw or a part of the
 *              runtime failed. The action runs inside the span's context, so spans the action
 *              makes are its children (given a context manager, as every SDK setup registers).
 *   histogram  `runplane.guard.duration` (unit `us`): the time of the whole call, the action
 *              and any wait for a human included, with microsecond bucket boundaries.
 *   counter    `runplane.decisions`: one per call, by `runplane.decision` and `runplane.outcome`.
 *
 * `runplane.outcome` is the outcome recorded in the audit log (`executed`, `failed`, `blocked`,
 * `denied`, …), or `error` when a part of the runtime failed and nothing ran (decision `ERROR`
 * when the policy itself could not decide).
 *
 * `@opentelemetry/api` is an optional peer: it is imported dynamically, and when it is not
 * installed (or `telemetry: false`) every call here does nothing. Without an SDK registered by
 * the application, the API's own no-op tracer and meter are used, which cost next to nothing. A
 * meter provider registered after the runtime was created is picked up at the next call (the
 * API's meters, unlike its tracers, do not follow a later registration by themselves).
 */

export interface GuardSpanInfo {
  readonly action: string;
  readonly decision: string;
  readonly outcome: string;
  readonly score: number;
  /** Set when the call failed: the action threw (masked message), or a part of the runtime failed. */
  readonly error?: string;
}

/** One guarded call's telemetry: run the action inside it, then end it (once; later ends are ignored). */
export interface GuardTelemetry {
  run<T>(fn: () => T): T;
  end(info: GuardSpanInfo): void;
}

export interface Telemetry {
  /** Whether `@opentelemetry/api` was found. */
  readonly active: boolean;
  /** Call at the start of a guarded call. */
  start(): GuardTelemetry;
}

const NOOP_CALL: GuardTelemetry = { run: (fn) => fn(), end: () => {} };
export const NO_TELEMETRY: Telemetry = { active: false, start: () => NOOP_CALL };

/** Microsecond bucket boundaries: the API's default (milliseconds-scale) ones are far too coarse. */
export const BUCKETS_US: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 250_000, 1_000_000,
];

type Attributes = Record<string, string | number>;

// The optional API's shape, as far as used here (its types are not a dependency of runplane).
interface OtelSpan {
  setAttributes(attributes: Attributes): void;
  setStatus(status: { code: number; message?: string }): void;
  end(): void;
}
interface OtelMeter {
  createHistogram(
    name: string,
    options: { unit: string; description: string; advice?: { explicitBucketBoundaries: number[] } },
  ): { record(value: number, attributes: Attributes): void };
  createCounter(
    name: string,
    options: { unit: string; description: string },
  ): { add(value: number, attributes: Attributes): void };
}
interface OtelApi {
  trace: {
    getTracer(name: string): { startSpan(name: string): OtelSpan };
    setSpan(context: unknown, span: OtelSpan): unknown;
  };
  context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  metrics: { getMeterProvider(): { getMeter(name: string): OtelMeter } };
}

/** `SpanStatusCode.ERROR` in @opentelemetry/api. */
const STATUS_ERROR = 2;

interface Instruments {
  readonly provider: unknown;
  readonly duration: { record(value: number, attributes: Attributes): void };
  readonly decisions: { add(value: number, attributes: Attributes): void };
}

function instruments(api: OtelApi): Instruments {
  const provider = api.metrics.getMeterProvider();
  const meter = provider.getMeter("runplane");
  return {
    provider,
    duration: meter.createHistogram("runplane.guard.duration", {
      unit: "us",
      description: "duration of a guarded call, the action (and any wait for approval) included",
      advice: { explicitBucketBoundaries: [...BUCKETS_US] },
    }),
    decisions: meter.createCounter("runplane.decisions", {
      unit: "{decision}",
      description: "guarded calls, by decision and outcome",
    }),
  };
}

export async function openTelemetry(enabled: boolean): Promise<Telemetry> {
  if (!enabled) return NO_TELEMETRY;
  let api: OtelApi;
  try {
    // A variable specifier: bundlers and the type checker leave the optional peer alone.
    const name = "@opentelemetry/api";
    api = (await import(name)) as OtelApi;
  } catch {
    return NO_TELEMETRY;
  }
  // The tracer follows a provider registered later by itself (the API hands out a proxy).
  const tracer = api.trace.getTracer("runplane");
  let current = instruments(api);
  const meters = (): Instruments => {
    if (api.metrics.getMeterProvider() !== current.provider) current = instruments(api);
    return current;
  };
  return {
    active: true,
    start(): GuardTelemetry {
      const t0 = performance.now();
      const span = tracer.startSpan("runplane.guard");
      let ended = false;
      return {
        run: (fn) => api.context.with(api.trace.setSpan(api.context.active(), span), fn),
        end(info) {
          if (ended) return;
          ended = true;
          const us = (performance.now() - t0) * 1000;
          span.setAttributes({
            "runplane.action": info.action,
            "runplane.decision": info.decision,
            "runplane.outcome": info.outcome,
            "runplane.score": info.score,
          });
          if (info.error !== undefined) span.setStatus({ code: STATUS_ERROR, message: info.error });
          span.end();
          const m = meters();
          const attributes = { "runplane.decision": info.decision, "runplane.outcome": info.outcome };
          m.duration.record(us, attributes);
          m.decisions.add(1, attributes);
        },
      };
    },
  };
}
