// The Tenable.io import when Tenable misbehaves, against the simulator over real HTTP: an export already running
// (409) is joined, 429s are waited out, an export that turns ERROR or loses chunks fails the run with the reason and
// leaves nothing that spoils the next import, and a worker killed mid-import (SIGKILL) ends, after a restart, with
// exactly Tenable's data. PostgreSQL and PGlite; the SIGKILL case on PostgreSQL (worker processes).
import { and, count, countDistinct, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, issues, syncRuns } from "@/db/schema";
import { createTenableClient } from "@/server/integrations/tenable";
import { IMPORT_NUM_ASSETS } from "@/server/integrations/tenable/sync-source";
import { createBoss, startBoss } from "@/server/jobs/boss";
import { requestConnectorImport } from "@/server/sync/connector-import";
import { runHostImport } from "@/server/sync/host-import";
import { startTenableSimulator, type TenableSimulator } from "@/tools/tenable-simulator";
import { createPostgresTestDatabase, createTestDatabase, type TestEngine } from "./databases";
import { installDatabase, seedCompany } from "./fixtures";
import { eventually } from "./sync-fixtures";
import { asImported, expectedFindings, fastTenableDeps, importedResults, seedTenableConnector } from "./tenable-fixtures";
import { killAllWorkers, killed, startWorker } from "./worker-process";

// 120 assets make three chunks at the import's 50 assets a chunk (IMPORT_NUM_ASSETS): chunk k holds assets
// (k−1)·50 … k·50−1.
const ASSETS_PER_CHUNK = IMPORT_NUM_ASSETS;
const SCALE = { assets: 2 * ASSETS_PER_CHUNK + 20, findingsPerAsset: 10 };
const chunkAssets = (chunk: number) => Array.from({ length: Math.min(ASSETS_PER_CHUNK, SCALE.assets - (chunk - 1) * ASSETS_PER_CHUNK) }, (_, i) => (chunk - 1) * ASSETS_PER_CHUNK + i);
const allBut = (...chunks: number[]) => [1, 2, 3].filter((c) => !chunks.includes(c)).flatMap(chunkAssets);

async function hostCount(handle: DatabaseHandle, companyId: string): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(assets).where(and(eq(assets.companyId, companyId), eq(assets.assetType, "host")));
  return Number(row!.n);
}

