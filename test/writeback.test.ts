// Status write-back to Salt, the conflict rules, and echo suppression — against real PostgreSQL and the Salt
// simulator over HTTP.
import { and, asc, count, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import {
  defaultStatusMapping,
  integrations,
  issues,
  type IssueStatus,
  statusHistory,
  statusWriteBacks,
  syncRuns,
} from "@/db/schema";
import { changeIssueStatusByUser } from "@/server/issues/status";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { encryptSecret } from "@/server/security/secrets";
import { createDomainSyncHandler, defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { createStatusWriteBackHandler, runStatusWriteBack } from "@/server/writeback/job";
import { retryWriteBack } from "@/server/writeback/outbox";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import {
  eventually,
  issueByExternalId,
  seedSaltTenant,
  simulatorGaps,
  simulatorHosts,
  type SaltTenant,
  startWebhookReceiver,
  webhookTemplate,
  addDomainAssets,
} from "./sync-fixtures";

const SEED = { seed: 11, hosts: 2, endpointsPerHost: 6, gapsPerEndpoint: 2 };

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, ...SEED });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  host = simulatorHosts(sim)[0]!;
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

/** A tenant with the domain associated and synced once. */
async function syncedTenant(settings: Parameters<typeof seedSaltTenant>[2] = {}) {
  const tenant = await seedSaltTenant(handle, sim, settings);
  await addDomainAssets(handle, tenant, [host]);
  await sync(tenant, "first_sync");
  return tenant;
}

function sync(tenant: SaltTenant, trigger: "first_sync" | "manual" | "webhook" = "webhook") {
  return runDomainSync(
    handle.db,
    { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger },
    defaultSyncDependencies,
  );
}

async function userSets(tenant: SaltTenant, issueId: string, toStatus: IssueStatus) {
  const result = await changeIssueStatusByUser(
    handle.db,
    { companyId: tenant.company.id, issueId, status: toStatus, userId: tenant.members.analyst.userId },
    { boss },
  );
  if (!result) throw new Error("issue not found");
  return result;
}

async function processPendingWriteBacks(tenant: SaltTenant, finalAttempt = true) {
  const pending = await handle.db
    .select({ id: statusWriteBacks.id })
    .from(statusWriteBacks)
    .where(and(eq(statusWriteBacks.companyId, tenant.company.id), eq(statusWriteBacks.state, "pending")))
    .orderBy(asc(statusWriteBacks.createdAt));
  for (const { id } of pending) {
    await runStatusWriteBack(handle.db, { writeBackId: id, companyId: tenant.company.id }, { finalAttempt }).catch(() => undefined);
  }
}

async function writeBackRow(id: string) {
  const [row] = await handle.db.select().from(statusWriteBacks).where(eq(statusWriteBacks.id, id));
  return row!;
}

function gapWithStatus(status: string) {
  const gap = simulatorGaps(sim, host).find((g) => g.status === status);
  if (!gap) throw new Error(`no ${status} gap in the seed`);
  return gap;
}

async function historyCount(companyId: string) {
  const [row] = await handle.db.select({ n: count() }).from(statusHistory).where(eq(statusHistory.companyId, companyId));
  return row!.n;
}

