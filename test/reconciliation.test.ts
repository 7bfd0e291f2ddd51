// Reconciliation: the scheduled full sync catches Salt changes that no webhook announced (a misconfigured Custom
// Webhook template fails silently in Salt) and says so on the integration — against real PostgreSQL and the
// simulator, with Postura's real webhook route on loopback.
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { defaultIntegrationSettings, integrations, syncRuns, webhookDeliveries } from "@/db/schema";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { createDomainSyncHandler, defaultSyncDependencies, runDomainSync, runReconciliationTick } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import {
  eventually,
  seedSaltTenant,
  simulatorGaps,
  simulatorHosts,
  type SaltTenant,
  startWebhookReceiver,
  webhookTemplate,
  addDomainAssets,
} from "./sync-fixtures";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 3, hosts: 2, endpointsPerHost: 5, gapsPerEndpoint: 2 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  receiver = await startWebhookReceiver();
  await boss.work(QUEUES.domainSync, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 }, createDomainSyncHandler(() => handle.db));
  host = simulatorHosts(sim)[0]!;
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await receiver?.close();
  await handle?.close();
  await sim?.close();
});

beforeEach(() => {
  sim.reset();
});

async function syncedTenant(settings: Parameters<typeof seedSaltTenant>[2] = {}) {
  const tenant = await seedSaltTenant(handle, sim, settings);
  await addDomainAssets(handle, tenant, [host]);
  await runDomainSync(
    handle.db,
    { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "first_sync" },
    defaultSyncDependencies,
  );
  return tenant;
}

async function runsSettled(tenant: SaltTenant, trigger: "webhook" | "reconciliation", n: number) {
  const [row] = await handle.db
    .select({ n: count() })
    .from(syncRuns)
    .where(and(eq(syncRuns.integrationId, tenant.integration.id), eq(syncRuns.trigger, trigger), inArray(syncRuns.state, ["succeeded", "failed"])));
  return row!.n >= n;
}

