// Forwarding issues to Snapsec VM, end to end on both engines: Salt simulator → sync → outbox → push over real HTTP
// to the VM simulator. Severity filters, per-project routing, auto-sync, custom headers, bad keys, 429/5xx, and
// echo-freedom (forwarding never changes the issue nor queues a Salt write-back).
import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  defaultForwardingSettings,
  defaultIntegrationSettings,
  type ForwardingSettings,
  forwardLinks,
  forwardOutbox,
  integrations,
  issues,
  statusWriteBacks,
  type SeverityFilter,
} from "@/db/schema";
import { externalIdOf, runForwarding } from "@/server/forwarding/job";
import { queueBackfill, retryForward } from "@/server/forwarding/outbox";
import { sealVmCredentials, sealVmCustomHeaders } from "@/server/integrations/snapsec-vm";
import { setIssueOwner } from "@/server/issues/collaboration";
import { changeIssueStatusByUser } from "@/server/issues/status";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { startSnapsecVmSimulator, type VmSimulator } from "@/tools/snapsec-vm-simulator";
import { createTestDatabase, type TestEngine } from "./databases";
import { installDatabase } from "./fixtures";
import { addDomainAssets, domainAsset, seedSaltTenant, simulatorHosts, type SaltTenant } from "./sync-fixtures";

const FAST = { clientOptions: { retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 200 }, timeoutMs: 2_000 }, roundDelayMs: () => 0 };