describe.each<TestEngine>(["postgres", "pglite"])("Tenable.io import faults on %s", (engine) => {
  let handle: DatabaseHandle;
  let sim: TenableSimulator;
  let companyId: string;
  let connectorId: string;

  beforeAll(async () => {
    sim = await startTenableSimulator({ port: 0, seed: 15, ...SCALE });
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    sim.reset();
    companyId = (await seedCompany(handle)).company.id;
    connectorId = await seedTenableConnector(handle, sim, companyId);
  });

  const runImport = () => runHostImport(handle.db, { companyId, integrationId: connectorId, runId: crypto.randomUUID(), trigger: "manual" }, fastTenableDeps);
  const runRow = async (runId: string) => (await handle.db.select().from(syncRuns).where(eq(syncRuns.id, runId)))[0]!;

  it("joins the export already running for the same filters (409) and ends with all of it", async () => {
    // Someone (a previous import, pyTenable) started the same export; Tenable refuses a second one with 409.
    const client = createTenableClient({ baseUrl: sim.baseUrl, ...sim.keys.admin });
    const running = await client.startVulnExport({ window: "unlimited", numAssets: IMPORT_NUM_ASSETS });

    const result = await runImport();
    expect(result.error).toBeNull();
    expect(result.state).toBe("succeeded");
    expect(sim.requestLog().filter((r) => r.method === "POST" && r.path === "/vulns/export").map((r) => r.statusCode)).toEqual([200, 409]);
    expect(sim.exportJobs().map((job) => job.uuid)).toEqual([running.exportUuid]);
    expect((await runRow(result.runId)).exportRef).toBe(running.exportUuid);

    const expected = expectedFindings(sim);
    expect(result.counts.issuesCreated).toBe(expected.size);
    expect((await importedResults(handle, companyId)).byKey).toEqual(asImported(expected));
  });

  it("waits out 429s (retry-after) on status polls and on chunk downloads, and completes", async () => {
    sim.injectFault({ kind: "429", retryAfter: { seconds: 1 }, count: 1, pathPrefix: "/vulns/export/", method: "GET" });
    // Once the export exists (the import's first page), its next chunk download is refused too.
    let armed = false;
    const result = await runHostImport(
      handle.db,
      { companyId, integrationId: connectorId, runId: crypto.randomUUID(), trigger: "manual" },
      {
        openSource: async (integration, context) => {
          const source = await fastTenableDeps.openSource(integration, context);
          return {
            ...source,
            async *findings() {
              for await (const page of source.findings()) {
                const exportUuid = sim.exportJobs()[0]!.uuid;
                if (!armed) sim.injectFault({ kind: "429", retryAfter: { seconds: 1 }, count: 1, pathPrefix: `/vulns/export/${exportUuid}/chunks/` });
                armed = true;
                yield page;
              }
            },
          };
        },
      },
    );
    expect(result.error).toBeNull();
    expect(result.state).toBe("succeeded");
    const limited = sim.requestLog().filter((r) => r.statusCode === 429);
    expect(limited.some((r) => r.path.endsWith("/status"))).toBe(true);
    expect(limited.some((r) => r.path.includes("/chunks/"))).toBe(true);
    const expected = expectedFindings(sim);
    expect(result.counts.issuesCreated).toBe(expected.size);
    expect((await importedResults(handle, companyId)).byKey).toEqual(asImported(expected));
  });

  it("fails the run with Tenable's reason when the export turns ERROR, and a later import completes it exactly", async () => {
    sim.planNextExport({ errorAfterChunks: 1 });
    const failed = await runImport();
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("export_failed");
    const failedRun = await runRow(failed.runId);
    expect(failedRun).toMatchObject({ state: "failed", errorCode: "export_failed", progressDone: 1 });
    expect(failedRun.errorMessage).toMatch(/^Tenable stopped the export with an error \("Export failed while processing chunks\."\) after 1 chunks were read\. Run the import again\.$/);
    // What was read is written, and counted as such.
    const partial = await importedResults(handle, companyId);
    expect(partial.rows).toHaveLength(failed.counts.issuesCreated);
    expect(failed.counts.issuesCreated).toBeGreaterThan(0);
    expect(failed.counts.issuesCreated).toBeLessThan(expectedFindings(sim).size);

    const clean = await runImport();
    expect(clean.state).toBe("succeeded");
    const expected = expectedFindings(sim);
    expect(clean.counts.issuesCreated + clean.counts.issuesUnchanged).toBe(expected.size);
    expect(clean.counts.issuesUnchanged).toBe(failed.counts.issuesCreated);
    expect((await importedResults(handle, companyId)).byKey).toEqual(asImported(expected));
    expect(await hostCount(handle, companyId)).toBe(new Set([...expected.values()].map((f) => f.node)).size);
  });

  it("reports an expired chunk (404) and a failed chunk (chunks_failed) by number, imports the rest, and a later import fills them in", async () => {
    sim.planNextExport({ expireChunks: [2], failChunks: [3] });
    const incomplete = await runImport();
    expect(incomplete.state).toBe("failed");
    expect(incomplete.error?.code).toBe("export_incomplete");
    const run = await runRow(incomplete.runId);
    expect(run).toMatchObject({ state: "failed", errorCode: "export_incomplete", progressDone: 1 });
    expect(run.errorMessage).toContain("2 of its chunks could not be read");
    expect(run.errorMessage).toMatch(/\b2 \(expired\)/);
    expect(run.errorMessage).toMatch(/\b3 \(failed\)/);
    expect(run.errorMessage).toContain("run the import again");
    // The expired chunk was asked for (it was listed as available), the failed one never was.
    const chunkCalls = sim.requestLog().filter((r) => r.path.includes("/chunks/"));
    expect(chunkCalls.filter((r) => r.path.endsWith("/chunks/2")).map((r) => r.statusCode)).toEqual([404]);
    expect(chunkCalls.some((r) => r.path.endsWith("/chunks/3"))).toBe(false);

    // Exactly chunk 1's findings are there, and the counts say so.
    const chunkOne = expectedFindings(sim, { assetIndices: chunkAssets(1) });
    expect(incomplete.counts.issuesCreated).toBe(chunkOne.size);
    expect((await importedResults(handle, companyId)).byKey).toEqual(asImported(chunkOne));
    expect(expectedFindings(sim, { assetIndices: allBut(1) }).size).toBeGreaterThan(0);

    const clean = await runImport();
    expect(clean.state).toBe("succeeded");
    const expected = expectedFindings(sim);
    expect(clean.counts.issuesCreated).toBe(expected.size - chunkOne.size);
    expect((await importedResults(handle, companyId)).byKey).toEqual(asImported(expected));
  });
});

