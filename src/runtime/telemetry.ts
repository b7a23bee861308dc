/**
 * OpenTelemetry, when the application has it: a span per guarded action (`runplane.guard`, with
 * the action, decision, outcome and score) and a histogram of the time the guard itself took
 * (microseconds, with buckets fine enough for decisions that take a few of them).
 *
 * `@opentelemetry/api` is an optional peer: it is imported dynamically, and when it is not
 * installed (or `telemetry: false`) every call here does nothing. Without an SDK registered by
 * the application, the API's own no-op tracer and meter are used, which cost next to nothing.
 */

export interface GuardSpanInfo {
  readonly action: string;
  readonly decision: string;
  readonly outcome: string;
  readonly score: number;
}

export interface Telemetry {
  /** Whether `@opentelemetry/api` was found. */
  readonly active: boolean;
  /** Call at the start of a guard; call the result with what happened at its end. */
  start(): (info: GuardSpanInfo) => void;
}

const NOOP_END = (): void => {};
export const NO_TELEMETRY: Telemetry = { active: false, start: () => NOOP_END };

/** Microsecond bucket boundaries: the API's default (milliseconds-scale) ones are far too coarse. */
const BUCKETS_US = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 250_000, 1_000_000];

// The optional API's shape, as far as used here (its types are not installed with runplane).
interface OtelApi {
  trace: { getTracer(name: string): { startSpan(name: string): OtelSpan } };
  metrics: {
    getMeter(name: string): {
      createHistogram(
        name: string,
        options: { unit: string; description: string; advice?: { explicitBucketBoundaries: number[] } },
      ): { record(value: number, attributes: Record<string, string | number>): void };
    };
  };
}
interface OtelSpan {
  setAttributes(attributes: Record<string, string | number>): void;
  end(): void;
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
  const tracer = api.trace.getTracer("runplane");
  const histogram = api.metrics.getMeter("runplane").createHistogram("runplane.guard.duration", {
    unit: "us",
    description: "duration of a guarded call, the action included",
    advice: { explicitBucketBoundaries: BUCKETS_US },
  });
  return {
    active: true,
    start() {
      const t0 = process.hrtime.bigint();
      const span = tracer.startSpan("runplane.guard");
      return (info) => {
        const attributes = {
          "runplane.action": info.action,
          "runplane.decision": info.decision,
          "runplane.outcome": info.outcome,
          "runplane.score": info.score,
        };
        span.setAttributes(attributes);
        span.end();
        histogram.record(Number(process.hrtime.bigint() - t0) / 1000, {
          "runplane.decision": info.decision,
          "runplane.outcome": info.outcome,
        });
      };
    },
  };
}