/** Reconciliation jobs whose handler finished (run and findings both recorded). */
async function reconciliationJobsDone(tenant: SaltTenant, n: number) {
  const result = await handle.db.execute(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync} and state = 'completed'
        and data->>'trigger' = 'reconciliation' and data->>'integrationId' = ${tenant.integration.id}`,
  );
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n) >= n;
}

async function warningOf(tenant: SaltTenant) {
  const [row] = await handle.db.select({ w: integrations.webhookWarning }).from(integrations).where(eq(integrations.id, tenant.integration.id));
  return row!.w;
}

async function deliveries(tenant: SaltTenant, outcome: "accepted" | "rejected") {
  const [row] = await handle.db
    .select({ n: count() })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.integrationId, tenant.integration.id), eq(webhookDeliveries.outcome, outcome)));
  return row!.n;
}

/** Changes a gap in Salt and waits for Salt's webhook to have been answered. */
async function changeGapInSalt(status: "Resolved" | "Ignored" | "Inprocess") {
  const gap = simulatorGaps(sim, host).find((g) => g.status !== status)!;
  await new Promise((r) => setTimeout(r, 5));
  sim.state.updatePostureGap(gap.postureGapId, { status });
  await eventually(() => sim.webhookLog().length > 0, "Salt's webhook");
  await sim.webhooksIdle();
}

describe("reconciliation", () => {
  it("warns, naming the domain, when Salt's changes arrive without an accepted webhook, and clears once webhooks work", async () => {
    const tenant = await syncedTenant();
    // A template with a misspelt field: Salt sends it anyway, Postura refuses it.
    sim.configureWebhook({ url: receiver.url, bodyTemplate: webhookTemplate(tenant).replace('"webhook_token"', '"webhookToken"') });
    await changeGapInSalt("Resolved");
    expect(await deliveries(tenant, "rejected")).toBe(1);
    expect(await warningOf(tenant)).toBeNull();

    const { queued } = await runReconciliationTick(handle.db, { boss });
    expect(queued).toContain(tenant.integration.id);
    // The job records its findings right after the run: wait for them.
    await eventually(async () => (await warningOf(tenant)) !== null, "the webhook warning");
    const warning = await warningOf(tenant);
    expect(warning?.domains).toEqual([expect.objectContaining({ domain: host, changes: 1 })]);

    const admin = await callerFor(tenant.members.admin.email);
    expect((await admin.integrations.byId({ id: tenant.integration.id })).webhookWarning?.domains[0]?.domain).toBe(host);
    // Everyone in the company can read the webhook's health; the broken delivery is its last rejected one.
    const viewer = await callerFor(tenant.members.viewer.email);
    const health = await viewer.sync.webhookHealth({ integrationId: tenant.integration.id });
    expect(health.warning).toMatchObject({
      message: "Salt changes are arriving without webhooks — check the Custom Webhook template",
      domains: [expect.objectContaining({ domain: host, changes: 1 })],
    });
    expect(health.lastAccepted).toBeNull();
    expect(health.lastRejected).toMatchObject({ domain: host, httpStatus: 422, reason: expect.stringContaining("webhook_token") });
    expect(JSON.stringify(health)).not.toContain(tenant.webhookToken);
    const stranger = await syncedTenant();
    await expect(
      (await callerFor(stranger.members.admin.email)).sync.webhookHealth({ integrationId: tenant.integration.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    // A quiet day proves nothing: the next reconciliation finds no changes and the warning stands as it was.
    await runReconciliationTick(handle.db, { boss, now: new Date(Date.now() + 25 * 3_600_000) });
    await eventually(() => reconciliationJobsDone(tenant, 2), "the second reconciliation");
    expect(await warningOf(tenant)).toEqual(warning);

    // The template is fixed: the next change comes by webhook, and its re-sync clears the domain's entry.
    sim.configureWebhook({ url: receiver.url, bodyTemplate: webhookTemplate(tenant) });
    await changeGapInSalt("Ignored");
    expect(await deliveries(tenant, "accepted")).toBe(1);
    await eventually(() => runsSettled(tenant, "webhook", 1), "the webhook's re-sync");
    await eventually(async () => (await warningOf(tenant)) === null, "the warning to clear");
    // ... and the next reconciliation finds nothing unannounced.
    await runReconciliationTick(handle.db, { boss, now: new Date(Date.now() + 50 * 3_600_000) });
    await eventually(() => reconciliationJobsDone(tenant, 3), "the third reconciliation");
    expect(await warningOf(tenant)).toBeNull();
    const healed = await viewer.sync.webhookHealth({ integrationId: tenant.integration.id });
    expect(healed.warning).toBeNull();
    expect(healed.lastAccepted).toMatchObject({ domain: host, httpStatus: 202 });
  });

  it("raises no warning for changes Salt sends no webhook for: a new endpoint, a relabelled host", async () => {
    const tenant = await syncedTenant();
    sim.configureWebhook({ url: receiver.url, bodyTemplate: webhookTemplate(tenant) });
    sim.state.createEndpoint({ host, method: "GET", endpointPath: "/v9/reconciled" });
    sim.state.updateHost(host, { labels: ["relabelled"] });
    await sim.webhooksIdle();
    expect(sim.webhookLog()).toEqual([]);

    await runReconciliationTick(handle.db, { boss });
    await eventually(() => reconciliationJobsDone(tenant, 1), "the reconciliation job");
    const [run] = await handle.db
      .select({ counts: syncRuns.counts })
      .from(syncRuns)
      .where(and(eq(syncRuns.integrationId, tenant.integration.id), eq(syncRuns.trigger, "reconciliation")));
    // The reconciliation did bring the changes in; they are just not evidence of a broken webhook.
    expect(run?.counts?.assetsCreated).toBe(1);
    expect(run?.counts?.assetsUpdated).toBeGreaterThanOrEqual(1);
    expect(await warningOf(tenant)).toBeNull();
  });

  it("raises no warning when the webhook carried the change", async () => {
    const tenant = await syncedTenant();
    sim.configureWebhook({ url: receiver.url, bodyTemplate: webhookTemplate(tenant) });
    await changeGapInSalt("Inprocess");
    await eventually(() => runsSettled(tenant, "webhook", 1), "the webhook's re-sync");
    await runReconciliationTick(handle.db, { boss });
    await eventually(() => reconciliationJobsDone(tenant, 1), "the reconciliation job");
    expect(await warningOf(tenant)).toBeNull();
  });

  it("queues nothing when turned off, and nothing again before the interval has passed", async () => {
    const off = await syncedTenant({ reconciliationIntervalHours: 0 });
    const daily = await syncedTenant({ ...defaultIntegrationSettings, reconciliationIntervalHours: 24 });
    const now = new Date();

    const first = await runReconciliationTick(handle.db, { boss, now });
    expect(first.queued).not.toContain(off.integration.id);
    expect(first.queued).toContain(daily.integration.id);
    expect((await runReconciliationTick(handle.db, { boss, now: new Date(now.getTime() + 23 * 3_600_000) })).queued).not.toContain(
      daily.integration.id,
    );
    expect((await runReconciliationTick(handle.db, { boss, now: new Date(now.getTime() + 25 * 3_600_000) })).queued).toContain(
      daily.integration.id,
    );
    await eventually(() => runsSettled(daily, "reconciliation", 1), "the reconciliation runs");
  });

  it("lets only admins change the interval", async () => {
    const tenant = await syncedTenant();
    const admin = await callerFor(tenant.members.admin.email);
    const analyst = await callerFor(tenant.members.analyst.email);
    await expect(analyst.integrations.saveReconciliation({ id: tenant.integration.id, reconciliationIntervalHours: 0 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const { integration } = await admin.integrations.saveReconciliation({ id: tenant.integration.id, reconciliationIntervalHours: 6 });
    expect(integration.settings.reconciliationIntervalHours).toBe(6);
  });
});
