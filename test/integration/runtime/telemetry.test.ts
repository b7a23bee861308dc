/**
 * OpenTelemetry with the real SDK: a tracer provider exporting to memory (SimpleSpanProcessor)
 * and a meter provider whose reader exports to memory, registered as the application would.
 * One span per guarded call with its attributes and status, the duration histogram in
 * microseconds with runplane's own bucket boundaries, and the decisions counter by outcome.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import {
  type Context,
  type ContextManager,
  context,
  metrics,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LoadedPolicy } from "../../../src/engine/load.js";
import { MemoryApprovalStore } from "../../../src/runtime/approvals/memory.js";
import { ApprovalDeniedError, BlockedError, RunplaneError } from "../../../src/runtime/errors.js";
import { createRunplane, type Runplane, type RunplaneOptions } from "../../../src/runtime/runplane.js";
import { BUCKETS_US } from "../../../src/runtime/telemetry.js";
import { DEV, PROD, removeTempDirs, sleep, tempDir, testPolicy } from "../../unit/runtime/helpers.js";

const READ = { action: "db.query", args: { sql: "SELECT id FROM users" } };
const WIPE = { action: "db.query", args: { sql: "DELETE FROM users" } };
const UPDATE = { action: "db.query", args: { sql: "UPDATE users SET plan = 'pro' WHERE id = 7" } };

/** The context manager an SDK setup registers (AsyncLocalStorage), in the API's terms. */
class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.als.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

let policy: LoadedPolicy;
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
let tracerProvider: BasicTracerProvider | undefined;
let meterProvider: MeterProvider | undefined;
const open: Runplane[] = [];

beforeAll(async () => {
  policy = await testPolicy();
});
afterEach(async () => {
  for (const rp of open.splice(0)) await rp.close();
});
afterAll(async () => {
  trace.disable();
  metrics.disable();
  context.disable();
  await tracerProvider?.shutdown();
  await meterProvider?.shutdown();
  removeTempDirs();
});

function register(): void {
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 }),
    ],
  });
  expect(trace.setGlobalTracerProvider(tracerProvider)).toBe(true);
  expect(metrics.setGlobalMeterProvider(meterProvider)).toBe(true);
  expect(context.setGlobalContextManager(new AlsContextManager())).toBe(true);
}

async function runtime(extra: Partial<RunplaneOptions> = {}): Promise<Runplane> {
  const rp = await createRunplane({
    policy,
    store: "memory",
    audit: path.join(tempDir(), "audit.jsonl"),
    context: PROD,
    approvalPollMs: 10,
    ...extra,
  });
  open.push(rp);
  return rp;
}

/** The metrics exported so far by name (the last export: cumulative, so it holds everything). */
async function exported(): Promise<Map<string, MetricData>> {
  metricExporter.reset();
  await meterProvider?.forceFlush();
  const out = new Map<string, MetricData>();
  for (const rm of metricExporter.getMetrics()) {
    for (const sm of rm.scopeMetrics) {
      if (sm.scope.name !== "runplane") continue;
      for (const m of sm.metrics) out.set(m.descriptor.name, m);
    }
  }
  return out;
}

const key = (attributes: Record<string, unknown>) =>
  `${attributes["runplane.decision"]}/${attributes["runplane.outcome"]}`;

function guardSpans(): ReadableSpan[] {
  return spans.getFinishedSpans().filter((s) => s.name === "runplane.guard");
}

