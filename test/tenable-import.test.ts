// The Tenable.io connector import against the Tenable simulator over real HTTP, on PostgreSQL and on PGlite: hosts
// and issues from one export, a second scan that fixes and reopens, the 30-day trap, an unchanged re-import that
// writes nothing, a bad record skipped and named, and the import as a job on the real queue (with cancel).
import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, integrations, issues, statusHistory, syncRuns } from "@/db/schema";
import { computeRisk, emptySeverityCounts } from "@/server/risk";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { QUEUES } from "@/server/jobs/queues";
import { exportAssetsToTenable } from "@/server/sync/asset-export";
import { createConnectorImportHandler, requestConnectorImport, requestImportCancel } from "@/server/sync/connector-import";
import { type HostImportDependencies, runHostImport } from "@/server/sync/host-import";
import { startTenableSimulator, type TenableSimulator } from "@/tools/tenable-simulator";
import { createTestDatabase, type TestEngine } from "./databases";
import { installDatabase, seedCompany } from "./fixtures";
import { eventually, rowFingerprint } from "./sync-fixtures";
import { expectedFindings, fastTenableDeps as fastDeps, seedTenableConnector } from "./tenable-fixtures";

const DAY_MS = 86_400_000;
const SHARED_FQDN = "shop.example.test";