describe.each<TestEngine>(["postgres", "pglite"])("forwarding to Snapsec VM on %s", (engine) => {
  let handle: DatabaseHandle;
  let salt: SaltSimulator;
  let vm: VmSimulator;
  let boss: PgBoss;
  let hosts: string[];

  beforeAll(async () => {
    salt = await startSaltSimulator({ port: 0, seed: 5, hosts: 2, endpointsPerHost: 3, gapsPerEndpoint: 2 });
    process.env.SALT_US_BASE_URL = salt.baseUrls.us;
    process.env.SALT_EU_BASE_URL = salt.baseUrls.eu;
    vm = await startSnapsecVmSimulator({ port: 0 });
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    boss = createBoss(handle);
    await startBoss(boss);
    hosts = simulatorHosts(salt);
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await handle?.close();
    await salt?.close();
    await vm?.close();
  });
  beforeEach(() => {
    salt.reset();
    vm.reset();
  });

  async function connectVm(
    tenant: SaltTenant,
    { key = vm.keys.admin.key, headers = {}, forwarding = {}, severityFilter }: { key?: string; headers?: Record<string, string>; forwarding?: Partial<ForwardingSettings>; severityFilter?: SeverityFilter } = {},
  ) {
    const [row] = await handle.db
      .insert(integrations)
      .values({
        companyId: tenant.company.id,
        kind: "snapsec_vm",
        state: "connected",
        wizardStep: "done",
        baseUrl: vm.url,
        credentialsEncrypted: sealVmCredentials(key),
        customHeadersEncrypted: sealVmCustomHeaders(headers),
        settings: { ...defaultIntegrationSettings, ...(severityFilter ? { severityFilter } : {}) },
        forwarding: { ...defaultForwardingSettings, unifiedAssessment: { id: "asm_0001", name: "API threats" }, ...forwarding },
      })
      .returning();
    return row!;
  }

  async function syncHosts(tenant: SaltTenant, which: string[]) {
    await addDomainAssets(handle, tenant, which);
    for (const host of which) {
      await runDomainSync(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "first_sync" }, defaultSyncDependencies);
    }
  }

  const forward = (tenant: SaltTenant, integrationId: string) => runForwarding(handle.db, { companyId: tenant.company.id, integrationId }, FAST);
  const companyIssues = (tenant: SaltTenant) => handle.db.select().from(issues).where(eq(issues.companyId, tenant.company.id));
  const linkOf = async (integrationId: string, issueId: string) =>
    (await handle.db.select().from(forwardLinks).where(and(eq(forwardLinks.integrationId, integrationId), eq(forwardLinks.issueId, issueId))))[0];

  it("forwards a Salt-synced issue with its fields, once, and changes nothing in Postura", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const integration = await connectVm(tenant);
    await syncHosts(tenant, [hosts[0]!]);
    const all = await companyIssues(tenant);
    expect(all.length).toBeGreaterThan(0);
    // The sync's own statement queued every new issue.
    const queued = await handle.db.select().from(forwardOutbox).where(eq(forwardOutbox.integrationId, integration.id));
    expect(queued).toHaveLength(all.length);

    const before = await handle.db.execute(sql`select id, updated_at::text, xmin::text from issues where company_id = ${tenant.company.id} order by id`);
    const result = await forward(tenant, integration.id);
    expect(result.forwarded).toBe(all.length);
    const after = await handle.db.execute(sql`select id, updated_at::text, xmin::text from issues where company_id = ${tenant.company.id} order by id`);
    expect(after).toEqual(before);
    expect(await handle.db.select().from(statusWriteBacks).where(eq(statusWriteBacks.companyId, tenant.company.id))).toEqual([]);

    const issue = all[0]!;
    const record = vm.state.getVulnerability(externalIdOf(issue.id));
    expect(record).toMatchObject({
      assessmentId: "asm_0001",
      title: issue.title,
      status: "Pending",
      project: hosts[0],
      owner: null,
      metadata: expect.objectContaining({ source: "salt_security", postura_link: expect.stringContaining(`/issues/${issue.id}`) }),
    });
    expect(record?.severity).toBe({ critical: "Critical", high: "High", medium: "Medium", low: "Low", notification: "Info" }[issue.severity]);
    expect(record?.endpoint).toMatchObject({ host: hosts[0], method: expect.any(String), path: expect.stringMatching(/^\//) });
    if (issue.cwe) expect(record?.metadata.cwe).toBe(issue.cwe);
    expect(record?.threatCategory).not.toBeNull();
    const link = await linkOf(integration.id, issue.id);
    expect(link).toMatchObject({ state: "forwarded", assessmentName: "API threats", sentStatus: "Pending" });
    expect(link?.firstForwardedAt).toBeInstanceOf(Date);

    // A second push of everything (a retry after a crash) updates, never duplicates.
    await handle.db.transaction((tx) => queueBackfill(tx, { companyId: tenant.company.id, integrationId: integration.id }, { boss }));
    await forward(tenant, integration.id);
    expect(vm.state.listVulnerabilities({ offset: 0, limit: 10_000 }, { assessmentId: "asm_0001" }).data).toHaveLength(all.length);
    expect(await handle.db.select().from(forwardOutbox).where(eq(forwardOutbox.integrationId, integration.id))).toEqual([]);
  });

  it("forwards an issue's owner by email when an analyst assigns it, and none once unassigned", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const integration = await connectVm(tenant);
    await syncHosts(tenant, [hosts[0]!]);
    await forward(tenant, integration.id);
    const [issue] = (await companyIssues(tenant)).filter((i) => i.status === "identified");
    expect(vm.state.getVulnerability(externalIdOf(issue!.id))?.owner ?? null).toBeNull();

    await setIssueOwner(handle.db, { companyId: tenant.company.id, issueId: issue!.id, ownerUserId: tenant.members.analyst.userId });
    await forward(tenant, integration.id);
    expect(vm.state.getVulnerability(externalIdOf(issue!.id))?.owner).toBe(tenant.members.analyst.email);

    await setIssueOwner(handle.db, { companyId: tenant.company.id, issueId: issue!.id, ownerUserId: null });
    await forward(tenant, integration.id);
    expect(vm.state.getVulnerability(externalIdOf(issue!.id))?.owner ?? null).toBeNull();
  });

  it("forwards a status change with auto-sync on, and not with it off", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const integration = await connectVm(tenant);
    await syncHosts(tenant, [hosts[0]!]);
    await forward(tenant, integration.id);
    // Two issues Salt reports as open and not in progress (whatever order the table returns them in).
    const [first, second] = (await companyIssues(tenant)).filter((i) => i.status === "identified");
    expect(second, "two Identified issues in the seed").toBeDefined();

    await changeIssueStatusByUser(handle.db, { companyId: tenant.company.id, issueId: first!.id, status: "fixed", userId: tenant.members.analyst.userId }, { boss });
    await forward(tenant, integration.id);
    expect(vm.state.getVulnerability(externalIdOf(first!.id))?.status).toBe("Fixed");

    await handle.db
      .update(integrations)
      .set({ forwarding: { ...defaultForwardingSettings, unifiedAssessment: { id: "asm_0001", name: "API threats" }, autoSync: false } })
      .where(eq(integrations.id, integration.id));
    await changeIssueStatusByUser(handle.db, { companyId: tenant.company.id, issueId: second!.id, status: "in_progress", userId: tenant.members.analyst.userId }, { boss });
    await forward(tenant, integration.id);
    expect(vm.state.getVulnerability(externalIdOf(second!.id))?.status).toBe("Pending");
  });

  it("forwards only the chosen severities on the first push, and keeps syncing a linked record", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const onlyHigh: SeverityFilter = { critical: true, high: true, medium: false, low: false, notification: false };
    const integration = await connectVm(tenant, { severityFilter: onlyHigh });
    await syncHosts(tenant, [hosts[0]!]);
    const result = await forward(tenant, integration.id);
    const all = await companyIssues(tenant);
    const high = all.filter((i) => i.severity === "critical" || i.severity === "high");
    const rest = all.filter((i) => !high.includes(i));
    expect(result.forwarded).toBe(high.length);
    expect(result.filtered).toBe(rest.length);
    for (const issue of rest) {
      expect(vm.state.getVulnerability(externalIdOf(issue.id))).toBeUndefined();
      expect((await linkOf(integration.id, issue.id))?.lastError).toMatch(/^Severity (Medium|Low|Notification) is filtered out\.$/);
    }
    if (high[0]) {
      // Filtering Critical/High out later does not stop a linked record from syncing.
      await handle.db.update(integrations).set({ settings: { ...defaultIntegrationSettings, severityFilter: { ...onlyHigh, critical: false, high: false } } }).where(eq(integrations.id, integration.id));
      await changeIssueStatusByUser(handle.db, { companyId: tenant.company.id, issueId: high[0].id, status: "fixed", userId: tenant.members.admin.userId }, { boss });
      await forward(tenant, integration.id);
      expect(vm.state.getVulnerability(externalIdOf(high[0].id))?.status).toBe("Fixed");
    }
  });

  it("routes each project to its assessment, the rest to the unified one", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    await syncHosts(tenant, [hosts[0]!, hosts[1]!]);
    const routed = await domainAsset(handle, tenant.company.id, hosts[1]!);
    const integration = await connectVm(tenant, {
      forwarding: { assessmentMode: "per_project", projectAssessments: { [routed.id]: { id: "asm_0002", name: "Payments platform" } } },
    });
    await handle.db.transaction((tx) => queueBackfill(tx, { companyId: tenant.company.id, integrationId: integration.id }, { boss }));
    await forward(tenant, integration.id);
    for (const issue of await companyIssues(tenant)) {
      const want = issue.domainAssetId === routed.id ? "asm_0002" : "asm_0001";
      expect(vm.state.getVulnerability(externalIdOf(issue.id))?.assessmentId).toBe(want);
    }
  });

  it("sends the custom header a header-bound key needs, and says what is missing without it", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    await syncHosts(tenant, [hosts[0]!]);
    const [issue] = await companyIssues(tenant);
    const without = await connectVm(tenant, { key: vm.keys.headerBound.key });
    await handle.db.transaction((tx) => queueBackfill(tx, { companyId: tenant.company.id, integrationId: without.id }, { boss }));
    await forward(tenant, without.id);
    expect((await linkOf(without.id, issue!.id))?.lastError).toMatch(/only with the x-snapsec-tenant header/);
    expect(vm.state.getVulnerability(externalIdOf(issue!.id))).toBeUndefined();

    await handle.db
      .update(integrations)
      .set({ customHeadersEncrypted: sealVmCustomHeaders({ "x-snapsec-tenant": "acme" }) })
      .where(eq(integrations.id, without.id));
    await handle.db.transaction((tx) => retryForward(tx, { companyId: tenant.company.id, issueId: issue!.id }, { boss }));
    await forward(tenant, without.id);
    expect(await linkOf(without.id, issue!.id)).toMatchObject({ state: "forwarded", lastError: null });
    expect(vm.state.getVulnerability(externalIdOf(issue!.id))).toBeDefined();
  });

  it("fails an invalid or spaced key at once with the remedy", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    await syncHosts(tenant, [hosts[0]!]);
    const [issue] = await companyIssues(tenant);
    const integration = await connectVm(tenant, { key: "not-a-vm-key" });
    await handle.db.transaction((tx) => queueBackfill(tx, { companyId: tenant.company.id, integrationId: integration.id }, { boss }));
    await forward(tenant, integration.id);
    expect(await linkOf(integration.id, issue!.id)).toMatchObject({ state: "failed", lastError: expect.stringMatching(/Regenerate the key in VM/) });
    await handle.db.update(integrations).set({ credentialsEncrypted: sealVmCredentials(` ${vm.keys.admin.key}`) }).where(eq(integrations.id, integration.id));
    await handle.db.transaction((tx) => retryForward(tx, { companyId: tenant.company.id, issueId: issue!.id }, { boss }));
    await forward(tenant, integration.id);
    expect((await linkOf(integration.id, issue!.id))?.lastError).toMatch(/^The key has extra spaces — copy it again/);
  });

  it("waits out 429s with Retry-After and ends 5xx after the last attempt with the reason, then Retry works", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const integration = await connectVm(tenant);
    await syncHosts(tenant, [hosts[0]!]);
    const all = await companyIssues(tenant);
    vm.injectFault({ kind: "429", count: 2, pathPrefix: "/api/v1/vulnerabilities", retryAfter: { seconds: 0 } });
    const deferred = await forward(tenant, integration.id);
    expect(deferred.deferred).toBe(all.length);
    const done = await forward(tenant, integration.id);
    expect(done.forwarded).toBe(all.length);
    expect(vm.state.listVulnerabilities({ offset: 0, limit: 10_000 }, {}).data).toHaveLength(all.length);

    vm.injectFault({ kind: "503", pathPrefix: "/api/v1/vulnerabilities" });
    await changeIssueStatusByUser(handle.db, { companyId: tenant.company.id, issueId: all[0]!.id, status: "fixed", userId: tenant.members.admin.userId }, { boss });
    for (let round = 0; round < 3; round++) await forward(tenant, integration.id);
    const failed = await linkOf(integration.id, all[0]!.id);
    expect(failed).toMatchObject({ state: "failed", lastError: expect.stringMatching(/Snapsec VM is not available right now \(HTTP 503/) });
    expect(failed?.firstForwardedAt).toBeInstanceOf(Date);

    vm.clearFaults();
    await handle.db.transaction((tx) => retryForward(tx, { companyId: tenant.company.id, issueId: all[0]!.id }, { boss }));
    await forward(tenant, integration.id);
    expect(await linkOf(integration.id, all[0]!.id)).toMatchObject({ state: "forwarded", sentStatus: "Fixed" });
    expect(vm.state.getVulnerability(externalIdOf(all[0]!.id))?.status).toBe("Fixed");
    expect(vm.state.listVulnerabilities({ offset: 0, limit: 10_000 }, {}).data).toHaveLength(all.length);
  });

  it("gives up on a VM that never answers, within its time-outs, and says so on the issue", async () => {
    const tenant = await seedSaltTenant(handle, salt);
    const integration = await connectVm(tenant);
    await syncHosts(tenant, [hosts[0]!]);
    const all = await companyIssues(tenant);
    vm.injectFault({ kind: "hang", pathPrefix: "/api/v1/vulnerabilities" });
    // Each round is bounded by the client's time-out per attempt (FAST: 2 s × 2 attempts); a hang never holds the job.
    for (let round = 0; round < 3; round++) await forward(tenant, integration.id);
    const link = await linkOf(integration.id, all[0]!.id);
    expect(link).toMatchObject({ state: "failed", lastError: expect.stringMatching(/did not answer|timed out/i) });
    expect(await handle.db.select().from(forwardOutbox).where(eq(forwardOutbox.integrationId, integration.id))).toEqual([]);
    expect(vm.state.listVulnerabilities({ offset: 0, limit: 10_000 }, {}).data).toHaveLength(0);
  }, 60_000);
});
