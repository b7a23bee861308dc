import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedPolicy } from "../../../src/engine/load.js";
import { postWebhook } from "../../../src/runtime/approvals/webhook.js";
import type { ApprovalPendingError } from "../../../src/runtime/errors.js";
import { createRunplane } from "../../../src/runtime/runplane.js";
import { PROD, removeTempDirs, testPolicy, until } from "./helpers.js";

/** A real HTTP server on 127.0.0.1 that answers each request with the next status of `script`. */
interface Hook {
  url: string;
  bodies: unknown[];
  script: number[];
  server: Server;
}

async function hook(script: number[]): Promise<Hook> {
  const h: Hook = { url: "", bodies: [], script, server: createServer() };
  h.server.on("request", (req: IncomingMessage, res) => {
    let data = "";
    req.on("data", (c: Buffer) => {
      data += c.toString("utf8");
    });
    req.on("end", () => {
      h.bodies.push(JSON.parse(data));
      res.statusCode = h.script.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => h.server.listen(0, "127.0.0.1", r));
  h.url = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}/hook`;
  return h;
}

const closeHook = (h: Hook) => new Promise<void>((r) => h.server.close(() => r()));

let policy: LoadedPolicy;
beforeAll(async () => {
  policy = await testPolicy();
});
afterAll(removeTempDirs);

const CLEANUP = { action: "db.query", args: { sql: "DELETE FROM users WHERE last_login < '2023-01-01'" } };

describe("postWebhook", () => {
  it("retries failures with backoff until the server accepts", async () => {
    const h = await hook([500, 503, 200]);
    const started = Date.now();
    const r = await postWebhook({ url: h.url, backoffMs: 50 }, { text: "hi" });
    expect(r).toEqual({ ok: true, attempts: 3 });
    expect(h.bodies).toEqual([{ text: "hi" }, { text: "hi" }, { text: "hi" }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 100);
    await closeHook(h);
  });

  it("gives up after the retries, saying why", async () => {
    const h = await hook([500, 500, 500]);
    const r = await postWebhook({ url: h.url, retries: 2, backoffMs: 10 }, { text: "x" });
    expect(r).toMatchObject({ ok: false, attempts: 3, error: expect.stringContaining("500") });
    await closeHook(h);
    const down = await postWebhook({ url: h.url, retries: 1, backoffMs: 10 }, { text: "x" });
    expect(down).toMatchObject({ ok: false, attempts: 2, error: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("webhook notices from guard", () => {
  it("posts a Slack-compatible message with the request summary and the approval id, retrying", async () => {
    const h = await hook([502, 200]);
    const rp = await createRunplane({
      policy,
      store: "memory",
      audit: false,
      context: PROD,
      notify: { webhook: { url: h.url, backoffMs: 20 } },
    });
    const e = (await rp
      .guard(CLEANUP, () => 1, { wait: false })
      .catch((x: unknown) => x)) as ApprovalPendingError;
    await until(() => (h.bodies.length === 2 ? true : undefined));
    const body = h.bodies[1] as { text: string; blocks: { type: string }[] };
    expect(body.text).toContain(e.approvalId);
    expect(body.text).toContain("DELETE FROM users WHERE last_login < '2023-01-01'");
    expect(body.text).toContain("writes to production need a DBA");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    expect(JSON.stringify(body.blocks)).toContain(`rplc approvals approve ${e.approvalId}`);
    await rp.close();
    await closeHook(h);
  });

  it("a webhook that is down loses nothing: the approval is pending and can be answered", async () => {
    const h = await hook([]);
    await closeHook(h); // nothing listens on the port any more
    const errors: Error[] = [];
    const rp = await createRunplane({
      policy,
      store: "memory",
      audit: false,
      context: PROD,
      notify: { webhook: { url: h.url, retries: 1, backoffMs: 10 }, onError: (err) => errors.push(err) },
    });
    const waiting = rp.guard(CLEANUP, () => "ran");
    const [pending] = await until(async () => {
      const l = await rp.approvals.list({ status: "pending" });
      return l.length > 0 ? l : undefined;
    });
    await until(() => (errors.length > 0 ? true : undefined));
    expect(errors[0]!.message).toMatch(/webhook .* \(after 2 attempts\)/);
    await rp.approvals.approve(pending!.id, { by: "alice", roles: ["dba"] });
    expect(await waiting).toBe("ran");
    await rp.close();
  });
});
