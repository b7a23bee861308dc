/** stdlib/payments and stdlib/cloud with their params. */
import { beforeAll, expect, describe as group, it } from "vitest";
import { type Engines, engines, rulesOf, userPolicy } from "./pack-harness.js";

let pay: Engines;
let cloud: Engines;
beforeAll(async () => {
  pay = await engines(
    userPolicy(
      'include "stdlib/payments" with { known_payees: ["vendor-1"], approval_amount: 500, block_amount: 2500, currencies: ["usd", "EUR"] }',
    ),
  );
  cloud = await engines(userPolicy('include "stdlib/cloud" with { production_markers: ["live"] }'));
});

function both(e: Engines, action: string, args: Record<string, unknown>) {
  const request = { action, args };
  const d = e.interpret(request);
  expect(e.compiled(request)).toEqual(d);
  return d;
}

const payment = (amount: number, payee = "vendor-1", currency = "USD") =>
  both(pay, "payment.create", { amount, currency, payee });

group("stdlib/payments", () => {
  it("scales the score with the amount between the thresholds", () => {
    expect(payment(100).decision).toBe("ALLOW");
    expect(payment(100).score).toBe(8);
    expect(payment(500).score).toBe(50);
    expect(payment(500).decision).toBe("REQUIRE_APPROVAL");
    expect(payment(1500).score).toBe(70);
    expect(payment(2500).score).toBe(90);
    expect(payment(2500).decision).toBe("BLOCK");
    expect(payment(1_000_000).score).toBe(90);
  });

  it("asks about new payees and blocks other currencies", () => {
    expect(rulesOf(payment(10, "acct_new"))).toEqual(["payments_new_payee"]);
    expect(payment(10, "acct_new").approval?.approvers).toEqual(["finance"]);
    expect(payment(10, "vendor-1", "eur").decision).toBe("ALLOW");
    expect(rulesOf(payment(10, "vendor-1", "GBP"))).toEqual(["payments_currency"]);
    expect(rulesOf(payment(-5))).toEqual(["payments_invalid_amount"]);
  });
});

group("stdlib/cloud", () => {
  it("reads production from the environment, tags and name with the given markers", () => {
    const del = (args: Record<string, unknown>) =>
      both(cloud, "cloud.delete", { resource_type: "aws_lb", ...args });
    expect(rulesOf(del({ resource: "web", environment: "LIVE" }))).toEqual(["cloud_delete_production"]);
    expect(rulesOf(del({ resource: "web", tags: { Stage: "live" } }))).toEqual(["cloud_delete_production"]);
    expect(rulesOf(del({ resource: "arn:aws:elasticloadbalancing:eu:1:lb/web-live/abc" }))).toEqual([
      "cloud_delete_production",
    ]);
    // "prod" is not a marker here.
    expect(del({ resource: "web-prod" }).decision).toBe("ALLOW");
    expect(del({ resource: "olive-garden" }).decision).toBe("ALLOW");
  });

  it("blocks deleting production data and asks about production updates", () => {
    expect(
      rulesOf(
        both(cloud, "cloud.delete", {
          resource_type: "google_sql_database_instance",
          resource: "orders-live",
        }),
      ),
    ).toEqual(["cloud_delete_production_data"]);
    expect(
      rulesOf(
        both(cloud, "cloud.update", { resource_type: "aws_instance", resource: "api", environment: "live" }),
      ),
    ).toEqual(["cloud_production_change"]);
    expect(
      both(cloud, "cloud.create", { resource_type: "aws_instance", resource: "api", environment: "live" })
        .decision,
    ).toBe("ALLOW");
  });

  it("sends every IAM change to review and blocks admin and public grants", () => {
    const iam = (operation: string, principal: string, role: string) =>
      both(cloud, "cloud.iam", { operation, principal, role });
    expect(rulesOf(iam("revoke", "user:a@acme.com", "roles/viewer"))).toEqual(["cloud_iam_change"]);
    expect(rulesOf(iam("create_key", "svc-ci", ""))).toEqual(["cloud_iam_change"]);
    expect(rulesOf(iam("grant", "user:a@acme.com", "arn:aws:iam::aws:policy/AdministratorAccess"))).toContain(
      "cloud_admin_grant",
    );
    expect(rulesOf(iam("grant", "*", "s3:GetObject"))).toContain("cloud_public_grant");
    // Revoking an admin role is a change to review, not an admin grant.
    expect(rulesOf(iam("revoke", "user:a@acme.com", "roles/owner"))).toEqual(["cloud_iam_change"]);
  });
});
