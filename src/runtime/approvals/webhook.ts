/**
 * Posting approval notices to a webhook (Slack incoming webhooks and anything that accepts the
 * same JSON: `{ text, blocks }`).
 *
 * The approval is in the store before anything is posted, and posting happens beside the guard,
 * never in its way: a webhook that is down delays nothing and loses nothing (the approval can
 * still be listed and answered). Failures (network errors, timeouts, non-2xx answers) are retried
 * with exponential backoff (`backoffMs`, doubled each time, plus up to 20 % jitter).
 */
export interface WebhookOptions {
  readonly url: string;
  /** Attempts after the first (default 4). */
  readonly retries?: number;
  /** The first wait between attempts (ms, default 500). */
  readonly backoffMs?: number;
  /** Per attempt (ms, default 5000). */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface WebhookResult {
  readonly ok: boolean;
  readonly attempts: number;
  /** The last failure, when not ok. */
  readonly error?: string;
}

/** Wait `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Post `body`, retrying; `signal` (the runtime closing) ends the retries. */
export async function postWebhook(
  options: WebhookOptions,
  body: unknown,
  signal?: AbortSignal,
): Promise<WebhookResult> {
  const retries = options.retries ?? 4;
  const backoff = options.backoffMs ?? 500;
  const payload = JSON.stringify(body);
  let error = "";
  let attempt = 0;
  for (; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1) * (1 + Math.random() * 0.2), signal);
    if (signal?.aborted)
      return { ok: false, attempts: attempt, error: `${error || "not sent"} (stopped: the runtime closed)` };
    try {
      const res = await fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: payload,
        signal:
          signal === undefined
            ? AbortSignal.timeout(options.timeoutMs ?? 5000)
            : AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 5000)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt + 1 };
      error = `the webhook answered ${res.status} ${res.statusText}`.trim();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      error = `${e instanceof Error ? e.message : String(e)}${cause ? ` (${cause})` : ""}`;
    }
  }
  return { ok: false, attempts: attempt, error };
}
