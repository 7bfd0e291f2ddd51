// Inbound sync from Salt Security against real PostgreSQL and the Salt simulator over HTTP: the per-domain run,
// status and severity rules, absences, labels, the worker on the real queue, and the webhook receiver.
import { applicationsFromLabels } from "@/lib/application-labels";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  applications,
  assetApplications,
  assets,
  assetTags,
  defaultStatusMapping,
  issues,
  openIssueStatuses,
  statusHistory,
  syncRuns,
  webhookDeliveries,
} from "@/db/schema";
import { saltClientForIntegration } from "@/server/integrations/salt-security/integration-client";
import { severityFromSalt, statusFromSalt } from "@/server/integrations/salt-security/mapping";
import { saltSyncSource } from "@/server/integrations/salt-security/sync-source";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { QUEUES } from "@/server/jobs/queues";
import { computeRisk, emptySeverityCounts } from "@/server/risk";
import { hashToken } from "@/server/security/secrets";
import { setIssueStatus } from "@/db/queries/issues";
import { associateDomains, createDomainSyncHandler, defaultSyncDependencies, detachDomain, runDomainSync } from "@/server/sync";
import type { SyncSource } from "@/server/sync/types";
import { POST as webhookPOST } from "@/app/api/v3/integrations/scanners/salt_security/webhook/route";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, signInCookie } from "./fixtures";
import { TRPCError } from "@trpc/server";
import { WEBHOOK_TEST_EVENT } from "@/lib/integration-wizard";
import { POST as manualSyncPOST } from "@/app/api/v3/integrations/scanners/salt_security/sync/route";
import {
  domainAsset,
  eventually,
  issueByExternalId,
  issuesOfDomain,
  rowFingerprint,
  runsOf,
  seedSaltTenant,
  simulatorEndpoints,
  simulatorGaps,
  simulatorHosts,
  type SaltTenant,
} from "./sync-fixtures";

const SEED = { seed: 7, hosts: 3, endpointsPerHost: 8, gapsPerEndpoint: 2 };

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let hostA: string;
let hostB: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, ...SEED });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  [hostA, hostB] = simulatorHosts(sim) as [string, string];
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await sim?.close();
});

beforeEach(() => {
  sim.reset();
});

function run(tenant: SaltTenant, domain: string, trigger: "first_sync" | "manual" | "webhook" = "manual", deps = defaultSyncDependencies) {
  return runDomainSync(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, domain, trigger }, deps);
}

/** A tenant whose domains exist (associated without queueing: the test drives the runs itself). */
async function tenantWithDomains(hosts: string[], settings: Parameters<typeof seedSaltTenant>[2] = {}) {
  const tenant = await seedSaltTenant(handle, sim, settings);
  await handle.db.insert(assets).values(
    hosts.map((host) => ({
      companyId: tenant.company.id,
      assetType: "domain" as const,
      name: host,
      externalRef: host,
      source: "salt_security" as const,
      integrationId: tenant.integration.id,
    })),
  );
  return tenant;
}

function webhookRequest(body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Request("http://localhost/api/v3/integrations/scanners/salt_security/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  });
}

async function postWebhook(body: unknown, headers: Record<string, string> = {}) {
  const response = await webhookPOST(webhookRequest(body, headers));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function webhookBody(tenant: SaltTenant, reference: string, extra: Record<string, unknown> = {}) {
  return { company_id: tenant.company.publicId, webhook_token: tenant.webhookToken, reference, event: "posture_gap.updated", ...extra };
}

async function domainSyncJobCount() {
  const result = (await handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync}`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

/** Read from the job table itself: getQueue()'s counts come from a cache refreshed on pg-boss's monitor interval. */
async function unfinishedDomainSyncJobs() {
  const result = (await handle.db.execute(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync} and state in ('created', 'retry', 'active')`,
  )) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

async function queueIdle(integrationId: string) {
  const pending = await handle.db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.integrationId, integrationId), inArray(syncRuns.state, ["queued", "running"])));
  return (await unfinishedDomainSyncJobs()) === 0 && pending.length === 0;
}