describe("write-back of a user's status change", () => {
  it.each([
    ["in_progress", "Open", "Inprocess"],
    ["fixed", "Open", "Resolved"],
    ["risk_accepted", "Open", "Ignored"],
    ["identified", "Inprocess", "Open"],
  ] as const)("writes %s as the first Salt status of its row", async (toStatus, from, expected) => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus(from);
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);

    const { writeBack } = await userSets(tenant, issue.id, toStatus);
    expect(writeBack?.state).toBe("pending");
    const [history] = await handle.db.select().from(statusHistory).where(and(eq(statusHistory.issueId, issue.id), eq(statusHistory.origin, "user")));
    expect(history).toMatchObject({ fromStatus: issue.status, toStatus, userId: tenant.members.analyst.userId });

    const sentAfter = new Date();
    await processPendingWriteBacks(tenant);
    expect(sim.writeLog()).toEqual([expect.objectContaining({ postureGapId: gap.postureGapId, from, to: expected, changed: true })]);
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({ state: "done", externalStatus: expected });
    const written = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    expect(written.externalStatus).toBe(expected);
    // Salt counts the write as activity on the gap; the issue's "Last activity" follows.
    expect(written.lastActivityAt!.getTime()).toBeGreaterThanOrEqual(sentAfter.getTime());
  });

  it("applies only the first chip of a row with two", async () => {
    const tenant = await syncedTenant({
      statusMapping: { ...defaultStatusMapping, fixed: ["Ignored", "Resolved"], risk_accepted: [] },
    });
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    await userSets(tenant, issue.id, "fixed");
    await processPendingWriteBacks(tenant);
    expect(sim.writeLog().map((w) => w.to)).toEqual(["Ignored"]);
  });

  it("records an unmapped row as skipped and calls nothing", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const { writeBack } = await userSets(tenant, issue.id, "false_positive");
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({
      state: "skipped",
      lastError: "Not synced: False Positive has no Salt status in the status mapping.",
    });
    await processPendingWriteBacks(tenant);
    expect(sim.writeLog()).toEqual([]);
    expect(sim.requestLog().filter((r) => r.method === "POST")).toEqual([]);
  });

  it("turns write-back off when the key lacks perm-executor, and says so", async () => {
    const tenant = await syncedTenant();
    // The key lost its write scope after set-up.
    await handle.db
      .update(integrations)
      .set({ credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey: sim.keys.usReadonly.key })) })
      .where(eq(integrations.id, tenant.integration.id));
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const { writeBack } = await userSets(tenant, issue.id, "fixed");
    await processPendingWriteBacks(tenant);
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({
      state: "skipped",
      lastError: "Write-back is off: the Salt API key lacks the perm-executor scope.",
    });
    const [row] = await handle.db.select().from(integrations).where(eq(integrations.id, tenant.integration.id));
    expect(row!.canWriteBack).toBe(false);
    expect(sim.writeLog()).toEqual([]);

    // From then on, changes are recorded as skipped straight away.
    const other = await issueByExternalId(handle, tenant.company.id, gapWithStatus("Inprocess").postureGapId);
    expect((await userSets(tenant, other.id, "fixed")).writeBack?.state).toBe("skipped");
  });

  it("retries through a 503 and changes Salt once", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    sim.injectFault({ kind: "503", method: "POST", count: 1, retryAfter: { seconds: 0 } });
    const { writeBack } = await userSets(tenant, issue.id, "fixed");
    await processPendingWriteBacks(tenant);
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({ state: "done" });
    expect(sim.writeLog().filter((w) => w.changed)).toHaveLength(1);
  });

  it("does not change Salt twice when a request that timed out had been applied", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const { writeBack } = await userSets(tenant, issue.id, "fixed");
    // The first attempt reached Salt and was applied, but its answer never came back.
    sim.state.writeBack(sim.keys.usFull.key, gap.postureGapId, "Resolved");
    const appliedWrites = sim.writeLog().length;
    await processPendingWriteBacks(tenant);
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({ state: "done" });
    expect(sim.writeLog()).toHaveLength(appliedWrites);
  });

  it("fails with a reason after the last attempt, and Retry sends it again", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const fault = sim.injectFault({ kind: "503", rate: 1, retryAfter: { seconds: 0 } });
    const { writeBack } = await userSets(tenant, issue.id, "fixed");
    await processPendingWriteBacks(tenant, true);
    const failed = await writeBackRow(writeBack!.writeBackId);
    expect(failed.state).toBe("failed");
    expect(failed.lastError).toMatch(/Salt/);

    sim.removeFault(fault.id);
    await handle.db.transaction((tx) => retryWriteBack(tx, { companyId: tenant.company.id, issueId: issue.id }, { boss }));
    expect((await writeBackRow(writeBack!.writeBackId)).state).toBe("pending");
    await processPendingWriteBacks(tenant);
    expect(await writeBackRow(writeBack!.writeBackId)).toMatchObject({ state: "done", lastError: null });
    expect(sim.writeLog().map((w) => w.to)).toEqual(["Resolved"]);
  });
});

describe("conflict rule", () => {
  it("keeps a user's change against older Salt activity, and the pending write-back then sets Salt", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    await userSets(tenant, issue.id, "in_progress");
    await sync(tenant, "webhook"); // Salt still says Open, with activity older than the user's change
    expect((await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).status).toBe("in_progress");
    await processPendingWriteBacks(tenant);
    expect(sim.state.getPostureGap(gap.postureGapId)!.status).toBe("Inprocess");
  });

  it("applies newer Salt activity over an older user change, and the stale write-back is not sent", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const { writeBack } = await userSets(tenant, issue.id, "in_progress");
    await new Promise((r) => setTimeout(r, 5));
    sim.state.updatePostureGap(gap.postureGapId, { status: "Resolved" });
    await sync(tenant, "webhook");
    expect(await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).toMatchObject({ status: "fixed", statusOrigin: "webhook" });
    await processPendingWriteBacks(tenant);
    expect((await writeBackRow(writeBack!.writeBackId)).state).toBe("skipped");
    expect(sim.state.getPostureGap(gap.postureGapId)!.status).toBe("Resolved");
  });

  it("never reverts a user's Risk Accepted; a disagreeing sync leaves a note once", async () => {
    const tenant = await syncedTenant();
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    await userSets(tenant, issue.id, "risk_accepted");
    await processPendingWriteBacks(tenant);
    await new Promise((r) => setTimeout(r, 5));
    sim.state.updatePostureGap(gap.postureGapId, { status: "Open" });
    await sync(tenant, "webhook");
    await sync(tenant, "webhook");
    expect((await issueByExternalId(handle, tenant.company.id, gap.postureGapId)).status).toBe("risk_accepted");
    const notes = await handle.db
      .select()
      .from(statusHistory)
      .where(and(eq(statusHistory.issueId, issue.id), eq(statusHistory.origin, "webhook")));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ fromStatus: "risk_accepted", toStatus: "risk_accepted" });
    expect(notes[0]!.note).toContain('Salt Security now reports "Open"');
  });
});