describe("Tenable.io import: a worker killed mid-import (PostgreSQL, worker processes)", () => {
  let handle: DatabaseHandle;
  let sim: TenableSimulator;

  beforeAll(async () => {
    sim = await startTenableSimulator({ port: 0, seed: 16, ...SCALE });
    handle = await createPostgresTestDatabase();
    installDatabase(handle);
  });
  afterAll(async () => {
    killAllWorkers();
    await handle?.close();
    await sim?.close();
  });

  it("after SIGKILL and a restart, holds exactly Tenable's most recent result per node: no duplicates, no run left running", async () => {
    const { company } = await seedCompany(handle);
    const connectorId = await seedTenableConnector(handle, sim, company.id);
    // Chunk downloads take a while, so the kill lands between chunks of one import.
    const slowChunks = sim.injectFault({ kind: "latency", latencyMs: 1_500, pathPrefix: "/vulns/export/", method: "GET" });

    const boss = createBoss(handle);
    await startBoss(boss);
    const { runId } = await requestConnectorImport(handle.db, { companyId: company.id }, { boss });
    await boss.stop({ graceful: false, close: true });

    const first = startWorker(handle);
    await first.started;
    await eventually(async () => {
      const [run] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      return run?.state === "running" && (run.progressDone ?? 0) >= 1;
    }, "the import to write its first chunk", 60_000);
    await killed(first.process);
    const [killedRun] = await handle.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(killedRun!.state).toBe("running");
    expect(killedRun!.progressDone).toBeLessThan(3);

    sim.clearFaults();
    expect(slowChunks.hits).toBeGreaterThan(0);
    const restarted = startWorker(handle);
    await restarted.started;
    const runsOfConnector = () => handle.db.select().from(syncRuns).where(eq(syncRuns.integrationId, connectorId));
    // The queue brings the job back once the dead worker's heartbeat lapses (10 s); its retry is a new run.
    await eventually(async () => (await runsOfConnector()).some((r) => r.state === "succeeded"), "the retried import to succeed", 90_000);
    await killed(restarted.process);

    const runs = await runsOfConnector();
    expect(runs.filter((r) => r.state === "queued" || r.state === "running")).toEqual([]);
    expect(runs.find((r) => r.id === runId)).toMatchObject({ state: "failed", errorCode: "worker_stopped" });

    const expected = expectedFindings(sim);
    const imported = await importedResults(handle, company.id);
    expect(imported.rows).toHaveLength(expected.size);
    expect(imported.byKey).toEqual(asImported(expected));
    const [distinct] = await handle.db.select({ n: countDistinct(issues.externalId) }).from(issues).where(eq(issues.companyId, company.id));
    expect(Number(distinct!.n)).toBe(expected.size);
    const hosts = await handle.db
      .select({ node: assets.nodeRef })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "host")));
    expect(hosts).toHaveLength(new Set([...expected.values()].map((f) => f.node)).size);
    expect(new Set(hosts.map((h) => h.node)).size).toBe(hosts.length);
  }, 180_000);
});