describe("first sync of a domain", () => {
  it("imports every endpoint and posture gap of the domain with exact counts, figures, labels and a run record", async () => {
    const tenant = await tenantWithDomains([hostA, hostB]);
    const gaps = simulatorGaps(sim, hostA);
    const endpoints = simulatorEndpoints(sim, hostA);
    expect(endpoints).toHaveLength(8);
    expect(gaps).toHaveLength(16);

    const result = await run(tenant, hostA, "first_sync");

    expect(result.state).toBe("succeeded");
    expect(result.counts).toEqual({
      assetsCreated: 8,
      assetsUpdated: 1, // the FQDN asset takes the host's labels
      assetsDeactivated: 0,
      issuesCreated: 16,
      issuesUpdated: 0,
      issuesClosed: 0,
      issuesReopened: 0,
      issuesUnchanged: 0,
      issuesUnmapped: 0,
      issuesFiltered: 0,
      recordsSkipped: 0,
    });

    const fqdn = await domainAsset(handle, tenant.company.id, hostA);
    const apis = await handle.db.select().from(assets).where(eq(assets.parentId, fqdn.id));
    expect(apis.map((a) => a.externalRef).sort()).toEqual(
      endpoints.map((e) => `${hostA} ${e.method} ${e.endpointPath}`).sort(),
    );
    expect(apis.every((a) => a.assetType === "api" && a.active && a.source === "salt_security")).toBe(true);

    const imported = await issuesOfDomain(handle, fqdn.id);
    expect(imported).toHaveLength(16);
    const byGap = new Map(imported.map((i) => [i.externalId, i]));
    for (const gap of gaps) {
      const issue = byGap.get(gap.postureGapId);
      expect(issue, gap.postureGapId).toBeDefined();
      expect(issue!.title).toBe(gap.postureGapName);
      expect(issue!.severity).toBe(severityFromSalt[gap.severity]);
      expect(issue!.status).toBe(statusFromSalt(gap.status, defaultStatusMapping));
      expect(issue!.externalStatus).toBe(gap.status);
      expect(issue!.categories).toEqual(gap.categories);
      expect(issue!.cwe).toBe(gap.cweId);
      expect(issue!.detectedAt?.toISOString()).toBe(gap.detected);
      expect(issue!.lastActivityAt?.toISOString()).toBe(gap.lastActivity);
      const api = apis.find((a) => a.externalRef === `${hostA} ${gap.method} ${gap.endpointPath}`);
      expect(issue!.assetId).toBe(api!.id);
    }

    // Figures: open = Identified + In Progress, risk from server/risk.ts with the FQDN's business impact.
    const open = gaps.filter((g) => ["Open", "Inprocess"].includes(g.status));
    const openBySeverity = emptySeverityCounts();
    for (const gap of open) openBySeverity[severityFromSalt[gap.severity]]++;
    const expected = computeRisk(openBySeverity, fqdn.businessImpact);
    expect(fqdn.openIssueCount).toBe(open.length);
    expect(fqdn.riskScore).toBe(expected.score);
    expect(fqdn.riskInputs).toEqual(expected.inputs);
    expect(fqdn.lastSyncedAt).not.toBeNull();
    expect(apis.reduce((sum, a) => sum + a.openIssueCount, 0)).toBe(open.length);

    // The other domain was not touched.
    const other = await domainAsset(handle, tenant.company.id, hostB);
    expect(await issuesOfDomain(handle, other.id)).toHaveLength(0);

    const [runRow] = await runsOf(handle, tenant.integration.id);
    expect(runRow).toMatchObject({ state: "succeeded", trigger: "first_sync", domain: hostA, progressDone: 24, progressTotal: 24 });
    expect(runRow!.counts).toEqual(result.counts);
    expect(runRow!.startedAt).not.toBeNull();
    expect(runRow!.finishedAt).not.toBeNull();

    const history = await handle.db.select().from(statusHistory).where(eq(statusHistory.companyId, tenant.company.id));
    expect(history).toHaveLength(16);
    expect(history.every((h) => h.fromStatus === null && h.origin === "sync")).toBe(true);
  });

  it("writes nothing when re-run on unchanged Salt data", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const before = await rowFingerprint(handle, tenant.company.id);
    expect(before.length).toBeGreaterThan(16);

    const again = await run(tenant, hostA, "manual");

    expect(again.state).toBe("succeeded");
    expect(again.counts).toEqual({
      assetsCreated: 0,
      assetsUpdated: 0,
      assetsDeactivated: 0,
      issuesCreated: 0,
      issuesUpdated: 0,
      issuesClosed: 0,
      issuesReopened: 0,
      issuesUnchanged: 16,
      issuesUnmapped: 0,
      issuesFiltered: 0,
      recordsSkipped: 0,
    });
    // The only row written is the FQDN's lastSyncedAt stamp (bookkeeping: its updated_at stays).
    const fqdn = await domainAsset(handle, tenant.company.id, hostA);
    const withoutVersion = (rows: string[]) => rows.map((r) => (r.startsWith(`asset:${fqdn.id}:`) ? r.replace(/:\d+:/, ":*:") : r));
    const after = await rowFingerprint(handle, tenant.company.id);
    expect(withoutVersion(after)).toEqual(withoutVersion(before));
    expect(after.filter((r, i) => r !== before[i])).toHaveLength(1);
  });
});

