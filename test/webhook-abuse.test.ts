// Unauthenticated webhook traffic: a flood cannot grow the database past a fixed bound, one address that keeps
// sending refused deliveries is answered 429 before any database work, control characters are refused with
// 422 (never a 500), old deliveries are purged, and what a stranger sent is shown to admins as unverified data.
import { count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { webhookDeliveries, webhookRejectionTallies } from "@/db/schema";
import { POST as webhookPOST } from "@/app/api/v3/integrations/scanners/salt_security/webhook/route";
import {
  purgeOldDeliveries,
  REJECTED_DELIVERIES_KEPT,
  resetWebhookLimits,
  SOURCE_REJECTIONS_PER_MINUTE,
} from "@/server/webhooks/rejections";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import { seedSaltTenant, type SaltTenant } from "./sync-fixtures";
import { PEER_ADDRESS_HEADER } from "@/server/security/client-ip";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let tenant: SaltTenant;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 3, hosts: 1, endpointsPerHost: 1, gapsPerEndpoint: 1 });
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  tenant = await seedSaltTenant(handle, sim);
});
afterAll(async () => {
  await handle?.close();
  await sim?.close();
});
beforeEach(async () => {
  resetWebhookLimits();
  await handle.db.delete(webhookDeliveries);
  await handle.db.delete(webhookRejectionTallies);
});

function deliver(body: unknown, from = "203.0.113.7") {
  return webhookPOST(
    new Request("http://localhost/api/v3/integrations/scanners/salt_security/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", [PEER_ADDRESS_HEADER]: from },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

async function deliveryRows() {
  const [all] = await handle.db.select({ n: count() }).from(webhookDeliveries);
  const [ownerless] = await handle.db.select({ n: count() }).from(webhookDeliveries).where(isNull(webhookDeliveries.companyId));
  return { all: all!.n, ownerless: ownerless!.n };
}

describe("a flood of refused deliveries", () => {
  it("keeps at most the newest few rows per integration, a counter for the rest, and no row for unknown companies", async () => {
    const flood = 300;
    for (let i = 0; i < flood; i++) {
      // Every delivery from a new address (as with a forged X-Forwarded-For), so no per-source limit helps.
      const from = `198.51.${i >> 8}.${i & 255}`;
      const wrongToken = await deliver({ company_id: tenant.company.publicId, webhook_token: `wrong-${i}`, reference: `host-${i}.example` }, from);
      expect(wrongToken.status).toBe(401);
      const unknownCompany = await deliver({ company_id: `nobody-${i}`, webhook_token: "x", reference: "a.example" }, from);
      expect(unknownCompany.status).toBe(401);
    }

    const rows = await deliveryRows();
    expect(rows.ownerless).toBe(0);
    expect(rows.all).toBeLessThanOrEqual(REJECTED_DELIVERIES_KEPT);
    expect(rows.all).toBeGreaterThan(0);
    const [tally] = await handle.db
      .select()
      .from(webhookRejectionTallies)
      .where(eq(webhookRejectionTallies.integrationId, tenant.integration.id));
    expect(tally?.rejectedTotal).toBe(flood);

    const admin = await callerFor(tenant.members.admin.email);
    const panel = await admin.integrations.webhook({ id: tenant.integration.id });
    expect(panel.rejectedTotal).toBe(flood);
    expect(panel.rejectedKept).toBe(REJECTED_DELIVERIES_KEPT);
    expect(panel.lastRejected).toMatchObject({ httpStatus: 401, reason: "unknown company or wrong token" });
  }, 120_000);
});

describe("one address sending refused deliveries", () => {
  it("gets 429 with Retry-After once its budget is spent, before any database work; other addresses are unaffected", async () => {
    for (let i = 0; i < SOURCE_REJECTIONS_PER_MINUTE; i++) {
      expect((await deliver({ company_id: "nobody", webhook_token: "x", reference: "a.example" }, "192.0.2.1")).status).toBe(401);
    }
    const before = await deliveryRows();
    const limited = await deliver({ company_id: tenant.company.publicId, webhook_token: "wrong", reference: "a.example" }, "192.0.2.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await deliveryRows()).toEqual(before);

    const other = await deliver({ company_id: tenant.company.publicId, webhook_token: "wrong", reference: "a.example" }, "192.0.2.2");
    expect(other.status).toBe(401);
  });
});

describe("control characters in webhook input", () => {
  it.each([
    ["company_id", { company_id: "acme\u0000", webhook_token: "x", reference: "a.example" }],
    ["company_id", { company_id: `${"\u0000".repeat(3)}' or 1=1`, webhook_token: "x", reference: "a.example" }],
    ["reference", { company_id: "acme", webhook_token: "x", reference: "a.example\n{\"level\":\"error\"}" }],
    ["event", { company_id: "acme", webhook_token: "x", reference: "a.example", event: "\u001b[31mred" }],
    ["webhook_token", { company_id: "acme", webhook_token: "tok\u0000en", reference: "a.example" }],
  ])("refuses a control character in %s with 422 naming the field", async (field, body) => {
    const response = await deliver(body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ field });
  });

  it("records a malformed delivery for a known company with the control characters removed", async () => {
    const response = await deliver({ company_id: tenant.company.publicId, webhook_token: "x", reference: "evil\u0000\u202e.example", event: "a\u0007" });
    expect(response.status).toBe(422);
    const [row] = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.integrationId, tenant.integration.id));
    expect(row).toMatchObject({ outcome: "rejected", httpStatus: 422, domain: "evil\u202e.example", event: "a" });
  });
});

describe("the scheduled purge", () => {
  it("deletes deliveries older than the retention and keeps newer ones", async () => {
    const scope = { companyId: tenant.company.id, integrationId: tenant.integration.id };
    await handle.db.insert(webhookDeliveries).values([
      { ...scope, outcome: "accepted", httpStatus: 202, reason: "old", receivedAt: sql`now() - interval '31 days'` },
      { ...scope, outcome: "accepted", httpStatus: 202, reason: "recent", receivedAt: sql`now() - interval '29 days'` },
    ]);
    expect(await purgeOldDeliveries(handle.db, { retentionDays: 30 })).toBe(1);
    const left = await handle.db.select({ reason: webhookDeliveries.reason }).from(webhookDeliveries);
    expect(left).toEqual([{ reason: "recent" }]);
  });
});