describe("echo suppression", () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    await boss.work(QUEUES.domainSync, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 }, createDomainSyncHandler(() => handle.db));
    await boss.work(QUEUES.statusWriteBack, { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5, includeMetadata: true }, createStatusWriteBackHandler(() => handle.db));
  });

  afterAll(async () => {
    await boss.offWork(QUEUES.domainSync);
    await boss.offWork(QUEUES.statusWriteBack);
    await receiver.close();
  });

  it("re-syncs after Salt's webhook for our own write-back and changes nothing either way", async () => {
    const tenant = await syncedTenant();
    sim.configureWebhook({ url: receiver.url, bodyTemplate: webhookTemplate(tenant) });
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    await userSets(tenant, issue.id, "fixed");
    const historyAfterUser = await historyCount(tenant.company.id);

    // The worker writes back; Salt fires its webhook; Postura re-syncs the domain.
    await eventually(() => sim.webhookLog().length >= 1, "Salt webhook for the write-back");
    await sim.webhooksIdle();
    expect(sim.webhookLog()[0]).toMatchObject({ statusCode: 202 });
    await eventually(async () => {
      const [webhookRuns] = await handle.db
        .select({ n: count() })
        .from(syncRuns)
        .where(and(eq(syncRuns.integrationId, tenant.integration.id), eq(syncRuns.trigger, "webhook"), eq(syncRuns.state, "succeeded")));
      return webhookRuns!.n === 1;
    }, "the webhook's re-sync");

    const after = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    expect(after).toMatchObject({ status: "fixed", statusOrigin: "user", externalStatus: "Resolved" });
    expect(await historyCount(tenant.company.id)).toBe(historyAfterUser);
    const outbox = await handle.db.select().from(statusWriteBacks).where(eq(statusWriteBacks.issueId, issue.id));
    expect(outbox).toHaveLength(1);
    expect(sim.writeLog()).toHaveLength(1);
    expect(sim.webhookLog()).toHaveLength(1);
  });
});

describe("issues row ownership", () => {
  it("does not write back changes to issues of another company", async () => {
    const tenant = await syncedTenant();
    const other = await seedSaltTenant(handle, sim);
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const result = await changeIssueStatusByUser(
      handle.db,
      { companyId: other.company.id, issueId: issue.id, status: "fixed", userId: other.members.analyst.userId },
      { boss },
    );
    expect(result).toBeNull();
    const [row] = await handle.db.select().from(issues).where(eq(issues.id, issue.id));
    expect(row!.status).toBe(issue.status);
  });
});

describe("write-back through the API", () => {
  it("shows each state on the issue, filters the list by it, and lets an analyst retry a failure", async () => {
    const tenant = await syncedTenant();
    const analyst = await callerFor(tenant.members.analyst.email);
    const viewer = await callerFor(tenant.members.viewer.email);
    const gap = gapWithStatus("Open");
    const issue = await issueByExternalId(handle, tenant.company.id, gap.postureGapId);
    const listed = async (writeBack: "pending" | "done" | "failed") =>
      (await analyst.issues.list({ writeBack: [writeBack], sort: "severity", dir: "desc", page: 1 })).rows.map((r) => r.id);

    expect(await analyst.issues.writeBack({ id: issue.id })).toBeNull();
    await analyst.issues.setStatus({ id: issue.id, status: "fixed", reason: "patched" });
    expect(await analyst.issues.writeBack({ id: issue.id })).toMatchObject({ state: "pending", externalStatus: "Resolved" });
    expect(await listed("pending")).toEqual([issue.id]);

    const fault = sim.injectFault({ kind: "503", rate: 1, retryAfter: { seconds: 0 } });
    await processPendingWriteBacks(tenant, true);
    expect(await analyst.issues.writeBack({ id: issue.id })).toMatchObject({ state: "failed", reason: expect.stringMatching(/Salt/) });
    expect(await listed("failed")).toEqual([issue.id]);
    await expect(viewer.issues.retryWriteBack({ id: issue.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    sim.removeFault(fault.id);
    await analyst.issues.retryWriteBack({ id: issue.id });
    await processPendingWriteBacks(tenant);
    expect(await analyst.issues.writeBack({ id: issue.id })).toMatchObject({ state: "done" });
    expect(await listed("done")).toEqual([issue.id]);
    expect(await listed("failed")).toEqual([]);
    await expect(analyst.issues.retryWriteBack({ id: issue.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