describe("changes in Salt", () => {
  it("closes an issue whose gap disappears and reopens it when the gap comes back; deactivates a removed endpoint", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const gaps = simulatorGaps(sim, hostA);
    const openGap = gaps.find((g) => g.status === "Open")!;
    sim.state.deletePostureGap(openGap.postureGapId);
    const endpoint = simulatorEndpoints(sim, hostA).find(
      (e) => e.method !== openGap.method || e.endpointPath !== openGap.endpointPath,
    )!;
    const endpointGaps = gaps.filter((g) => g.method === endpoint.method && g.endpointPath === endpoint.endpointPath);
    sim.state.deleteEndpoint(endpoint.endpointId);

    const removed = await run(tenant, hostA, "manual");

    expect(removed.state).toBe("succeeded");
    expect(removed.counts).toMatchObject({ issuesClosed: 1 + endpointGaps.length, assetsDeactivated: 1, issuesCreated: 0 });
    const closed = await issueByExternalId(handle, tenant.company.id, openGap.postureGapId);
    expect(closed).toMatchObject({ status: "fixed", closedReason: "no longer reported by Salt Security", statusOrigin: "sync" });
    const [closing] = await handle.db.select().from(statusHistory).where(and(eq(statusHistory.issueId, closed.id), eq(statusHistory.toStatus, "fixed")));
    expect(closing).toMatchObject({ fromStatus: "identified", origin: "sync" });
    const [endpointAsset] = await handle.db
      .select()
      .from(assets)
      .where(and(eq(assets.companyId, tenant.company.id), eq(assets.externalRef, `${hostA} ${endpoint.method} ${endpoint.endpointPath}`)));
    expect(endpointAsset!.active).toBe(false);

    sim.reset(); // the seed again: the same gap ids and endpoints come back

    const restored = await run(tenant, hostA, "webhook");

    expect(restored.counts).toMatchObject({ issuesReopened: 1 + endpointGaps.length, issuesClosed: 0, assetsUpdated: 1 });
    const reopened = await issueByExternalId(handle, tenant.company.id, openGap.postureGapId);
    expect(reopened).toMatchObject({ status: "identified", closedReason: null, statusOrigin: "webhook" });
    const [again] = await handle.db.select().from(assets).where(eq(assets.id, endpointAsset!.id));
    expect(again!.active).toBe(true);
  });

  it("turns app: labels into applications linked to the FQDN, every label into asset tags, and follows label changes", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const fqdn = await domainAsset(handle, tenant.company.id, hostA);
    const host = sim.state.getHost(hostA)!;
    const endpoints = simulatorEndpoints(sim, hostA);
    const allLabels = [...new Set([...host.labels, ...endpoints.flatMap((e) => e.labels)])].sort();

    const apps = await handle.db
      .select({ name: applications.name })
      .from(assetApplications)
      .innerJoin(applications, eq(applications.id, assetApplications.applicationId))
      .where(eq(assetApplications.assetId, fqdn.id));
    expect(apps.map((a) => a.name).sort()).toEqual(applicationsFromLabels(allLabels, "app:"));
    expect(apps.length).toBeGreaterThan(0);
    const fqdnTags = await handle.db.select({ tag: assetTags.tag }).from(assetTags).where(eq(assetTags.assetId, fqdn.id));
    expect(fqdnTags.map((t) => t.tag).sort()).toEqual([...host.labels].sort());
    expect(fqdn.labels).toEqual([...host.labels].sort());

    const endpoint = endpoints[0]!;
    const [api] = await handle.db
      .select()
      .from(assets)
      .where(and(eq(assets.companyId, tenant.company.id), eq(assets.externalRef, `${hostA} ${endpoint.method} ${endpoint.endpointPath}`)));
    const apiTags = await handle.db.select({ tag: assetTags.tag }).from(assetTags).where(eq(assetTags.assetId, api!.id));
    expect(apiTags.map((t) => t.tag).sort()).toEqual([...endpoint.labels].sort());

    sim.state.updateEndpoint(endpoint.endpointId, { labels: ["app:newcomers", "env:prod"] });
    const result = await run(tenant, hostA, "webhook");

    expect(result.counts.assetsUpdated).toBe(1);
    const retagged = await handle.db.select({ tag: assetTags.tag }).from(assetTags).where(eq(assetTags.assetId, api!.id));
    expect(retagged.map((t) => t.tag).sort()).toEqual(["app:newcomers", "env:prod"]);
    const [newcomers] = await handle.db
      .select({ assetId: assetApplications.assetId })
      .from(applications)
      .innerJoin(assetApplications, eq(assetApplications.applicationId, applications.id))
      .where(and(eq(applications.companyId, tenant.company.id), eq(applications.name, "newcomers")));
    expect(newcomers?.assetId).toBe(fqdn.id);
  });

  it("imports only enabled severities, and keeps updating issues imported before the filter changed", async () => {
    const tenant = await tenantWithDomains([hostA], {
      severityFilter: { notification: false, low: false, medium: true, high: true, critical: true },
    });
    const gaps = simulatorGaps(sim, hostA);
    const filtered = gaps.filter((g) => g.severity === "Info" || g.severity === "Low");
    expect(filtered.length).toBeGreaterThan(0);

    const result = await run(tenant, hostA, "first_sync");

    expect(result.counts.issuesFiltered).toBe(filtered.length);
    expect(result.counts.issuesCreated).toBe(gaps.length - filtered.length);
    const fqdn = await domainAsset(handle, tenant.company.id, hostA);
    const imported = await issuesOfDomain(handle, fqdn.id);
    expect(imported.some((i) => i.severity === "low" || i.severity === "notification")).toBe(false);

    const medium = gaps.find((g) => g.severity === "Medium" || g.severity === "High")!;
    sim.state.updatePostureGap(medium.postureGapId, { severity: "Low" });
    const again = await run(tenant, hostA, "manual");
    expect(again.counts).toMatchObject({ issuesUpdated: 1, issuesFiltered: filtered.length, issuesCreated: 0 });
    expect((await issueByExternalId(handle, tenant.company.id, medium.postureGapId)).severity).toBe("low");
  });

  it("does not import new gaps whose Salt status is on no mapping row, keeps existing issues' status with a note, and counts the skipped", async () => {
    const tenant = await tenantWithDomains([hostA], {
      statusMapping: { identified: ["Open"], in_progress: ["Inprocess"], fixed: ["Resolved"], risk_accepted: [], false_positive: [] },
    });
    const gaps = simulatorGaps(sim, hostA);
    const ignored = gaps.filter((g) => g.status === "Ignored");
    expect(ignored.length).toBeGreaterThan(0);

    const first = await run(tenant, hostA, "first_sync");

    expect(first.state).toBe("succeeded");
    expect(first.counts.issuesUnmapped).toBe(ignored.length);
    expect(first.counts.issuesCreated).toBe(gaps.length - ignored.length);
    const ignoredIds = ignored.map((g) => g.postureGapId);
    expect(await handle.db.select().from(issues).where(and(eq(issues.companyId, tenant.company.id), inArray(issues.externalId, ignoredIds)))).toEqual([]);

    const inProcess = gaps.find((g) => g.status === "Inprocess")!;
    const before = await issueByExternalId(handle, tenant.company.id, inProcess.postureGapId);
    sim.state.updatePostureGap(inProcess.postureGapId, { status: "Ignored" });
    const second = await run(tenant, hostA, "webhook");

    // Still not imported, run after run; the issue that moved to the unmapped status keeps its status.
    expect(second.counts.issuesUnmapped).toBe(ignored.length);
    const after = await issueByExternalId(handle, tenant.company.id, inProcess.postureGapId);
    expect(after).toMatchObject({ status: "in_progress", externalStatus: "Ignored", statusChangedAt: before.statusChangedAt });
    const notes = await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, after.id));
    expect(notes.map((n) => n.note).filter(Boolean)).toEqual([
      'Salt Security now reports "Ignored", which no status-mapping row holds; the status is kept.',
    ]);

    // The note is written once, not on every run.
    await run(tenant, hostA, "manual");
    expect(await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, after.id))).toHaveLength(notes.length);
  });

  it("lets a user's status change stand against older Salt activity, and applies newer Salt activity", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const gap = simulatorGaps(sim, hostA).find((g) => g.status === "Open")!;
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    await handle.db
      .update(issues)
      .set({ status: "in_progress", statusOrigin: "user", statusChangedAt: new Date() })
      .where(eq(issues.id, issue.id));

    await run(tenant, hostA, "manual");
    expect((await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).status).toBe("in_progress");

    await new Promise((r) => setTimeout(r, 5));
    sim.state.updatePostureGap(gap.postureGapId, { status: "Resolved" });
    await run(tenant, hostA, "webhook");
    expect(await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).toMatchObject({ status: "fixed", statusOrigin: "webhook" });
  });

  it("keeps a person's status change that commits while the sync waits for the issue row (a predicate, not a lock taken in advance)", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const gap = simulatorGaps(sim, hostA).find((g) => g.status === "Open")!;
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    // Salt moves the gap first; the person decides after that (their change is the newer one).
    sim.state.updatePostureGap(gap.postureGapId, { status: "Inprocess" });
    await new Promise((r) => setTimeout(r, 5));

    // The person's change is in flight: their transaction holds the issue row until we let it commit.
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let personDone!: Promise<unknown>;
    await new Promise<void>((rowHeld) => {
      personDone = handle.db.transaction(async (tx) => {
        await setIssueStatus(tx, { companyId: tenant.company.id, id: issue.id, status: "fixed", userId: tenant.members.analyst.userId });
        rowHeld();
        await held;
      });
    });
    // The sync read the issue before the person's commit (its snapshot says Identified/sync), then waits for the row.
    const syncing = run(tenant, hostA, "webhook");
    await eventually(async () => {
      const waiting = await handle.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      const rows = (Array.isArray(waiting) ? waiting : (waiting as unknown as { rows: unknown[] }).rows) as { n: number }[];
      return Number(rows[0]?.n) > 0;
    }, "the sync to wait for the issue row");
    commit();
    await personDone;
    const result = await syncing;

    expect(result.state).toBe("succeeded");
    // Judged on the row as the person left it: their change is newer than Salt's activity, so it stands.
    expect(await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).toMatchObject({
      status: "fixed",
      statusOrigin: "user",
      statusChangedBy: tenant.members.analyst.userId,
      externalStatus: "Inprocess",
    });
    const history = await handle.db.select().from(statusHistory).where(eq(statusHistory.issueId, issue.id));
    expect(history.map((h) => [h.origin, h.toStatus])).toEqual([
      ["sync", "identified"],
      ["user", "fixed"],
    ]);
  });

  it("leaves data consistent and marks the run failed when Salt fails mid-sync; a failed page marks nothing", async () => {
    const tenant = await tenantWithDomains([hostA]);
    await run(tenant, hostA, "first_sync");
    const gaps = simulatorGaps(sim, hostA);
    const firstPageGap = gaps[0]!;
    const vanished = gaps.find((g, i) => i >= 5 && g.status === "Open")!;
    sim.state.updatePostureGap(firstPageGap.postureGapId, { severity: "Critical" });
    sim.state.deletePostureGap(vanished.postureGapId);
    const lonelyEndpoint = simulatorEndpoints(sim, hostA).at(-1)!;
    sim.state.deleteEndpoint(lonelyEndpoint.endpointId);

    // Small pages, and Salt starts answering 503 right after the first page of posture gaps.
    const deps = {
      openSource: (row: Parameters<typeof saltClientForIntegration>[0]): SyncSource => {
        const client = saltClientForIntegration(row, { pageSize: 5, retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } });
        const source = saltSyncSource(client, row.settings);
        return {
          ...source,
          async *findings(domain: string) {
            let pages = 0;
            for await (const page of source.findings(domain)) {
              yield page;
              if (++pages === 1) sim.injectFault({ kind: "503", pathPrefix: "/v1/apigovern/posture/gaps" });
            }
          },
        };
      },
    };

    const failed = await run(tenant, hostA, "manual", deps);

    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("salt_unavailable");
    const [runRow] = (await runsOf(handle, tenant.integration.id)).filter((r) => r.id === failed.runId);
    expect(runRow).toMatchObject({ state: "failed", errorCode: "salt_unavailable" });
    expect(runRow!.errorMessage).toContain("not available");
    expect(runRow!.counts).toMatchObject({ issuesUpdated: 1, issuesClosed: 0, assetsDeactivated: 0 });
    // The committed first page applied; nothing was judged absent from an incomplete read.
    expect((await issueByExternalId(handle, tenant.company.id, firstPageGap.postureGapId)).severity).toBe("critical");
    expect(await issueByExternalId(handle, tenant.company.id, vanished.postureGapId)).toMatchObject({ status: "identified", closedReason: null });
    const fqdn = await domainAsset(handle, tenant.company.id, hostA);
    const apis = await handle.db.select().from(assets).where(eq(assets.parentId, fqdn.id));
    expect(apis.every((a) => a.active)).toBe(true);
    // Figures match the issues that are there.
    const openNow = (await issuesOfDomain(handle, fqdn.id)).filter((i) => (openIssueStatuses as readonly string[]).includes(i.status));
    expect(fqdn.openIssueCount).toBe(openNow.length);

    sim.clearFaults();
    const recovered = await run(tenant, hostA, "manual");
    expect(recovered.state).toBe("succeeded");
    expect(recovered.counts.assetsDeactivated).toBe(1);
    expect((await issueByExternalId(handle, tenant.company.id, vanished.postureGapId)).status).toBe("fixed");
  });
});

