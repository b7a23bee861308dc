/** stdlib/network and stdlib/email with their params. */
import { beforeAll, expect, describe as group, it } from "vitest";
import { type Engines, engines, rulesOf, userPolicy } from "./pack-harness.js";

let net: Engines;
let mail: Engines;
beforeAll(async () => {
  net = await engines(
    userPolicy(
      'include "stdlib/network" with { allowed_hosts: ["api.github.com", "*.acme.com"], local_hosts: ["localhost"] }',
    ),
  );
  mail = await engines(
    userPolicy('include "stdlib/email" with { internal_domains: ["acme.com"], max_recipients: 3 }'),
  );
});

function both(e: Engines, action: string, args: Record<string, unknown>) {
  const request = { action, args };
  const d = e.interpret(request);
  expect(e.compiled(request)).toEqual(d);
  return d;
}

const get = (url: string) => both(net, "http.request", { url });

group("stdlib/network", () => {
  it("holds egress to the allow-list", () => {
    expect(get("https://api.github.com/repos/x").decision).toBe("ALLOW");
    expect(get("https://eu.api.acme.com/v1").decision).toBe("ALLOW");
    expect(rulesOf(get("https://acme.com/"))).toEqual(["network_host_not_allowed"]);
    expect(rulesOf(get("https://evil.example/"))).toEqual(["network_host_not_allowed"]);
    expect(rulesOf(get("https://api.github.com.evil.example/"))).toEqual(["network_host_not_allowed"]);
  });

  it("lets local_hosts through and still stops metadata endpoints and other private addresses", () => {
    expect(get("http://localhost:3000/health").decision).toBe("ALLOW");
    expect(rulesOf(get("http://169.254.169.254/latest/"))).toContain("network_metadata");
    expect(rulesOf(get("http://metadata.google.internal/computeMetadata/v1/"))).toContain("network_metadata");
    const internal = get("http://10.1.2.3/admin");
    expect(internal.decision).toBe("BLOCK");
    expect(rulesOf(internal)).toEqual(["network_private_address", "network_host_not_allowed"]);
  });

  it("never treats a metadata address as merely private", () => {
    expect(rulesOf(get("http://169.254.169.254/"))).not.toContain("network_private_address");
  });
});

const send = (args: Record<string, unknown>) =>
  both(mail, "email.send", { subject: "s", body: "hello", ...args });

group("stdlib/email", () => {
  it("lets internal mail through, subdomains and display names included", () => {
    expect(send({ to: ["bob@acme.com", "Eve <eve@eu.acme.com>"], cc: ["ops@ACME.com"] }).decision).toBe(
      "ALLOW",
    );
  });

  it("asks before mail leaves the organisation, naming who is outside", () => {
    const d = send({ to: ["bob@acme.com"], bcc: ["x@evilacme.com"] });
    expect(d.decision).toBe("REQUIRE_APPROVAL");
    expect(d.matched.map((m) => [m.rule, m.reason])).toEqual([
      ["email_external_recipients", "sends to 1 recipient(s) outside the organisation: x@evilacme.com"],
    ]);
    expect(rulesOf(send({ to: ["acme.com"] }))).toEqual(["email_external_recipients"]);
  });

  it("asks before mass mail", () => {
    const d = send({ to: ["a@acme.com", "b@acme.com"], cc: ["c@acme.com", "d@acme.com"] });
    expect(rulesOf(d)).toEqual(["email_mass_mail"]);
    expect(d.matched[0]?.reason).toBe("sends one mail to 4 recipients (more than 3)");
  });

  it("blocks credentials in attachments given inline", () => {
    const d = send({
      to: ["a@acme.com"],
      attachments: [{ filename: "notes.txt", content: "token ghp_abcdefghijklmnopqrstuvwxyz0123456789" }],
    });
    expect(rulesOf(d)).toEqual(["email_secret_attachment"]);
    expect(
      send({ to: ["a@acme.com"], attachments: [{ filename: "report.pdf", path: "out/report.pdf" }] })
        .decision,
    ).toBe("ALLOW");
  });
});