describe.each<TestEngine>(["postgres", "pglite"])("Tenable.io import on %s", (engine) => {
  let handle: DatabaseHandle;
  let sim: TenableSimulator;
  let companyId: string;
  let connectorId: string;
  let sharedAssetId: string;

  beforeAll(async () => {
    sim = await startTenableSimulator({ port: 0, seed: 21, assets: 60, findingsPerAsset: 3, fqdns: [SHARED_FQDN] });
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await sim?.close();
  });

  beforeEach(async () => {
    sim.reset();
    const { company } = await seedCompany(handle);
    companyId = company.id;
    // Salt already knows this FQDN: Tenable's host with the same fqdn must be this asset.
    const [shared] = await handle.db
      .insert(assets)
      .values({ companyId, assetType: "domain", name: SHARED_FQDN, externalRef: SHARED_FQDN })
      .returning({ id: assets.id });
    sharedAssetId = shared!.id;
    connectorId = await seedTenableConnector(handle, sim, companyId);
  });

  const runImport = () => runHostImport(handle.db, { companyId, integrationId: connectorId, runId: crypto.randomUUID(), trigger: "manual" }, fastDeps);
  const companyIssues = () => handle.db.select().from(issues).where(eq(issues.companyId, companyId));

  it("imports every host and the most recent result of every finding, on the FQDN asset Salt already has", async () => {
    const expected = expectedFindings(sim);
    const result = await runImport();
    expect(result.error).toBeNull();
    expect(result.state).toBe("succeeded");
    expect(result.counts.issuesCreated).toBe(expected.size);
    expect(result.counts.issuesUpdated + result.counts.issuesClosed + result.counts.issuesReopened).toBe(0);

    const rows = await companyIssues();
    expect(rows).toHaveLength(expected.size);
    for (const issue of rows) {
      const want = expected.get(issue.externalId!);
      expect(want, issue.externalId!).toBeDefined();
      expect(issue.status).toBe(want!.state === "FIXED" ? "fixed" : "identified");
      expect(issue.source).toBe("tenable_io");
    }
    // Tenable fields land in their columns; output stays out of the identity.
    const sample = rows.find((r) => r.cves.length > 0 && r.cvssScore !== null)!;
    expect(sample).toBeDefined();
    expect(sample.externalId).toMatch(/^[^|]+\|\d+\|\d+\|[a-z]+$/);
    expect(sample.details).toMatchObject({ pluginId: expect.any(Number), output: expect.any(String) });

    const hostRows = await handle.db.select().from(assets).where(and(eq(assets.companyId, companyId), eq(assets.assetType, "host")));
    const nodes = new Set([...expected.values()].map((f) => f.node));
    // One asset per node: the node with the shared fqdn is the FQDN asset, every other one a host asset.
    expect(hostRows).toHaveLength(nodes.size - 1);
    expect(hostRows.some((h) => h.fqdn === SHARED_FQDN)).toBe(false);
    const onShared = rows.filter((r) => r.assetId === sharedAssetId);
    expect(onShared.length).toBeGreaterThan(0);
    const [shared] = await handle.db.select().from(assets).where(eq(assets.id, sharedAssetId));
    expect(shared).toMatchObject({ name: SHARED_FQDN, fqdn: SHARED_FQDN, nodeRef: expect.any(String) });
    expect(shared!.openIssueCount).toBe(onShared.filter((r) => r.status === "identified").length);
    // Every host's figures follow its open issues (computed for all hosts together).
    for (const host of hostRows) {
      const open = rows.filter((r) => r.assetId === host.id && r.status === "identified");
      const bySeverity = emptySeverityCounts();
      for (const issue of open) bySeverity[issue.severity]++;
      expect(host.openIssueCount, host.name).toBe(open.length);
      expect(host.riskScore, host.name).toBe(computeRisk(bySeverity, host.businessImpact).score);
    }

    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, result.runId));
    expect(run).toMatchObject({ state: "succeeded", exportRef: expect.any(String) });
    expect(run!.progressDone).toBeGreaterThan(0);
    expect(run!.progressTotal).toBe(run!.progressDone);
  });

  it("an unchanged re-import writes no row", async () => {
    const first = await runImport();
    const before = await rowFingerprint(handle, companyId);
    const second = await runImport();
    expect(second.state).toBe("succeeded");
    expect(second.counts).toMatchObject({ issuesCreated: 0, issuesUpdated: 0, issuesClosed: 0, issuesReopened: 0, assetsCreated: 0, assetsUpdated: 0 });
    expect(second.counts.issuesUnchanged).toBe(first.counts.issuesCreated);
    expect(await rowFingerprint(handle, companyId)).toEqual(before);
  });

  it("a second scan closes what Tenable fixed and reopens what it found again, with history and right counts", async () => {
    await runImport();
    const scan = sim.runScan({ assets: 20, fix: 4, reopen: 0, add: 2 });
    expect(scan.fixed).toHaveLength(4);
    const second = await runImport();
    expect(second.state).toBe("succeeded");
    expect(second.counts.issuesClosed).toBe(4);
    expect(second.counts.issuesCreated).toBe(2);
    expect(second.counts.issuesReopened).toBe(0);

    const rescan = sim.runScan({ assets: 20, fix: 0, reopen: 3, add: 0 });
    expect(rescan.reopened).toHaveLength(3);
    const third = await runImport();
    expect(third.counts.issuesReopened).toBe(3);
    expect(third.counts.issuesClosed).toBe(0);
    expect(third.counts.issuesCreated).toBe(0);

    const all = await companyIssues();
    const total = expectedFindings(sim);
    expect(all).toHaveLength(total.size);
    for (const issue of all) expect(issue.status).toBe(total.get(issue.externalId!)!.state === "FIXED" ? "fixed" : "identified");
    const reopenedNotes = await handle.db
      .select({ note: statusHistory.note })
      .from(statusHistory)
      .where(and(eq(statusHistory.companyId, companyId), eq(statusHistory.note, "reopened in Tenable.io")));
    expect(reopenedNotes).toHaveLength(3);
    const closedNotes = await handle.db
      .select({ note: statusHistory.note })
      .from(statusHistory)
      .where(and(eq(statusHistory.companyId, companyId), eq(statusHistory.toStatus, "fixed"), eq(statusHistory.note, "reported fixed by Tenable.io")));
    expect(closedNotes.length).toBeGreaterThanOrEqual(4);
  });

  it("with Days since blank, imports a finding last seen 90 days ago (never an unfiltered 30-day export)", async () => {
    const old = sim.addFinding({ asset: { fqdn: "legacy.example.test" }, pluginId: undefined, lastFound: new Date(Date.now() - 90 * DAY_MS).toISOString() });
    await handle.db.update(integrations).set({ daysSince: 30 }).where(eq(integrations.id, connectorId));
    await runImport();
    const ofLegacy = sql`${issues.companyId} = ${companyId} and ${issues.details}->>'tenableAssetUuid' = ${old.asset.uuid}`;
    expect(await handle.db.select().from(issues).where(ofLegacy)).toHaveLength(0);

    await handle.db.update(integrations).set({ daysSince: null }).where(eq(integrations.id, connectorId));
    await runImport();
    const [legacy] = await handle.db.select().from(issues).where(ofLegacy);
    expect(legacy).toMatchObject({ status: "identified", title: old.plugin.name });
    const since = sim.requestLog().filter((r) => r.method === "POST" && r.path === "/vulns/export");
    expect(since.length).toBeGreaterThanOrEqual(2);
  });

  it("skips a malformed finding, names it in the run, and imports the rest (partial)", async () => {
    const bad = sim.addFinding({ asset: { fqdn: "broken.example.test" } });
    (bad as unknown as { severity: string }).severity = "catastrophic";
    bad.finding_id = "bad-finding-1";
    const result = await runImport();
    expect(result.state).toBe("partial");
    expect(result.skipped).toEqual([expect.objectContaining({ kind: "finding", id: "bad-finding-1" })]);
    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, result.runId));
    expect(run!.state).toBe("partial");
    expect(run!.errorMessage).toContain("bad-finding-1");
    expect(await companyIssues()).toHaveLength(expectedFindings(sim).size - 1);
  });

  it("exports the FQDN and host assets to Tenable's asset import and records the job in the history", async () => {
    await runImport();
    const result = await exportAssetsToTenable(handle.db, { companyId });
    expect(result.error).toBeNull();
    expect(result.jobs).toHaveLength(1);
    const [sent] = sim.assetImports().slice(-1);
    expect(sent!.jobUuid).toBe(result.jobs[0]);
    expect(sent!.source).toBe("Postura");
    const hostCount = (await handle.db.select().from(assets).where(and(eq(assets.companyId, companyId), eq(assets.assetType, "host")))).length;
    expect(sent!.assets).toHaveLength(hostCount + 1);
    expect(sent!.assets).toContainEqual(expect.objectContaining({ fqdn: [SHARED_FQDN] }));
    expect(sent!.assets.every((a) => Array.isArray(a.fqdn) || Array.isArray(a.ipv4))).toBe(true);
    const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, result.runId));
    expect(run).toMatchObject({ state: "succeeded", domain: "asset export", exportRef: result.jobs[0] });
  });

  it("runs as a job on the queue, and a member's cancel ends the run as cancelled after the chunk in hand", async () => {
    const boss: PgBoss = createBoss(handle);
    await startBoss(boss);
    try {
      let cancelAfterFirst: string | null = null;
      const deps: HostImportDependencies = {
        openSource: async (integration, context) => {
          const source = await fastDeps.openSource(integration, context);
          return {
            ...source,
            displayName: source.displayName,
            cancel: () => source.cancel(),
            async *findings() {
              for await (const page of source.findings()) {
                // The member clicks Cancel while the first chunk is being written.
                if (cancelAfterFirst) await requestImportCancel(handle.db, { companyId, runId: cancelAfterFirst });
                yield page;
              }
            },
          };
        },
      };
      await boss.work(QUEUES.connectorImport, { pollingIntervalSeconds: 0.5 }, createConnectorImportHandler(() => handle.db, deps));

      const first = await requestConnectorImport(handle.db, { companyId }, { boss });
      expect(first.queued).toBe(true);
      await eventually(async () => {
        const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, first.runId));
        return run?.state === "succeeded";
      }, "the queued import");

      sim.reset();
      const second = await requestConnectorImport(handle.db, { companyId }, { boss });
      cancelAfterFirst = second.runId;
      await eventually(async () => {
        const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, second.runId));
        return run?.state === "failed";
      }, "the cancelled import");
      const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, second.runId));
      expect(run).toMatchObject({ errorCode: "cancelled", progressDone: 1 });
      expect(run!.errorMessage).toMatch(/^Cancelled by a member after 1 of \d+ chunks/);
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
  });
});