describe("telemetry with the OpenTelemetry SDK", () => {
  it("without an SDK registered: the API's no-ops are used and every path works", async () => {
    const rp = await runtime();
    expect(rp.telemetryActive).toBe(true);
    expect(await rp.guard(READ, () => 1)).toBe(1);
    await expect(rp.guard(WIPE, () => 1)).rejects.toBeInstanceOf(BlockedError);
    await expect(
      rp.guard(READ, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await rp.decide(READ)).decision).toBe("ALLOW");
    // Registered afterwards: the calls above went to the no-op tracer and meter.
    register();
    expect(guardSpans()).toEqual([]);
    expect(await exported()).toEqual(new Map());
  });

  it("one span per guard: action, decision, outcome, score; ERROR status when the action threw", async () => {
    spans.reset();
    // Created after registration; the other runtime (created before it) is checked below.
    const rp = await runtime({
      context: DEV,
      notify: {
        onApproval: (a) => {
          void sleep(30).then(() => rp.approvals.deny(a.id, { by: "alice", note: "not today" }));
        },
      },
    });
    expect(await rp.guard(READ, () => "rows")).toBe("rows");
    await expect(rp.guard(WIPE, () => "never")).rejects.toBeInstanceOf(BlockedError);
    const boom = new Error("connection refused: postgres://admin:S3cr3tPassw0rd@db.internal:5432/app");
    await expect(rp.guard(READ, () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(rp.guard(UPDATE, () => "never")).rejects.toBeInstanceOf(ApprovalDeniedError);

    const got = guardSpans();
    expect(got.map((s) => s.attributes)).toEqual([
      {
        "runplane.action": "db.query",
        "runplane.decision": "ALLOW",
        "runplane.outcome": "executed",
        "runplane.score": 0,
      },
      {
        "runplane.action": "db.query",
        "runplane.decision": "BLOCK",
        "runplane.outcome": "blocked",
        "runplane.score": 0,
      },
      {
        "runplane.action": "db.query",
        "runplane.decision": "ALLOW",
        "runplane.outcome": "failed",
        "runplane.score": 0,
      },
      {
        "runplane.action": "db.query",
        "runplane.decision": "REQUIRE_APPROVAL",
        "runplane.outcome": "denied",
        "runplane.score": 0,
      },
    ]);
    expect(got.map((s) => s.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.UNSET,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    // The error's message, with the secret masked as in the audit log.
    expect(got[2]!.status.message).toContain("connection refused: ");
    expect(got[2]!.status.message).not.toContain("S3cr3tPassw0rd");
    expect(got[2]!.status.message).toContain("[REDACTED:");
    expect(got.every((s) => s.ended && s.instrumentationScope.name === "runplane")).toBe(true);
    // The denied call waited ~30 ms for the human: the span covers the wait.
    const [sec, ns] = got[3]!.duration;
    expect(sec * 1e3 + ns / 1e6).toBeGreaterThanOrEqual(25);
  });

  it("records the duration histogram in µs with runplane's buckets, and counts decisions by outcome", async () => {
    const m = await exported();
    const duration = m.get("runplane.guard.duration");
    expect(duration?.descriptor).toMatchObject({ name: "runplane.guard.duration", unit: "us" });
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const points = new Map(
      (duration?.dataPoints ?? []).map((p) => [key(p.attributes), p.value as Histogram] as const),
    );
    expect([...points.keys()].sort()).toEqual([
      "ALLOW/executed",
      "ALLOW/failed",
      "BLOCK/blocked",
      "REQUIRE_APPROVAL/denied",
    ]);
    for (const h of points.values()) {
      // The boundaries actually applied by the SDK are runplane's (advice), not the defaults.
      expect(h.buckets.boundaries).toEqual(BUCKETS_US);
      expect(h.count).toBe(1);
    }
    // Microseconds: the denied call waited ≥ 25 ms for its answer, i.e. ≥ 25,000 µs; an allowed
    // call that returns at once is far below a second (1,000,000 µs) even on a loaded machine.
    expect(points.get("REQUIRE_APPROVAL/denied")!.sum).toBeGreaterThanOrEqual(25_000);
    const executed = points.get("ALLOW/executed")!;
    expect(executed.sum).toBeGreaterThan(0);
    expect(executed.sum).toBeLessThan(1_000_000);
    // The bucket that holds it is the one its value falls in.
    const at = BUCKETS_US.findIndex((b) => executed.sum! <= b);
    expect(executed.buckets.counts[at === -1 ? BUCKETS_US.length : at]).toBe(1);

    const decisions = m.get("runplane.decisions");
    expect(decisions?.descriptor.name).toBe("runplane.decisions");
    expect(decisions?.dataPointType).toBe(DataPointType.SUM);
    const counts = Object.fromEntries(
      (decisions?.dataPoints ?? []).map((p) => [key(p.attributes), p.value as number]),
    );
    expect(counts).toEqual({
      "ALLOW/executed": 1,
      "ALLOW/failed": 1,
      "BLOCK/blocked": 1,
      "REQUIRE_APPROVAL/denied": 1,
    });
  });

  it("the action runs inside the guard's span: its own spans are children", async () => {
    spans.reset();
    const rp = await runtime();
    await rp.guard(READ, async () => {
      await sleep(1);
      trace.getTracer("app").startSpan("db.select").end();
    });
    const child = spans.getFinishedSpans().find((s) => s.name === "db.select");
    const [parent] = guardSpans();
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
  });

  it("a part that fails (the store) ends the span with outcome error and ERROR status", async () => {
    spans.reset();
    class DownStore extends MemoryApprovalStore {
      override async create(): Promise<void> {
        throw new Error("connection reset");
      }
    }
    const rp = await runtime({ store: new DownStore() });
    const cleanup = { action: "db.query", args: { sql: "DELETE FROM users WHERE id = 1" } };
    const e = await rp.guard(cleanup, () => "never").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RunplaneError);
    const [span] = guardSpans();
    expect(span?.attributes).toMatchObject({
      "runplane.decision": "REQUIRE_APPROVAL",
      "runplane.outcome": "error",
    });
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    expect((await exported()).get("runplane.decisions")?.dataPoints.map((p) => key(p.attributes))).toContain(
      "REQUIRE_APPROVAL/error",
    );
  });

  it("follows a meter provider registered after the runtime was created", async () => {
    // Simulated by swapping in a second meter provider: the runtime follows the global one.
    const rp = await runtime();
    spans.reset();
    const second = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: second, exportIntervalMillis: 3_600_000 })],
    });
    metrics.disable();
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    await rp.guard(READ, () => 1);
    await provider.forceFlush();
    const names = second
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((x) => x.descriptor.name)));
    expect(names).toEqual(expect.arrayContaining(["runplane.guard.duration", "runplane.decisions"]));
    expect(guardSpans()).toHaveLength(1);
    metrics.disable();
    expect(metrics.setGlobalMeterProvider(meterProvider!)).toBe(true);
    await provider.shutdown();
  });

  it("telemetry: false records nothing, with the SDK registered", async () => {
    spans.reset();
    const before = await exported();
    const count = (m: Map<string, MetricData>) =>
      (m.get("runplane.decisions")?.dataPoints ?? []).reduce((n, p) => n + (p.value as number), 0);
    const rp = await runtime({ telemetry: false });
    expect(rp.telemetryActive).toBe(false);
    expect(await rp.guard(READ, () => 1)).toBe(1);
    await expect(rp.guard(WIPE, () => 1)).rejects.toBeInstanceOf(BlockedError);
    expect(spans.getFinishedSpans()).toEqual([]);
    expect(count(await exported())).toBe(count(before));
  });
});