describe("domain association", () => {
  it("creates FQDN assets idempotently, queues one first sync per new domain, and detaches without deleting", async () => {
    const tenant = await seedSaltTenant(handle, sim);
    const first = await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA, hostB, hostA] });
    expect(first.created.map((c) => c.host).sort()).toEqual([hostA, hostB].sort());
    const again = await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA] });
    expect(again.created).toEqual([]);
    const queued = await runsOf(handle, tenant.integration.id);
    expect(queued.map((r) => [r.domain, r.trigger, r.state]).sort()).toEqual(
      [[hostA, "first_sync", "queued"], [hostB, "first_sync", "queued"]].sort(),
    );

    const fqdn = await domainAsset(handle, tenant.company.id, hostB);
    expect(await detachDomain(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, assetId: fqdn.id })).toEqual({ detached: true });
    expect((await domainAsset(handle, tenant.company.id, hostB)).syncEnabled).toBe(false);
    const reattached = await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostB] });
    expect(reattached.created).toEqual([{ id: fqdn.id, host: hostB }]);
  });
});

describe("webhook receiver and the queue", () => {
  beforeAll(async () => {
    await boss.work(QUEUES.domainSync, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5, localConcurrency: 4 }, createDomainSyncHandler(() => handle.db));
  });

  async function syncedTenant() {
    const tenant = await seedSaltTenant(handle, sim);
    await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA, hostB] });
    await eventually(() => queueIdle(tenant.integration.id), "the first syncs");
    const runs = await runsOf(handle, tenant.integration.id);
    expect(runs.map((r) => [r.trigger, r.state])).toEqual([
      ["first_sync", "succeeded"],
      ["first_sync", "succeeded"],
    ]);
    return tenant;
  }

  it("re-syncs only the referenced domain after a gap's status and severity change", async () => {
    const tenant = await syncedTenant();
    const gap = simulatorGaps(sim, hostA).find((g) => g.status === "Open")!;
    sim.state.updatePostureGap(gap.postureGapId, { status: "Inprocess", severity: "Critical" });

    const answer = await postWebhook(webhookBody(tenant, hostA, { event: "posture_gap.status_changed" }));

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ received: true, domain: hostA, event: "posture_gap.status_changed", sync: "queued" });
    await eventually(() => queueIdle(tenant.integration.id), "the webhook's sync");
    const runs = (await runsOf(handle, tenant.integration.id)).filter((r) => r.trigger === "webhook");
    expect(runs.map((r) => [r.domain, r.state])).toEqual([[hostA, "succeeded"]]);
    expect(runs[0]!.counts).toMatchObject({ issuesUpdated: 1, issuesUnchanged: 15 });
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    expect(issue).toMatchObject({ status: "in_progress", severity: "critical", statusOrigin: "webhook" });
    const [delivery] = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.integrationId, tenant.integration.id));
    expect(delivery).toMatchObject({ outcome: "accepted", httpStatus: 202, domain: hostA, event: "posture_gap.status_changed" });
  });

  it("records an authenticated test event (Send test event) and syncs nothing; a test event with a wrong token is refused", async () => {
    const tenant = await syncedTenant();
    const jobsBefore = await domainSyncJobCount();

    const answer = await postWebhook(webhookBody(tenant, "postura-test-event", { event: WEBHOOK_TEST_EVENT }));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ received: true, test: true });
    const wrong = await postWebhook({ ...webhookBody(tenant, "postura-test-event", { event: WEBHOOK_TEST_EVENT }), webhook_token: "whk_wrong" });
    expect(wrong.status).toBe(401);

    expect(await domainSyncJobCount()).toBe(jobsBefore);
    const deliveries = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.integrationId, tenant.integration.id));
    expect(deliveries.find((d) => d.outcome === "accepted")).toMatchObject({ httpStatus: 202, event: WEBHOOK_TEST_EVENT, reason: "test event", domain: null });
  });

  it("rejects bad deliveries with the documented codes, records them, and queues nothing", async () => {
    const tenant = await syncedTenant();
    const other = await seedSaltTenant(handle, sim);
    const jobsBefore = await domainSyncJobCount();
    const runsBefore = (await runsOf(handle, tenant.integration.id)).length;

    const tooBig = await postWebhook(webhookBody(tenant, hostA, { padding: "x".repeat(70 * 1024) }));
    expect(tooBig).toEqual({ status: 413, body: { error: "body larger than 64 KiB" } });
    // No Content-Length (chunked): the cap is enforced while reading.
    const chunks = [JSON.stringify(webhookBody(tenant, hostA)).slice(0, -1), `, "padding": "${"y".repeat(70 * 1024)}"}`];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const chunked = await webhookPOST(
      new Request("http://localhost/webhook", { method: "POST", body: stream, duplex: "half" } as RequestInit & { duplex: "half" }),
    );
    expect(chunked.status).toBe(413);

    expect(await postWebhook("{not json")).toEqual({ status: 400, body: { error: "body is not valid JSON" } });
    const noReference = await postWebhook({ company_id: tenant.company.publicId, webhook_token: tenant.webhookToken, event: "x" });
    expect(noReference.status).toBe(422);
    expect(noReference.body.field).toBe("reference");
    const numericCompany = await postWebhook({ ...webhookBody(tenant, hostA), company_id: 42 });
    expect(numericCompany.status).toBe(422);
    expect(numericCompany.body.field).toBe("company_id");
    const noToken = await postWebhook({ ...webhookBody(tenant, hostA), webhook_token: undefined });
    expect(noToken.status).toBe(422);
    expect(noToken.body.field).toBe("webhook_token");

    const wrongToken = await postWebhook(webhookBody(tenant, hostA, { webhook_token: "whk_wrong" }));
    const unknownCompany = await postWebhook(webhookBody(tenant, hostA, { company_id: "cmp_nobody" }));
    const otherCompanysToken = await postWebhook(webhookBody(tenant, hostA, { webhook_token: other.webhookToken }));
    expect(wrongToken).toEqual({ status: 401, body: { error: "unknown company or wrong token" } });
    expect(unknownCompany).toEqual(wrongToken);
    expect(otherCompanysToken).toEqual(wrongToken);

    const unknownDomain = await postWebhook(webhookBody(tenant, "not-associated.example.com"));
    expect(unknownDomain).toEqual({ status: 202, body: { ignored: "domain not associated" } });
    const otherTenantsDomain = await postWebhook(webhookBody(other, hostA));
    expect(otherTenantsDomain.body).toEqual({ ignored: "domain not associated" });

    expect(await domainSyncJobCount()).toBe(jobsBefore);
    expect((await runsOf(handle, tenant.integration.id)).length).toBe(runsBefore);

    const recorded = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.integrationId, tenant.integration.id));
    // Deliveries that name this company (a broken template, a wrong token) are recorded for its integration, so its
    // settings page can show them; the rest are only logged and counted, so unauthenticated senders write no rows.
    expect(recorded.map((d) => [d.outcome, d.httpStatus, d.reason]).sort()).toEqual([
      ["ignored", 202, "domain not associated"],
      ["rejected", 401, "unknown company or wrong token"],
      ["rejected", 401, "unknown company or wrong token"],
      ["rejected", 422, "reference: Invalid input: expected string, received undefined"],
      ["rejected", 422, "webhook_token: required (in the body or the x-postura-webhook-token header)"],
    ]);
    const anonymous = await handle.db.select().from(webhookDeliveries).where(sql`${webhookDeliveries.companyId} is null`);
    expect(anonymous).toEqual([]);
    const everything = JSON.stringify(await handle.db.select().from(webhookDeliveries));
    expect(everything).not.toContain(tenant.webhookToken);
    expect(everything).not.toContain(other.webhookToken);
  });

  it("accepts the token from a header, and the previous token only until it expires", async () => {
    const tenant = await syncedTenant();
    const { webhook_token: _token, ...withoutToken } = webhookBody(tenant, hostB);
    const viaHeader = await postWebhook(withoutToken, { "x-postura-webhook-token": tenant.webhookToken });
    expect(viaHeader.status).toBe(202);
    expect(viaHeader.body.received).toBe(true);

    const previous = "whk_previous-token";
    const { integrations } = await import("@/db/schema");
    await handle.db
      .update(integrations)
      .set({ previousWebhookTokenHash: hashToken(previous), previousWebhookTokenExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(integrations.id, tenant.integration.id));
    expect((await postWebhook(webhookBody(tenant, hostB, { webhook_token: previous }))).status).toBe(202);
    await handle.db
      .update(integrations)
      .set({ previousWebhookTokenExpiresAt: new Date(Date.now() - 1) })
      .where(eq(integrations.id, tenant.integration.id));
    expect((await postWebhook(webhookBody(tenant, hostB, { webhook_token: previous }))).status).toBe(401);
    await eventually(() => queueIdle(tenant.integration.id), "the header-triggered syncs");
  });

  it("coalesces a burst of 200 webhooks for one domain into at most 2 runs", async () => {
    const tenant = await syncedTenant();
    const answers = await Promise.all(Array.from({ length: 200 }, () => postWebhook(webhookBody(tenant, hostA))));
    expect(answers.every((a) => a.status === 202 && a.body.received === true)).toBe(true);
    await eventually(() => queueIdle(tenant.integration.id), "the burst's runs");
    const runs = (await runsOf(handle, tenant.integration.id)).filter((r) => r.trigger === "webhook");
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(2);
    expect(runs.every((r) => r.domain === hostA && r.state === "succeeded")).toBe(true);
  });

  it("runs exactly once more for webhooks that arrive while the domain's run is in progress", async () => {
    const tenant = await syncedTenant();
    // Hold the next run inside its endpoint read long enough to send webhooks during it.
    const fault = sim.injectFault({ kind: "latency", latencyMs: 1500, count: 1, pathPrefix: "/v1/inventory/endpoints" });
    expect((await postWebhook(webhookBody(tenant, hostA))).body.sync).toBe("queued");
    await eventually(async () => (await runsOf(handle, tenant.integration.id)).some((r) => r.trigger === "webhook" && r.state === "running"), "the run to start");
    const during = await Promise.all(Array.from({ length: 5 }, () => postWebhook(webhookBody(tenant, hostA))));
    expect(during.filter((a) => a.body.sync === "queued")).toHaveLength(1);
    expect(sim.faults().find((f) => f.id === fault.id)?.hits).toBe(1);

    await eventually(() => queueIdle(tenant.integration.id), "the follow-up run");
    const runs = (await runsOf(handle, tenant.integration.id)).filter((r) => r.trigger === "webhook");
    expect(runs.map((r) => r.state)).toEqual(["succeeded", "succeeded"]);
  });
});

describe("manual sync", () => {
  async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe(code);
  }

  it("lets an admin sync the integration through tRPC and read its runs; others are refused; other companies see nothing", async () => {
    const tenant = await seedSaltTenant(handle, sim);
    await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA, hostB] });
    await eventually(() => queueIdle(tenant.integration.id), "the first syncs");

    const admin = await callerFor(tenant.members.admin.email);
    const result = await admin.sync.syncIntegration({ integrationId: tenant.integration.id });
    expect(result).toMatchObject({ integrationId: tenant.integration.id, domains: [hostA, hostB].sort(), queued: 2 });
    await eventually(() => queueIdle(tenant.integration.id), "the manual syncs");
    const runs = await admin.sync.runs({ integrationId: tenant.integration.id });
    expect(runs.filter((r) => r.trigger === "manual").map((r) => [r.domain, r.state]).sort()).toEqual(
      [[hostA, "succeeded"], [hostB, "succeeded"]].sort(),
    );
    expect(runs.find((r) => r.trigger === "manual")!.counts).toMatchObject({ issuesUnchanged: 16 });

    const analyst = await callerFor(tenant.members.analyst.email);
    await expectTrpcError(analyst.sync.syncIntegration({ integrationId: tenant.integration.id }), "FORBIDDEN");
    expect((await analyst.sync.runs({ integrationId: tenant.integration.id })).length).toBe(runs.length);

    const outsider = await seedSaltTenant(handle, sim);
    const outsiderAdmin = await callerFor(outsider.members.admin.email);
    await expectTrpcError(outsiderAdmin.sync.runs({ integrationId: tenant.integration.id }), "NOT_FOUND");
    await expectTrpcError(outsiderAdmin.sync.syncIntegration({ integrationId: tenant.integration.id }), "NOT_FOUND");
  });

  it("answers the sync route: 202 for an admin, 403 for an analyst or a cross-site request, 401 without a session", async () => {
    const tenant = await seedSaltTenant(handle, sim);
    await associateDomains(handle.db, { companyId: tenant.company.id, integrationId: tenant.integration.id, hosts: [hostA] });
    await eventually(() => queueIdle(tenant.integration.id), "the first sync");
    const url = "http://localhost:3000/api/v3/integrations/scanners/salt_security/sync";
    const post = (headers: Record<string, string>) => manualSyncPOST(new Request(url, { method: "POST", headers }));

    expect((await post({})).status).toBe(401);
    const analystCookie = await signInCookie(tenant.members.analyst.email);
    expect((await post({ cookie: analystCookie })).status).toBe(403);
    const adminCookie = await signInCookie(tenant.members.admin.email);
    expect((await post({ cookie: adminCookie, origin: "https://evil.example" })).status).toBe(403);
    const accepted = await post({ cookie: adminCookie });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ integrationId: tenant.integration.id, domains: [hostA], queued: 1 });
    await eventually(() => queueIdle(tenant.integration.id), "the manual sync");
    expect((await runsOf(handle, tenant.integration.id)).map((r) => r.trigger)).toEqual(["first_sync", "manual"]);
  });
});
